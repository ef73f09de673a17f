// Whole-file reads for the shell's small files (rules, templates, secrets,
// dropped messages).
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace complaintd::daemon {

// The bytes of `path`, or nullopt when it cannot be opened.
inline std::optional<std::string> fileContents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream content;
    content << in.rdbuf();
    return content.str();
}

}  // namespace complaintd::daemon
