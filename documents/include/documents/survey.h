// The satisfaction survey (客訴案件處理情形調查表, 附表二) as data: every
// question of the procedure's form with a stable id, its zh-TW text exactly
// as the form prints it, and its choices. The text form, the PDF, the reply
// parser, `complaintctl survey` and the annual report all read this one
// table, so a question is worded the same everywhere. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cases/case.h"

namespace complaintd::documents {

// How a question is answered.
enum class AnswerKind {
    SingleChoice,    // one box
    MultipleChoice,  // 可複選
    Text,            // written in (question 1 is filled in by the center, "其他建議" by the complainant)
};

struct Choice {
    std::string id;     // stable ASCII id for storage and the CLI: "11-20", "satisfied"
    std::string label;  // zh-TW exactly as the form prints it: "11－20天", "滿意"
    // Other spellings a person may type for this choice ("E-mail" for "EMAIL", "自由業" for the long label).
    std::vector<std::string> aliases;
    bool takesText = false;  // "其他＿＿": the box is followed by the person's own words
};

struct Question {
    std::string id;  // "1", "3-1", "6-1", "9-sex", "suggestions"
    // What the form prints first: the number ("3-1", printed "3-1.") of a numbered question, or the name of
    // a part of 9 and of the suggestions ("性別", "其他建議"). The reply parser finds questions by it.
    std::string label;
    std::string text;  // zh-TW question text as on the form; equal to `label` for the unnumbered ones
    AnswerKind kind = AnswerKind::SingleChoice;
    std::vector<Choice> choices;
    // A follow-up question applies only when this question of the form was answered with one of these
    // choices (3-1 after "31天以上", 6-1 after 不滿意/非常不滿意, 8-1 after 是); empty: always applies.
    std::string dependsOn;
    std::vector<std::string> appliesWhen;
    // The heading printed before this question, "９.基本資料" before the four 9-* questions.
    std::string heading;
};

// The questions in the order of the form. The reference stays valid for the program's life.
const std::vector<Question>& surveyQuestions();

// Nullptr when there is no question with this id.
const Question* findQuestion(std::string_view id);

// The choice of `question` that `text` names: its id, its label or an alias, compared after folding
// full-width letters, digits and dashes to ASCII and dropping white space ("11-20" finds "11－20天").
const Choice* findChoice(const Question& question, std::string_view text);

// True for questions the center answers before sending (1: date, number, subject; 2: channel), which
// therefore say nothing about whether the complainant filled in the form.
bool isPrefilledByCenter(const Question& question);

// True for "1", "3-1" and the like; false for the parts of 9 and for the suggestions.
bool isNumbered(const Question& question);

// The choice id of question 2 (客訴方式) for a case's channel: "letter", "phone", "fax", "email", "in-person".
std::string surveyChannelChoice(cases::Channel channel);

}  // namespace complaintd::documents
