// Survey answers (附表二) as stored: JSON of the answered questions, so the
// store keeps one row per returned survey and the documents library stays
// the one place that knows the questions.
#pragma once

#include <string>

#include "documents/survey_answers.h"

namespace complaintd::center {

std::string surveyToJson(const documents::SurveyAnswers& answers);
// Throws Error when `json` is not what surveyToJson wrote.
documents::SurveyAnswers surveyFromJson(const std::string& json);

}  // namespace complaintd::center
