// Turns the raw bytes of one Internet message into the fields complaintd needs:
// addresses, subject, threading ids, the text body (UTF-8) and attachments.
//
// Untrusted input. The parser never throws on malformed mail: what it could not
// read becomes a defect on the result, and only a message with nothing usable in
// it (no header at all, over the size limit) is a ParseFailure, which the caller
// quarantines. Limits are checked before and while parsing.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "parsers/contact_details.h"

namespace complaintd::parsers {

// Named limits with defaults (Postfix-style); every one is a configuration key.
// Over maxMessageBytes or maxHeaderBytes the message is a ParseFailure; past
// maxMimeDepth or maxParts the walk stops descending and adds a defect. Text
// lines (body and subject) longer than maxLineBytes are broken (the subject
// cut) at a character boundary, with a defect. An attachment larger than
// maxAttachmentBytes once decoded is listed without its data, with a defect.
struct ParseLimits {
    std::size_t maxMessageBytes = 25 * 1024 * 1024;
    std::size_t maxHeaderBytes = 1024 * 1024;
    int maxMimeDepth = 20;
    int maxParts = 500;
    std::size_t maxLineBytes = 64 * 1024;
    std::size_t maxAttachmentBytes = 20 * 1024 * 1024;
};

struct Mailbox {
    std::string name;     // display name, UTF-8, may be empty
    std::string address;  // local@domain as written, may be empty
};

struct Attachment {
    std::string filename;     // UTF-8, as the sender named it; never a filesystem path
    std::string contentType;  // lower case, e.g. "image/tiff"
    std::string data;         // transfer-decoded bytes; empty when overLimit
    std::string part;         // MIME part number as used in defects, e.g. "2" or "1.3"
    bool overLimit = false;   // over ParseLimits::maxAttachmentBytes: data not kept (the raw message has it)
};

// Where textBody came from: the first non-blank inline text/plain part (with
// later inline text/plain parts that are not alternatives of one already
// taken), else the first text/html part reduced to text, else nothing.
enum class BodySource { Plain, Html, None };

// A message forwarded as an attachment (message/rfc822 or message/global): a
// complaint passed on by another office, or by the complainant. Its own
// sender, subject and text, read like the outer message's.
struct ForwardedMessage {
    std::string part;  // MIME part number of the message/rfc822 part, e.g. "2"
    Mailbox from;
    std::vector<Mailbox> to;
    std::string subject;
    std::optional<std::chrono::sys_seconds> date;
    std::string messageId;
    std::string textBody;  // UTF-8, LF line ends
    BodySource bodySource = BodySource::None;
};

// A text part whose bytes did not all decode, as sent (transfer-decoded only),
// so that staff can still read it with another tool.
struct UndecodedText {
    std::string part;     // e.g. "1.1"
    std::string charset;  // as declared, "" for none
    std::string bytes;
};

struct ParsedMessage {
    Mailbox from;
    std::vector<Mailbox> to;
    std::vector<Mailbox> cc;
    std::string subject;                           // UTF-8, RFC 2047 decoded, unfolded
    std::optional<std::chrono::sys_seconds> date;  // the Date header, if it parsed
    std::string messageId;                         // without angle brackets, may be empty
    std::string inReplyTo;                         // without angle brackets, may be empty
    std::vector<std::string> references;           // without angle brackets, oldest first
    std::string textBody;                          // UTF-8 text, LF line ends
    BodySource bodySource = BodySource::None;
    std::string bodyCharset;  // the charset textBody was read in (declared or detected), "" for UTF-8/ASCII
    std::vector<Attachment> attachments;
    std::vector<ForwardedMessage> forwarded;    // outermost first, in order of appearance
    std::vector<UndecodedText> undecodedTexts;  // body parts that lost bytes in decoding
    ContactDetails contact;  // from the text and the From name; of the first forwarded message if there is one
    std::vector<std::string> defects;  // English, one line each, e.g. "undecodable bytes in subject (big5)"
};

struct ParseFailure {
    std::string reason;  // English, for staff: why the message was quarantined
};

using ParseResult = std::variant<ParsedMessage, ParseFailure>;

// Parses one message. Never throws for bad input. A ParseFailure means: empty
// input, no header field on the first line (after a byte order mark, blank
// lines or an mbox "From " line), over a size limit, or mimetic threw. Anything
// else, a missing From included, yields a ParsedMessage with defects.
ParseResult parseMessage(std::string_view raw, const ParseLimits& limits = {});

}  // namespace complaintd::parsers
