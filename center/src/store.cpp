#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Tuple.h>

#include "schema_steps.h"
#include "sql_statements.h"
#include "store_internal.h"

namespace complaintd::center {

using namespace store_detail;

Store::Store(const std::string& path) : path_(path) {
    try {
        Poco::Data::SQLite::Connector::registerConnector();
        session_ = std::make_unique<Poco::Data::Session>("SQLite", path);
        // WAL lets complaintctl read while the daemon writes; FULL sync makes a
        // commit durable before the source is told to move the message.
        *session_ << "PRAGMA busy_timeout = 10000", now;
        *session_ << "PRAGMA journal_mode = WAL", now;
        *session_ << "PRAGMA synchronous = FULL", now;
        *session_ << "PRAGMA foreign_keys = ON", now;
        migrate();
        sql_ = std::make_unique<StatementCache>(Poco::Data::SQLite::Utility::dbHandle(*session_), path);
    } catch (const Poco::Exception& e) {
        throw StoreError("cannot open the database " + path + ": " + e.displayText());
    }
}

Store::~Store() { sql_.reset(); }

// Takes the file forward from its user_version one frozen step at a time, each in its own transaction.
void Store::migrate() {
    int version = 0;
    *session_ << "PRAGMA user_version", into(version), now;
    const int current = schema::currentVersion();
    if (version > current)
        throw StoreError(path_ + " was written by a newer complaintd (schema " + std::to_string(version) +
                         ", this one knows up to " + std::to_string(current) + ")");
    for (const auto& step : schema::steps()) {
        if (step.version <= version) continue;
        // A step the file refuses (a development file, a hand-edited one) stops the start-up with the
        // step named, as a problem for the administrator rather than a bug to restart on.
        try {
            inTransaction([&] { schema::apply(*session_, step); });
        } catch (const std::exception& e) {
            throw StoreError("cannot upgrade " + path_ + " from schema " + std::to_string(step.version - 1) + " to " +
                             std::to_string(step.version) + " (the file is left at " +
                             std::to_string(step.version - 1) + "): " + e.what());
        }
    }
}

void Store::inOneTransaction(const std::function<void()>& work) { inTransaction(work); }

void Store::inSavepoint(const std::function<void()>& work) {
    if (transactionDepth_ == 0) throw std::logic_error("Store::inSavepoint outside inOneTransaction");
    sql_->execute("SAVEPOINT one_item", {});
    try {
        guarded(work);
    } catch (const StoreError&) {
        throw;  // the batch is lost: the caller's transaction rolls it back
    } catch (...) {
        // RAISE(ROLLBACK) or ON CONFLICT ROLLBACK end the whole transaction: the other items went with it.
        if (sqlite3_get_autocommit(Poco::Data::SQLite::Utility::dbHandle(*session_)))
            throw StoreError(path_ + ": the database rolled back the whole batch");
        sql_->execute("ROLLBACK TO one_item", {});
        sql_->execute("RELEASE one_item", {});
        throw;
    }
    sql_->execute("RELEASE one_item", {});
}

void Store::throwTranslated(const Poco::Exception& e) const {
    namespace sqlite = Poco::Data::SQLite;
    const std::string what = path_ + ": " + e.displayText();
    // Poco names the primary result code by the exception's class; its base class alone (an
    // extended code Poco does not name) is judged by the connection's last result code.
    if (dynamic_cast<const sqlite::DatabaseFullException*>(&e) || dynamic_cast<const sqlite::ReadOnlyException*>(&e) ||
        dynamic_cast<const sqlite::DBLockedException*>(&e) || dynamic_cast<const sqlite::TableLockedException*>(&e) ||
        dynamic_cast<const sqlite::IOErrorException*>(&e) || dynamic_cast<const sqlite::CantOpenDBFileException*>(&e) ||
        dynamic_cast<const sqlite::CorruptImageException*>(&e) || dynamic_cast<const sqlite::NoMemoryException*>(&e) ||
        dynamic_cast<const sqlite::DBAccessDeniedException*>(&e) ||
        dynamic_cast<const sqlite::LockProtocolException*>(&e) ||
        dynamic_cast<const sqlite::OSFeaturesMissingException*>(&e) ||
        dynamic_cast<const sqlite::InterruptException*>(&e))
        throw StoreError(what);
    if (typeid(e) == typeid(sqlite::SQLiteException))
        throwStoreFailure(sqlite3_extended_errcode(sqlite::Utility::dbHandle(*session_)), what);
    throw StoreInvariantError(what);
}

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

std::vector<OutboxItem> outboxItems(const std::vector<OutboxRow>& rows) {
    std::vector<OutboxItem> items;
    for (const auto& r : rows)
        items.push_back({r.get<0>(), r.get<1>().isNull() ? std::string() : r.get<1>().value(), r.get<2>(), r.get<3>(),
                         r.get<4>(), r.get<5>(), r.get<6>(), fromBlob(r.get<7>()), int(r.get<8>()), r.get<9>(),
                         r.get<10>(), fromEpoch(r.get<11>()), fromEpoch(r.get<12>()), r.get<13>()});
    return items;
}
}  // namespace

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

