// Charset conversion, RFC 2047 header decoding and HTML reduction: the pieces
// of mail decoding that are useful on their own (and to tests).
//
// Untrusted input; nothing here throws for bad bytes. Lossy conversion is
// reported through `lossy`, never silent.
#pragma once

#include <string>
#include <string_view>

namespace complaintd::parsers {

struct DecodedText {
    std::string utf8;
    bool lossy = false;  // some bytes could not be converted and were replaced by U+FFFD
};

// Converts bytes in `charset` (a MIME label such as "big5", "gb2312", "iso-8859-1")
// to UTF-8 with iconv. Labels are mapped to their practical supersets
// (big5 -> CP950 with BIG5-HKSCS for what CP950 lacks, gb2312/gbk -> GB18030,
// ks_c_5601-1987 -> CP949, iso-8859-1 -> windows-1252). An unknown or empty label
// decodes as UTF-8. Each byte that cannot be converted becomes U+FFFD and sets
// lossy; the result is always valid UTF-8.
DecodedText toUtf8(std::string_view bytes, std::string_view charset);

// Decodes RFC 2047 encoded words (B and Q) in an unfolded header value to UTF-8.
// Adjacent encoded words are joined without the white space between them, and
// bytes of one multi-byte character split across two words are joined before
// conversion. Unencoded 8-bit text is taken as UTF-8 (lossy where it is not).
// Malformed words stay as written.
DecodedText decodeHeaderValue(std::string_view raw);

// Reduces an HTML document or fragment, already converted to UTF-8 (a <meta>
// charset is ignored), to plain text: block elements and <br> become line
// breaks, table cells are tab-separated, entities are decoded, script, style
// and head are dropped, runs of blank lines collapse to one.
std::string htmlToText(std::string_view html);

}  // namespace complaintd::parsers
