// The review analysis form (客訴案件檢討分析表, 附表三) of one case: its
// number and time, an analysis of the returned satisfaction survey, an
// analysis of the handling (dates against both deadlines, filing, referral),
// room for management's opinion, and the sign-off row (批准、主管、承辦).
// Rendered as an A4 PDF and as plain text for `complaintctl review`. Pure.
#pragma once

#include <string>

#include "documents/reported_case.h"
#include "documents/survey_form.h"

namespace complaintd::documents {

struct ReviewForm {
    std::string centerName = kCenterName;
    cases::CaseNumber caseNumber;
    cases::Timestamp receivedAt{};  // 客訴時間
    std::string subject;            // printed with the number, so the form is read without the register
    std::string unitName;
    std::string surveyAnalysis;     // 滿意度調查檢討分析
    std::string handlingAnalysis;   // 案件處理分析
    std::string managementOpinion;  // 長官、主管及各單位意見及建議; empty leaves room to write by hand
};

// The form pre-filled from a case: surveyAnalysis() and handlingAnalysis() of the record.
ReviewForm reviewFormFor(const ReportedCase& record);

// zh-TW prose on the returned survey: how complete it is, satisfaction, whether the problem was solved,
// time to answer, reasons for dissatisfaction, suggestions, and whether handling must continue.
std::string surveyAnalysis(const std::optional<SurveyAnswers>& survey);

// zh-TW prose on the handling: channel, category, unit, deadlines, answer and close dates, days taken,
// whether each deadline was kept, filing (存查) with its reason, referral, reopening.
std::string handlingAnalysis(const ReportedCase& record);

// The form as an A4 PDF. Throws complaintd::Error when cairo fails.
std::string renderReviewPdf(const ReviewForm& form);

// The form as plain text (UTF-8, '\n' line ends).
std::string renderReviewText(const ReviewForm& form);

}  // namespace complaintd::documents
