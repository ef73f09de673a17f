// Private: reads a piece of text as one or more choices of a question, the way
// a person types them ("11-20", "問題未解決、處理時間太慢", "其他：停車位不足").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "documents/survey.h"

namespace complaintd::documents::detail {

struct ChoiceMatch {
    std::vector<const Choice*> choices;  // in the order typed, no duplicates
    std::string otherText;               // what followed a takesText choice ("其他"), trimmed
};

// The choices named in `text`, longest label first at each position, separated by white space or
// , ， 、 ; ； / ＋ +. Nullopt when some part names no choice (nothing is guessed) or `text` is empty.
std::optional<ChoiceMatch> matchChoices(const Question& question, std::string_view text);

}  // namespace complaintd::documents::detail
