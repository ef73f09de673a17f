// Which case a message belongs to, before a new case is opened: a case tag in
// the subject ([115-001], also with full-width brackets as Chinese webmail
// writes them), or a reply to a letter we sent. Pure; linear in the length of the subject.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cases/case.h"

namespace complaintd::cases {

// The first case tag in a subject: [115-001], ［115-001］ or 【115-001】.
std::optional<CaseNumber> caseTagIn(std::string_view subject);

// True when two addresses are the same mailbox (case-insensitive, surrounding white space ignored).
bool sameAddress(std::string_view a, std::string_view b);

// The mailbox an address reaches, for counting letters to it: lower case, a "+tag" cut from the
// local part, and for gmail.com/googlemail.com the dots in the local part removed (Gmail ignores
// them). "V.i.c.t.i.m+7@GMail.com" -> "victim@gmail.com". Not an identity check.
std::string mailboxKey(std::string_view address);

// The domain part of mailboxKey ("gmail.com"), "" without an '@'.
std::string mailboxDomain(std::string_view address);

}  // namespace complaintd::cases
