// 客訴類別 by the nature of the complaint, apart from which unit handles it: the procedure's four
// kinds. A report of misconduct is 行政違失之舉發, a proposal 行政興革之建議, a question about a
// regulation or procedure 行政法令之查詢, anything else 行政上權益之維護. A routing rule may set
// the category instead (routing.h). Pure; the reason says which words decided.
#pragma once

#include <string>
#include <string_view>

#include "cases/case.h"

namespace complaintd::routing {

struct CategoryDecision {
    cases::Category category = cases::Category::Rights;
    std::string reason;  // "by the text: 請問, 申請 (a question on a regulation or procedure)"
};

CategoryDecision categoryByNature(std::string_view subject, std::string_view body);

}  // namespace complaintd::routing
