// Reading a time as a gateway writes it ("2026:11:30 09:15:42", "2026/11/30
// 09:15", "Mon, 30 Nov 2026 09:15:42 +0800", ROC "115/11/30 09:15") with a
// strftime-like format. Pure; the text is untrusted and read once, left to right.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace complaintd::fax {

// Why `format` cannot be used, or empty when it can. Directives: %Y (year),
// %R (ROC year, 115 = 2026), %m, %d, %H, %I, %M, %S (one or two digits), %b
// (English month name or its first three letters), %a (English weekday,
// skipped), %p (AM/PM), %z (+0800 or +08:00, overrides the gateway's offset),
// %% (a percent sign). A space matches any run of spaces; other characters
// match themselves, ASCII letters without regard to case.
std::string checkTimeFormat(std::string_view format);

// The instant `text` names when read with `format` in a zone `utcOffset` ahead
// of UTC; nullopt when the text does not follow the format to its end or names
// no valid date and time.
std::optional<std::chrono::sys_seconds> parseTime(std::string_view text, std::string_view format,
                                                  std::chrono::minutes utcOffset);

// "+08:00", "-05:30", "+0800", "Z": the offset, or nullopt.
std::optional<std::chrono::minutes> parseUtcOffset(std::string_view text);

}  // namespace complaintd::fax
