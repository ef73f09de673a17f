// The Store's outbox: letters queued with their case, due, sent, deferred, failed, held and
// released, the daily notices, and the counts the automatic-letter caps read.
#include <Poco/Data/RecordSet.h>
#include <Poco/Tuple.h>

#include "cases/threading.h"

#include "sql_statements.h"
#include "store_internal.h"

namespace complaintd::center {

using namespace store_detail;
using cases::CaseStatus;

namespace {
using OutboxRow = Poco::Tuple<Int64, Poco::Nullable<std::string>, std::string, std::string, std::string, std::string,
                              std::string, BLOB, Int64, std::string, std::string, Int64, Int64, std::string>;
// Without the bytes (LetterBytes::Omitted) the raw column is an empty BLOB: a list of letters
// reads no letter.
std::string outboxSelect(LetterBytes bytes) {
    return std::string("SELECT o.id, c.number, o.kind, o.envelope_from, o.recipient, o.message_id, o.subject, ") +
           (bytes == LetterBytes::Included ? "o.raw" : "x''") +
           ", o.attempts, o.state, o.last_error, o.created_at, o.next_attempt_at, o.held_reason FROM outbox o "
           "LEFT JOIN cases c ON c.id = o.case_id ";
}

// Only the store writes outbox.kind, from cases::idOf: another value is a broken invariant.
OutboxState storedOutboxState(const std::string& id) {
    if (const auto state = outboxStateFrom(id)) return *state;
    throw StoreInvariantError("outbox holds a letter in unknown state \"" + id + "\"");
}

cases::LetterKind storedLetterKind(const std::string& id) {
    if (const auto kind = cases::letterKindFrom(id)) return *kind;
    throw StoreInvariantError("outbox holds a letter of unknown kind \"" + id + "\"");
}

std::vector<OutboxItem> outboxItems(const std::vector<OutboxRow>& rows) {
    std::vector<OutboxItem> items;
    for (const auto& r : rows)
        items.push_back({r.get<0>(), r.get<1>().isNull() ? std::string() : r.get<1>().value(),
                         storedLetterKind(r.get<2>()), r.get<3>(), r.get<4>(), r.get<5>(), r.get<6>(),
                         fromBlob(r.get<7>()), int(r.get<8>()), storedOutboxState(r.get<9>()), r.get<10>(),
                         fromEpoch(r.get<11>()), fromEpoch(r.get<12>()), r.get<13>()});
    return items;
}
}  // namespace

std::string_view idOf(OutboxState state) {
    switch (state) {
        case OutboxState::Queued:
            return "queued";
        case OutboxState::Sent:
            return "sent";
        case OutboxState::Failed:
            return "failed";
        case OutboxState::Held:
            return "held";
        case OutboxState::Discarded:
            return "discarded";
    }
    return "unknown";
}

std::optional<OutboxState> outboxStateFrom(std::string_view id) {
    for (const auto state :
         {OutboxState::Queued, OutboxState::Sent, OutboxState::Failed, OutboxState::Held, OutboxState::Discarded})
        if (idOf(state) == id) return state;
    return std::nullopt;
}

std::vector<OutboxItem> Store::dueLetters(cases::Timestamp at, std::size_t limit) {
    return guarded([&] {
        std::vector<OutboxRow> rows;
        *session_ << outboxSelect(LetterBytes::Included) +
                         "WHERE o.state = 'queued' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?",
            bind(toEpoch(at)), bind(Int64(limit)), into(rows), now;
        return outboxItems(rows);
    });
}

std::vector<OutboxItem> Store::outbox(LetterBytes bytes) {
    return guarded([&] {
        std::vector<OutboxRow> rows;
        *session_ << outboxSelect(bytes) + "ORDER BY o.id", into(rows), now;
        return outboxItems(rows);
    });
}

auto Store::markAccepted(long long outboxId, const std::string& messageId, cases::Timestamp at)
    -> std::optional<AcceptedLetter> {
    return inTransaction([&] {
        *session_ << "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '' "
                     "WHERE id = ? AND message_id = ? AND state = 'queued'",
            bind(toEpoch(at)), bind(Int64(outboxId)), bind(messageId), now;
        int changed = 0;
        *session_ << "SELECT changes()", into(changed), now;
        if (changed == 0) return std::optional<AcceptedLetter>();
        std::optional<AcceptedLetter> letter;
        sql_->query("SELECT o.kind, c.number FROM outbox o LEFT JOIN cases c ON c.id = o.case_id WHERE o.id = ?",
                    {outboxId}, [&](const SqlRow& row) {
                        letter = AcceptedLetter{storedLetterKind(row.bytes(0)), cases::CaseNumber::parse(row.bytes(1))};
                    });
        return letter;
    });
}

void Store::markDeferred(long long outboxId, const std::string& error, cases::Timestamp nextAttempt) {
    inTransaction([&] {
        *session_ << "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?",
            bind(error), bind(toEpoch(nextAttempt)), bind(Int64(outboxId)), now;
    });
}

void Store::markFailed(long long outboxId, const std::string& error) {
    inTransaction([&] {
        *session_ << "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
            bind(error), bind(Int64(outboxId)), now;
    });
}

bool Store::retryLetter(long long outboxId, const std::string& actor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto caseId = letterCase(outboxId, "failed");
        if (!caseId) return false;
        sql_->execute("UPDATE outbox SET state = 'queued', next_attempt_at = ?, created_at = ? WHERE id = ?",
                      {toEpoch(at), toEpoch(at), outboxId});
        if (*caseId)
            addEvent(*caseId, cases::EventKind::LetterRetried, actor,
                     "failed letter " + std::to_string(outboxId) + " queued again", at);
        return true;
    });
}

