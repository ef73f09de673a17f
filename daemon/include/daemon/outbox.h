// Sending what the outbox holds: by SMTP when a server is configured,
// otherwise as .eml files in a folder. A letter is marked sent only after
// the server accepted it (or the file is durably written); a temporary
// failure is retried with a doubling wait, a permanent one (5xx) or one older
// than outbox.give_up_after is marked failed.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>

#include "daemon/clock.h"
#include "daemon/heartbeat.h"
#include "daemon/settings.h"
#include "daemon/store.h"

namespace complaintd::daemon {

class MailSender {
public:
    virtual ~MailSender() = default;
    // Throws TransferError (see curl_session.h) or Error when not delivered.
    virtual void send(const OutboxItem& letter) = 0;
    // Closes what send() kept open (the SMTP connection). The dispatcher calls it after the
    // letters sent were recorded: closing first (QUIT and its answer) would widen the moment
    // in which a crash makes a letter go out twice.
    virtual void endOfBatch() {}
};

// SMTP through libcurl when smtp.url is set, else the outbox folder.
std::unique_ptr<MailSender> makeMailSender(const Settings& settings);

struct DispatchReport {
    int sent = 0;
    int deferred = 0;
    int failed = 0;
};

// The wait before attempt `attempts + 1`: initial, doubled each time, capped.
std::chrono::seconds retryDelay(int attempts, std::chrono::seconds initial, std::chrono::seconds maximum);

class OutboxDispatcher {
public:
    // `progress` is called as each letter is handled (the watchdog's food, heartbeat.h).
    OutboxDispatcher(const Settings& settings, std::unique_ptr<MailSender> sender, Progress progress = {});
    DispatchReport dispatch(Store& store, const Clock& clock, const std::atomic<bool>& stopping);

private:
    void handleFailure(Store& store, const OutboxItem& letter, const std::string& error, bool permanent,
                       cases::Timestamp now, DispatchReport& report);

    const Settings& settings_;
    std::unique_ptr<MailSender> sender_;
    Progress progress_;
};

}  // namespace complaintd::daemon
