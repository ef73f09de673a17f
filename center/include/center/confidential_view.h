// What of a confidential case (密件) anyone may see: the one place that applies
// parsers::redactIdentity to a case, for complaintctl's views and exports and the
// letters to units. Only `complaintctl show --reveal` (audited) sees the case as stored.
#pragma once

#include <string>
#include <string_view>

#include "cases/case.h"
#include "center/store.h"

namespace complaintd::center {

// Shown where a confidential complainant's name would be.
inline constexpr std::string_view kConfidentialName = "（密件）";

// `text` with the complainant of `c` hidden when `c` is confidential, else as it is.
std::string redactedText(const cases::Case& c, std::string_view text);

// A confidential case with its complainant fields replaced and its subject and summary
// redacted; any other case as it is.
cases::Case redactedCase(const cases::Case& c);

// The same for the whole record: also the OCR text, the reply route (a fax number), the
// reply, history notes, referral, delay reason, suggestions, attachments and defects.
cases::CaseRecord redactedRecord(const cases::CaseRecord& record);

}  // namespace complaintd::center
