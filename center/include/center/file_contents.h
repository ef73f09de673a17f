// Whole-file reads for the shell's small files (rules, templates, secrets,
// dropped messages).
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace complaintd::center {

// The bytes of `path`, or nullopt when it cannot be opened.
// Read straight into a string of the file's size: a stringstream would hold a second,
// growing copy, which for a drop-folder mail with a large attachment is megabytes.
inline std::optional<std::string> fileContents(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return std::nullopt;
    const auto size = in.tellg();
    if (size < 0) return std::nullopt;
    std::string content(static_cast<std::size_t>(size), '\0');
    in.seekg(0);
    if (!in.read(content.data(), size)) return std::nullopt;
    return content;
}

}  // namespace complaintd::center
