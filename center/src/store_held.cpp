// The Store's held mail: automated messages, bounces of our letters and spam, kept with the
// raw bytes for staff, their history, and their release as cases.
#include <Poco/Data/RecordSet.h>
#include <Poco/Tuple.h>

#include "sql_statements.h"
#include "store_internal.h"

namespace complaintd::center {

using namespace store_detail;
using cases::CaseStatus;

namespace {

void insertHeld(StatementCache& sql, long long messageRowId, const HeldNote& note, std::optional<long long> caseId,
                cases::Timestamp at) {
    sql.execute(
        "INSERT OR IGNORE INTO held_messages(message_row, kind, reason, sender, subject, confidential, held_at, "
        "case_id) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
        {messageRowId, note.kind, note.reason, note.sender, note.subject, (long long)note.confidential, toEpoch(at),
         caseId ? SqlValue(*caseId) : SqlValue()});
}

}  // namespace

void Store::recordAutomated(long long messageRowId, const HeldNote& note,
                            const std::optional<cases::CaseNumber>& number, cases::Timestamp at) {
    inTransaction([&] {
        *session_ << "UPDATE messages SET state = 'processed', reason = ? WHERE id = ?",
            bind("automated: " + note.reason), bind(Int64(messageRowId)), now;
        std::optional<long long> id;
        if (number) {
            id = caseId(*number);
            *session_ << "INSERT INTO case_messages(message_row, case_id, kind) VALUES(?, ?, 'automated')",
                bind(Int64(messageRowId)), bind(Int64(*id)), now;
            addEvent(*id, cases::EventKind::AutomaticReply, "complaintd",
                     "message " + std::to_string(messageRowId) + ": " + note.reason, at);
        }
        insertHeld(*sql_, messageRowId, note, id, at);
    });
}

std::optional<cases::CaseNumber> Store::recordBounce(long long messageRowId, const std::vector<std::string>& letterIds,
                                                     const HeldNote& note, cases::Timestamp at) {
    return inTransaction([&] {
        const auto& reason = note.reason;
        *session_ << "UPDATE messages SET state = 'processed', reason = ? WHERE id = ?", bind("bounce: " + reason),
            bind(Int64(messageRowId)), now;
        for (const auto& letterId : letterIds) {
            std::vector<Poco::Tuple<Int64, Int64, std::string, std::string>> rows;
            // A letter that was never sent (held, discarded) cannot bounce: such a "bounce" is forged.
            *session_ << "SELECT o.id, o.case_id, o.kind, c.number FROM outbox o JOIN cases c ON c.id = o.case_id "
                         "WHERE o.message_id = ? AND o.state NOT IN ('held', 'discarded')",
                bind(letterId), into(rows), now;
            if (rows.empty()) continue;
            const Int64 outboxId = rows.front().get<0>();
            const Int64 id = rows.front().get<1>();
            const std::string kind = rows.front().get<2>();
            const std::string number = rows.front().get<3>();
            *session_ << "UPDATE outbox SET state = 'failed', last_error = ? WHERE id = ?", bind("bounced: " + reason),
                bind(outboxId), now;
            *session_ << "UPDATE cases SET delivery_failed = 1 WHERE id = ?", bind(id), now;
            *session_ << "INSERT OR IGNORE INTO case_messages(message_row, case_id, kind) VALUES(?, ?, 'bounce')",
                bind(Int64(messageRowId)), bind(id), now;
            addEvent(id, cases::EventKind::DeliveryFailed, "complaintd",
                     "the " + kind + " letter bounced (" + reason + "): reply by post or phone", at);
            insertHeld(*sql_, messageRowId, note, id, at);
            return cases::CaseNumber::parse(number);
        }
        insertHeld(*sql_, messageRowId, note, std::nullopt, at);
        return std::optional<cases::CaseNumber>();
    });
}

void Store::holdSpam(long long messageRowId, const HeldNote& note, cases::Timestamp at) {
    inTransaction([&] {
        sql_->execute("UPDATE messages SET state = 'processed', reason = ? WHERE id = ?",
                      {"spam: " + note.reason, messageRowId});
        insertHeld(*sql_, messageRowId, note, std::nullopt, at);
    });
}

namespace {
constexpr const char* kHeldSelect =
    "SELECT h.message_row, h.kind, h.reason, h.sender, h.subject, m.received_at, h.held_at, coalesce(c.number, ''), "
    "coalesce(r.number, ''), h.released_by, h.released_at IS NOT NULL, coalesce(h.released_at, 0), "
    "coalesce(c.confidential, 0), h.confidential "
    "FROM held_messages h JOIN messages m ON m.id = h.message_row LEFT JOIN cases c ON c.id = h.case_id "
    "LEFT JOIN cases r ON r.id = h.released_case_id ";

HeldMessage heldFrom(const SqlRow& row) {
    HeldMessage held;
    held.id = row.integer(0);
    held.note = {row.bytes(1), row.bytes(2), row.bytes(3), row.bytes(4)};
    held.receivedAt = fromEpoch(row.integer(5));
    held.heldAt = fromEpoch(row.integer(6));
    held.linkedCase = row.bytes(7);
    held.releasedCase = row.bytes(8);
    held.releasedBy = row.bytes(9);
    if (row.integer(10)) held.releasedAt = fromEpoch(row.integer(11));
    held.linkedConfidential = row.integer(12) != 0;
    held.note.confidential = row.integer(13) != 0;
    return held;
}
}  // namespace

std::vector<HeldMessage> Store::heldMessages(HeldList list) {
    return guarded([&] {
        std::vector<HeldMessage> held;
        sql_->query(std::string(kHeldSelect) + "WHERE (h.kind = 'spam') = ? ORDER BY h.message_row",
                    {(long long)(list == HeldList::Spam)}, [&](const SqlRow& row) { held.push_back(heldFrom(row)); });
        return held;
    });
}

std::optional<HeldMessage> Store::heldMessage(long long messageRowId) {
    return guarded([&] {
        std::optional<HeldMessage> held;
        sql_->query(std::string(kHeldSelect) + "WHERE h.message_row = ?", {messageRowId},
                    [&](const SqlRow& row) { held = heldFrom(row); });
        return held;
    });
}

void Store::auditMessage(long long messageRowId, cases::EventKind kind, const std::string& actor,
                         const std::string& note, cases::Timestamp at) {
    inTransaction([&] {
        sql_->execute("INSERT INTO message_events(message_row, at, actor, kind, note) VALUES(?, ?, ?, ?, ?)",
                      {messageRowId, toEpoch(at), actor, cases::idOf(kind), note});
    });
}

std::vector<cases::CaseEvent> Store::messageHistory(long long messageRowId) {
    return guarded([&] {
        std::vector<cases::CaseEvent> events;
        sql_->query("SELECT at, actor, kind, note FROM message_events WHERE message_row = ? ORDER BY id",
                    {messageRowId}, [&](const SqlRow& row) {
                        events.push_back({fromEpoch(row.integer(0)), row.bytes(1), storedEventKind(row.bytes(2)), "",
                                          "", row.bytes(3)});
                    });
        return events;
    });
}

cases::CaseNumber Store::releaseHeld(long long messageRowId, const CaseDraft& draft, cases::Timestamp at) {
    return inTransaction([&] {
        const auto held = heldMessage(messageRowId);
        if (!held) throw NotFoundError("message " + std::to_string(messageRowId) + " is not held");
        if (!held->releasedCase.empty())
            throw InvalidRequestError("message " + std::to_string(messageRowId) + " was released as " +
                                      held->releasedCase + " by " + held->releasedBy);
        // The link to the case it threaded to (or whose letter bounced) stays in held_messages.case_id.
        sql_->execute("DELETE FROM case_messages WHERE message_row = ?", {messageRowId});
        const auto number = openCase(
            draft, [](const cases::CaseNumber&) { return std::optional<QueuedLetter>(); }, at);
        const auto id = caseId(number);
        sql_->execute(
            "UPDATE held_messages SET released_case_id = ?, released_by = ?, released_at = ? "
            "WHERE message_row = ?",
            {id, draft.actor, toEpoch(at), messageRowId});
        addEvent(id, cases::EventKind::Released, draft.actor,
                 "from message " + std::to_string(messageRowId) + ", held as " + held->note.kind + " (" +
                     held->note.reason + ")",
                 at);
        auditMessage(messageRowId, cases::EventKind::Released, draft.actor, "as case " + number.toString(), at);
        return number;
    });
}

}  // namespace complaintd::center
