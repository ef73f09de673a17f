// The satisfaction survey (客訴案件處理情形調查表, 附表二) as the complainant
// receives it: a plain-text form for the body of the reply mail, answered by
// replying (survey_reply.h reads it back), and a one-page A4 PDF attached to
// the reply letter for printing and returning by post or fax. Both are
// pre-filled with the case and carry the center's return address. Pure.
#pragma once

#include <string>

#include "cases/case.h"

namespace complaintd::documents {

inline constexpr const char* kCenterName = "樹谷園區服務中心";
inline constexpr const char* kCenterAddress = "台南縣新市鄉紫楝路21號";

struct SurveyPrefill {
    cases::CaseNumber caseNumber;
    cases::Date receivedOn{};  // 客訴時間, printed in the ROC calendar
    std::string subject;       // 客訴事由
    cases::Channel channel = cases::Channel::Email;
    std::string centerName = kCenterName;
    std::string returnAddress = kCenterAddress;
    std::string replyEmail;  // printed as a way to return the form when not empty
    std::string centerFax;   // likewise
};

// The pre-fill for a case: its number, local date received, subject and channel.
SurveyPrefill surveyPrefillFor(const cases::Case& c);

// The form for a mail body: every question, each choice as "（ ）choice", the channel pre-marked "（V）",
// instructions for marking with V, X, ✓, v or ○ or typing the answer after the question number.
// Lines stay under 40 characters of CJK width so mail clients do not wrap them.
std::string renderSurveyText(const SurveyPrefill& prefill);

// The form as a one-page A4 PDF. Throws complaintd::Error when cairo fails.
std::string renderSurveyPdf(const SurveyPrefill& prefill);

}  // namespace complaintd::documents
