// Which incoming messages must never get an automatic letter: auto-replies,
// bulk and list mail, and bounces (RFC 3834 and the headers mail systems use
// in practice). Answering them is how ticket systems end up in mail loops.
// Pure: reads the raw header block of the message.
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

// Message-IDs with the given domain found anywhere in the message (a bounce quotes the letter it answers).
std::vector<std::string> messageIdsOfDomain(std::string_view raw, std::string_view domain);

}  // namespace complaintd::daemon
