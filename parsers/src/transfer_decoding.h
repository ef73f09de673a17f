// Content-Transfer-Encoding decoding, tolerant of damaged input, and uuencoded
// blocks inside plain text. Private.
//
// Decoded here rather than by mimetic, whose Debian 0.9.8 base64 codec reads out
// of bounds, or by Poco's stream decoders, which throw on damage and are slow.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace complaintd::parsers::detail {

struct TransferDecoded {
    std::string data;
    std::string problem;   // English fragment such as "damaged base64"; empty when clean
    std::string fileName;  // from a uuencode "begin 644 name" line, still raw bytes
};

// Lower case, quotes and anything after ';' dropped, blanks turned into '-':
// "Quoted Printable;" becomes "quoted-printable".
std::string normaliseEncodingName(std::string_view encoding);

// base64, quoted-printable and uuencode (x-uuencode, x-uue) are decoded; 7bit,
// 8bit, binary and anything unknown pass through unchanged, the unknown with a
// problem noted.
TransferDecoded decodeTransfer(std::string_view body, std::string_view encoding);

// One "begin MODE NAME" ... "end" block found in plain text.
struct UuencodedBlock {
    std::string fileName;  // raw bytes as written on the begin line
    std::string data;
    bool damaged = false;  // bad line lengths or no "end" line
};

struct UuencodeSplit {
    std::string text;  // the text with every block removed
    std::vector<UuencodedBlock> blocks;
};

// Finds uuencoded blocks written straight into a text body (pre-MIME mailers
// still do this) and takes them out. Returns no blocks, and the text
// untouched, when there is no "begin" line with a matching "end".
UuencodeSplit splitUuencoded(std::string_view text);

}  // namespace complaintd::parsers::detail
