// The fax gateways the center receives from, read from gateways.conf: how to
// recognise each gateway's mail and where it writes the sender's fax number,
// the page count and the time received.
//
//   [hylafax]                                   the gateway's id
//   kind = hylafax                              hylafax, fax-service, internet-fax, scan-to-mail
//   match.subject = Facsimile received from     every FIELD named must match one of its patterns
//   number.body = Sender: {number}              alternatives, tried in file order
//   number.subject = Facsimile received from {number}
//   pages.body = Pages: {pages}
//   received.body = Received: {time}
//   time_format = %Y:%m:%d %H:%M:%S             how {time} is written (time_text.h)
//   utc_offset = +08:00                         the zone of {time} (default +08:00)
//
// FIELD is `subject`, `from` (the From field as `Name <address>`) or `body`
// (each line of the text body). Patterns: text_pattern.h. Keys may be
// repeated; there are no comments at the end of a line (`#` may be in a pattern).
//
// Parsing is pure (text in, values out); a mistake throws ConfigError naming
// the file and line. The caller reads the file.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fax/text_pattern.h"

namespace complaintd::fax {

// What kind of machine turned the fax into mail. Unknown: no gateway matched.
enum class GatewayKind { HylaFax, FaxService, InternetFax, ScanToMail, Unknown };

// "hylafax", "fax-service", "internet-fax", "scan-to-mail", "unknown".
std::string_view idOf(GatewayKind kind);
std::optional<GatewayKind> gatewayKindFrom(std::string_view id);

enum class MailField { Subject, From, Body };

struct FieldPattern {
    MailField field = MailField::Subject;
    TextPattern pattern;
    int line = 0;  // in the gateways file, for messages
};

struct Gateway {
    std::string id;
    GatewayKind kind = GatewayKind::Unknown;
    std::vector<FieldPattern> match;     // for each field named here, one of its patterns must match
    std::vector<FieldPattern> number;    // each has {number}
    std::vector<FieldPattern> pages;     // each has {pages}
    std::vector<FieldPattern> received;  // each has {time}
    std::vector<std::string> timeFormats;
    std::chrono::minutes utcOffset{8 * 60};  // Taiwan
    int line = 0;
};

class GatewaySet {
public:
    // Parses a gateways file. A gateway needs an id of a-z, 0-9, - and _, a
    // kind and at least one match.FIELD; received.FIELD needs a time_format.
    static GatewaySet parse(std::string_view text, const std::string& fileName);

    // In file order, which is the order they are tried in.
    const std::vector<Gateway>& gateways() const { return gateways_; }
    const Gateway* find(std::string_view id) const;

private:
    std::vector<Gateway> gateways_;
};

}  // namespace complaintd::fax
