#include "fax/ocr_text.h"

#include <algorithm>
#include <vector>

namespace complaintd::fax {
namespace {

// One character of the text: its bytes and whether it is CJK.
struct Glyph {
    std::string_view bytes;
    bool cjk = false;
};

bool isCjk(char32_t c) {
    return (c >= 0x2E80 && c <= 0x2FDF) ||  // radicals
           (c >= 0x3001 && c <= 0x303F) ||  // CJK punctuation (、。「」), not the ideographic space
           (c >= 0x3100 && c <= 0x312F) ||  // Bopomofo
           (c >= 0x31A0 && c <= 0x31BF) ||  // Bopomofo extended
           (c >= 0x3400 && c <= 0x4DBF) ||  // extension A
           (c >= 0x4E00 && c <= 0x9FFF) ||  // unified ideographs
           (c >= 0xF900 && c <= 0xFAFF) ||  // compatibility ideographs
           (c >= 0xFE30 && c <= 0xFE4F) ||  // vertical forms
           (c >= 0xFF01 && c <= 0xFF60) ||  // full-width forms (，：（）)
           (c >= 0x20000 && c <= 0x3134F);  // extensions B-G
}

std::vector<Glyph> glyphs(std::string_view text) {
    std::vector<Glyph> out;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i]);
        const std::size_t length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        bool valid = i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
        if (!valid) {  // passed through byte by byte
            out.push_back({text.substr(i, 1), false});
            ++i;
            continue;
        }
        char32_t c = length == 1 ? lead : lead & (0xFF >> (length + 1));
        for (std::size_t k = 1; k < length; ++k) c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
        out.push_back({text.substr(i, length), length > 1 && isCjk(c)});
        i += length;
    }
    return out;
}

bool isSpace(const Glyph& g) {
    return g.bytes == " " || g.bytes == "\t" || g.bytes == "\r" || g.bytes == "\u3000";  // ideographic space
}

// Tesseract often gives ASCII punctuation for the full-width marks of Chinese
// text ("不亮, 晚上"); after a CJK character they become full-width ("不亮，晚上").
void widenPunctuation(std::vector<Glyph>& text) {
    static constexpr std::string_view kAscii = ",:;!?";
    static constexpr std::string_view kWide[] = {"\uFF0C", "\uFF1A", "\uFF1B", "\uFF01", "\uFF1F"};
    for (std::size_t i = 1; i < text.size(); ++i) {
        const auto pos = text[i].bytes.size() == 1 ? kAscii.find(text[i].bytes[0]) : std::string_view::npos;
        if (pos != std::string_view::npos && text[i - 1].cjk) text[i] = {kWide[pos], true};
    }
}

// Drops each run of spaces, or a single line break with optional spaces,
// that stands between two CJK characters.
std::string joinCjk(const std::vector<Glyph>& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t j = i;
        int breaks = 0;
        while (j < text.size() && (isSpace(text[j]) || text[j].bytes == "\n")) breaks += text[j++].bytes == "\n";
        if (j == i) {
            out += text[i++].bytes;
            continue;
        }
        const bool between = i > 0 && text[i - 1].cjk && j < text.size() && text[j].cjk;
        if (!(between && breaks <= 1))
            for (std::size_t k = i; k < j; ++k) out += text[k].bytes;
        i = j;
    }
    return out;
}

// Trims line ends, keeps at most one blank line, trims the whole.
std::string tidyLines(std::string_view text) {
    std::string out;
    int blank = 0;
    while (!text.empty()) {
        const auto end = std::min(text.find('\n'), text.size());
        std::string_view line = text.substr(0, end);
        text.remove_prefix(std::min(end + 1, text.size()));
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
            line.remove_suffix(1);
        if (line.empty()) {
            ++blank;
            continue;
        }
        if (!out.empty()) out += blank > 0 ? "\n\n" : "\n";
        out += line;
        blank = 0;
    }
    return out;
}

}  // namespace

std::string tidyOcrText(std::string_view text) {
    auto characters = glyphs(text);
    widenPunctuation(characters);
    return tidyLines(joinCjk(characters));
}

}  // namespace complaintd::fax
