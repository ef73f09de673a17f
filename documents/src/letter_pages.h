// Private: the reply letter and the survey drawn into a document the caller owns, so that the
// letter for the post (postal_reply.h) is one PDF of both.
#pragma once

#include "documents/reply_letter.h"
#include "documents/survey_form.h"
#include "pdf_document.h"

namespace complaintd::documents::detail {

// The letter from the top of the current page, on as many pages as it takes.
void drawReplyLetter(PdfDocument& doc, const ReplyLetter& letter);
// The survey form from the top of the current page, at the largest size that fits one sheet.
void drawSurvey(PdfDocument& doc, const SurveyPrefill& prefill);

}  // namespace complaintd::documents::detail
