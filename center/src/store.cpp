// The Store itself: the connection, the schema steps applied at open, transactions and
// savepoints, the translation of SQLite failures, counters and the sources' status.
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

std::string_view idOf(Counter counter) {
    switch (counter) {
        case Counter::MessagesStored:
            return "messages_stored";
        case Counter::CasesOpened:
            return "cases_opened";
        case Counter::FollowUps:
            return "follow_ups";
        case Counter::MessagesQuarantined:
            return "messages_quarantined";
        case Counter::MessagesPoisoned:
            return "messages_poisoned";
        case Counter::MessagesAutomated:
            return "messages_automated";
        case Counter::MessagesSpam:
            return "messages_spam";
        case Counter::ImapMessagesOversized:
            return "imap_messages_oversized";
        case Counter::DropFilesRejected:
            return "drop_files_rejected";
        case Counter::LettersSent:
            return "letters_sent";
        case Counter::LettersDeferred:
            return "letters_deferred";
        case Counter::LettersFailed:
            return "letters_failed";
        case Counter::LettersHeld:
            return "letters_held";
    }
    return "unknown";
}

void Store::bump(Counter counter, long long by) {
    inTransaction([&] {
        sql_->execute(
            "INSERT INTO counters(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = value + "
            "excluded.value",
            {idOf(counter), by});
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
