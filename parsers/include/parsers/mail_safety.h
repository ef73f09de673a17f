// Which incoming messages must never get an automatic letter: auto-replies,
// bulk and list mail, bounces and mail from the null sender (RFC 3834 and the
// headers mail systems use in practice), and mail the receiving server marked as
// spam. Answering them is how ticket systems end up in mail loops. None of them is
// dropped: intake holds each in a list staff can read and release into a case.
// Pure: reads the raw message; every function here is linear in its size.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaintd::parsers {

enum class AutomatedKind {
    AutoReply,   // out of office, auto-responders, Auto-Submitted
    Bounce,      // a delivery status notification (DSN) or a mailer-daemon message
    List,        // mailing-list and bulk mail
    NullSender,  // Return-Path: <> without DSN content
};

// "auto-reply", "bounce", "list", "null-sender": the kind as complaintctl and the store name it.
std::string_view idOf(AutomatedKind kind);

struct Automated {
    AutomatedKind kind;
    std::string reason;  // e.g. "Auto-Submitted: auto-replied", "Precedence: bulk", "null sender (Return-Path: <>)"
};

// Nothing for a message a person wrote; otherwise why it is automated. `senderAddress` is the From
// address; an empty or unparsable From is a defect of a complaint, not a null sender (that is
// `Return-Path: <>`). `ownDomain` is the center's mail domain: list headers naming it mean the
// complaint came through the center's own group address, not from a list.
std::optional<Automated> automatedMessage(std::string_view raw, std::string_view senderAddress,
                                          std::string_view ownDomain = {});

// A header the receiving server writes on mail it judged to be spam, e.g. X-Spam-Flag: YES.
struct SpamMark {
    std::string header;
    std::string value;  // matches a value that starts with it (case-insensitive), then ends or goes on
                        // with a non-alphanumeric character: "Yes" matches "Yes, score=7.1"
};

// The mark found ("X-Spam-Flag: YES"), checked on every occurrence of the header, or nothing.
// Anyone can write these headers; the only effect is that the message is held for review.
std::optional<std::string> spamMarkOf(std::string_view raw, const std::vector<SpamMark>& marks);

// Message-IDs with the given domain that a bounce quotes of the letter it answers: in the header
// block and, when the message has a message/rfc822 or text/rfc822-headers part (a DSN), the header
// block of that quoted message; without such a part, anywhere in the message. At most 20, each
// once, in the order found. Linear in the size of the message, whatever its bytes: it runs on
// mail from anyone, inside the intake transaction.
std::vector<std::string> messageIdsOfDomain(std::string_view raw, std::string_view domain);

}  // namespace complaintd::parsers
