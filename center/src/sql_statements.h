// Prepared statements kept for the life of the connection, for what intake runs
// for every message. Poco Data prepares a statement each time it runs it and
// copies BLOBs on the way in and out; for the per-message statements that cost
// more than the work itself (perf: SQLite's parser and Poco's metadata at the
// top). These run on the same sqlite3 connection as the Store's Poco session,
// so they take part in its transactions.
#pragma once

#include <sqlite3.h>

#include <functional>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace complaintd::center {

// Bytes bound without a copy (they must outlive the call, which they do: calls are synchronous).
struct BlobView {
    std::string_view bytes;
};

using SqlValue = std::variant<std::nullptr_t, long long, std::string_view, BlobView>;

// The one place that decides what a failed SQLite call means. True for the result codes that say
// the store itself is unwell: full, read-only, busy or locked, an I/O error, cannot open, corrupt or
// not a database, out of memory, no permission, lock protocol, interrupted. Those are StoreError
// (the environment's failure: the cycle reports it and tries again); any other code (a constraint
// or trigger, an SQL error, a type mismatch, a row too big) is StoreInvariantError.
bool storeIsUnwell(int resultCode);
// Throws StoreError or StoreInvariantError for `resultCode` (primary or extended) with `what`.
[[noreturn]] void throwStoreFailure(int resultCode, const std::string& what);

class SqlRow {
public:
    explicit SqlRow(sqlite3_stmt* statement) : statement_(statement) {}
    long long integer(int column) const { return sqlite3_column_int64(statement_, column); }
    // Text or BLOB column, copied once into the string.
    std::string bytes(int column) const;

private:
    sqlite3_stmt* statement_;
};

class StatementCache {
public:
    // `describe` names the database in errors ("PATH: ...").
    StatementCache(sqlite3* db, std::string describe);
    ~StatementCache();
    StatementCache(const StatementCache&) = delete;
    StatementCache& operator=(const StatementCache&) = delete;

    // Runs a statement; returns the number of rows it changed. Throws as throwStoreFailure.
    int execute(const std::string& sql, std::initializer_list<SqlValue> values);
    // Runs a query and calls `row` for each result row. Throws as throwStoreFailure.
    void query(const std::string& sql, std::initializer_list<SqlValue> values,
               const std::function<void(const SqlRow&)>& row);
    long long lastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

    // Large BLOBs a piece at a time (sqlite3_blob_*): binding or reading one whole makes SQLite
    // build a second copy of it in memory. writeBlob fills a zeroblob(N) of exactly bytes.size().
    void writeBlob(const char* table, const char* column, long long rowid, std::string_view bytes);
    std::string readBlob(const char* table, const char* column, long long rowid);

private:
    sqlite3_stmt* prepared(const std::string& sql, std::initializer_list<SqlValue> values);
    [[noreturn]] void fail(const std::string& sql) const;

    sqlite3* db_;
    std::string describe_;
    std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace complaintd::center
