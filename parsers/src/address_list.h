// Lenient RFC 5322 address-list parsing. Private.
//
// Addresses are parsed here rather than by mimetic, whose Debian 0.9.8 build
// crashes on a group without its closing ';' (`To: undisclosed-recipients:`).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "charset_detection.h"
#include "parsers/mime_parser.h"

namespace complaintd::parsers::detail {

struct AddressList {
    std::vector<Mailbox> mailboxes;  // group names dropped, their members kept
    bool lossy = false;              // a display name had undecodable bytes
    std::string lossyCharset;
    std::string guessedCharset;  // a display name was 8-bit text read in this guessed charset
};

// Parses an unfolded, still encoded header value such as
// `"=?big5?B?...?=" <a@b.tw>, c@d.tw (Chen), team: e@f.tw;`.
// `guesser` reads display names written in 8-bit without a charset.
AddressList parseAddressList(std::string_view raw, const CharsetGuesser* guesser = nullptr);

}  // namespace complaintd::parsers::detail
