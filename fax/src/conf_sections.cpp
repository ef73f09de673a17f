#include "conf_sections.h"

#include "cases/error.h"

namespace complaintd::fax {
namespace {

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

}  // namespace

ConfFile ConfFile::parse(std::string_view text, const std::string& fileName) {
    ConfFile file;
    file.fileName_ = fileName;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // editors on Windows add a BOM
    int lineNumber = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string line = trim(text.substr(start, end - start));
        start = end + 1;
        ++lineNumber;
        if (line.empty() || line[0] == '#') continue;
        if (line.front() == '[') {
            if (line.back() != ']' || line.size() < 3) file.fail(lineNumber, "a section header looks like [id]");
            file.sections_.push_back({trim(std::string_view(line).substr(1, line.size() - 2)), lineNumber, {}});
            continue;
        }
        const auto equals = line.find('=');
        if (equals == std::string::npos) file.fail(lineNumber, "expected `key = value`, got: " + line);
        if (file.sections_.empty()) file.fail(lineNumber, "`key = value` before the first [section]");
        file.sections_.back().entries.push_back({trim(std::string_view(line).substr(0, equals)),
                                                 trim(std::string_view(line).substr(equals + 1)), lineNumber});
    }
    return file;
}

void ConfFile::fail(int line, const std::string& message) const {
    throw ConfigError(fileName_ + ":" + std::to_string(line) + ": " + message);
}

}  // namespace complaintd::fax
