// One case as the review form (附表三) and the annual report need it: the
// case record plus what happened to it afterwards (answered, closed, filed,
// referred) and the complainant's survey answers, built from the register's
// cases::CaseRecord. Everything computed from them here is pure.
#pragma once

#include <optional>
#include <string>

#include "cases/case.h"
#include "cases/case_record.h"
#include "cases/lifecycle.h"
#include "documents/survey_answers.h"

namespace complaintd::documents {

struct ReportedCase {
    cases::Case caseFile;
    std::string unitName;                            // the handling unit's zh-TW name (工務組)
    std::optional<cases::Date> repliedOn;            // the formal answer (函復, or the referral letter) went out
    std::optional<cases::Date> closedOn;             // 結案
    std::optional<cases::FilingReason> filedReason;  // 存查, with its reason
    bool referred = false;                           // answered by naming the competent authority
    int reopenCount = 0;                             // times reopened because the complainant was not satisfied
    std::optional<SurveyAnswers> survey;             // the returned survey, when there is one
    std::string managementOpinion;  // 附表三's 長官、主管及各單位意見, the latest recorded
};

// What the register's record says happened to the case: answered (the first move to replied, or
// the referral letter the day it opened), reopened, closed, filed. The subject and summary are the
// record's: a caller that must not show them replaces them. No survey: the caller adds it.
ReportedCase reportedCase(const cases::CaseRecord& record, std::string unitName);

// The local date the case was received.
cases::Date receivedOn(const ReportedCase& record);

// Calendar days from receipt to the formal answer; nullopt while unanswered.
std::optional<int> daysToAnswer(const ReportedCase& record);

// "中華民國115年11月30日 9時15分": the time of a complaint as the forms write it (local time).
std::string formatRocDateTime(cases::Timestamp instant);

}  // namespace complaintd::documents
