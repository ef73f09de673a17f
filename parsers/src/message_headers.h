// Reading the header fields complaintd keeps, for the outer message and for
// each forwarded one. Private.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "parsers/mime_parser.h"

namespace mimetic {
struct Header;
}

namespace complaintd::parsers::detail {

struct HeaderFields {
    Mailbox from;
    std::vector<Mailbox> to;
    std::vector<Mailbox> cc;
    std::string subject;  // UTF-8, unfolded, trimmed
    std::optional<std::chrono::sys_seconds> date;
    std::string messageId;
    std::string inReplyTo;
    std::vector<std::string> references;
};

// The outer message must name its sender; a forwarded one (often just the
// headers of a bounced letter) need not.
enum class FromHeader { Required, Optional };

// Reads `header`. 8-bit text without a charset is read in `hint` (the charset
// the message's text was in) or a guessed one. Defects go to `defects`, each
// starting with `defectPrefix` ("" or "forwarded message in part 2: ").
HeaderFields readHeaderFields(const mimetic::Header& header, const std::string& hint, FromHeader from,
                              const std::string& defectPrefix, std::vector<std::string>& defects);

}  // namespace complaintd::parsers::detail
