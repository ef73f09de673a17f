// 發文字號: the number an official letter (函) of the center carries, made from the center's
// pattern and a sequence that starts again at 1 each ROC year ("樹谷服字第{roc_year}{seq:05}號"
// gives 樹谷服字第11500001號 for the first letter of 115). The store keeps the sequence. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace complaintd::cases {

// What is wrong with `pattern`, or nullopt: it needs one {seq} or {seq:0N} (N from 1 to 9) and
// {roc_year} (the sequence starts again each year); any other {...} is a mistake.
std::optional<std::string> documentNumberPatternProblem(std::string_view pattern);

// The number for letter `sequence` of ROC year `rocYear`. The pattern passed the check above.
std::string formatDocumentNumber(std::string_view pattern, int rocYear, int sequence);

}  // namespace complaintd::cases
