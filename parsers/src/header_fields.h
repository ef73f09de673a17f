// Reading single header fields: lookup in a mimetic header, Date, message ids.
// Private.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mimetic {
struct Header;
}

namespace complaintd::parsers::detail {

// Value of the first field called `name` (any case), unfolded by mimetic and
// trimmed; nullopt when the header has no such field.
std::optional<std::string> fieldValue(const mimetic::Header& header, std::string_view name);

// Values of every field called `name`, in order (a message may carry two To fields).
std::vector<std::string> fieldValues(const mimetic::Header& header, std::string_view name);

// RFC 5322 date-time (obsolete forms included: two-digit years, named zones,
// no weekday, no seconds, trailing comments) as UTC; nullopt if it is not one.
std::optional<std::chrono::sys_seconds> parseMailDate(std::string_view raw);

// Ids of a Message-ID, In-Reply-To or References value, without angle brackets,
// in order. Ids written without brackets are split at white space.
std::vector<std::string> parseMessageIds(std::string_view raw);

}  // namespace complaintd::parsers::detail
