// Backup and check: the administrator's tools over the store (complaintctl backup, check).
#include <Poco/Data/SQLite/Utility.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "schema_steps.h"
#include "store_internal.h"

namespace complaintd::center {

namespace {

namespace fs = std::filesystem;

void syncPath(const std::string& path, int flags) {
    const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw StoreError("cannot open " + path + " to sync it: " + std::strerror(errno));
    const int rc = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (rc != 0) throw StoreError("cannot sync " + path + ": " + std::strerror(error));
}

// The destination connection, closed on every path.
struct Destination {
    sqlite3* db = nullptr;
    ~Destination() { sqlite3_close_v2(db); }
};

void copyDatabase(sqlite3* source, const std::string& temporary) {
    Destination dest;
    if (sqlite3_open_v2(temporary.c_str(), &dest.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK)
        throw StoreError("cannot create " + temporary + ": " + sqlite3_errmsg(dest.db));
    sqlite3_backup* backup = sqlite3_backup_init(dest.db, "main", source, "main");
    if (!backup) throw StoreError("cannot start the backup to " + temporary + ": " + sqlite3_errmsg(dest.db));
    // All pages in one step: one read transaction, so one moment of the database. In WAL mode the
    // daemon goes on writing meanwhile; a writer holding the lock only makes us wait and retry.
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 600; ++attempt) {
        rc = sqlite3_backup_step(backup, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) throw StoreError("backup to " + temporary + " failed: " + sqlite3_errmsg(dest.db));
    // Nothing half-written is ever renamed into place.
    sqlite3_stmt* quick = nullptr;
    std::string verdict;
    if (sqlite3_prepare_v2(dest.db, "PRAGMA quick_check", -1, &quick, nullptr) == SQLITE_OK &&
        sqlite3_step(quick) == SQLITE_ROW)
        verdict = reinterpret_cast<const char*>(sqlite3_column_text(quick, 0));
    sqlite3_finalize(quick);
    if (verdict != "ok") throw StoreError("the copy " + temporary + " does not check: " + verdict);
}

}  // namespace

void Store::backupTo(const std::string& file) {
    const fs::path target = fs::absolute(file);
    if (fs::equivalent(target.parent_path(), fs::absolute(path_).parent_path()) &&
        target.filename() == fs::path(path_).filename())
        throw StoreError("the backup " + file + " would overwrite the database itself");
    const std::string temporary = target.string() + ".tmp-" + std::to_string(::getpid());
    std::error_code ignored;
    fs::remove(temporary, ignored);
    try {
        copyDatabase(Poco::Data::SQLite::Utility::dbHandle(*session_), temporary);
        syncPath(temporary, O_RDONLY);
        fs::rename(temporary, target);
        syncPath(target.parent_path().string(), O_RDONLY | O_DIRECTORY);
    } catch (const fs::filesystem_error& e) {
        fs::remove(temporary, ignored);
        throw StoreError("cannot write the backup " + file + ": " + e.code().message());
    } catch (...) {
        fs::remove(temporary, ignored);
        fs::remove(temporary + "-journal", ignored);
        throw;
    }
}

std::vector<std::string> Store::check() {
    std::vector<std::string> problems;
    auto rows = [&](const std::string& sql, const std::function<void(const SqlRow&)>& each) {
        guarded([&] { sql_->query(sql, {}, each); });
    };
    rows("PRAGMA integrity_check", [&](const SqlRow& row) {
        if (row.bytes(0) != "ok") problems.push_back("integrity: " + row.bytes(0));
    });
    rows("PRAGMA foreign_key_check", [&](const SqlRow& row) {
        problems.push_back("foreign key: " + row.bytes(0) + " row " + row.bytes(1) + " points to a missing " +
                           row.bytes(2) + " row");
    });
    rows("PRAGMA user_version", [&](const SqlRow& row) {
        if (row.integer(0) != schema::currentVersion())
            problems.push_back("schema: version " + row.bytes(0) + ", expected " +
                               std::to_string(schema::currentVersion()));
    });
    // A processed message opened or joined a case, or waits in the held list (automated, bounce, spam).
    rows(
        "SELECT m.id, m.reason FROM messages m WHERE m.state = 'processed' "
        "AND NOT EXISTS (SELECT 1 FROM case_messages l WHERE l.message_row = m.id) "
        "AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.message_row = m.id) "
        "AND NOT EXISTS (SELECT 1 FROM held_messages h WHERE h.message_row = m.id) ORDER BY m.id",
        [&](const SqlRow& row) {
            problems.push_back("message " + row.bytes(0) +
                               ": processed, but it has no case, no quarantine entry and no held entry");
        });
    rows(
        "SELECT m.id FROM messages m WHERE NOT EXISTS (SELECT 1 FROM message_raw r WHERE r.message_row = m.id) "
        "ORDER BY m.id",
        [&](const SqlRow& row) { problems.push_back("message " + row.bytes(0) + ": its raw bytes are missing"); });
    rows(
        "SELECT c.number, c.message_row FROM cases c WHERE c.message_row IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM case_messages l WHERE l.message_row = c.message_row AND l.case_id = c.id) ORDER BY c.id",
        [&](const SqlRow& row) {
            problems.push_back(row.bytes(0) + ": opened from message " + row.bytes(1) +
                               ", which is not listed among the case's messages");
        });
    rows("SELECT id FROM outbox WHERE state = 'sent' AND sent_at IS NULL ORDER BY id", [&](const SqlRow& row) {
        problems.push_back("letter " + row.bytes(0) + ": sent, but the server's acceptance is not recorded");
    });
    rows("SELECT id, state FROM outbox WHERE state <> 'sent' AND sent_at IS NOT NULL ORDER BY id",
         [&](const SqlRow& row) {
             if (row.bytes(1) != "failed")  // a bounce fails a letter the server had accepted
                 problems.push_back("letter " + row.bytes(0) + ": " + row.bytes(1) +
                                    ", but recorded as accepted by the server");
         });
    return problems;
}

}  // namespace complaintd::center
