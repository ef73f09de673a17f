#include "terminal_text.h"

#include <cstdio>
#include <cstring>
#include <optional>

namespace complaintd::ctl {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// The code point of the valid UTF-8 sequence at `pos` (advancing past it), or nullopt for an
// invalid byte (advancing one). Overlong forms, surrogates and values past U+10FFFF are invalid.
std::optional<char32_t> nextCodePoint(std::string_view text, std::size_t& pos) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t extra = 4;  // not a lead byte
    if (lead < 0x80)
        extra = 0;
    else if (lead >= 0xC2 && lead < 0xE0)
        extra = 1;
    else if (lead >= 0xE0 && lead < 0xF0)
        extra = 2;
    else if (lead >= 0xF0 && lead < 0xF5)
        extra = 3;
    if (extra == 0) return text[pos++];
    if (extra == 4 || pos + extra >= text.size()) {
        ++pos;
        return std::nullopt;
    }
    char32_t cp = lead & (0x3F >> extra);
    for (std::size_t i = 1; i <= extra; ++i) {
        const auto next = static_cast<unsigned char>(text[pos + i]);
        if ((next & 0xC0) != 0x80) {
            ++pos;
            return std::nullopt;
        }
        cp = (cp << 6) | (next & 0x3F);
    }
    constexpr char32_t kSmallest[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kSmallest[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
        ++pos;
        return std::nullopt;
    }
    pos += extra + 1;
    return cp;
}

bool isC1(char32_t c) { return c >= 0x80 && c <= 0x9F; }

// Marks that change the direction text is shown in (U+202E makes "gpj.exe" of "exe.jpg").
bool isBidiControl(char32_t c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

}  // namespace

std::string terminalSafe(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t start = pos;
        const auto cp = nextCodePoint(text, pos);
        if (!cp || isC1(*cp) || isBidiControl(*cp)) {
            out += kReplacement;
        } else if (*cp == '\n' || *cp == '\t' || (*cp == '\r' && pos < text.size() && text[pos] == '\n')) {
            out += static_cast<char>(*cp);
        } else if (*cp < 0x20) {
            out += '^';
            out += static_cast<char>(*cp + 0x40);
        } else if (*cp == 0x7F) {
            out += "^?";
        } else {
            out.append(text.substr(start, pos - start));
        }
    }
    return out;
}

std::string jsonSafe(std::string_view json) {
    std::string out;
    out.reserve(json.size());
    for (std::size_t pos = 0; pos < json.size();) {
        const std::size_t start = pos;
        const auto cp = nextCodePoint(json, pos);
        if (cp && (*cp == 0x7F || isC1(*cp) || isBidiControl(*cp))) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", unsigned(*cp));
            out += escaped;
        } else {
            out.append(json.substr(start, pos - start));
        }
    }
    return out;
}

TerminalSafeBuffer::~TerminalSafeBuffer() { sync(); }

TerminalSafeBuffer::int_type TerminalSafeBuffer::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    pending_ += traits_type::to_char_type(c);
    if (c == '\n') writeCompleteLines();
    return c;
}

std::streamsize TerminalSafeBuffer::xsputn(const char* s, std::streamsize n) {
    pending_.append(s, std::size_t(n));
    if (std::memchr(s, '\n', std::size_t(n))) writeCompleteLines();
    return n;
}

int TerminalSafeBuffer::sync() {
    target_ << terminalSafe(pending_);
    pending_.clear();
    target_.flush();
    return target_ ? 0 : -1;
}

// Whole lines only, so that a character or a CRLF is never split between two writes.
void TerminalSafeBuffer::writeCompleteLines() {
    const std::size_t end = pending_.rfind('\n') + 1;
    target_ << terminalSafe(std::string_view(pending_).substr(0, end));
    pending_.erase(0, end);
}

}  // namespace complaintd::ctl