std::optional<long long> Store::letterCase(long long outboxId, const std::string& state) {
    std::optional<long long> caseId;
    sql_->query("SELECT coalesce(case_id, 0) FROM outbox WHERE id = ? AND state = ?", {outboxId, state},
                [&](const SqlRow& row) { caseId = row.integer(0); });
    return caseId;
}

bool Store::releaseLetter(long long outboxId, const std::string& actor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto caseId = letterCase(outboxId, "held");
        if (!caseId) return false;
        // Counted from now on, and given outbox.give_up_after from now, like a retried letter.
        sql_->execute(
            "UPDATE outbox SET state = 'queued', next_attempt_at = ?, created_at = ? WHERE id = ? AND state = 'held'",
            {toEpoch(at), toEpoch(at), outboxId});
        if (*caseId)
            addEvent(*caseId, cases::EventKind::LetterReleased, actor,
                     "held letter " + std::to_string(outboxId) + " released", at);
        return true;
    });
}

bool Store::holdLetter(long long outboxId, const std::string& reason, cases::Timestamp at) {
    return inTransaction([&] {
        const auto caseId = letterCase(outboxId, "queued");
        if (!caseId) return false;
        sql_->execute("UPDATE outbox SET state = 'held', held_reason = ? WHERE id = ? AND state = 'queued'",
                      {reason, outboxId});
        if (*caseId)
            addEvent(*caseId, cases::EventKind::LetterHeld, "complaintd",
                     "letter " + std::to_string(outboxId) + " held: " + reason, at);
        return true;
    });
}

bool Store::discardLetter(long long outboxId, const std::string& actor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto caseId = letterCase(outboxId, "held");
        if (!caseId) return false;
        sql_->execute("UPDATE outbox SET state = 'discarded' WHERE id = ? AND state = 'held'", {outboxId});
        if (*caseId)
            addEvent(*caseId, cases::EventKind::LetterDiscarded, actor,
                     "held letter " + std::to_string(outboxId) + " discarded", at);
        return true;
    });
}

void Store::queueLetter(long long id, const QueuedLetter& letter, cases::Timestamp at) {
    sql_->execute(
        "INSERT INTO outbox(case_id, kind, envelope_from, recipient, message_id, subject, raw, "
        "created_at, next_attempt_at, state, held_reason, recipient_key, recipient_domain) "
        "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {id, cases::idOf(letter.kind), letter.envelopeFrom, letter.recipient, letter.messageId, letter.subject,
         BlobView{letter.raw}, toEpoch(at), toEpoch(at), letter.heldReason.empty() ? "queued" : "held",
         letter.heldReason, cases::mailboxKey(letter.recipient), cases::mailboxDomain(letter.recipient)});
}

void Store::queueLetter(const cases::CaseNumber& number, const QueuedLetter& letter, cases::Timestamp at) {
    inTransaction([&] { queueLetter(caseId(number), letter, at); });
}

namespace {
// Automatic letters that went or will go out: held and discarded ones do not count.
constexpr const char* kCountAutomatic =
    "SELECT count(*) FROM outbox WHERE kind IN ('acknowledgement', 'referral') "
    "AND state NOT IN ('held', 'discarded') AND created_at >= ? ";
}  // namespace

int Store::automaticLettersTo(const std::string& recipient, cases::Timestamp since) {
    int count = 0;
    sql_->query(std::string(kCountAutomatic) + "AND recipient_key = ?", {toEpoch(since), cases::mailboxKey(recipient)},
                [&](const SqlRow& row) { count = int(row.integer(0)); });
    return count;
}

int Store::automaticLettersToDomain(const std::string& recipient, cases::Timestamp since) {
    int count = 0;
    sql_->query(std::string(kCountAutomatic) + "AND recipient_domain = ?",
                {toEpoch(since), cases::mailboxDomain(recipient)},
                [&](const SqlRow& row) { count = int(row.integer(0)); });
    return count;
}

int Store::automaticLettersSince(cases::Timestamp since) {
    int count = 0;
    sql_->query(kCountAutomatic, {toEpoch(since)}, [&](const SqlRow& row) { count = int(row.integer(0)); });
    return count;
}

bool Store::queueNoticeOnce(const cases::CaseNumber& number, cases::LetterKind letterKind, int threshold,
                            const std::optional<QueuedLetter>& letter, cases::Timestamp at) {
    const std::string kind(cases::idOf(letterKind));  // the notice and its history line are named by it
    const auto event = cases::noticeEventOf(letterKind);
    if (!event) throw std::logic_error(std::string("not a notice letter: ") + kind);
    return inTransaction([&] {
        const auto id = caseId(number);
        Statement insert(*session_);
        insert << "INSERT OR IGNORE INTO notices(case_id, kind, threshold, created_at) VALUES(?, ?, ?, ?)",
            bind(Int64(id)), bind(kind), bind(threshold), bind(toEpoch(at));
        if (insert.execute() == 0) return false;
        if (!letter) return true;
        queueLetter(id, *letter, at);
        addEvent(id, *event, "complaintd", "queued (threshold " + std::to_string(threshold) + ")", at);
        return true;
    });
}

}  // namespace complaintd::center
