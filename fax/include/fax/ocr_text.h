// Tidying the text Tesseract gives for Traditional Chinese pages so that the
// routing keywords match it: Tesseract puts a space between CJK characters
// ("路 燈 不 亮") and breaks lines where the page did, which in Chinese text
// falls in the middle of words ("路\n燈").
//
// Pure.
#pragma once

#include <string>
#include <string_view>

namespace complaintd::fax {

// Turns ASCII , : ; ! ? after a CJK character into their full-width forms,
// removes spaces between two CJK characters (ideographs, CJK punctuation,
// full-width forms, Bopomofo), joins lines where a CJK character ends one and
// begins the next, drops spaces at line ends and keeps at most one blank line
// between paragraphs. Other text (Latin words, numbers) keeps its spaces.
// Invalid UTF-8 is passed through.
std::string tidyOcrText(std::string_view text);

}  // namespace complaintd::fax
