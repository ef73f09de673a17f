// One case as the review form (附表三) and the annual report need it: the
// case record plus what happened to it afterwards (answered, closed, filed,
// referred) and the complainant's survey answers. The lead loads these rows
// from the store; everything computed from them here is pure.
#pragma once

#include <optional>
#include <string>

#include "cases/case.h"
#include "cases/lifecycle.h"
#include "documents/survey_answers.h"

namespace complaintd::documents {

struct CaseRecord {
    cases::Case caseFile;
    std::string unitName;                            // the handling unit's zh-TW name (工務組)
    std::optional<cases::Date> repliedOn;            // the formal answer (函復, or the referral letter) went out
    std::optional<cases::Date> closedOn;             // 結案
    std::optional<cases::FilingReason> filedReason;  // 存查, with its reason
    bool referred = false;                           // answered by naming the competent authority
    int reopenCount = 0;                             // times reopened because the complainant was not satisfied
    std::optional<SurveyAnswers> survey;             // the returned survey, when there is one
};

// The local date the case was received.
cases::Date receivedOn(const CaseRecord& record);

// Calendar days from receipt to the formal answer; nullopt while unanswered.
std::optional<int> daysToAnswer(const CaseRecord& record);

// "中華民國115年11月30日 9時15分": the time of a complaint as the forms write it (local time).
std::string formatRocDateTime(cases::Timestamp instant);

}  // namespace complaintd::documents
