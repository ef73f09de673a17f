#include "daemon/store.h"

#include <Poco/Data/LOB.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Nullable.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Tuple.h>

#include <sstream>

namespace complaintd::daemon {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;
using Poco::Data::Statement;
using Int64 = Poco::Int64;

namespace {

// Bumped with each schema change; migrate() takes older files forward.
constexpr int kSchemaVersion = 1;

const char* const kSchema[] = {
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

Int64 toEpoch(cases::Timestamp t) { return t.time_since_epoch().count(); }
cases::Timestamp fromEpoch(Int64 s) { return cases::Timestamp{std::chrono::seconds(s)}; }

BLOB toBlob(const std::string& bytes) {
    return BLOB(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}
std::string fromBlob(const BLOB& blob) {
    return blob.size() ? std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size()) : std::string();
}

std::string sha256Hex(const std::string& bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), unsigned(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

std::string toJson(const std::vector<std::string>& items) {
    Poco::JSON::Array array;
    for (const auto& item : items) array.add(item);
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

std::vector<std::string> fromJson(const std::string& text) {
    std::vector<std::string> items;
    const auto array = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) items.push_back(array->getElement<std::string>(unsigned(i)));
    return items;
}

template <typename T>
Poco::Nullable<T> nullable(const std::optional<T>& value) {
    return value ? Poco::Nullable<T>(*value) : Poco::Nullable<T>();
}

// Columns of a case row, in the order kCaseColumns lists them.
using CaseRow = Poco::Tuple<std::string, std::string, Int64, std::string, std::string, std::string, std::string,
                            std::string, std::string, std::string, std::string, std::string>;
constexpr const char* kCaseColumns =
    "number, channel, received_at, complainant_name, complainant_email, subject, summary, category, unit, status, "
    "rule, keywords";

cases::Case caseFromRow(const CaseRow& row) {
    cases::Case c;
    c.number = cases::CaseNumber::parse(row.get<0>()).value_or(cases::CaseNumber{});
    c.channel = cases::channelFrom(row.get<1>()).value_or(cases::Channel::Email);
    c.receivedAt = fromEpoch(row.get<2>());
    c.complainant = {row.get<3>(), row.get<4>()};
    c.subject = row.get<5>();
    c.summary = row.get<6>();
    c.category = cases::categoryFrom(row.get<7>()).value_or(cases::Category::Other);
    c.unit = row.get<8>();
    c.status = cases::statusFrom(row.get<9>()).value_or(cases::CaseStatus::Received);
    c.routing = {row.get<10>(), fromJson(row.get<11>())};
    return c;
}

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
    } catch (const Poco::Exception& e) {
        throw StoreError("cannot open the database " + path + ": " + e.displayText());
    }
}

Store::~Store() = default;

template <typename Work>
auto Store::guarded(Work&& work) -> decltype(work()) {
    try {
        return work();
    } catch (const Poco::Exception& e) {
        throw StoreError(path_ + ": " + e.displayText());
    }
}

template <typename Work>
auto Store::inTransaction(Work&& work) -> decltype(work()) {
    try {
        // IMMEDIATE takes the write lock up front, so two writers wait on the
        // busy timeout instead of failing half-way.
        *session_ << "BEGIN IMMEDIATE", now;
        try {
            if constexpr (std::is_void_v<decltype(work())>) {
                work();
                *session_ << "COMMIT", now;
            } else {
                auto result = work();
                *session_ << "COMMIT", now;
                return result;
            }
        } catch (...) {
            *session_ << "ROLLBACK", now;
            throw;
        }
    } catch (const Poco::Exception& e) {
        throw StoreError(path_ + ": " + e.displayText());
    }
}

void Store::migrate() {
    int version = 0;
    *session_ << "PRAGMA user_version", into(version), now;
    if (version > kSchemaVersion)
        throw StoreError(path_ + " was written by a newer complaintd (schema " + std::to_string(version) + ")");
    inTransaction([&] {
        for (const char* statement : kSchema) *session_ << statement, now;
        *session_ << "PRAGMA user_version = " + std::to_string(kSchemaVersion), now;
    });
}

StoreOutcome Store::storeIncoming(const IncomingMessage& m) {
    return inTransaction([&] {
        Poco::Nullable<std::string> messageId;
        if (!m.messageId.empty()) messageId = m.messageId;
        std::size_t inserted = 0;
        Statement insert(*session_);
        insert << "INSERT OR IGNORE INTO messages(source, mailbox, uidvalidity, uid, message_id, sha256, raw, size, "
                  "channel, received_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            bind(m.origin.source), bind(m.origin.mailbox), bind(nullable<unsigned long>(m.origin.uidValidity)),
            bind(nullable<unsigned long>(m.origin.uid)), bind(messageId), bind(sha256Hex(m.raw)), bind(toBlob(m.raw)),
            bind(Int64(m.raw.size())), bind(std::string(cases::idOf(m.channel))), bind(toEpoch(m.receivedAt));
        inserted = insert.execute();
        return inserted ? StoreOutcome::Stored : StoreOutcome::Duplicate;
    });
}

bool Store::isKnown(const MessageOrigin& origin) {
    return guarded([&] {
        int count = 0;
        *session_ << "SELECT count(*) FROM messages WHERE source = ? AND mailbox = ? AND uidvalidity = ? AND uid = ?",
            bind(origin.source), bind(origin.mailbox), bind(nullable<unsigned long>(origin.uidValidity)),
            bind(nullable<unsigned long>(origin.uid)), into(count), now;
        return count > 0;
    });
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
        *session_ << "SELECT id, raw, channel, received_at FROM messages WHERE state = 'new' ORDER BY id LIMIT ?",
            bind(Int64(limit)), into(rows), now;
        std::vector<StoredMessage> messages;
        for (const auto& row : rows)
            messages.push_back({row.get<0>(), fromBlob(row.get<1>()),
                                cases::channelFrom(row.get<2>()).value_or(cases::Channel::Email),
                                fromEpoch(row.get<3>())});
        return messages;
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

cases::CaseNumber Store::openCase(const CaseDraft& draft, const LetterMaker& letterFor, cases::Timestamp at) {
    return inTransaction([&] {
        const auto& c = draft.fields;
        const int year = cases::rocYearAt(c.receivedAt);
        int last = 0;
        *session_ << "SELECT coalesce(max(sequence), 0) FROM cases WHERE roc_year = ?", bind(year), into(last), now;
        const auto number = cases::nextCaseNumber(year, last);
        Poco::Nullable<Int64> messageRow;
        if (draft.messageRowId) messageRow = Int64(draft.messageRowId);
        *session_ << "INSERT INTO cases(roc_year, sequence, number, channel, received_at, complainant_name, "
                     "complainant_email, subject, summary, category, unit, status, rule, keywords, defects, "
                     "message_row) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            bind(year), bind(number.sequence), bind(number.toString()), bind(std::string(cases::idOf(c.channel))),
            bind(toEpoch(c.receivedAt)), bind(c.complainant.name), bind(c.complainant.email), bind(c.subject),
            bind(c.summary), bind(std::string(cases::idOf(c.category))), bind(c.unit),
            bind(std::string(cases::idOf(c.status))), bind(c.routing.rule), bind(toJson(c.routing.keywords)),
            bind(toJson(draft.defects)), bind(messageRow), now;
        Int64 caseId = 0;
        *session_ << "SELECT last_insert_rowid()", into(caseId), now;
        *session_ << "INSERT INTO case_events(case_id, at, actor, kind, from_unit, to_unit, note) "
                     "VALUES(?, ?, ?, 'opened', '', ?, ?)",
            bind(caseId), bind(toEpoch(at)), bind(draft.actor), bind(c.unit),
            bind(c.routing.rule.empty() ? std::string("no rule matched") : "rule " + c.routing.rule), now;
        for (const auto& a : draft.attachments)
            *session_ << "INSERT INTO attachments(message_row, filename, content_type, size, sha256, data) "
                         "VALUES(?, ?, ?, ?, ?, ?)",
                bind(Int64(draft.messageRowId)), bind(a.filename), bind(a.contentType), bind(Int64(a.data.size())),
                bind(sha256Hex(a.data)), bind(toBlob(a.data)), now;
        if (draft.messageRowId)
            *session_ << "UPDATE messages SET state = 'processed' WHERE id = ?", bind(Int64(draft.messageRowId)), now;
        if (const auto letter = letterFor(number))
            *session_ << "INSERT INTO outbox(case_id, kind, envelope_from, recipient, message_id, subject, raw, "
                         "created_at, next_attempt_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
                bind(caseId), bind(letter->kind), bind(letter->envelopeFrom), bind(letter->recipient),
                bind(letter->messageId), bind(letter->subject), bind(toBlob(letter->raw)), bind(toEpoch(at)),
                bind(toEpoch(at)), now;
        return number;
    });
}

std::vector<cases::Case> Store::listCases() {
    return guarded([&] {
        std::vector<CaseRow> rows;
        *session_ << std::string("SELECT ") + kCaseColumns + " FROM cases ORDER BY roc_year, sequence", into(rows), now;
        std::vector<cases::Case> list;
        for (const auto& row : rows) list.push_back(caseFromRow(row));
        return list;
    });
}

std::optional<CaseRecord> Store::findCase(const cases::CaseNumber& number) {
    return guarded([&] {
        std::vector<CaseRow> rows;
        std::vector<Int64> ids;
        std::vector<std::string> defects;
        std::vector<Poco::Nullable<Int64>> messageRows;
        *session_ << std::string("SELECT ") + kCaseColumns + ", id, defects, message_row FROM cases WHERE number = ?",
            bind(number.toString()), into(rows), into(ids), into(defects), into(messageRows), now;
        if (rows.empty()) return std::optional<CaseRecord>();
        CaseRecord record{caseFromRow(rows.front()), {}, fromJson(defects.front()), {}};
        std::vector<Poco::Tuple<Int64, std::string, std::string, std::string, std::string, std::string>> events;
        *session_ << "SELECT at, actor, kind, from_unit, to_unit, note FROM case_events WHERE case_id = ? ORDER BY id",
            bind(ids.front()), into(events), now;
        for (const auto& e : events)
            record.history.push_back(
                {fromEpoch(e.get<0>()), e.get<1>(), e.get<2>(), e.get<3>(), e.get<4>(), e.get<5>()});
        if (!messageRows.front().isNull()) {
            std::vector<Poco::Tuple<std::string, std::string, Int64>> files;
            *session_ << "SELECT filename, content_type, size FROM attachments WHERE message_row = ? ORDER BY id",
                bind(messageRows.front().value()), into(files), now;
            for (const auto& f : files)
                record.attachments.push_back(f.get<0>() + " (" + f.get<1>() + ", " + std::to_string(f.get<2>()) +
                                             " bytes)");
        }
        return std::optional<CaseRecord>(std::move(record));
    });
}

void Store::reroute(const cases::CaseNumber& number, const std::string& unitId, const std::string& actor,
                    const std::string& reason, cases::Timestamp at) {
    inTransaction([&] {
        std::vector<Int64> ids;
        std::vector<std::string> units;
        *session_ << "SELECT id, unit FROM cases WHERE number = ?", bind(number.toString()), into(ids), into(units),
            now;
        if (ids.empty()) throw NotFoundError("no case " + number.toString());
        if (units.front() == unitId)
            throw InvalidRequestError("case " + number.toString() + " is already with " + unitId);
        *session_ << "UPDATE cases SET unit = ?, status = ? WHERE id = ?", bind(unitId),
            bind(std::string(cases::idOf(cases::CaseStatus::Assigned))), bind(ids.front()), now;
        *session_ << "INSERT INTO case_events(case_id, at, actor, kind, from_unit, to_unit, note) "
                     "VALUES(?, ?, ?, 'rerouted', ?, ?, ?)",
            bind(ids.front()), bind(toEpoch(at)), bind(actor), bind(units.front()), bind(unitId), bind(reason), now;
    });
}

namespace {
using OutboxRow = Poco::Tuple<Int64, Poco::Nullable<std::string>, std::string, std::string, std::string, std::string,
                              std::string, BLOB, Int64, std::string, std::string, Int64, Int64>;
constexpr const char* kOutboxSelect =
    "SELECT o.id, c.number, o.kind, o.envelope_from, o.recipient, o.message_id, o.subject, o.raw, o.attempts, "
    "o.state, o.last_error, o.created_at, o.next_attempt_at FROM outbox o LEFT JOIN cases c ON c.id = o.case_id ";

std::vector<OutboxItem> outboxItems(const std::vector<OutboxRow>& rows) {
    std::vector<OutboxItem> items;
    for (const auto& r : rows)
        items.push_back({r.get<0>(), r.get<1>().isNull() ? std::string() : r.get<1>().value(), r.get<2>(), r.get<3>(),
                         r.get<4>(), r.get<5>(), r.get<6>(), fromBlob(r.get<7>()), int(r.get<8>()), r.get<9>(),
                         r.get<10>(), fromEpoch(r.get<11>()), fromEpoch(r.get<12>())});
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

void Store::bump(const std::string& counter, long long by) {
    inTransaction([&] {
        *session_ << "INSERT INTO counters(name, value) VALUES(?, ?) "
                     "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
            bind(counter), bind(Int64(by)), now;
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
