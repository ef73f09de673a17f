#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Tuple.h>

#include "cases/threading.h"
#include "sql_statements.h"
#include "store_internal.h"

namespace complaintd::daemon {

using namespace store_detail;

namespace {

// Bumped with each schema change; migrate() takes older files forward, one step at a time.
constexpr int kSchemaVersion = 8;

// Version 1: messages, cases, events, attachments, outbox, mailboxes, counters.
const std::vector<const char*> kSchemaV1 = {
    R"(CREATE TABLE IF NOT EXISTS messages(
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uidvalidity INTEGER,
        uid INTEGER,
        message_id TEXT,
        sha256 TEXT NOT NULL,
        raw BLOB NOT NULL,
        size INTEGER NOT NULL,
        channel TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'processed', 'quarantined')),
        reason TEXT NOT NULL DEFAULT '',
        UNIQUE (source, mailbox, uidvalidity, uid)))",
    "CREATE UNIQUE INDEX IF NOT EXISTS messages_by_message_id ON messages(message_id) WHERE message_id IS NOT NULL",
    "CREATE UNIQUE INDEX IF NOT EXISTS messages_by_sha256 ON messages(sha256)",
    "CREATE INDEX IF NOT EXISTS messages_by_state ON messages(state)",
    R"(CREATE TABLE IF NOT EXISTS cases(
        id INTEGER PRIMARY KEY,
        roc_year INTEGER NOT NULL,
        sequence INTEGER NOT NULL,
        number TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        complainant_name TEXT NOT NULL,
        complainant_email TEXT NOT NULL,
        subject TEXT NOT NULL,
        summary TEXT NOT NULL,
        category TEXT NOT NULL,
        unit TEXT NOT NULL,
        status TEXT NOT NULL,
        rule TEXT NOT NULL,
        keywords TEXT NOT NULL,
        defects TEXT NOT NULL,
        message_row INTEGER UNIQUE REFERENCES messages(id),
        UNIQUE (roc_year, sequence)))",
    R"(CREATE TABLE IF NOT EXISTS case_events(
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        from_unit TEXT NOT NULL,
        to_unit TEXT NOT NULL,
        note TEXT NOT NULL))",
    R"(CREATE TABLE IF NOT EXISTS attachments(
        id INTEGER PRIMARY KEY,
        message_row INTEGER NOT NULL REFERENCES messages(id),
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL))",
    R"(CREATE TABLE IF NOT EXISTS outbox(
        id INTEGER PRIMARY KEY,
        case_id INTEGER REFERENCES cases(id),
        kind TEXT NOT NULL,
        envelope_from TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        raw BLOB NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        sent_at INTEGER))",
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_at)",
    R"(CREATE TABLE IF NOT EXISTS mailboxes(
        source TEXT NOT NULL,
        mailbox TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        PRIMARY KEY (source, mailbox)))",
    "CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL)",
};

// Version 2: the procedure's case record (附表一), deadlines, sign-off, follow-ups, notices.
const std::vector<const char*> kSchemaV2 = {
    "ALTER TABLE cases ADD COLUMN phone TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN fax TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN address TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN organisation TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN confidential INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cases ADD COLUMN receipt_reference TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN target_due TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN legal_due TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN handler TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN reply_text TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN supervisor TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN supervisor_at INTEGER",
    "ALTER TABLE cases ADD COLUMN approver TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN approver_at INTEGER",
    "ALTER TABLE cases ADD COLUMN closed_at INTEGER",
    "ALTER TABLE cases ADD COLUMN suggestions TEXT NOT NULL DEFAULT '[]'",
    "ALTER TABLE cases ADD COLUMN needs_review INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE cases ADD COLUMN referral TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN filed_reason INTEGER",
    "ALTER TABLE cases ADD COLUMN delay_reason TEXT NOT NULL DEFAULT ''",
    R"(CREATE TABLE case_messages(
        message_row INTEGER PRIMARY KEY REFERENCES messages(id),
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL,
        flagged INTEGER NOT NULL DEFAULT 0))",
    "INSERT INTO case_messages(message_row, case_id, kind) "
    "SELECT message_row, id, 'complaint' FROM cases WHERE message_row IS NOT NULL",
    R"(CREATE TABLE notices(
        case_id INTEGER NOT NULL REFERENCES cases(id),
        kind TEXT NOT NULL,
        threshold INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (case_id, kind, threshold)))",
};