void Store::markSent(long long outboxId, cases::Timestamp at) {
    inTransaction([&] {
        *session_ << "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '' "
                     "WHERE id = ?",
            bind(toEpoch(at)), bind(Int64(outboxId)), now;
        replyLetterSent(outboxId, at);
    });
}

bool Store::markAccepted(long long outboxId, const std::string& messageId, cases::Timestamp at) {
    return inTransaction([&] {
        *session_ << "UPDATE outbox SET state = 'sent', attempts = attempts + 1, sent_at = ?, last_error = '' "
                     "WHERE id = ? AND message_id = ? AND state = 'queued'",
            bind(toEpoch(at)), bind(Int64(outboxId)), bind(messageId), now;
        int changed = 0;
        *session_ << "SELECT changes()", into(changed), now;
        if (changed > 0) replyLetterSent(outboxId, at);
        return changed > 0;
    });
}

// The formal reply (函復) has gone out: the case is replied.
void Store::replyLetterSent(long long outboxId, cases::Timestamp at) {
    std::vector<Poco::Tuple<Int64, std::string>> signedOff;
    *session_ << "SELECT o.case_id, c.number FROM outbox o JOIN cases c ON c.id = o.case_id "
                 "WHERE o.id = ? AND o.kind = 'reply' AND c.status = 'signed-off'",
        bind(Int64(outboxId)), into(signedOff), now;
    for (const auto& row : signedOff)
        setStatus(row.get<0>(), cases::CaseNumber::parse(row.get<1>()).value(),
                  {cases::CaseStatus::Replied, "complaintd", "reply letter accepted by the mail server", at});
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

void Store::bump(const std::string& counter, long long by) {
    inTransaction([&] {
        sql_->execute(
            "INSERT INTO counters(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = value + "
            "excluded.value",
            {counter, by});
    });
}

void Store::recordSourceSuccess(const std::string& source, cases::Timestamp at) {
    inTransaction([&] {
        *session_ << "INSERT INTO source_status(name, last_success, failures) VALUES(?, ?, 0) "
                     "ON CONFLICT(name) DO UPDATE SET last_success = excluded.last_success, failures = 0",
            bind(source), bind(toEpoch(at)), now;
    });
}

void Store::recordSourceFailure(const std::string& source, const std::string& error, cases::Timestamp at) {
    inTransaction([&] {
        *session_ << "INSERT INTO source_status(name, last_error, last_error_at, failures) VALUES(?, ?, ?, 1) "
                     "ON CONFLICT(name) DO UPDATE SET last_error = excluded.last_error, "
                     "last_error_at = excluded.last_error_at, failures = failures + 1",
            bind(source), bind(error), bind(toEpoch(at)), now;
    });
}

std::vector<SourceStatus> Store::sourceStatuses() {
    return guarded([&] {
        Statement select(*session_);
        select << "SELECT name, last_success, last_error, last_error_at, failures FROM source_status ORDER BY name";
        select.execute();
        Poco::Data::RecordSet rs(select);
        std::vector<SourceStatus> list;
        for (bool more = rs.moveFirst(); more; more = rs.moveNext()) {
            SourceStatus status;
            status.name = rs["name"].convert<std::string>();
            if (!rs["last_success"].isEmpty()) status.lastSuccess = fromEpoch(rs["last_success"].convert<Int64>());
            status.lastError = rs["last_error"].convert<std::string>();
            if (!rs["last_error_at"].isEmpty()) status.lastErrorAt = fromEpoch(rs["last_error_at"].convert<Int64>());
            status.failures = rs["failures"].convert<int>();
            list.push_back(std::move(status));
        }
        return list;
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

bool Store::retryLetter(long long outboxId, const std::string& actor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto caseId = letterCase(outboxId, "failed");
        if (!caseId) return false;
        sql_->execute("UPDATE outbox SET state = 'queued', next_attempt_at = ?, created_at = ? WHERE id = ?",
                      {toEpoch(at), toEpoch(at), outboxId});
        if (*caseId)
            addEvent(*caseId, "letter-retried", actor, "failed letter " + std::to_string(outboxId) + " queued again",
                     at);
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
            addEvent(*caseId, "letter-released", actor, "held letter " + std::to_string(outboxId) + " released", at);
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
            addEvent(*caseId, "letter-held", "complaintd", "letter " + std::to_string(outboxId) + " held: " + reason,
                     at);
        return true;
    });
}

bool Store::discardLetter(long long outboxId, const std::string& actor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto caseId = letterCase(outboxId, "held");
        if (!caseId) return false;
        sql_->execute("UPDATE outbox SET state = 'discarded' WHERE id = ? AND state = 'held'", {outboxId});
        if (*caseId)
            addEvent(*caseId, "letter-discarded", actor, "held letter " + std::to_string(outboxId) + " discarded", at);
        return true;
    });
}

std::vector<std::pair<std::string, long long>> Store::counters() {
    return guarded([&] {
        std::vector<Poco::Tuple<std::string, Int64>> rows;
        *session_ << "SELECT name, value FROM counters ORDER BY name", into(rows), now;
        std::vector<std::pair<std::string, long long>> list;
        for (const auto& r : rows) list.emplace_back(r.get<0>(), r.get<1>());
        return list;
    });
}

}  // namespace complaintd::center
