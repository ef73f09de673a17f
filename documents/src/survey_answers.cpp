#include "documents/survey_answers.h"

#include <algorithm>
#include <utility>

#include "choice_match.h"
#include "text_match.h"

namespace complaintd::documents {

std::string_view idOf(AnswerState state) {
    switch (state) {
        case AnswerState::Unanswered:
            return "unanswered";
        case AnswerState::Answered:
            return "answered";
        case AnswerState::Unreadable:
            return "unreadable";
    }
    return "";
}

std::string_view idOf(FormStatus status) {
    switch (status) {
        case FormStatus::Complete:
            return "complete";
        case FormStatus::Partial:
            return "partial";
        case FormStatus::Unreadable:
            return "unreadable";
    }
    return "";
}

std::string_view labelOf(FormStatus status) {
    switch (status) {
        case FormStatus::Complete:
            return "完整";
        case FormStatus::Partial:
            return "部分填答";
        case FormStatus::Unreadable:
            return "無法判讀";
    }
    return "";
}

const QuestionAnswer* SurveyAnswers::find(std::string_view questionId) const {
    for (const auto& a : answers)
        if (a.questionId == questionId) return &a;
    return nullptr;
}

QuestionAnswer* SurveyAnswers::find(std::string_view questionId) {
    return const_cast<QuestionAnswer*>(std::as_const(*this).find(questionId));
}

std::string SurveyAnswers::chosen(std::string_view questionId) const {
    const auto* a = find(questionId);
    if (!a || a->state != AnswerState::Answered || a->choiceIds.size() != 1) return {};
    return a->choiceIds.front();
}

SurveyAnswers emptyAnswers() {
    SurveyAnswers answers;
    for (const auto& q : surveyQuestions()) answers.answers.push_back(QuestionAnswer{q.id, {}, {}, {}, {}});
    return answers;
}

bool applies(const Question& question, const SurveyAnswers& answers) {
    if (question.dependsOn.empty()) return true;
    const auto* trigger = answers.find(question.dependsOn);
    if (!trigger || trigger->state != AnswerState::Answered) return false;
    for (const auto& id : trigger->choiceIds)
        if (std::ranges::find(question.appliesWhen, id) != question.appliesWhen.end()) return true;
    return false;
}

FormStatus statusOf(const SurveyAnswers& answers) {
    bool anyAnswered = false, allAnswered = true;
    for (const auto& q : surveyQuestions()) {
        const auto* a = answers.find(q.id);
        const bool answered = a && a->state == AnswerState::Answered;
        // The center fills these in itself, and the suggestions are optional: neither says the form was filled.
        if (isPrefilledByCenter(q) || q.id == "suggestions") continue;
        anyAnswered = anyAnswered || answered;
        if (!answered && (applies(q, answers) || (a && a->state == AnswerState::Unreadable))) allAnswered = false;
    }
    if (!anyAnswered) return FormStatus::Unreadable;
    return allAnswered ? FormStatus::Complete : FormStatus::Partial;
}

namespace {

std::string choiceList(const Question& q) {
    std::string out;
    for (const auto& c : q.choices) out += (out.empty() ? "" : ", ") + c.id + " (" + c.label + ")";
    return out;
}

}  // namespace

std::optional<std::string> setAnswer(SurveyAnswers& answers, std::string_view questionId, std::string_view value) {
    const auto* q = findQuestion(questionId);
    auto* a = answers.find(questionId);
    if (!q || !a) return "no survey question " + std::string(questionId);
    QuestionAnswer next{q->id, AnswerState::Unanswered, {}, {}, {}};
    const auto trimmed = detail::trimSpace(value);
    if (!trimmed.empty() && q->kind == AnswerKind::Text) {
        next.state = AnswerState::Answered;
        next.text = std::string(trimmed);
    } else if (!trimmed.empty()) {
        const auto match = detail::matchChoices(*q, trimmed);
        if (!match)
            return "question " + q->id + " has no choice '" + std::string(trimmed) + "'; choices: " + choiceList(*q);
        if (q->kind == AnswerKind::SingleChoice && match->choices.size() > 1)
            return "question " + q->id + " takes one choice";
        next.state = AnswerState::Answered;
        for (const auto& c : q->choices)  // the order of the form, whatever order they were typed in
            if (std::ranges::find(match->choices, &c) != match->choices.end()) next.choiceIds.push_back(c.id);
        next.text = match->otherText;
    }
    *a = std::move(next);
    answers.status = statusOf(answers);
    return std::nullopt;
}

std::optional<std::string> setAnswer(SurveyAnswers& answers, std::string_view assignment) {
    const auto equals = assignment.find('=');
    if (equals == std::string_view::npos) return "expected QUESTION=CHOICE, e.g. 3=11-20 or 6=滿意";
    return setAnswer(answers, detail::trimSpace(assignment.substr(0, equals)), assignment.substr(equals + 1));
}

bool isDissatisfied(const SurveyAnswers& answers) {
    const auto satisfaction = answers.chosen("6");
    return satisfaction == "dissatisfied" || satisfaction == "very-dissatisfied" || answers.chosen("5") == "not-solved";
}

}  // namespace complaintd::documents
