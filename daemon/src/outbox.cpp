#include "daemon/outbox.h"

#include "curl_session.h"
#include "daemon/logging.h"

namespace complaintd::daemon {

std::chrono::seconds retryDelay(int attempts, std::chrono::seconds initial, std::chrono::seconds maximum) {
    auto delay = initial;
    for (int i = 0; i < attempts && delay < maximum; ++i) delay *= 2;
    return std::min(delay, maximum);
}

OutboxDispatcher::OutboxDispatcher(const Settings& settings, std::unique_ptr<MailSender> sender, Progress progress)
    : settings_(settings), sender_(std::move(sender)), progress_(std::move(progress)) {}

DispatchReport OutboxDispatcher::dispatch(Store& store, const Clock& clock, const std::atomic<bool>& stopping) {
    constexpr std::size_t kBatch = 100;
    DispatchReport report;
    auto log = moduleLogger("outbox");
    const std::shared_ptr<void> closeAfterwards(nullptr, [this](void*) { sender_->endOfBatch(); });
    for (const auto& letter : store.dueLetters(clock.now(), kBatch)) {
        if (stopping) break;
        if (progress_) progress_();  // the letter before this one was handled (or the query answered)
        try {
            sender_->send(letter);
        } catch (const TransferError& e) {
            handleFailure(store, letter, e.what(), e.permanent(), clock.now(), report);
            if (!e.permanent()) break;  // the server is away: try the rest next cycle
            continue;
        } catch (const Error& e) {
            handleFailure(store, letter, e.what(), false, clock.now(), report);
            continue;
        }
        store.markSent(letter.id, clock.now());
        store.bump("letters_sent");
        ++report.sent;
        log->info("{}: outbox={} kind={} status=sent attempts={}", letter.caseNumber, letter.id, letter.kind,
                  letter.attempts + 1);
    }
    return report;
}

void OutboxDispatcher::handleFailure(Store& store, const OutboxItem& letter, const std::string& error, bool permanent,
                                     cases::Timestamp now, DispatchReport& report) {
    auto log = moduleLogger("outbox");
    const bool tooOld = now - letter.createdAt >= settings_.giveUpAfter;
    if (permanent || tooOld) {
        store.markFailed(letter.id, error);
        store.bump("letters_failed");
        ++report.failed;
        log->error("{}: outbox={} kind={} status=failed error=\"{}\"", letter.caseNumber, letter.id, letter.kind,
                   error);
        return;
    }
    const auto next = now + retryDelay(letter.attempts, settings_.retryInitial, settings_.retryMax);
    store.markDeferred(letter.id, error, next);
    store.bump("letters_deferred");
    ++report.deferred;
    log->warn("{}: outbox={} kind={} status=deferred next={} error=\"{}\"", letter.caseNumber, letter.id, letter.kind,
              cases::formatIso8601(next), error);
}

}  // namespace complaintd::daemon
