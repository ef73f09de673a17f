// Answers to the satisfaction survey (附表二), however they arrived: parsed
// from a reply mail (survey_reply.h) or entered by staff from paper, phone or
// fax (`complaintctl survey CASE --set 3=11-20`). A question that could not be
// read is recorded as unreadable, never guessed. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/case.h"
#include "documents/survey.h"

namespace complaintd::documents {

enum class AnswerState {
    Unanswered,  // no mark and no typed answer found
    Answered,    // exactly what the question allows: one choice, several for 可複選, or text
    Unreadable,  // marks found but they cannot be taken as an answer (two marks on a single choice, ...)
};

struct QuestionAnswer {
    std::string questionId;
    AnswerState state = AnswerState::Unanswered;
    std::vector<std::string> choiceIds;  // in the order of the form; empty unless Answered
    std::string text;                    // the words after "其他", or the text of a Text question
    std::string problem;                 // English for staff when Unreadable: "two marks on a single-choice question"
};

enum class FormStatus {
    Complete,    // every question that applies is answered
    Partial,     // some answered, some not or unreadable
    Unreadable,  // no form found, or nothing the complainant answered could be read
};

std::string_view idOf(AnswerState state);     // "unanswered", "answered", "unreadable"
std::string_view idOf(FormStatus status);     // "complete", "partial", "unreadable"
std::string_view labelOf(FormStatus status);  // "完整", "部分填答", "無法判讀"

struct SurveyAnswers {
    std::vector<QuestionAnswer> answers;  // one per question of surveyQuestions(), in that order
    FormStatus status = FormStatus::Unreadable;
    std::optional<cases::CaseNumber> caseNumber;  // as printed on the returned form, when found

    const QuestionAnswer* find(std::string_view questionId) const;
    QuestionAnswer* find(std::string_view questionId);
    // The single chosen id of an answered question, or empty.
    std::string chosen(std::string_view questionId) const;
};

// All questions unanswered, status Unreadable.
SurveyAnswers emptyAnswers();

// True when `question` must be answered given the other answers (a follow-up only after its trigger).
bool applies(const Question& question, const SurveyAnswers& answers);

// The overall status from the per-question states; questions the center pre-fills (1, 2) do not count
// as the complainant answering.
FormStatus statusOf(const SurveyAnswers& answers);

// Staff entry: sets question `questionId` from `value`, a choice id or label ("11-20", "滿意"), several
// separated by ',' or '、' for 可複選, "其他:words" for an other choice, any text for a Text question, or
// "" to clear. Recomputes the status. Returns an English message naming the valid choices when the
// question or a choice is unknown, leaving the answers unchanged.
std::optional<std::string> setAnswer(SurveyAnswers& answers, std::string_view questionId, std::string_view value);

// Same from "3=11-20" (the CLI's --set argument).
std::optional<std::string> setAnswer(SurveyAnswers& answers, std::string_view assignment);

// The procedure continues handling when the complainant is not satisfied: question 6 is 不滿意 or
// 非常不滿意, or question 5 is 完全沒有解決. Unreadable answers are not taken as dissatisfaction.
bool isDissatisfied(const SurveyAnswers& answers);

}  // namespace complaintd::documents
