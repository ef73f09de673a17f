// Private: the line-level pieces of the survey reply parser: quote markers,
// mail headers that end a form, question anchors ("6.", "3-1：", "性別") and
// the boxes of a line ("（V）滿意"). Each works on one untrusted line.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "documents/survey.h"

namespace complaintd::documents::detail {

// The line without leading quote markers ("> ", ">> ", "> > ") and surrounding white space.
std::string_view unquoted(std::string_view line);

// True for a line after which no question continues: the form's title, and what starts a quoted original or ends the
// form: Outlook's "-----Original Message-----" and "寄件者:"/"From:" block, Gmail's "On ... wrote:" / "... 寫道：", and
// the form's footer "本表填妥後".
bool endsForm(std::string_view line);

struct Anchor {
    const Question* question = nullptr;  // nullptr for the heading "9.基本資料"
    std::string_view rest;               // the line after the number or name and its separator
};

// The question a line starts with: a number of the form followed by a separator ("6.", "6、", "６．",
// "3-1:", "３－１", "3=") or the name of a part of 9 ("性別", "其他建議") followed by a separator or a box.
std::optional<Anchor> anchorOf(std::string_view line);

// The text after `prefix` when `text` starts with it, compared as matchKey does (width folded, white
// space ignored); nullopt otherwise.
std::optional<std::string_view> afterPrefix(std::string_view text, std::string_view prefix);

struct Box {
    bool marked = false;
    std::string_view label;  // the text after the box up to the next box, trimmed
};

// The boxes of a line: "（ ）", "（　）", "( )" empty; "（V）", "(✓)", "（ ○ ）" marked. A parenthesis holding
// anything else ("（可複選）") is text, part of a label.
std::vector<Box> boxesIn(std::string_view line);

}  // namespace complaintd::documents::detail
