#include "daemon/outbox.h"

#include <map>
#include <set>

#include "accepted_journal.h"
#include "center/logging.h"
#include "center/procedure.h"
#include "curl_session.h"

namespace complaintd::daemon {

std::chrono::seconds retryDelay(int attempts, std::chrono::seconds initial, std::chrono::seconds maximum) {
    auto delay = initial;
    for (int i = 0; i < attempts && delay < maximum; ++i) delay *= 2;
    return std::min(delay, maximum);
}

OutboxDispatcher::OutboxDispatcher(const center::Settings& settings, std::unique_ptr<MailSender> sender,
                                   Progress progress)
    : settings_(settings),
      sender_(std::move(sender)),
      progress_(std::move(progress)),
      journal_(std::make_unique<AcceptedJournal>(settings.databasePath + ".accepted")) {}

OutboxDispatcher::~OutboxDispatcher() = default;

DispatchReport OutboxDispatcher::dispatch(center::Store& store, const center::Clock& clock,
                                          const std::atomic<bool>& stopping) {
    constexpr std::size_t kBatch = 100;
    DispatchReport report;
    reconcile(store, clock.now());  // before anything is sent: what the server has is never sent again
    {
        const std::shared_ptr<void> closeAfterwards(nullptr, [this](void*) { sender_->endOfBatch(); });
        for (const auto& letter : store.dueLetters(clock.now(), kBatch)) {
            if (stopping) break;
            if (progress_) progress_();  // the letter before this one was handled (or the query answered)
            if (deliver(store, letter, clock, report) == Next::Stop) break;
        }
    }
    if (journalInUse_) {
        try {
            rewriteJournal();  // every accepted line in it is recorded in the store by now
        } catch (const Error& e) {
            center::moduleLogger("outbox")->warn("{}; the next dispatch finds its letters recorded", e.what());
        }
    }
    return report;
}

// What outlives a dispatch: the interruptions of letters not yet sent.
void OutboxDispatcher::rewriteJournal() {
    std::vector<AcceptedJournal::Entry> keep;
    for (const auto& [id, messageId] : interrupted_)
        keep.push_back({id, messageId, AcceptedJournal::Mark::Interrupted});
    journal_->rewrite(keep);
    journalInUse_ = !keep.empty();
}

// A letter whose sending was cut off twice may be with the complainant twice: a third try could make
// it three times, so staff decide (complaintctl outbox list shows why; outbox release sends it).
void OutboxDispatcher::holdTwiceInterrupted(center::Store& store, cases::Timestamp now) {
    std::map<long long, int> times;
    for (const auto& entry : interrupted_) ++times[entry.first];
    for (const auto& [id, count] : times) {
        if (count < 2) continue;
        if (store.holdLetter(id,
                             "sending interrupted " + std::to_string(count) +
                                 " times (complaintd stopped, or the mail server gave no answer, after the whole "
                                 "letter went: the server may have taken it): check "
                                 "that the complainant does not have it before complaintctl outbox release",
                             now))
            center::moduleLogger("outbox")->warn("outbox={} held: its sending was interrupted {} times", id, count);
        std::erase_if(interrupted_, [id](const auto& entry) { return entry.first == id; });
    }
}

// The letters accepted earlier that the store did not record (it failed, or the process was killed
// in between) are marked sent in one transaction, then the journal is emptied. When the store still
// cannot take them, StoreError: this cycle sends nothing.
void OutboxDispatcher::reconcile(center::Store& store, cases::Timestamp now) {
    std::vector<AcceptedJournal::Entry> accepted;
    try {
        accepted = journal_->entries();
    } catch (const Error& e) {
        throw center::StoreError(std::string(e.what()) + "; no letter is sent until it can be read");
    }
    for (const auto& [id, messageId] : unjournaled_) accepted.push_back({id, messageId});
    std::set<long long> acceptedIds;
    for (const auto& entry : accepted)
        if (entry.mark == AcceptedJournal::Mark::Accepted) acceptedIds.insert(entry.outboxId);
    // The journal as this process found it: its "sending" lines were left by a process killed while
    // sending, its "interrupted" lines by an earlier reconcile. (Later, the "sending" lines are this
    // process's own, settled by now, and interrupted_ holds the rest.)
    const bool foundAtStart = std::exchange(firstReconcile_, false);
    if (foundAtStart)
        for (const auto& entry : accepted)
            if (entry.mark != AcceptedJournal::Mark::Accepted && !acceptedIds.count(entry.outboxId))
                interrupted_.emplace_back(entry.outboxId, entry.messageId);
    const bool journalHadLines = !accepted.empty();
    std::erase_if(accepted, [](const auto& entry) { return entry.mark != AcceptedJournal::Mark::Accepted; });
    std::erase_if(interrupted_, [&](const auto& entry) { return acceptedIds.count(entry.first) > 0; });
    try {
        holdTwiceInterrupted(store, now);
    } catch (const center::StoreError& e) {
        throw center::StoreError(std::string(e.what()) + "; no letter is sent until the store can hold it");
    }
    if (accepted.empty()) {
        if (foundAtStart && journalHadLines) rewriteJournal();  // "sending" lines become "interrupted" ones
        return;
    }
    auto log = center::moduleLogger("outbox");
    int recorded = 0;
    try {
        store.inOneTransaction([&] {
            for (const auto& entry : accepted) {
                if (!center::recordLetterAccepted(store, entry.outboxId, entry.messageId, now)) continue;
                store.bump(center::Counter::LettersSent);
                ++recorded;
            }
        });
    } catch (const center::StoreError& e) {
        throw center::StoreError("the store cannot record the " + std::to_string(accepted.size()) +
                                 " letter(s) the mail server accepted (kept in " + journal_->path() + "): " + e.what() +
                                 "; no letter is sent until it can, none is sent twice");
    }
    for (const auto& entry : accepted)
        log->info("outbox={} status=sent (accepted before, recorded from {})", entry.outboxId, journal_->path());
    log->info("journal of accepted letters reconciled: {} recorded now, {} recorded before", recorded,
              int(accepted.size()) - recorded);
    unjournaled_.clear();
    try {
        rewriteJournal();
    } catch (const Error& e) {
        log->warn("{}; its letters are recorded, the next dispatch finds them so", e.what());
    }
}

OutboxDispatcher::Next OutboxDispatcher::deliver(center::Store& store, const center::OutboxItem& letter,
                                                 const center::Clock& clock, DispatchReport& report) {
    // Synced before the letter's last byte goes to the server: a kill from there to the journal's
    // "accepted" line leaves it behind, and the next process counts the interruption. A journal that
    // cannot be written stops the dispatch before the letter is complete for the server.
    bool lastByteSent = false;
    sender_->setLastByteHook([&] {
        lastByteSent = true;
        try {
            journal_->append({letter.id, letter.messageId, AcceptedJournal::Mark::Sending});
        } catch (const Error& e) {
            throw center::StoreError(std::string(e.what()) + "; the letter was not completed for the server");
        }
        journalInUse_ = true;
    });
    try {
        sender_->send(letter);
    } catch (const TransferError& e) {
        // The whole letter went and no answer to it came back (a timeout, the connection lost; the
        // last code seen is then DATA's 354 or none): the server may have it, as after a kill there.
        // A stall is not one: it is abandoned only while bytes are still unsent.
        // It counts as an interruption: twice, and it is held.
        if (lastByteSent && e.responseCode() < 400 && !e.stalled()) {
            interrupted_.emplace_back(letter.id, letter.messageId);
            center::moduleLogger("outbox")->warn(
                "outbox={}: no answer from the mail server after the whole letter ({}); it may have it: "
                "counted as an interrupted sending",
                letter.id, e.what());
        }
        if (e.scope() == TransferError::Scope::Session) {
            sessionFailed(store, e.what(), clock.now());
            return Next::Stop;
        }
        handleFailure(store, letter, e.what(), e.permanent(), clock.now(), report);
        return e.permanent() ? Next::Continue : Next::Stop;  // a temporary one: try the rest next cycle
    } catch (const center::StoreError&) {
        throw;  // the journal cannot be written: nothing more is sent this cycle
    } catch (const Error& e) {
        handleFailure(store, letter, e.what(), false, clock.now(), report);
        return Next::Continue;
    }
    recordAccepted(store, letter, clock.now());
    std::erase_if(interrupted_, [&](const auto& entry) { return entry.first == letter.id; });
    ++report.sent;
    center::moduleLogger("outbox")->info("{}: outbox={} kind={} status=sent attempts={}", letter.caseNumber, letter.id,
                                         cases::idOf(letter.kind), letter.attempts + 1);
    if (!transportKnownGood_) {
        store.recordSourceSuccess(center::kOutboxTransport, clock.now());
        transportKnownGood_ = true;
    }
    return Next::Continue;
}

// The server has the letter: journaled first, so that a store that cannot take it now (or a crash
// before it does) never makes it go out again. Any failure here stops the dispatch.
void OutboxDispatcher::recordAccepted(center::Store& store, const center::OutboxItem& letter, cases::Timestamp now) {
    auto log = center::moduleLogger("outbox");
    bool journaled = false;
    try {
        journal_->append({letter.id, letter.messageId});
        journaled = journalInUse_ = true;
    } catch (const Error& e) {
        log->error("{}: outbox={} {}; the store is asked directly", letter.caseNumber, letter.id, e.what());
    }
    try {
        store.inOneTransaction([&] {
            center::recordLetterAccepted(store, letter.id, letter.messageId, now);
            store.bump(center::Counter::LettersSent);
        });
    } catch (const center::StoreError& e) {
        if (!journaled) unjournaled_.emplace_back(letter.id, letter.messageId);
        throw center::StoreError(
            letter.caseNumber + ": outbox=" + std::to_string(letter.id) +
            " was accepted by the mail server but the store cannot record it: " + e.what() + "; kept " +
            (journaled ? "in " + journal_->path() : std::string("in memory only (the journal failed too)")) +
            ", it is not sent again; sending stops until the store takes it");
    }
}

// Nothing about the letters: they stay as they are (no attempt counted, none failed), and the
// transport's status says what is wrong until a letter goes out.
void OutboxDispatcher::sessionFailed(center::Store& store, const std::string& error, cases::Timestamp now) {
    center::moduleLogger("outbox")->error(
        "sending stopped: {}; the letters stay queued, none is deferred or failed for it", error);
    transportKnownGood_ = false;
    try {
        store.recordSourceFailure(center::kOutboxTransport, error, now);
    } catch (const center::StoreError&) {
        // The store may be failing too; the log has it, and the next cycle tries again.
    }
}

void OutboxDispatcher::handleFailure(center::Store& store, const center::OutboxItem& letter, const std::string& error,
                                     bool permanent, cases::Timestamp now, DispatchReport& report) {
    auto log = center::moduleLogger("outbox");
    const bool tooOld = now - letter.createdAt >= settings_.giveUpAfter;
    if (permanent || tooOld) {
        store.markFailed(letter.id, error);
        store.bump(center::Counter::LettersFailed);
        ++report.failed;
        log->error("{}: outbox={} kind={} status=failed error=\"{}\"", letter.caseNumber, letter.id,
                   cases::idOf(letter.kind), error);
        return;
    }
    const auto next = now + retryDelay(letter.attempts, settings_.retryInitial, settings_.retryMax);
    store.markDeferred(letter.id, error, next);
    store.bump(center::Counter::LettersDeferred);
    ++report.deferred;
    log->warn("{}: outbox={} kind={} status=deferred next={} error=\"{}\"", letter.caseNumber, letter.id,
              cases::idOf(letter.kind), cases::formatIso8601(next), error);
}

}  // namespace complaintd::daemon
