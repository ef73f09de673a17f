// Small ASCII and UTF-8 helpers shared by the parser sources. Private.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace complaintd::parsers::detail {

// Where something was found: bytes [begin, end) of the text searched.
struct TextSpan {
    std::size_t begin = 0;
    std::size_t end = 0;
};

// U+FFFD REPLACEMENT CHARACTER, the mark left where bytes could not be decoded.
inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

std::string asciiLower(std::string_view text);
bool equalsIgnoreCase(std::string_view a, std::string_view b);
bool startsWithIgnoreCase(std::string_view text, std::string_view prefix);
bool isMailWhitespace(char c);  // space, tab, CR, LF
std::string_view trimWhitespace(std::string_view text);

// Strict RFC 3629 check: no overlong forms, surrogates or code points past U+10FFFF.
bool isValidUtf8(std::string_view bytes);

// Copies valid UTF-8 through and replaces each byte that does not start a valid
// sequence with U+FFFD. Sets `lossy` when it replaced anything.
std::string repairUtf8(std::string_view bytes, bool& lossy);

// Same, for text that should already be UTF-8 and whose loss is not reported.
std::string repairUtf8(std::string_view bytes);

// The code point of the valid UTF-8 sequence at `pos`, advancing `pos` past it.
// For an invalid byte: U+FFFD, advancing one byte.
char32_t nextCodePoint(std::string_view utf8, std::size_t& pos);

std::size_t codePoints(std::string_view utf8);
// A CJK unified ideograph (the Han characters names and addresses are written in).
bool isHan(char32_t c);
// Every character of `utf8` is Han (false for empty text).
bool allHan(std::string_view utf8);

// Breaks every line longer than `maxBytes` (at a character boundary, so a
// piece may be up to three bytes shorter). Returns how many lines it broke.
std::size_t breakLongLines(std::string& text, std::size_t maxBytes);

// Cuts `text` to at most `maxBytes` at a character boundary; true if it cut.
bool cutAtCharacter(std::string& text, std::size_t maxBytes);

// Full-width ASCII forms (０９１２, （, ：, ＃) become ASCII, the ideographic
// space a space and the many dashes '-': Chinese text writes numbers and
// labels either way.
std::string foldWidth(std::string_view utf8);

// The same, and for every byte of the result the offset in `utf8` it came from, plus
// utf8.size() at the end: a span found in the folded text is origin[begin], origin[end] in `utf8`.
std::string foldWidth(std::string_view utf8, std::vector<std::size_t>& origin);

// Appends the UTF-8 form of `c`.
void appendUtf8(std::string& out, char32_t c);

// CRLF and lone CR become LF.
std::string normaliseLineEnds(std::string_view text);

}  // namespace complaintd::parsers::detail
