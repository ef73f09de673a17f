#include "text_util.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace complaintd::parsers::detail {

namespace {

char lowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence starting at `pos`, or 0 if none starts there.
std::size_t validSequenceLength(std::string_view s, std::size_t pos) {
    const auto c0 = static_cast<unsigned char>(s[pos]);
    if (c0 < 0x80) return 1;
    std::size_t len = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if ((c0 & 0xE0) == 0xC0) {
        len = 2, min = 0x80, cp = c0 & 0x1F;
    } else if ((c0 & 0xF0) == 0xE0) {
        len = 3, min = 0x800, cp = c0 & 0x0F;
    } else if ((c0 & 0xF8) == 0xF0) {
        len = 4, min = 0x10000, cp = c0 & 0x07;
    } else {
        return 0;
    }
    if (pos + len > s.size()) return 0;
    for (std::size_t i = 1; i < len; ++i) {
        const auto c = static_cast<unsigned char>(s[pos + i]);
        if (!isContinuation(c)) return 0;
        cp = (cp << 6) | (c & 0x3F);
    }
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    if (cp < min || cp > 0x10FFFF || surrogate) return 0;
    return len;
}

}  // namespace

std::string asciiLower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = lowerAscii(c);
    return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lowerAscii(a[i]) != lowerAscii(b[i])) return false;
    }
    return true;
}

bool startsWithIgnoreCase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && equalsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

bool isMailWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trimWhitespace(std::string_view text) {
    while (!text.empty() && isMailWhitespace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isMailWhitespace(text.back())) text.remove_suffix(1);
    return text;
}

namespace {

// Offset of the first byte at or after `pos` that is not ASCII, eight at a time.
std::size_t skipAscii(std::string_view bytes, std::size_t pos) {
    while (pos + 8 <= bytes.size()) {
        std::uint64_t word;
        std::memcpy(&word, bytes.data() + pos, sizeof word);
        if ((word & 0x8080808080808080ULL) != 0) break;
        pos += 8;
    }
    while (pos < bytes.size() && static_cast<unsigned char>(bytes[pos]) < 0x80) ++pos;
    return pos;
}

}  // namespace

bool isValidUtf8(std::string_view bytes) {
    for (std::size_t pos = skipAscii(bytes, 0); pos < bytes.size(); pos = skipAscii(bytes, pos)) {
        const std::size_t len = validSequenceLength(bytes, pos);
        if (len == 0) return false;
        pos += len;
    }
    return true;
}

std::string repairUtf8(std::string_view bytes, bool& lossy) {
    if (isValidUtf8(bytes)) return std::string(bytes);
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t pos = 0; pos < bytes.size();) {
        const std::size_t len = validSequenceLength(bytes, pos);
        if (len == 0) {
            out += kReplacementChar;
            lossy = true;
            ++pos;
        } else {
            out.append(bytes.substr(pos, len));
            pos += len;
        }
    }
    return out;
}

std::string repairUtf8(std::string_view bytes) {
    bool ignored = false;
    return repairUtf8(bytes, ignored);
}

char32_t nextCodePoint(std::string_view utf8, std::size_t& pos) {
    const std::size_t len = validSequenceLength(utf8, pos);
    if (len == 0) {
        ++pos;
        return 0xFFFD;
    }
    const auto c0 = static_cast<unsigned char>(utf8[pos]);
    char32_t cp = len == 1 ? c0 : len == 2 ? (c0 & 0x1F) : len == 3 ? (c0 & 0x0F) : (c0 & 0x07);
    for (std::size_t i = 1; i < len; ++i) cp = (cp << 6) | (static_cast<unsigned char>(utf8[pos + i]) & 0x3F);
    pos += len;
    return cp;
}

namespace {

// The largest cut point <= `pos` that does not split a UTF-8 sequence.
std::size_t characterBoundary(std::string_view text, std::size_t pos) {
    std::size_t cut = pos;
    while (cut > 0 && pos - cut < 3 && isContinuation(static_cast<unsigned char>(text[cut]))) --cut;
    return isContinuation(static_cast<unsigned char>(text[cut])) ? pos : cut;
}

}  // namespace

std::size_t breakLongLines(std::string& text, std::size_t maxBytes) {
    if (maxBytes == 0 || text.size() <= maxBytes) return 0;
    std::string out;
    std::size_t broken = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        end = end == std::string::npos ? text.size() : end;
        bool wasBroken = false;
        while (end - start > maxBytes) {
            std::size_t cut = characterBoundary(text, start + maxBytes);
            if (cut <= start) cut = start + maxBytes;
            out.append(text, start, cut - start);
            out += '\n';
            start = cut;
            wasBroken = true;
        }
        broken += wasBroken ? 1 : 0;
        out.append(text, start, end - start);
        if (end < text.size()) out += '\n';
        start = end + 1;
    }
    if (broken > 0) text = std::move(out);
    return broken;
}

bool cutAtCharacter(std::string& text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) return false;
    text.resize(maxBytes == 0 ? 0 : characterBoundary(text, maxBytes));
    return true;
}

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

namespace {

// The ASCII form of a full-width form, ideographic space or dash; 0 for anything else.
char foldedCharacter(char32_t c) {
    if (c >= 0xFF01 && c <= 0xFF5E) return static_cast<char>(c - 0xFEE0);
    if (c == 0x3000) return ' ';
    if ((c >= 0x2010 && c <= 0x2015) || c == 0x2212 || c == 0xFE63) return '-';
    return 0;
}

// Folds `utf8`; when `origin` is given, records for each output byte the offset it came from.
std::string fold(std::string_view utf8, std::vector<std::size_t>* origin) {
    std::string out;
    out.reserve(utf8.size());
    if (origin) origin->reserve(utf8.size() + 1);
    std::size_t copied = 0;  // utf8[copied, pos) is still to be copied as it is
    const auto copyUpTo = [&](std::size_t pos) {
        out.append(utf8, copied, pos - copied);
        if (origin)
            for (std::size_t i = copied; i < pos; ++i) origin->push_back(i);
    };
    for (std::size_t pos = 0; pos + 3 <= utf8.size(); ++pos) {
        // Everything folded is a 3-byte sequence led by E2, E3 or EF.
        const auto lead = static_cast<unsigned char>(utf8[pos]);
        if (lead != 0xE2 && lead != 0xE3 && lead != 0xEF) continue;
        std::size_t next = pos;
        const char folded = foldedCharacter(nextCodePoint(utf8, next));
        if (folded == 0) continue;
        copyUpTo(pos);
        out += folded;
        if (origin) origin->push_back(pos);
        copied = next;
        pos = next - 1;
    }
    copyUpTo(utf8.size());
    if (origin) origin->push_back(utf8.size());
    return out;
}

}  // namespace

std::string foldWidth(std::string_view utf8) { return fold(utf8, nullptr); }

std::string foldWidth(std::string_view utf8, std::vector<std::size_t>& origin) {
    origin.clear();
    return fold(utf8, &origin);
}

std::string normaliseLineEnds(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r') {
            out += text[i];
            continue;
        }
        out += '\n';
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
    return out;
}

std::size_t codePoints(std::string_view utf8) {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < utf8.size(); ++count) nextCodePoint(utf8, pos);
    return count;
}

bool isHan(char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }

bool allHan(std::string_view utf8) {
    if (utf8.empty()) return false;
    for (std::size_t pos = 0; pos < utf8.size();)
        if (!isHan(nextCodePoint(utf8, pos))) return false;
    return true;
}

}  // namespace complaintd::parsers::detail
