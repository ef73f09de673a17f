// Shared by the Store's source files: value conversions and the transaction
// wrappers that translate Poco's exceptions into StoreError (the store is unwell) or
// StoreInvariantError (anything else), as sql_statements.h decides.
#pragma once

#include <Poco/Data/LOB.h>
#include <Poco/Data/Session.h>
#include <Poco/Data/Statement.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Nullable.h>
#include <Poco/SHA2Engine.h>
#include <Poco/Tuple.h>

#include <sstream>

#include "center/store.h"
#include "sql_statements.h"

namespace complaintd::center {

using namespace Poco::Data::Keywords;
using Poco::Data::BLOB;
using Poco::Data::Statement;
using Int64 = Poco::Int64;

namespace store_detail {

inline Int64 toEpoch(cases::Timestamp t) { return t.time_since_epoch().count(); }
inline cases::Timestamp fromEpoch(Int64 s) { return cases::Timestamp{std::chrono::seconds(s)}; }

inline BLOB toBlob(const std::string& bytes) {
    return BLOB(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}
inline std::string fromBlob(const BLOB& blob) {
    return blob.size() ? std::string(reinterpret_cast<const char*>(blob.rawContent()), blob.size()) : std::string();
}

inline std::string sha256Hex(const std::string& bytes) {
    Poco::SHA2Engine engine(Poco::SHA2Engine::SHA_256);
    engine.update(bytes.data(), unsigned(bytes.size()));
    return Poco::DigestEngine::digestToHex(engine.digest());
}

inline std::string toJson(const std::vector<std::string>& items) {
    Poco::JSON::Array array;
    for (const auto& item : items) array.add(item);
    std::ostringstream out;
    array.stringify(out);
    return out.str();
}

inline std::vector<std::string> fromJson(const std::string& text) {
    std::vector<std::string> items;
    const auto array = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i) items.push_back(array->getElement<std::string>(unsigned(i)));
    return items;
}

// NULL or the number, for the statement cache.
template <typename T>
inline SqlValue optionalNumber(const std::optional<T>& value) {
    return value ? SqlValue(static_cast<long long>(*value)) : SqlValue();
}

template <typename T>
inline Poco::Nullable<T> nullable(const std::optional<T>& value) {
    return value ? Poco::Nullable<T>(*value) : Poco::Nullable<T>();
}

// A history line's kind as stored; a kind this build does not know is a broken invariant.
inline cases::EventKind storedEventKind(const std::string& id) {
    if (const auto kind = cases::eventKindFrom(id)) return *kind;
    throw StoreInvariantError("history holds an event of unknown kind \"" + id + "\"");
}

}  // namespace store_detail

template <typename Work>
auto Store::guarded(Work&& work) -> decltype(work()) {
    try {
        return work();
    } catch (const Poco::Exception& e) {
        throwTranslated(e);
    }
}

template <typename Work>
auto Store::inTransaction(Work&& work) -> decltype(work()) {
    // Inside inOneTransaction the work simply joins the open transaction: whatever it throws
    // rolls the whole batch back (intake isolates each message with inSavepoint).
    if (transactionDepth_ > 0) return guarded(work);
    // IMMEDIATE takes the write lock up front, so two writers wait on the busy timeout
    // instead of failing half-way.
    guarded([&] { *session_ << "BEGIN IMMEDIATE", now; });
    ++transactionDepth_;
    try {
        // Translated before the rollback, while the connection still holds the failure's result code.
        return guarded([&] {
            auto finish = [&] {
                transactionDepth_ = 0;
                *session_ << "COMMIT", now;
            };
            if constexpr (std::is_void_v<decltype(work())>) {
                work();
                finish();
            } else {
                auto result = work();
                finish();
                return result;
            }
        });
    } catch (...) {
        transactionDepth_ = 0;
        try {
            *session_ << "ROLLBACK", now;
        } catch (const Poco::Exception&) {
            // SQLite may have rolled back already (disk full); the first error is the one to report.
        }
        throw;
    }
}

}  // namespace complaintd::center
