#include "sql_statements.h"

#include <algorithm>

#include "center/store.h"

namespace complaintd::center {
namespace {

// Resets the statement whatever happens, so it holds no lock and no bound data between calls.
struct ResetAfterUse {
    sqlite3_stmt* statement;
    ~ResetAfterUse() {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
    }
};

}  // namespace

bool storeIsUnwell(int resultCode) {
    switch (resultCode & 0xff) {
        case SQLITE_FULL:
        case SQLITE_READONLY:
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
        case SQLITE_NOMEM:
        case SQLITE_PERM:
        case SQLITE_PROTOCOL:
        case SQLITE_NOLFS:
        case SQLITE_INTERRUPT:
            return true;
        default:
            return false;
    }
}

void throwStoreFailure(int resultCode, const std::string& what) {
    if (storeIsUnwell(resultCode)) throw StoreError(what);
    throw StoreInvariantError(what);
}

std::string SqlRow::bytes(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement_, column));
    return data ? std::string(data, std::size_t(sqlite3_column_bytes(statement_, column))) : std::string();
}

StatementCache::StatementCache(sqlite3* db, std::string describe) : db_(db), describe_(std::move(describe)) {}

StatementCache::~StatementCache() {
    for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
}

void StatementCache::fail(const std::string& sql) const {
    throwStoreFailure(sqlite3_extended_errcode(db_),
                      describe_ + ": " + sqlite3_errmsg(db_) + " (in: " + sql.substr(0, 60) + ")");
}

sqlite3_stmt* StatementCache::prepared(const std::string& sql, std::initializer_list<SqlValue> values) {
    auto found = statements_.find(sql);
    if (found == statements_.end()) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v3(db_, sql.c_str(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &statement, nullptr) !=
            SQLITE_OK)
            fail(sql);
        found = statements_.emplace(sql, statement).first;
    }
    sqlite3_stmt* statement = found->second;
    int index = 1;
    for (const auto& value : values) {
        int rc = SQLITE_OK;
        if (std::holds_alternative<std::nullptr_t>(value))
            rc = sqlite3_bind_null(statement, index);
        else if (const auto* number = std::get_if<long long>(&value))
            rc = sqlite3_bind_int64(statement, index, *number);
        else if (const auto* text = std::get_if<std::string_view>(&value))
            rc = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC, SQLITE_UTF8);
        else
            rc = sqlite3_bind_blob64(statement, index, std::get<BlobView>(value).bytes.data(),
                                     std::get<BlobView>(value).bytes.size(), SQLITE_STATIC);
        if (rc != SQLITE_OK) {
            sqlite3_clear_bindings(statement);
            fail(sql);
        }
        ++index;
    }
    return statement;
}

int StatementCache::execute(const std::string& sql, std::initializer_list<SqlValue> values) {
    sqlite3_stmt* statement = prepared(sql, values);
    ResetAfterUse reset{statement};
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) fail(sql);
    return sqlite3_changes(db_);
}

void StatementCache::query(const std::string& sql, std::initializer_list<SqlValue> values,
                           const std::function<void(const SqlRow&)>& row) {
    sqlite3_stmt* statement = prepared(sql, values);
    ResetAfterUse reset{statement};
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) row(SqlRow(statement));
    if (rc != SQLITE_DONE) fail(sql);
}

namespace {

constexpr int kBlobPiece = 256 * 1024;

struct BlobHandle {
    sqlite3_blob* blob = nullptr;
    ~BlobHandle() { sqlite3_blob_close(blob); }
};

}  // namespace

void StatementCache::writeBlob(const char* table, const char* column, long long rowid, std::string_view bytes) {
    BlobHandle handle;
    const std::string what = std::string("writing ") + table + "." + column;
    if (sqlite3_blob_open(db_, "main", table, column, rowid, 1, &handle.blob) != SQLITE_OK) fail(what);
    for (std::size_t offset = 0; offset < bytes.size(); offset += kBlobPiece) {
        const int piece = int(std::min<std::size_t>(kBlobPiece, bytes.size() - offset));
        if (sqlite3_blob_write(handle.blob, bytes.data() + offset, piece, int(offset)) != SQLITE_OK) fail(what);
    }
}

std::string StatementCache::readBlob(const char* table, const char* column, long long rowid) {
    BlobHandle handle;
    const std::string what = std::string("reading ") + table + "." + column;
    if (sqlite3_blob_open(db_, "main", table, column, rowid, 0, &handle.blob) != SQLITE_OK) fail(what);
    std::string bytes(std::size_t(sqlite3_blob_bytes(handle.blob)), '\0');
    for (std::size_t offset = 0; offset < bytes.size(); offset += kBlobPiece) {
        const int piece = int(std::min<std::size_t>(kBlobPiece, bytes.size() - offset));
        if (sqlite3_blob_read(handle.blob, bytes.data() + offset, piece, int(offset)) != SQLITE_OK) fail(what);
    }
    return bytes;
}

}  // namespace complaintd::center
