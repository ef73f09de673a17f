// Which case a message belongs to, before a new case is opened: a case tag in
// the subject ([115-001], also with full-width brackets as Chinese webmail
// writes them), or a reply to a letter we sent. Pure; linear in the length of the subject.
#pragma once

#include <optional>
#include <string_view>

#include "cases/case.h"

namespace complaintd::cases {

// The first case tag in a subject: [115-001], ［115-001］ or 【115-001】.
std::optional<CaseNumber> caseTagIn(std::string_view subject);

// True when two addresses are the same mailbox (case-insensitive, surrounding white space ignored).
bool sameAddress(std::string_view a, std::string_view b);

}  // namespace complaintd::cases
