// Fixtures for the documents tests: one street-light case as it goes out,
// its plain-text survey, and the ways a complainant fills and quotes it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "documents/survey_form.h"

namespace complaintd::documents::test {

// 115-001, received by e-mail on 2026-11-30 09:15 (Taipei) from 王小明, about a street light.
cases::Case streetLightCase();
SurveyPrefill streetLightPrefill();
// The plain-text survey of the street-light case, as the complainant receives it.
std::string streetLightForm();

// The form with the box in front of `choiceLabel`, first found after the line starting `anchor`
// ("6.", "性別"), filled with `mark`.
std::string markChoice(std::string form, std::string_view anchor, std::string_view choiceLabel,
                       std::string_view mark = "V");

// Every line prefixed with `prefix`, as Gmail and most webmail quote.
std::string gmailQuoted(std::string_view text, std::string_view prefix = "> ");

}  // namespace complaintd::documents::test
