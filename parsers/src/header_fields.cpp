#include "header_fields.h"

#include <Poco/DateTime.h>
#include <Poco/DateTimeParser.h>
#include <mimetic/header.h>

#include <algorithm>
#include <exception>

#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};

bool allDigits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// Splits at white space and commas after dropping (comments).
std::vector<std::string> dateTokens(std::string_view raw) {
    std::vector<std::string> tokens;
    std::string current;
    int depth = 0;
    for (char c : raw) {
        if (c == '(') ++depth;
        const bool separator = depth > 0 || isMailWhitespace(c) || c == ',';
        if (c == ')' && depth > 0) --depth;
        if (!separator) {
            current += c;
        } else if (!current.empty()) {
            tokens.push_back(std::move(current));
            current.clear();
        }
    }
    if (!current.empty()) tokens.push_back(std::move(current));
    return tokens;
}

bool isMonth(std::string_view token) {
    for (std::string_view m : kMonths) {
        if (equalsIgnoreCase(token.substr(0, 3), m) && token.size() >= 3) return true;
    }
    return false;
}

// "2:05" or "10:05:59": two or three numeric fields of one or two digits.
bool isTime(std::string_view token) {
    int fields = 0;
    std::size_t start = 0;
    while (start <= token.size()) {
        std::size_t end = token.find(':', start);
        if (end == std::string_view::npos) end = token.size();
        const std::string_view field = token.substr(start, end - start);
        if (!allDigits(field) || field.size() > 2) return false;
        ++fields;
        start = end + 1;
    }
    return fields == 2 || fields == 3;
}

std::string fullYear(const std::string& year) {
    const int value = std::stoi(year);
    if (year.size() == 2) return std::to_string(value < 50 ? 2000 + value : 1900 + value);
    if (year.size() == 3) return std::to_string(1900 + value);
    return year;
}

// Rewrites the date as "D Mon YYYY H:M:S ZONE" for Poco, which does not match
// literal text itself and so must only see a checked shape.
std::optional<std::string> canonicalDate(std::string_view raw) {
    std::vector<std::string> t = dateTokens(raw);
    if (!t.empty() && !allDigits(t[0])) t.erase(t.begin());  // day of week
    if (t.size() < 4 || !allDigits(t[0]) || t[0].size() > 2 || !isMonth(t[1])) return std::nullopt;
    if (!allDigits(t[2]) || t[2].size() < 2 || t[2].size() > 4 || !isTime(t[3])) return std::nullopt;
    std::string time = t[3];
    if (std::count(time.begin(), time.end(), ':') == 1) time += ":00";
    const std::string zone = t.size() > 4 ? t[4] : "GMT";  // RFC 5322 4.3: missing zone means unknown; take UTC
    return t[0] + " " + t[1].substr(0, 3) + " " + fullYear(t[2]) + " " + time + " " + zone;
}

std::string withoutWhitespace(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (!isMailWhitespace(c)) out += c;
    }
    return out;
}

}  // namespace

std::optional<std::string> fieldValue(const mimetic::Header& header, std::string_view name) {
    for (const mimetic::Field& field : header) {
        const auto& fieldName = field.name();
        if (equalsIgnoreCase(std::string_view(fieldName.data(), fieldName.size()), name)) {
            return std::string(trimWhitespace(field.value()));
        }
    }
    return std::nullopt;
}

std::vector<std::string> fieldValues(const mimetic::Header& header, std::string_view name) {
    std::vector<std::string> values;
    for (const mimetic::Field& field : header) {
        const auto& fieldName = field.name();
        if (equalsIgnoreCase(std::string_view(fieldName.data(), fieldName.size()), name)) {
            values.emplace_back(trimWhitespace(field.value()));
        }
    }
    return values;
}

std::optional<std::chrono::sys_seconds> parseMailDate(std::string_view raw) {
    const std::optional<std::string> canonical = canonicalDate(raw);
    if (!canonical) return std::nullopt;
    try {
        Poco::DateTime dateTime;
        int zoneSeconds = 0;
        Poco::DateTimeParser::parse("%e %b %Y %H:%M:%S %Z", *canonical, dateTime, zoneSeconds);
        dateTime.makeUTC(zoneSeconds);
        return std::chrono::sys_seconds(std::chrono::seconds(dateTime.timestamp().epochTime()));
    } catch (const std::exception&) {
        return std::nullopt;  // out of range fields, e.g. "31 Feb" or "25:00"
    }
}

std::vector<std::string> parseMessageIds(std::string_view raw) {
    std::vector<std::string> ids;
    for (std::size_t open = raw.find('<'); open != std::string_view::npos; open = raw.find('<', open + 1)) {
        const std::size_t close = raw.find('>', open + 1);
        if (close == std::string_view::npos) break;
        std::string id = repairUtf8(withoutWhitespace(raw.substr(open + 1, close - open - 1)));
        if (!id.empty()) ids.push_back(std::move(id));
        open = close;
    }
    if (!ids.empty() || raw.find('<') != std::string_view::npos) return ids;
    std::size_t start = 0;
    while (start < raw.size()) {  // no brackets at all: white space separates ids
        while (start < raw.size() && isMailWhitespace(raw[start])) ++start;
        std::size_t end = start;
        while (end < raw.size() && !isMailWhitespace(raw[end])) ++end;
        if (end > start) ids.push_back(repairUtf8(raw.substr(start, end - start)));
        start = end;
    }
    return ids;
}

}  // namespace complaintd::parsers::detail
