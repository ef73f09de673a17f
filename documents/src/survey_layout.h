// Private: how the survey's questions are broken into lines, shared by the
// mail form and the PDF so both read the same as the paper 附表二.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "documents/survey.h"

namespace complaintd::documents::detail {

// Display columns: two for CJK and full-width characters, one for ASCII.
std::size_t columnsOf(std::string_view text);

// Mail: "（ ）" and "（V）" as typed on a keyboard, so a reply can be marked in place. Print: "（　）"
// and "（Ｖ）" the width of a character, an ideographic space between choices, as a printed form.
enum class BoxStyle { Mail, Print };

// The choices of `q` as "（ ）label" (the one with `markedChoiceId` as "（V）label", a takesText choice
// followed by "：＿＿＿＿"), joined into lines of at most `columns` display columns.
std::vector<std::string> choiceLines(const Question& q, std::string_view markedChoiceId, std::size_t columns,
                                     BoxStyle style);

// `text` broken into lines of at most `columns`, preferring a break after "？"; no line after the first
// starts with a digit, so that the reply parser never takes a wrapped line for a question number.
std::vector<std::string> wrapQuestion(std::string_view text, std::size_t columns);

}  // namespace complaintd::documents::detail
