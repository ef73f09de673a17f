// One intake cycle, as a short list of named steps: collect from every
// source -> open cases from what was stored -> watch the deadlines -> send
// what the outbox holds.
// Sources are isolated: one that fails is logged and skipped this cycle, the
// others go on.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "center/center_book.h"
#include "center/clock.h"
#include "center/settings.h"
#include "center/store.h"
#include "daemon/deadline_watcher.h"
#include "daemon/heartbeat.h"
#include "daemon/intake.h"
#include "daemon/ocr_worker.h"
#include "daemon/outbox.h"
#include "daemon/sources.h"

namespace complaintd::daemon {

struct CycleReport {
    int stored = 0;
    int duplicates = 0;
    int opened = 0;
    int followUps = 0;
    int quarantined = 0;
    int heldMail = 0;  // automated mail and spam, held for staff (no case)
    int reminders = 0;
    int delayNotices = 0;
    int sent = 0;
    int deferred = 0;
    int failed = 0;
    int sourceErrors = 0;
};

// What the service talks to beyond the database: where mail comes from and how letters go out.
// Made from the settings; tests hand in fakes (the database stays real: fake the network, not the store).
struct ServiceLinks {
    std::vector<std::unique_ptr<MessageSource>> sources;
    std::unique_ptr<MailSender> sender;
};
// `progress` is the service's: sources and sender call it as their work moves forward (heartbeat.h).
using LinksMaker = std::function<ServiceLinks(const center::Settings& settings, const Progress& progress)>;
// The drop folders, IMAP folders and the SMTP (or folder) sender the settings name.
ServiceLinks linksFromSettings(const center::Settings& settings, const Progress& progress);

class Service {
public:
    // Loads units, rules and templates and opens the store. Throws ConfigError or StoreError.
    // `heartbeat` is called whenever a cycle's work moves forward (heartbeat.h).
    Service(center::Settings settings, const center::Clock& clock, Progress heartbeat = {},
            const LinksMaker& links = linksFromSettings);
    // One cycle: the sources take mail for about cycle_seconds at most (they stop between two
    // batches or files), intake opens the cases of what they took, then the deadlines and the
    // outbox get their turn.
    CycleReport runCycle(const std::atomic<bool>& stopping);
    // OCR of fax pages, on its own database connection: safe to call from another thread than
    // runCycle. Returns the jobs finished.
    int runOcr(const std::atomic<bool>& stopping);
    // Reads units, referrals, rules, holidays, fax gateways and letter templates again (SIGHUP).
    // A mistake in any of them throws ConfigError and the ones in use stay. Safe from any thread,
    // and waits for nothing: a cycle or an OCR job under way goes on with the book it started with.
    void reloadCenterBook();

private:
    // Store, commit, open the cases, then acknowledge: a round of one source, batch by batch,
    // until it has no more or the cycle's intake is over.
    CollectReport takeMailFrom(MessageSource& source, const std::function<void()>& openCases);
    // True while a source that failed waits out its backoff.
    bool backingOff(const std::string& source);
    // Where a cycle's work moves forward: feeds the heartbeat, ends intake at cycle_seconds.
    void advanced();

    center::Settings settings_;
    const center::Clock& clock_;
    Progress heartbeat_;
    center::CenterBookInUse books_;
    center::Store store_;
    Progress progress_ = [this] { advanced(); };
    ServiceLinks links_;  // the sender moves into outbox_
    OutboxDispatcher outbox_;
    center::Store ocrStore_;
    OcrWorker ocr_;
    // The cycle under way: set by runCycle, read by advanced() on the same thread.
    const std::atomic<bool>* cycleStopping_ = nullptr;
    std::chrono::steady_clock::time_point cycleEnds_{};
    std::atomic<bool> intakeOver_{false};
    std::size_t firstSource_ = 0;
};

}  // namespace complaintd::daemon
