// The Authentication-Results header field (RFC 8601): what the receiving
// server found when it checked SPF, DKIM and DMARC, and whether that vouches
// for the From address of a message.
//
// Security: anyone can write this header, so only fields carrying the
// authserv-id of the center's own receiving server are believed (the caller
// names it); the server must remove such fields from incoming mail (RFC 8601
// section 5). Limits: one pass over the header value, linear in its size; a
// field that does not follow the grammar yields the results it could read,
// never an exception. Microsoft 365 (EOP) writes the authserv-id after the
// first result instead of in front ("spf=pass ...; contoso.com; dkim=...");
// that form is read too.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace complaintd::parsers {

// One "method=result" with its properties, all lower case except the values.
struct AuthenticationResult {
    std::string method;  // "spf", "dkim", "dmarc", "arc", "compauth", ...
    std::string result;  // "pass", "fail", "softfail", "none", "bestguesspass", ...
    // ptype.property = value, e.g. {"header.from", "example.org"}, {"smtp.mailfrom", "a@example.org"}.
    std::vector<std::pair<std::string, std::string>> properties;

    // The value of `name` (e.g. "header.d"), or "".
    std::string property(std::string_view name) const;
};

struct AuthenticationResults {
    std::string authservId;  // as written, "" when the field names none
    // Microsoft's form: the id came after the first result. Mail filters that strip incoming fields
    // claiming the center's id (OpenDKIM, OpenDMARC) read only the leading id, so a sender can
    // forge this form past them: it is believed only when asked for (AuthservIdForm).
    bool authservIdAfterFirstResult = false;
    std::vector<AuthenticationResult> results;
};

// Parses the value of one Authentication-Results field (after "Authentication-Results:").
AuthenticationResults parseAuthenticationResults(std::string_view value);

// The values of every Authentication-Results field in the header block of `rawMessage`.
std::vector<std::string> authenticationResultsFields(std::string_view rawMessage);

// Where a believed field carries the authserv-id.
enum class AuthservIdForm {
    Rfc8601,               // in front, the only place RFC 8601 allows (Postfix, rspamd, Gmail)
    AlsoAfterFirstResult,  // also Microsoft 365's form: only when nothing else can deliver mail
};

enum class SenderAuthentication {
    Unchecked,      // no authserv-id configured: nothing is believed either way
    Authenticated,  // DMARC pass, or SPF/DKIM pass for a domain aligned with the From domain
    NotAuthenticated,
};

// Whether the trusted fields of `rawMessage` (authserv-id equal to `trustedAuthservId`, ignoring
// case, in a place `form` allows) vouch for `fromAddress`. An empty `trustedAuthservId` gives Unchecked. A trusted
// dmarc=fail outweighs any pass; no trusted field at all is NotAuthenticated.
SenderAuthentication authenticateSender(std::string_view rawMessage, std::string_view fromAddress,
                                        std::string_view trustedAuthservId,
                                        AuthservIdForm form = AuthservIdForm::Rfc8601);

// Relaxed alignment (RFC 7489), approximated without the public suffix list: the same
// domain, or one a subdomain of the other, where the shorter has at least two labels.
bool alignedDomains(std::string_view a, std::string_view b);

}  // namespace complaintd::parsers
