// Sending what the outbox holds: by SMTP when a server is configured,
// otherwise as .eml files in a folder. A letter is marked sent only after
// the server accepted it (or the file is durably written); a temporary
// failure is retried with a doubling wait, a permanent one (5xx at RCPT TO or
// after DATA) or one older than outbox.give_up_after is marked failed.
//
// Letters go out once: each accepted letter is written to a journal beside the
// database before the store records it (accepted_journal.h), and the journal is
// reconciled into the store before anything else is sent. When the store cannot
// record a letter, sending stops for the cycle, and no later cycle sends before
// the store has taken the journal.
//
// A failure of the session rather than the letter (no connection, TLS, the login,
// the sender refused at MAIL FROM, an unreadable password file) stops the batch
// and leaves every letter as it is: none is deferred or failed for it. It is
// recorded as the transport's status ("outbox" in source_status), which
// complaintctl status shows.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "center/clock.h"
#include "center/settings.h"
#include "center/store.h"
#include "daemon/heartbeat.h"

namespace complaintd::daemon {

class MailSender {
public:
    virtual ~MailSender() = default;
    // Throws TransferError (see curl_session.h) or Error when not delivered.
    virtual void send(const center::OutboxItem& letter) = 0;
    // Closes what send() kept open (the SMTP connection). The dispatcher calls it after the
    // letters sent were recorded: closing first (QUIT and its answer) would widen the moment
    // in which a crash makes a letter go out twice.
    virtual void endOfBatch() {}
    // Called by send() once, right before the letter's last byte is handed over (the end of the
    // SMTP data, the rename into the folder): from then on the server may have it. The dispatcher
    // journals it there (AcceptedJournal's "sending" line); a throw there stops the letter.
    void setLastByteHook(std::function<void()> hook) { lastByte_ = std::move(hook); }

protected:
    std::function<void()> lastByte_;
};

// SMTP through libcurl when smtp.url is set, else the outbox folder.
// `progress` is fed while a letter's bytes move (a long letter on a slow line).
std::unique_ptr<MailSender> makeMailSender(const center::Settings& settings, Progress progress = {});

struct DispatchReport {
    int sent = 0;
    int deferred = 0;
    int failed = 0;
};

// The wait before attempt `attempts + 1`: initial, doubled each time, capped.
std::chrono::seconds retryDelay(int attempts, std::chrono::seconds initial, std::chrono::seconds maximum);

class AcceptedJournal;

class OutboxDispatcher {
public:
    // `progress` is called as each letter is handled (the watchdog's food, heartbeat.h).
    OutboxDispatcher(const center::Settings& settings, std::unique_ptr<MailSender> sender, Progress progress = {});
    ~OutboxDispatcher();

    // Throws StoreError when the store cannot record what the server accepted (the letters stay in
    // the journal, and nothing more is sent until it can).
    DispatchReport dispatch(center::Store& store, const center::Clock& clock, const std::atomic<bool>& stopping);

private:
    enum class Next { Continue, Stop };
    void holdTwiceInterrupted(center::Store& store, cases::Timestamp now);
    void rewriteJournal();
    void reconcile(center::Store& store, cases::Timestamp now);
    Next deliver(center::Store& store, const center::OutboxItem& letter, const center::Clock& clock,
                 DispatchReport& report);
    void recordAccepted(center::Store& store, const center::OutboxItem& letter, cases::Timestamp now);
    void sessionFailed(center::Store& store, const std::string& error, cases::Timestamp now);
    void handleFailure(center::Store& store, const center::OutboxItem& letter, const std::string& error, bool permanent,
                       cases::Timestamp now, DispatchReport& report);

    const center::Settings& settings_;
    std::unique_ptr<MailSender> sender_;
    Progress progress_;
    std::unique_ptr<AcceptedJournal> journal_;
    // Accepted letters neither the journal nor the store could take (the disk read-only): reconciled
    // like the journal's, for as long as this process lives.
    std::vector<std::pair<long long, std::string>> unjournaled_;
    // Letters whose sending a killed process left unfinished, once per interruption: kept in the
    // journal until the letter is recorded sent; at two the letter is held for staff.
    std::vector<std::pair<long long, std::string>> interrupted_;  // outbox id, Message-ID
    bool firstReconcile_ = true;       // the journal as this process found it: its "sending" lines were cut off
    bool journalInUse_ = false;        // lines were appended since it was last emptied
    bool transportKnownGood_ = false;  // its success recorded by this process, no failure since
};

}  // namespace complaintd::daemon
