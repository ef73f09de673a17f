// The reply for the post (郵寄): what the center prints for a complainant without e-mail, one
// PDF per case, A4 with the fonts embedded: the letter (函), the survey (附表二) to fill in, and
// a sheet of two address blocks to cut out, the complainant's for the envelope the letter goes
// in and the center's return address for the envelope the survey comes back in. Pure.
#pragma once

#include <string>

#include "documents/reply_letter.h"
#include "documents/survey_form.h"

namespace complaintd::documents {

// `letter.recipient` and `letter.recipientAddress` address the envelope; the survey's centerName
// and returnAddress the return envelope. Throws complaintd::Error when cairo fails.
std::string renderPostalReplyPdf(const ReplyLetter& letter, const SurveyPrefill& survey);

}  // namespace complaintd::documents
