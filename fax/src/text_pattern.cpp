#include "fax/text_pattern.h"

#include <algorithm>

#include "cases/error.h"
#include "fax/fax_number.h"

namespace complaintd::fax {
namespace {

constexpr std::size_t kMaxNumberBytes = 64;  // "+886 (0)6 505 0777" in full-width forms (3 bytes each) fits
constexpr std::size_t kMaxTimeBytes = 64;
constexpr std::size_t kMaxPagesDigits = 4;

std::string lowerAscii(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string_view trimSpaces(std::string_view text) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    return text;
}

// Spaces and quotes around a value: `eFax message from "0265050777"`.
std::string_view trimEdges(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '"' || text.front() == '\'')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '"' || text.back() == '\'')) text.remove_suffix(1);
    return text;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// The longest normalisable number at the start of `region` (or at its end when `fromEnd`).
std::optional<std::pair<std::string, std::string>> longestNumber(std::string_view region, bool fromEnd) {
    if (region.size() > kMaxNumberBytes)
        region = fromEnd ? region.substr(region.size() - kMaxNumberBytes) : region.substr(0, kMaxNumberBytes);
    for (std::size_t length = region.size(); length > 0; --length) {
        const auto candidate = trimSpaces(fromEnd ? region.substr(region.size() - length) : region.substr(0, length));
        if (candidate.size() != length) continue;  // the same text with a space more was tried already
        if (auto number = normaliseFaxNumber(candidate)) return std::pair{*number, std::string(candidate)};
    }
    return std::nullopt;
}

}  // namespace

std::string normaliseLine(std::string_view line) {
    std::string out;
    bool space = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        std::size_t width = 0;
        if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\n' || line[i] == '\f') width = 1;
        if (line.substr(i, 2) == "\xC2\xA0") width = 2;      // no-break space
        if (line.substr(i, 3) == "\xE3\x80\x80") width = 3;  // ideographic space
        if (width > 0) {
            space = !out.empty();
            i += width - 1;
            continue;
        }
        if (space) out += ' ';
        space = false;
        if (line.substr(i, 3) == "\xEF\xBC\x9A") {  // full-width colon
            out += ':';
            i += 2;
            continue;
        }
        out += line[i];
    }
    return out;
}

TextPattern TextPattern::compile(std::string_view pattern) {
    TextPattern compiled;
    compiled.text_ = std::string(pattern);
    const std::string text = normaliseLine(pattern);
    std::string literal;
    for (std::size_t i = 0; i < text.size(); ++i) {
        Hole hole = Hole::Any;
        if (text[i] == '{') {
            const auto close = text.find('}', i);
            const std::string name = close == std::string::npos ? text.substr(i) : text.substr(i, close - i + 1);
            if (name == "{number}")
                hole = Hole::Number;
            else if (name == "{pages}")
                hole = Hole::Pages;
            else if (name == "{time}")
                hole = Hole::Time;
            else
                throw ConfigError("unknown placeholder `" + name + "` (use {number}, {pages} or {time})");
            if (compiled.has(hole)) throw ConfigError(name + " given twice in one pattern");
            i = close;
        } else if (text[i] != '*') {
            literal += text[i];
            continue;
        }
        const auto trimmed = trimSpaces(literal);
        if (trimmed.empty() && !compiled.holes_.empty())
            throw ConfigError("two placeholders or `*` need text between them");
        compiled.literals_.push_back(lowerAscii(trimmed));
        compiled.holes_.push_back(hole);
        literal.clear();
    }
    compiled.literals_.push_back(lowerAscii(trimSpaces(literal)));
    if (std::all_of(compiled.literals_.begin(), compiled.literals_.end(), [](auto& l) { return l.empty(); }))
        throw ConfigError("a pattern needs some text besides placeholders and `*`");
    return compiled;
}

bool TextPattern::has(Hole hole) const { return std::find(holes_.begin(), holes_.end(), hole) != holes_.end(); }

bool TextPattern::fill(Hole hole, std::string_view region, bool leading, PatternMatch& out) const {
    region = trimEdges(region);
    switch (hole) {
        case Hole::Any:
            return true;
        case Hole::Number: {
            auto found = longestNumber(region, leading);
            if (!found) return false;
            out.number = std::move(found->first);
            out.numberAsWritten = std::move(found->second);
            return true;
        }
        case Hole::Pages: {
            std::size_t count = 0;
            while (count < region.size() && isDigit(leading ? region[region.size() - 1 - count] : region[count]))
                ++count;
            if (count == 0 || count > kMaxPagesDigits) return false;
            const auto digits = leading ? region.substr(region.size() - count) : region.substr(0, count);
            out.pages = std::stoi(std::string(digits));
            return true;
        }
        case Hole::Time:
            if (region.empty() || region.size() > kMaxTimeBytes) return false;
            out.time = std::string(region);
            return true;
    }
    return false;
}

std::optional<PatternMatch> TextPattern::matchFrom(const std::string& line, const std::string& lower, std::size_t from,
                                                   std::size_t& next) const {
    next = std::string::npos;
    const std::size_t first = literals_[0].empty() ? 1 : 0;
    const auto start = lower.find(literals_[first], from);
    if (start == std::string::npos) return std::nullopt;
    std::vector<Region> regions(holes_.size());
    if (first == 1) regions[0] = {0, start};
    std::size_t pos = start + literals_[first].size();
    for (std::size_t i = first; i < holes_.size(); ++i) {
        const std::string& after = literals_[i + 1];
        const auto end = after.empty() ? lower.size() : lower.find(after, pos);
        if (end == std::string::npos) return std::nullopt;  // starting later cannot find it either
        regions[i] = {pos, end};
        pos = end + after.size();
    }
    next = start + 1;
    PatternMatch match;
    for (std::size_t i = 0; i < holes_.size(); ++i) {
        const std::string_view region =
            std::string_view(line).substr(regions[i].begin, regions[i].end - regions[i].begin);
        if (!fill(holes_[i], region, i == 0 && first == 1, match)) return std::nullopt;
    }
    return match;
}

std::optional<PatternMatch> TextPattern::match(std::string_view rawLine) const {
    const std::string line = normaliseLine(rawLine);
    const std::string lower = lowerAscii(line);
    for (std::size_t from = 0; from != std::string::npos;) {
        std::size_t next = 0;
        if (auto found = matchFrom(line, lower, from, next)) return found;
        from = next;
    }
    return std::nullopt;
}

}  // namespace complaintd::fax
