#include "center/search_text.h"

#include <vector>

namespace complaintd::center {
namespace {

enum class Kind { Separator, Word, Cjk };

struct CodePoint {
    char32_t value;
    std::string_view bytes;
};

// One code point at `i` (an invalid byte is taken alone, as a separator).
CodePoint next(std::string_view s, std::size_t& i) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t length = lead < 0x80         ? 1
                               : (lead >> 5) == 6  ? 2
                               : (lead >> 4) == 14 ? 3
                               : (lead >> 3) == 30 ? 4
                                                   : 0;
    if (length == 0 || i + length > s.size()) return {0xFFFD, s.substr(i++, 1)};
    char32_t value = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
        const auto c = static_cast<unsigned char>(s[i + k]);
        if ((c >> 6) != 2) return {0xFFFD, s.substr(i++, 1)};
        value = (value << 6) | (c & 0x3F);
    }
    const CodePoint cp{value, s.substr(i, length)};
    i += length;
    return cp;
}

Kind kindOf(char32_t c) {
    if ((c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF) ||
        (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF))
        return Kind::Cjk;
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return Kind::Word;
    // Other letters (accented Latin, Greek, Cyrillic) as word characters; punctuation, symbols and
    // the CJK punctuation and full-width forms separate.
    if (c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7) return Kind::Word;
    return Kind::Separator;
}

// The runs of `text`: each a word or a CJK run, as its tokens.
struct Run {
    Kind kind;
    std::vector<std::string> units;  // characters of a CJK run; the one word of a word run
};

std::vector<Run> runsOf(std::string_view text) {
    std::vector<Run> runs;
    for (std::size_t i = 0; i < text.size();) {
        const auto cp = next(text, i);
        const auto kind = kindOf(cp.value);
        if (kind == Kind::Separator) {
            runs.push_back({Kind::Separator, {}});
            continue;
        }
        if (runs.empty() || runs.back().kind != kind) runs.push_back({kind, {}});
        auto& run = runs.back();
        std::string unit(cp.bytes);
        if (kind == Kind::Word) {
            if (unit.size() == 1 && unit[0] >= 'A' && unit[0] <= 'Z') unit[0] = char(unit[0] - 'A' + 'a');
            if (run.units.empty()) run.units.emplace_back();
            run.units.front() += unit;
        } else {
            run.units.push_back(std::move(unit));
        }
    }
    std::vector<Run> kept;
    for (auto& run : runs)
        if (run.kind != Kind::Separator) kept.push_back(std::move(run));
    return kept;
}

std::vector<std::string> tokensOf(const Run& run) {
    if (run.kind == Kind::Word || run.units.size() == 1) return run.units;
    std::vector<std::string> pairs;
    for (std::size_t k = 0; k + 1 < run.units.size(); ++k) pairs.push_back(run.units[k] + run.units[k + 1]);
    return pairs;
}

}  // namespace

std::string searchTokens(std::string_view text) {
    std::string out;
    for (const auto& run : runsOf(text))
        for (const auto& token : tokensOf(run)) out += (out.empty() ? "" : " ") + token;
    return out;
}

std::optional<std::string> searchMatch(std::string_view query) {
    std::string match;
    for (const auto& run : runsOf(query)) {
        if (run.kind == Kind::Cjk && run.units.size() == 1) return std::nullopt;
        std::string phrase;
        for (const auto& token : tokensOf(run)) phrase += (phrase.empty() ? "" : " ") + token;
        match += (match.empty() ? "\"" : " AND \"") + phrase + "\"";
    }
    if (match.empty()) return std::nullopt;
    return match;
}

}  // namespace complaintd::center
