// Reads the answers out of a complainant's reply to the plain-text survey
// (survey_form.h). The reply is the decoded UTF-8 text body of the mail; the
// form may be quoted ("> " Gmail and most webmail, "> > " when nested), sit
// below Outlook's header block ("-----Original Message-----", "寄件者:"), be
// answered on top of the quoted form ("6. 滿意"), or be re-typed by hand.
//
// Accepted marks inside the box, full-width or ASCII parentheses, with any
// white space around: V v X x O o ✓ ✔ √ ○ ◯ ● ˇ ☑ ☒ ✗ ✘ and the full-width
// letters (Ｖ ｖ Ｘ ｘ Ｏ). A typed answer is a line starting with the question's
// number or name ("6. 滿意", "3-1：否", "性別 女", "3=11-20"), naming choices
// by label or id. docs/documents.md gives the details.
//
// Limits: untrusted input; linear in its length, no recursion, nothing is
// allocated beyond a copy of the lines. The parser never guesses: two marks on
// a single-choice question, a mark next to a label that is not a choice of the
// question, or a typed answer naming no choice make that question Unreadable.
#pragma once

#include <string_view>

#include "documents/survey_answers.h"

namespace complaintd::documents {

// The answers found in `replyText`. Status Unreadable when no question of the form is found.
SurveyAnswers parseSurveyReply(std::string_view replyText);

}  // namespace complaintd::documents
