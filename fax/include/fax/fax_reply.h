// Where a letter to a fax complainant goes. Never to the gateway's From
// address (that is the center's own fax machine or a service's robot): by an
// e-mail-to-fax gateway when one is configured, as an address made from the
// complainant's fax number ("{number}@fax.example.tw"), otherwise by post or
// phone, which staff do by hand.
//
// Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>

namespace complaintd::fax {

struct ReplyByFax {
    std::string address;  // e.g. "065050777@fax.example.tw"
};

struct ReplyByPostOrPhone {
    std::string reason;  // English, for staff: why no fax can be sent
};

using ReplyRoute = std::variant<ReplyByFax, ReplyByPostOrPhone>;

class FaxReplyAddressing {
public:
    // `pattern` is the e-mail-to-fax gateway's address with one placeholder in
    // its local part: {number} (the digits dialled in Taiwan, "065050777") or
    // {e164} (country code and number, "88665050777"). Empty: no gateway.
    // Throws ConfigError naming `key` when the pattern is malformed.
    static FaxReplyAddressing parse(std::string_view pattern, std::string_view key);

    // The route for a complainant whose fax number is `faxNumber` (normalised,
    // fax_number.h; empty when unknown).
    ReplyRoute route(std::string_view faxNumber) const;

    bool configured() const { return !pattern_.empty(); }

private:
    std::string pattern_;
    std::string placeholder_;
};

}  // namespace complaintd::fax
