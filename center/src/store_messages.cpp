// The Store's message side: raw mail stored once per mailbox identity and content, the
// messages waiting for intake, the quarantine.
#include <Poco/Data/RecordSet.h>
#include <Poco/Tuple.h>

#include "sql_statements.h"
#include "store_internal.h"

namespace complaintd::center {

using namespace store_detail;
using cases::CaseStatus;

std::vector<StoreOutcome> Store::storeIncoming(const std::vector<IncomingMessage>& messages) {
    std::vector<StoreOutcome> outcomes;
    inTransaction([&] {
        for (const auto& message : messages) outcomes.push_back(storeIncoming(message));
    });
    return outcomes;
}

StoreOutcome Store::storeIncoming(const IncomingMessage& m) {
    return inTransaction([&] {
        const std::string sha256 = sha256Hex(m.raw);
        const std::string channel(cases::idOf(m.channel));
        const SqlValue messageId = m.messageId.empty() ? SqlValue() : SqlValue(m.messageId);
        // The same bytes again (or the same mailbox UID) are a re-fetch and ignored. Other bytes under
        // a Message-ID seen before are a message of their own that points to the first one.
        const auto inserted = sql_->execute(
            "INSERT OR IGNORE INTO messages(source, mailbox, uidvalidity, uid, message_id, sha256, size, "
            "channel, received_at, duplicate_of) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT min(id) FROM messages WHERE message_id = ?))",
            {m.origin.source, m.origin.mailbox, optionalNumber(m.origin.uidValidity), optionalNumber(m.origin.uid),
             messageId, sha256, (long long)m.raw.size(), channel, toEpoch(m.receivedAt), messageId});
        if (!inserted) return StoreOutcome::Duplicate;
        const long long row = sql_->lastInsertRowId();
        sql_->execute("INSERT INTO message_raw(message_row, raw) VALUES(?, zeroblob(?))",
                      {row, (long long)m.raw.size()});
        sql_->writeBlob("message_raw", "raw", row, m.raw);
        if (!m.quarantineReason.empty())
            sql_->execute("UPDATE messages SET state = 'quarantined', reason = ? WHERE id = ?",
                          {m.quarantineReason, row});
        return StoreOutcome::Stored;
    });
}

bool Store::isKnown(const MessageOrigin& origin) {
    bool known = false;
    sql_->query("SELECT 1 FROM messages WHERE source = ? AND mailbox = ? AND uidvalidity = ? AND uid = ?",
                {origin.source, origin.mailbox, optionalNumber(origin.uidValidity), optionalNumber(origin.uid)},
                [&](const SqlRow&) { known = true; });
    return known;
}

std::optional<unsigned long> Store::uidValidity(const std::string& source, const std::string& mailbox) {
    return guarded([&] {
        Poco::Nullable<Int64> value;
        *session_ << "SELECT uidvalidity FROM mailboxes WHERE source = ? AND mailbox = ?", bind(source), bind(mailbox),
            into(value), now;
        if (value.isNull()) return std::optional<unsigned long>();
        return std::optional<unsigned long>(static_cast<unsigned long>(value.value()));
    });
}

void Store::rememberUidValidity(const std::string& source, const std::string& mailbox, unsigned long uidValidity) {
    inTransaction([&] {
        *session_ << "INSERT INTO mailboxes(source, mailbox, uidvalidity) VALUES(?, ?, ?) "
                     "ON CONFLICT(source, mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity",
            bind(source), bind(mailbox), bind(Int64(uidValidity)), now;
    });
}

std::vector<StoredMessage> Store::pendingMessages(std::size_t limit) {
    return guarded([&] {
        std::vector<Poco::Tuple<Int64, BLOB, std::string, Int64>> rows;
        *session_ << "SELECT m.id, r.raw, m.channel, m.received_at FROM messages m JOIN message_raw r ON "
                     "r.message_row = m.id WHERE m.state = 'new' ORDER BY m.id LIMIT ?",
            bind(Int64(limit)), into(rows), now;
        std::vector<StoredMessage> messages;
        for (const auto& row : rows)
            messages.push_back({row.get<0>(), fromBlob(row.get<1>()),
                                cases::channelFrom(row.get<2>()).value_or(cases::Channel::Email),
                                fromEpoch(row.get<3>())});
        return messages;
    });
}

std::vector<long long> Store::pendingMessageIds(std::size_t limit) {
    return guarded([&] {
        std::vector<Int64> ids;
        *session_ << "SELECT id FROM messages WHERE state = 'new' ORDER BY id LIMIT ?", bind(Int64(limit)), into(ids),
            now;
        return std::vector<long long>(ids.begin(), ids.end());
    });
}

void Store::quarantine(long long messageRowId, const std::string& reason) {
    inTransaction([&] {
        *session_ << "UPDATE messages SET state = 'quarantined', reason = ? WHERE id = ?", bind(reason),
            bind(Int64(messageRowId)), now;
    });
}

std::vector<QuarantineEntry> Store::quarantined() {
    return guarded([&] {
        std::vector<Poco::Tuple<Int64, std::string, std::string, Int64, Int64, std::string>> rows;
        *session_ << "SELECT id, source, mailbox, received_at, size, reason FROM messages WHERE state = 'quarantined' "
                     "ORDER BY id",
            into(rows), now;
        std::vector<QuarantineEntry> entries;
        for (const auto& r : rows)
            entries.push_back(
                {r.get<0>(), r.get<1>(), r.get<2>(), fromEpoch(r.get<3>()), std::size_t(r.get<4>()), r.get<5>()});
        return entries;
    });
}

std::optional<StoredMessage> Store::message(long long messageRowId) {
    std::optional<StoredMessage> message;
    sql_->query("SELECT id, channel, received_at, duplicate_of IS NOT NULL FROM messages WHERE id = ?", {messageRowId},
                [&](const SqlRow& row) {
                    message = StoredMessage{row.integer(0), "",
                                            cases::channelFrom(row.bytes(1)).value_or(cases::Channel::Email),
                                            fromEpoch(row.integer(2)), row.integer(3) != 0};
                });
    // The raw bytes are copied once, piece by piece from SQLite into the string.
    if (message) message->raw = sql_->readBlob("message_raw", "raw", messageRowId);
    return message;
}

std::vector<CaseMessage> Store::caseMessages(const cases::CaseNumber& number) {
    std::vector<CaseMessage> found;
    sql_->query(
        "SELECT m.id, cm.kind, cm.flagged, m.channel, m.received_at FROM case_messages cm "
        "JOIN messages m ON m.id = cm.message_row JOIN cases c ON c.id = cm.case_id "
        "WHERE c.number = ? ORDER BY m.received_at, m.id",
        {number.toString()}, [&](const SqlRow& row) {
            found.push_back({row.integer(0), row.bytes(1), row.integer(2) != 0,
                             cases::channelFrom(row.bytes(3)).value_or(cases::Channel::Email),
                             fromEpoch(row.integer(4))});
        });
    return found;
}

std::optional<MessagePlace> Store::messagePlace(long long messageRowId) {
    std::optional<MessagePlace> place;
    sql_->query(
        "SELECT m.state, m.reason, c.number, l.kind FROM messages m LEFT JOIN case_messages l ON l.message_row = m.id "
        "LEFT JOIN cases c ON c.id = l.case_id WHERE m.id = ?",
        {messageRowId}, [&](const SqlRow& row) {
            place = MessagePlace{row.bytes(0), row.bytes(1), cases::CaseNumber::parse(row.bytes(2)), row.bytes(3)};
        });
    return place;
}

bool Store::retryQuarantined(long long messageRowId) {
    return inTransaction([&] {
        Statement update(*session_);
        update << "UPDATE messages SET state = 'new', reason = '' WHERE id = ? AND state = 'quarantined'",
            bind(Int64(messageRowId));
        return update.execute() > 0;
    });
}

}  // namespace complaintd::center
