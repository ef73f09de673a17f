// Taiwanese telephone numbers in free text. Private.
//
// Recognised: landlines with any area code (06-5050123, (06)505-0123,
// 02 2345 6789, 049-2345678), mobiles (0912-345-678, 0912345678), toll-free
// 0800 numbers, the +886 forms of all of these, and an extension after
// '#', 分機, 轉 or "ext". A number counts as a fax when the label nearest
// before it on its line is 傳真 or fax. Digit runs that do not have the
// length of a Taiwanese number (dates, case numbers, amounts) are skipped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text_util.h"

namespace complaintd::parsers::detail {

struct PhoneNumber {
    std::string number;  // "06-5050123", "0912-345-678", "02-23456789#123"
    bool fax = false;
};

// `text` is UTF-8 folded with foldWidth(). Numbers in order of appearance, each once, at most
// the first 20. Linear in the length of the text.
std::vector<PhoneNumber> findPhoneNumbers(std::string_view text);

// Every number in `text` (folded the same way), repeats included, as the bytes it takes with its
// extension: what a redaction blanks.
std::vector<TextSpan> findPhoneNumberSpans(std::string_view text);

// The normalised form of one number written on its own ("(06)505-0123"), or
// "" when it is not a Taiwanese number.
std::string normalisePhoneNumber(std::string_view written);

}  // namespace complaintd::parsers::detail
