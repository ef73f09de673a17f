// The patterns of gateways.conf that say how a gateway's mail looks and where
// it writes a value: "Facsimile received from {number}", "Pages: {pages}",
// "FAX={number}@", "Received: {time}".
//
// A pattern is text looked for anywhere in one line (a subject, one body line,
// the From field), ASCII letters compared without regard to case, any run of
// spaces matching any run of spaces, and the full-width colon "：" the same as
// ":". `*` stands for any text. A placeholder
// takes a value from the text where it stands:
//   {number}  the longest telephone number there (fax_number.h), normalised;
//             at the start of the pattern, the longest one ending there
//   {pages}   the digits there
//   {time}    the text there, as written (the gateway's time formats read it)
// Spaces and quotes next to a placeholder or `*` do not matter.
//
// Pure. The line is untrusted: matching is bounded by the line length times
// the number of places the pattern's first text occurs, and values are capped
// in length. Callers cut lines to a sane length first.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaintd::fax {

struct PatternMatch {
    std::string number;           // normalised; empty unless the pattern has {number}
    std::string numberAsWritten;  // the text it came from
    std::optional<int> pages;     // set when the pattern has {pages}
    std::string time;             // as written; empty unless the pattern has {time}
};

class TextPattern {
public:
    // Throws ConfigError (without file and line; the caller adds them) for an
    // unknown {placeholder}, a placeholder given twice, two placeholders or `*`
    // with no text between them, or a pattern with no text at all.
    static TextPattern compile(std::string_view pattern);

    // The first place in `line` where the pattern matches with every
    // placeholder holding a valid value; nullopt when there is none.
    std::optional<PatternMatch> match(std::string_view line) const;

    bool hasNumber() const { return has(Hole::Number); }
    bool hasPages() const { return has(Hole::Pages); }
    bool hasTime() const { return has(Hole::Time); }
    const std::string& text() const { return text_; }

private:
    enum class Hole { Any, Number, Pages, Time };
    struct Region {
        std::size_t begin = 0;
        std::size_t end = 0;
    };

    bool has(Hole hole) const;
    bool fill(Hole hole, std::string_view region, bool leading, PatternMatch& out) const;
    std::optional<PatternMatch> matchFrom(const std::string& line, const std::string& lower, std::size_t from,
                                          std::size_t& next) const;

    std::string text_;
    std::vector<std::string> literals_;  // lower case; literals_[i] precedes holes_[i]; one more than holes_
    std::vector<Hole> holes_;
};

// A line as patterns see it: whitespace runs (tab, CR, U+00A0, U+3000
// included) as one space, trimmed; "：" as ":".
std::string normaliseLine(std::string_view line);

}  // namespace complaintd::fax
