// Content-Transfer-Encoding decoding, tolerant of damaged input. Private.
#pragma once

#include <string>
#include <string_view>

namespace complaintd::parsers::detail {

struct TransferDecoded {
    std::string data;
    std::string problem;  // English fragment such as "damaged base64"; empty when clean
};

// Lower case, quotes and anything after ';' dropped, blanks turned into '-':
// "Quoted Printable;" becomes "quoted-printable".
std::string normaliseEncodingName(std::string_view encoding);

// base64 and quoted-printable are decoded (with Poco); 7bit, 8bit, binary and
// anything unknown pass through unchanged, the unknown with a problem noted.
TransferDecoded decodeTransfer(std::string_view body, std::string_view encoding);

}  // namespace complaintd::parsers::detail