// Version 3: mail safety (bounced letters, automated messages).
const std::vector<const char*> kSchemaV3 = {
    "ALTER TABLE cases ADD COLUMN delivery_failed INTEGER NOT NULL DEFAULT 0",
    "CREATE INDEX outbox_by_recipient ON outbox(recipient, created_at)",
};

// Version 4: each source's last success and error, for status and backoff.
const std::vector<const char*> kSchemaV4 = {
    R"(CREATE TABLE IF NOT EXISTS source_status(
        name TEXT PRIMARY KEY,
        last_success INTEGER,
        last_error TEXT NOT NULL DEFAULT '',
        last_error_at INTEGER,
        failures INTEGER NOT NULL DEFAULT 0))",
};

// Version 5: faxes (reply route, OCR jobs and text) and returned surveys.
const std::vector<const char*> kSchemaV5 = {
    "ALTER TABLE cases ADD COLUMN reply_route TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE cases ADD COLUMN ocr_text TEXT NOT NULL DEFAULT ''",
    R"(CREATE TABLE IF NOT EXISTS ocr_jobs(
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        message_row INTEGER NOT NULL REFERENCES messages(id),
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        confidence INTEGER,
        pages TEXT NOT NULL DEFAULT '[]',
        last_error TEXT NOT NULL DEFAULT '',
        updated_at INTEGER))",
    R"(CREATE TABLE IF NOT EXISTS surveys(
        case_id INTEGER PRIMARY KEY REFERENCES cases(id),
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        answers TEXT NOT NULL,
        raw_text TEXT NOT NULL DEFAULT '',
        at INTEGER NOT NULL))",
};

// The raw bytes in a table of their own: a state change of a message no longer rewrites
// megabytes of BLOB into the WAL. And indexes for the lookups intake makes per message.
const std::vector<const char*> kSchemaV6 = {
    R"(CREATE TABLE IF NOT EXISTS message_raw(
        message_row INTEGER PRIMARY KEY REFERENCES messages(id),
        raw BLOB NOT NULL))",
    "INSERT INTO message_raw(message_row, raw) SELECT id, raw FROM messages",
    "ALTER TABLE messages DROP COLUMN raw",
    "DROP INDEX IF EXISTS outbox_by_recipient",
    "CREATE INDEX IF NOT EXISTS outbox_by_lower_recipient ON outbox(lower(recipient), created_at)",
    "CREATE INDEX IF NOT EXISTS cases_by_lower_email ON cases(lower(complainant_email))",
    "CREATE INDEX IF NOT EXISTS cases_by_name_phone ON cases(complainant_name, phone)",
};

// Version 7: automatic letters held for staff (a cap reached, an unauthenticated sender) with
// the reason, and the mailbox and domain each letter is counted under (cases::mailboxKey).
// SQLite cannot widen a CHECK: the table is rebuilt with the columns it has at version 6.
const std::vector<const char*> kSchemaV7 = {
    R"(CREATE TABLE outbox_v7(
        id INTEGER PRIMARY KEY,
        case_id INTEGER REFERENCES cases(id),
        kind TEXT NOT NULL,
        envelope_from TEXT NOT NULL,
        recipient TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE,
        subject TEXT NOT NULL,
        raw BLOB NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed', 'held', 'discarded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        sent_at INTEGER,
        held_reason TEXT NOT NULL DEFAULT '',
        recipient_key TEXT NOT NULL DEFAULT '',
        recipient_domain TEXT NOT NULL DEFAULT ''))",
    "INSERT INTO outbox_v7(id, case_id, kind, envelope_from, recipient, message_id, subject, raw, state, attempts, "
    "last_error, created_at, next_attempt_at, sent_at, recipient_key, recipient_domain) "
    "SELECT id, case_id, kind, envelope_from, recipient, message_id, subject, raw, state, attempts, last_error, "
    "created_at, next_attempt_at, sent_at, '', '' FROM outbox",  // keys: fillMailboxKeys()
    "DROP TABLE outbox",
    "ALTER TABLE outbox_v7 RENAME TO outbox",
    "CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_at)",
    "CREATE INDEX IF NOT EXISTS outbox_by_lower_recipient ON outbox(lower(recipient), created_at)",
    "CREATE INDEX IF NOT EXISTS outbox_by_recipient_key ON outbox(recipient_key, created_at)",
    "CREATE INDEX IF NOT EXISTS outbox_by_recipient_domain ON outbox(recipient_domain, created_at)",
    "CREATE INDEX IF NOT EXISTS outbox_by_created ON outbox(created_at)",
};

