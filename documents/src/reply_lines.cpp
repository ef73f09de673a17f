#include "reply_lines.h"

#include <array>
#include <string>

#include "text_match.h"

namespace complaintd::documents::detail {
namespace {

bool isAnchorSeparator(char32_t cp) {
    // After folding: "．" is '.', "：" is ':', "）" is ')'; "、" stays.
    return cp == '.' || cp == ':' || cp == 0x3001 || cp == '=' || cp == ')' || isSpaceCodePoint(cp);
}

char32_t foldedAt(std::string_view text, std::size_t pos, std::size_t& length) {
    return foldCodePoint(codePointAt(text, pos, length));
}

bool isMark(char32_t cp) {
    // Folded: full-width Ｖ/ｖ/Ｘ/ｘ/Ｏ are already ASCII lower case here.
    constexpr std::array<char32_t, 14> kMarks{U'v',   U'x',   U'o',   0x2713, 0x2714, 0x221A, 0x25CB,
                                              0x25EF, 0x25CF, 0x02C7, 0x2611, 0x2612, 0x2717, 0x2718};
    for (auto m : kMarks)
        if (cp == m) return true;
    return false;
}

// Skips separators and white space at the start of `text` ("6. ", "性別：", "3-1、").
std::string_view skipSeparators(std::string_view text) {
    std::size_t pos = 0, length = 0;
    while (pos < text.size()) {
        const auto cp = foldedAt(text, pos, length);
        if (!isAnchorSeparator(cp) && cp != ',' && cp != 0xFF0C) break;
        pos += length;
    }
    return text.substr(pos);
}

// Parses "6", "3-1" at the start; `used` is the number of bytes read.
std::optional<std::string> questionNumberAt(std::string_view line, std::size_t& used) {
    std::string number;
    std::size_t pos = 0, length = 0;
    while (pos < line.size() && number.size() < 3) {
        const auto cp = foldedAt(line, pos, length);
        if (cp < '0' || cp > '9') break;
        number += static_cast<char>(cp);
        pos += length;
    }
    if (number.empty() || number.size() > 1) return std::nullopt;  // the form's numbers are 1 to 9
    std::size_t dashLength = 0, digitLength = 0;
    if (pos < line.size() && foldedAt(line, pos, dashLength) == '-' && pos + dashLength < line.size()) {
        const auto digit = foldedAt(line, pos + dashLength, digitLength);
        if (digit >= '0' && digit <= '9') {
            number += '-';
            number += static_cast<char>(digit);
            pos += dashLength + digitLength;
        }
    }
    used = pos;
    return number;
}

}  // namespace

std::string_view unquoted(std::string_view line) {
    for (;;) {
        line = trimSpace(line);
        if (!line.starts_with('>')) return line;
        line.remove_prefix(1);
    }
}

bool endsForm(std::string_view line) {
    const auto key = matchKey(line);
    for (std::string_view start : {"-----originalmessage", "-----原始郵件",
                                   "寄件者:", "from:", "sent:", "寄件日期:", "本表填妥後", "-----forwardedmessage"})
        if (key.starts_with(start)) return true;
    // The form's own title starts a copy of the form: nothing above it belongs to its questions.
    if (key.find("客訴案件處理情形調查表") != std::string::npos) return true;
    const bool gmailHeader = key.starts_with("on") && key.ends_with("wrote:");
    return gmailHeader || key.ends_with("寫道:");
}

std::optional<std::string_view> afterPrefix(std::string_view text, std::string_view prefix) {
    const auto want = matchKey(prefix);
    std::size_t matched = 0, pos = 0, length = 0;
    while (matched < want.size()) {
        if (pos >= text.size()) return std::nullopt;
        const auto piece = matchKey(text.substr(pos, (codePointAt(text, pos, length), length)));
        if (!piece.empty()) {
            if (want.compare(matched, piece.size(), piece) != 0) return std::nullopt;
            matched += piece.size();
        }
        pos += length;
    }
    return text.substr(pos);
}

std::optional<Anchor> anchorOf(std::string_view line) {
    std::size_t used = 0;
    if (const auto number = questionNumberAt(line, used)) {
        std::size_t length = 0;
        if (used < line.size() && !isAnchorSeparator(foldedAt(line, used, length))) return std::nullopt;
        const auto rest = trimSpace(skipSeparators(line.substr(used)));
        if (*number == "9") return Anchor{nullptr, rest};
        const auto* q = findQuestion(*number);
        if (!q || !isNumbered(*q)) return std::nullopt;
        return Anchor{q, rest};
    }
    for (const auto& q : surveyQuestions()) {
        if (isNumbered(q)) continue;
        const auto rest = afterPrefix(line, q.label);
        if (!rest) continue;
        std::size_t length = 0;
        const auto next = rest->empty() ? U' ' : foldedAt(*rest, 0, length);
        // "性別（ ）女", "性別：女", "性別 女"; not "職業訓練" in somebody's sentence.
        if (rest->empty() || isAnchorSeparator(next) || next == '(')
            return Anchor{&q, trimSpace(skipSeparators(*rest))};
    }
    return std::nullopt;
}

std::vector<Box> boxesIn(std::string_view line) {
    struct Found {
        std::size_t begin, end;
        bool marked;
    };
    std::vector<Found> found;
    for (std::size_t pos = 0, length = 0; pos < line.size(); pos += length) {
        if (foldedAt(line, pos, length) != '(') continue;
        // The box closes at the next parenthesis; another opening one first means this one held words.
        std::size_t close = pos + length, closeLength = 0;
        char32_t cp = 0;
        while (close < line.size() && (cp = foldedAt(line, close, closeLength)) != ')' && cp != '(')
            close += closeLength;
        if (close >= line.size() || cp != ')') continue;
        const auto content = trimSpace(line.substr(pos + length, close - pos - length));
        std::size_t markLength = 0;
        const bool empty = content.empty();
        const bool mark = !empty && isMark(foldedAt(content, 0, markLength)) && markLength == content.size();
        if (!empty && !mark) continue;  // "（可複選）", "（醫師、律師、會計師等）": words, not a box
        found.push_back({pos, close + closeLength, mark});
        length = close + closeLength - pos;
    }
    std::vector<Box> boxes;
    for (std::size_t i = 0; i < found.size(); ++i) {
        const auto labelEnd = i + 1 < found.size() ? found[i + 1].begin : line.size();
        boxes.push_back({found[i].marked, trimSpace(line.substr(found[i].end, labelEnd - found[i].end))});
    }
    return boxes;
}

}  // namespace complaintd::documents::detail
