// Correcting what intake got wrong (complaintctl edit): which fields staff may correct, what
// changed, and how the change reads in the history, where a confidential case's values never
// appear. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cases/case.h"

namespace complaintd::cases {

// The fields to set; nullopt leaves a field as it is.
struct CaseCorrection {
    std::optional<std::string> subject, summary, name, phone, fax, address, email, organisation, receipt;
    std::optional<Category> category;
    std::optional<bool> confidential;
};

struct FieldChange {
    std::string field;  // "phone", "summary", ...
    std::string from, to;
};

// `c` with the correction applied.
Case corrected(const Case& c, const CaseCorrection& correction);
// What differs between `before` and `after` among the correctable fields, in a fixed order.
std::vector<FieldChange> changesBetween(const Case& before, const Case& after);
// The history line of one change: "phone: 06-1 -> 06-2"; for a confidential case (before or
// after) the complainant's fields, subject and summary without their values.
std::string historyNote(const FieldChange& change, bool confidential);

}  // namespace complaintd::cases