// Version 8: nothing that arrives disappears. A Message-ID seen before with other bytes is a message of its own
// (the content hash stays unique: the same bytes again are a re-fetch), flagged on its case. Automated
// mail and spam are held in a list staff can read and release into a case; each look and release is
// recorded in message_events.
const std::vector<const char*> kSchemaV8 = {
    "DROP INDEX IF EXISTS messages_by_message_id",
    "CREATE INDEX IF NOT EXISTS messages_by_message_id ON messages(message_id) WHERE message_id IS NOT NULL",
    "ALTER TABLE messages ADD COLUMN duplicate_of INTEGER REFERENCES messages(id)",
    "ALTER TABLE cases ADD COLUMN possible_duplicate TEXT NOT NULL DEFAULT ''",
    R"(CREATE TABLE IF NOT EXISTS held_messages(
        message_row INTEGER PRIMARY KEY REFERENCES messages(id),
        kind TEXT NOT NULL CHECK (kind IN ('bounce', 'auto-reply', 'list', 'null-sender', 'spam')),
        reason TEXT NOT NULL,
        sender TEXT NOT NULL,
        subject TEXT NOT NULL,
        confidential INTEGER NOT NULL DEFAULT 0,
        held_at INTEGER NOT NULL,
        case_id INTEGER REFERENCES cases(id),
        released_case_id INTEGER REFERENCES cases(id),
        released_by TEXT NOT NULL DEFAULT '',
        released_at INTEGER))",
    "CREATE INDEX IF NOT EXISTS held_messages_by_kind ON held_messages(kind, message_row)",
    R"(CREATE TABLE IF NOT EXISTS message_events(
        id INTEGER PRIMARY KEY,
        message_row INTEGER NOT NULL REFERENCES messages(id),
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        kind TEXT NOT NULL,
        note TEXT NOT NULL))",
    // Automated mail recorded before this version becomes visible in the list.
    // (Those with "null sender" were mostly complaints with an empty From: now staff can release them.)
    "INSERT OR IGNORE INTO held_messages(message_row, kind, reason, sender, subject, held_at, case_id) "
    "SELECT m.id, CASE WHEN m.reason LIKE 'bounce: %' THEN 'bounce' "
    "WHEN m.reason LIKE 'automated: null sender%' THEN 'null-sender' "
    "WHEN m.reason LIKE 'automated: Precedence%' OR m.reason LIKE 'automated: List-%' THEN 'list' "
    "ELSE 'auto-reply' END, "
    "CASE WHEN m.reason LIKE 'bounce: %' THEN substr(m.reason, 9) ELSE substr(m.reason, 12) END, '', '', "
    "m.received_at, (SELECT cm.case_id FROM case_messages cm WHERE cm.message_row = m.id) FROM messages m "
    "WHERE m.state = 'processed' AND (m.reason LIKE 'automated: %' OR m.reason LIKE 'bounce: %')",
};

}  // namespace

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

// A column added by a development build under an earlier version number is not added twice.
bool Store::alreadyApplied(const std::string& statement) {
    constexpr std::string_view kAlter = "ALTER TABLE ";
    constexpr std::string_view kAdd = " ADD COLUMN ";
    const auto add = statement.find(kAdd);
    if (!statement.starts_with(kAlter) || add == std::string::npos) return false;
    const auto table = statement.substr(kAlter.size(), add - kAlter.size());
    const auto column = statement.substr(add + kAdd.size(), statement.find(' ', add + kAdd.size()) - add - kAdd.size());
    int count = 0;
    *session_ << "SELECT count(*) FROM pragma_table_info(?) WHERE name = ?", bind(table), bind(column), into(count),
        now;
    return count > 0;
}

