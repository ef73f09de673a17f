// Private helpers for reading what people type into a form: UTF-8 code
// points, folding full-width forms to ASCII, and trimming the many kinds of
// white space a CJK mail client produces. Input is untrusted text; every
// function accepts invalid UTF-8 (a bad byte is taken as one code point).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace complaintd::documents::detail {

// The code point starting at `pos` and its length in bytes (1 for an invalid byte).
char32_t codePointAt(std::string_view text, std::size_t pos, std::size_t& length);

void appendUtf8(std::string& out, char32_t cp);

// Full-width ASCII (Ｖ, １, －, ：) to ASCII, the ideographic space to a space, other dashes to '-',
// ASCII letters to lower case. Everything else is kept.
std::string foldWidth(std::string_view text);

// One code point folded as foldWidth folds it, without building a string.
char32_t foldCodePoint(char32_t cp);

// foldWidth, then every kind of white space removed: the form used to compare a label.
std::string matchKey(std::string_view text);

// Leading and trailing ASCII and ideographic white space removed.
std::string_view trimSpace(std::string_view text);

bool isSpaceCodePoint(char32_t cp);

// Splits at '\n', dropping a trailing '\r' from each line.
std::vector<std::string_view> splitLines(std::string_view text);

// Number of code points.
std::size_t codePointCount(std::string_view text);

}  // namespace complaintd::documents::detail
