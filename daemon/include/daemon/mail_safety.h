// Which incoming messages must never get an automatic letter: auto-replies,
// bulk and list mail, and bounces (RFC 3834 and the headers mail systems use
// in practice). Answering them is how ticket systems end up in mail loops.
// Pure: reads the raw message; every function here is linear in its size.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace complaintd::daemon {

enum class AutomatedKind {
    AutoReply,  // out of office, auto-responders, bulk and list mail
    Bounce,     // a delivery status notification (DSN) or a mailer-daemon message
};

struct Automated {
    AutomatedKind kind;
    std::string reason;  // e.g. "Auto-Submitted: auto-replied", "Precedence: bulk", "null sender"
};

// Nothing for a message a person wrote; otherwise why it is automated.
// `senderAddress` is the From address (an empty one counts as a null sender).
std::optional<Automated> automatedMessage(std::string_view raw, std::string_view senderAddress);

// Message-IDs with the given domain that a bounce quotes of the letter it answers: in the header
// block and, when the message has a message/rfc822 or text/rfc822-headers part (a DSN), the header
// block of that quoted message; without such a part, anywhere in the message. At most 20, each
// once, in the order found. Linear in the size of the message, whatever its bytes: it runs on
// mail from anyone, inside the intake transaction.
std::vector<std::string> messageIdsOfDomain(std::string_view raw, std::string_view domain);

}  // namespace complaintd::daemon
