// Detailed form of decodeHeaderValue for the parser, which must name the
// charset that lost bytes in its defects. Private.
#pragma once

#include <string>
#include <string_view>

#include "charset_detection.h"

namespace complaintd::parsers::detail {

struct HeaderText {
    std::string utf8;
    bool lossy = false;
    std::string lossyCharset;    // label of the first run that lost bytes, e.g. "big5"
    std::string guessedCharset;  // label guessed for 8-bit text without a (working) one
};

// Label used in defects for 8-bit header bytes that carry no charset at all.
inline constexpr std::string_view kUnlabelled8Bit = "unlabelled 8-bit";

// With a guesser, 8-bit text that is not UTF-8 and encoded words whose
// charset fails are read in the guessed charset where one fits.
HeaderText decodeHeaderText(std::string_view raw, const CharsetGuesser* guesser = nullptr);

// Lower case, quotes and blanks removed, RFC 2231 "*language" suffix dropped.
std::string canonicalCharset(std::string_view label);

}  // namespace complaintd::parsers::detail
