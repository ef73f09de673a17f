// One intake cycle, as a short list of named steps: collect from every
// source -> open cases from what was stored -> watch the deadlines -> send
// what the outbox holds.
// Sources are isolated: one that fails is logged and skipped this cycle, the
// others go on.
#pragma once

#include <atomic>
#include <memory>
#include <shared_mutex>
#include <vector>

#include "daemon/center_book.h"
#include "daemon/clock.h"
#include "daemon/deadline_watcher.h"
#include "daemon/intake.h"
#include "daemon/ocr_worker.h"
#include "daemon/outbox.h"
#include "daemon/settings.h"
#include "daemon/sources.h"
#include "daemon/store.h"

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

class Service {
public:
    // Loads units, rules and templates and opens the store. Throws ConfigError or StoreError.
    Service(Settings settings, const Clock& clock);
    CycleReport runCycle(const std::atomic<bool>& stopping);
    // OCR of fax pages, on its own database connection: safe to call from another thread than
    // runCycle. Returns the jobs finished.
    int runOcr(const std::atomic<bool>& stopping);
    // Reads units, referrals, rules, holidays, fax gateways and letter templates again (SIGHUP).
    // A mistake in any of them throws ConfigError and the ones in use stay. Call it from the
    // thread that runs runCycle; OCR holds the book only between the pages of its jobs, so a
    // reload waits for milliseconds, not for the pages being read.
    void reloadCenterBook();

private:
    // True while a source that failed waits out its backoff.
    bool backingOff(const std::string& source);

    Settings settings_;
    const Clock& clock_;
    CenterBook book_;
    std::shared_mutex bookInUse_;  // shared by runCycle and runOcr, exclusive for a reload
    Store store_;
    std::vector<std::unique_ptr<MessageSource>> sources_;
    IntakeProcessor intake_;
    DeadlineWatcher deadlines_;
    OutboxDispatcher outbox_;
    Store ocrStore_;
    OcrWorker ocr_;
};

}  // namespace complaintd::daemon
