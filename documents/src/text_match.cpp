#include "text_match.h"

namespace complaintd::documents::detail {

char32_t codePointAt(std::string_view text, std::size_t pos, std::size_t& length) {
    const auto lead = static_cast<unsigned char>(text[pos]);
    std::size_t need = 0;
    char32_t cp = 0;
    if (lead < 0x80) {
        length = 1;
        return lead;
    } else if ((lead & 0xE0) == 0xC0) {
        need = 1;
        cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
        need = 2;
        cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
        need = 3;
        cp = lead & 0x07;
    } else {
        length = 1;
        return 0xFFFD;
    }
    if (pos + need >= text.size()) {  // truncated sequence
        length = 1;
        return 0xFFFD;
    }
    for (std::size_t i = 1; i <= need; ++i) {
        const auto c = static_cast<unsigned char>(text[pos + i]);
        if ((c & 0xC0) != 0x80) {
            length = 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    length = need + 1;
    return cp;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool isSpaceCodePoint(char32_t cp) {
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0xA0 || cp == 0xFEFF ||
           (cp >= 0x2000 && cp <= 0x200B);
}

char32_t foldCodePoint(char32_t cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII block
    if (cp == 0x3000) return ' ';
    // Dashes people type between numbers: hyphen, en and em dash, minus, the form's full-width dash.
    if (cp == 0x2010 || cp == 0x2011 || cp == 0x2012 || cp == 0x2013 || cp == 0x2014 || cp == 0x2212) return '-';
    if (cp >= 'A' && cp <= 'Z') return cp - 'A' + 'a';
    return cp;
}

std::string foldWidth(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0, length = 0; pos < text.size(); pos += length)
        appendUtf8(out, foldCodePoint(codePointAt(text, pos, length)));
    return out;
}

std::string matchKey(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t pos = 0, length = 0; pos < text.size(); pos += length) {
        const auto cp = foldCodePoint(codePointAt(text, pos, length));
        if (!isSpaceCodePoint(cp)) appendUtf8(out, cp);
    }
    return out;
}

std::string_view trimSpace(std::string_view text) {
    std::size_t begin = 0, length = 0;
    while (begin < text.size() && isSpaceCodePoint(codePointAt(text, begin, length))) begin += length;
    std::size_t end = text.size();
    while (end > begin) {
        // Step back to the start of the last code point.
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
        if (!isSpaceCodePoint(codePointAt(text, start, length))) break;
        end = start;
    }
    return text.substr(begin, end - begin);
}

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        auto line = text.substr(start, end - start);
        if (line.ends_with('\r')) line.remove_suffix(1);
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

std::size_t codePointCount(std::string_view text) {
    std::size_t count = 0;
    for (std::size_t pos = 0, length = 0; pos < text.size(); pos += length) {
        codePointAt(text, pos, length);
        ++count;
    }
    return count;
}

}  // namespace complaintd::documents::detail
