#include "routing/section_file.h"

#include <algorithm>

#include "cases/error.h"

namespace complaintd::routing {

std::string trim(std::string_view text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t\r\n");
    return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> splitList(std::string_view text) {
    std::string unified(text);
    for (std::string_view separator : {"、", "，"}) {
        for (auto pos = unified.find(separator); pos != std::string::npos; pos = unified.find(separator, pos))
            unified.replace(pos, separator.size(), ",");
    }
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= unified.size()) {
        auto comma = unified.find(',', start);
        if (comma == std::string::npos) comma = unified.size();
        if (auto item = trim(std::string_view(unified).substr(start, comma - start)); !item.empty())
            items.push_back(std::move(item));
        start = comma + 1;
    }
    return items;
}

const SectionEntry* Section::find(std::string_view key) const {
    for (const auto& entry : entries)
        if (entry.key == key) return &entry;
    return nullptr;
}

SectionFile SectionFile::parse(std::string_view text, const std::string& fileName, RepeatedKeys repeated) {
    SectionFile file;
    file.fileName_ = fileName;
    int lineNumber = 0;
    std::size_t start = 0;
    if (text.starts_with("\xEF\xBB\xBF")) start = 3;  // editors on Windows add a BOM
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
        auto& section = file.sections_.back();
        std::string key = trim(std::string_view(line).substr(0, equals));
        if (repeated == RepeatedKeys::Refuse && section.find(key))
            file.fail(lineNumber, "`" + key + "` given twice in [" + section.id + "]");
        section.entries.push_back({std::move(key), trim(std::string_view(line).substr(equals + 1)), lineNumber});
    }
    return file;
}

void SectionFile::fail(int line, const std::string& message) const {
    throw ConfigError(fileName_ + ":" + std::to_string(line) + ": " + message);
}

const std::string& SectionFile::required(const Section& section, std::string_view key) const {
    const auto* entry = section.find(key);
    if (!entry || entry->value.empty())
        fail(section.line, "[" + section.id + "] needs `" + std::string(key) + " = ...`");
    return entry->value;
}

void SectionFile::checkKeys(const Section& section, const std::vector<std::string_view>& allowed) const {
    for (const auto& entry : section.entries) {
        if (std::find(allowed.begin(), allowed.end(), entry.key) != allowed.end()) continue;
        std::string list;
        for (auto key : allowed) list += (list.empty() ? "" : ", ") + std::string(key);
        fail(entry.line, "unknown key `" + entry.key + "` (known: " + list + ")");
    }
}

}  // namespace complaintd::routing
