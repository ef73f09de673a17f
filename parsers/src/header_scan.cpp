#include "parsers/header_scan.h"

#include <algorithm>
#include <cctype>

namespace complaintd::parsers {
namespace {

bool startsWithName(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() || line[name.size()] != ':') return false;
    return std::equal(name.begin(), name.end(), line.begin(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
}

std::string_view withoutCr(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
}

}  // namespace

std::string rawHeaderValue(std::string_view message, std::string_view name) {
    std::size_t pos = 0;
    while (pos < message.size()) {
        auto end = message.find('\n', pos);
        if (end == std::string_view::npos) end = message.size();
        const auto line = withoutCr(message.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty()) break;  // end of the header block
        if (!startsWithName(line, name)) continue;
        std::string value(line.substr(name.size() + 1));
        // Folded continuation lines start with white space.
        while (pos < message.size() && (message[pos] == ' ' || message[pos] == '\t')) {
            auto next = message.find('\n', pos);
            if (next == std::string_view::npos) next = message.size();
            value += withoutCr(message.substr(pos, next - pos));
            pos = next + 1;
        }
        return value;
    }
    return {};
}

std::vector<std::string> rawHeaderValues(std::string_view message, std::string_view name) {
    std::vector<std::string> values;
    std::string* current = nullptr;
    for (std::size_t pos = 0; pos < message.size();) {
        auto end = message.find('\n', pos);
        if (end == std::string_view::npos) end = message.size();
        const auto line = withoutCr(message.substr(pos, end - pos));
        pos = end + 1;
        if (line.empty()) break;  // end of the header block
        if (line.front() == ' ' || line.front() == '\t') {
            if (current) current->append(line);  // a folded continuation
            continue;
        }
        current = startsWithName(line, name) ? &values.emplace_back(line.substr(name.size() + 1)) : nullptr;
    }
    return values;
}

std::string messageIdOf(std::string_view message) {
    const std::string value = rawHeaderValue(message, "Message-ID");
    const auto open = value.find('<');
    const auto close = value.find('>', open == std::string::npos ? 0 : open);
    std::string_view id = value;
    if (open != std::string::npos && close != std::string::npos) id = id.substr(open + 1, close - open - 1);
    std::string clean;
    for (char c : id)
        if (!std::isspace(static_cast<unsigned char>(c))) clean += c;
    return clean;
}

}  // namespace complaintd::parsers