void Store::migrate() {
    int version = 0;
    *session_ << "PRAGMA user_version", into(version), now;
    if (version > kSchemaVersion)
        throw StoreError(path_ + " was written by a newer complaintd (schema " + std::to_string(version) + ")");
    const std::vector<const std::vector<const char*>*> steps{&kSchemaV1, &kSchemaV2, &kSchemaV3, &kSchemaV4,
                                                             &kSchemaV5, &kSchemaV6, &kSchemaV7, &kSchemaV8};
    for (int step = version; step < kSchemaVersion; ++step) {
        inTransaction([&] {
            for (const char* statement : *steps[std::size_t(step)])
                if (!alreadyApplied(statement)) *session_ << statement, now;
            if (steps[std::size_t(step)] == &kSchemaV7) fillMailboxKeys();
            *session_ << "PRAGMA user_version = " + std::to_string(step + 1), now;
        });
    }
}

// The letters queued before version 7 counted under cases::mailboxKey, which SQL cannot compute.
void Store::fillMailboxKeys() {
    std::vector<Poco::Tuple<Int64, std::string>> rows;
    *session_ << "SELECT id, recipient FROM outbox WHERE recipient_key = ''", into(rows), now;
    for (const auto& row : rows) {
        const std::string key = cases::mailboxKey(row.get<1>()), domain = cases::mailboxDomain(row.get<1>());
        *session_ << "UPDATE outbox SET recipient_key = ?, recipient_domain = ? WHERE id = ?", bind(key), bind(domain),
            bind(row.get<0>()), now;
    }
}

void Store::inOneTransaction(const std::function<void()>& work) { inTransaction(work); }

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
constexpr const char* kOutboxSelect =
    "SELECT o.id, c.number, o.kind, o.envelope_from, o.recipient, o.message_id, o.subject, o.raw, o.attempts, "
    "o.state, o.last_error, o.created_at, o.next_attempt_at, o.held_reason FROM outbox o "
    "LEFT JOIN cases c ON c.id = o.case_id ";

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
        *session_ << std::string(kOutboxSelect) +
                         "WHERE o.state = 'queued' AND o.next_attempt_at <= ? ORDER BY o.next_attempt_at, o.id LIMIT ?",
            bind(toEpoch(at)), bind(Int64(limit)), into(rows), now;
        return outboxItems(rows);
    });
}

std::vector<OutboxItem> Store::outbox() {
    return guarded([&] {
        std::vector<OutboxRow> rows;
        *session_ << std::string(kOutboxSelect) + "ORDER BY o.id", into(rows), now;
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
    std::vector<Int64> caseIds;
    *session_ << "SELECT o.case_id FROM outbox o JOIN cases c ON c.id = o.case_id "
                 "WHERE o.id = ? AND o.kind = 'reply' AND c.status = 'signed-off'",
        bind(Int64(outboxId)), into(caseIds), now;
    for (const auto id : caseIds) {
        *session_ << "UPDATE cases SET status = 'replied' WHERE id = ?", bind(id), now;
        addEvent(id, "status", "complaintd", "signed-off -> replied: reply letter accepted by the mail server", at);
    }
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
        std::optional<long long> caseId;
        sql_->query("SELECT coalesce(case_id, 0) FROM outbox WHERE id = ? AND state = 'failed'", {outboxId},
                    [&](const SqlRow& row) { caseId = row.integer(0); });
        if (!caseId) return false;
        sql_->execute("UPDATE outbox SET state = 'queued', next_attempt_at = ?, created_at = ? WHERE id = ?",
                      {toEpoch(at), toEpoch(at), outboxId});
        if (*caseId)
            addEvent(*caseId, "letter-retried", actor, "failed letter " + std::to_string(outboxId) + " queued again",
                     at);
        return true;
    });
}

std::optional<long long> Store::heldLetterCase(long long outboxId) {
    std::optional<long long> caseId;
    sql_->query("SELECT coalesce(case_id, 0) FROM outbox WHERE id = ? AND state = 'held'", {outboxId},
                [&](const SqlRow& row) { caseId = row.integer(0); });
    return caseId;
}

bool Store::releaseLetter(long long outboxId, const std::string& actor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto caseId = heldLetterCase(outboxId);
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

bool Store::discardLetter(long long outboxId, const std::string& actor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto caseId = heldLetterCase(outboxId);
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

}  // namespace complaintd::daemon
