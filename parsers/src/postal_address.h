// Taiwanese postal addresses in free text. Private.
//
// An address starts at a city or county name (台南市, 臺北市, 新北市, 花蓮縣,
// with an optional postal code before it) or after an address label (地址：,
// 住址：, 通訊地址：), runs through district, village, road, section, lane and
// alley, and ends at the house number (號) with any floor after it (5樓之2).
// Without a 號 and a road, street, lane or village marker it is not taken.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "text_util.h"

namespace complaintd::parsers::detail {

// The first address in `text` (UTF-8 folded with foldWidth()), or "".
std::string findPostalAddress(std::string_view text);

// Every address in `text`, as the bytes it takes (a label before it left out): what a redaction blanks.
std::vector<TextSpan> findPostalAddressSpans(std::string_view text);

}  // namespace complaintd::parsers::detail
