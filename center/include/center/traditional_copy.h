// Simplified Chinese mail is routed by the same Traditional keywords as the rest: the rules match
// a copy of the text converted to Taiwan's characters and idioms (OpenCC's s2twp: 软件 -> 軟體,
// 路灯 -> 路燈) as well as the text as sent. The copy is for matching only; what is stored and
// shown stays as the complainant wrote it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace complaintd::center {

class TraditionalCopy {
public:
    // Loads OpenCC's s2twp.json; ConfigError naming the package when it cannot.
    TraditionalCopy();

    // The converted copy of the first kMaxBytes of `utf8` (a longer text is matched as sent
    // beyond that: the conversion costs time in proportion, a hostile message is bounded).
    std::string of(std::string_view utf8) const;
    static constexpr std::size_t kMaxBytes = 64 * 1024;

private:
    std::shared_ptr<void> converter_;  // opencc_t, closed with the last copy of the book
};

}  // namespace complaintd::center
