// Dates as the center writes them: Republic of China (Minguo) years, and
// local time at a fixed UTC offset (Taiwan keeps UTC+8 all year).
// Pure functions; the current time is always passed in.
#pragma once

#include <chrono>
#include <string>

namespace complaintd::cases {

using Timestamp = std::chrono::sys_seconds;

// Taiwan's offset from UTC; the center's clock for case numbers and letters.
inline constexpr std::chrono::minutes kTaiwanOffset{8 * 60};

// Gregorian year minus 1911: 2026 -> 115.
int rocYearOf(int gregorianYear);

// The ROC year of an instant, as seen at the given UTC offset.
int rocYearAt(Timestamp instant, std::chrono::minutes utcOffset = kTaiwanOffset);

// "2026-11-30T09:15:00+08:00"
std::string formatIso8601(Timestamp instant, std::chrono::minutes utcOffset = kTaiwanOffset);

// Parses what formatIso8601 writes (any offset, or Z). Throws std::invalid_argument.
Timestamp parseIso8601(const std::string& text);

// "中華民國115年11月30日"
std::string formatRocDate(Timestamp instant, std::chrono::minutes utcOffset = kTaiwanOffset);

}  // namespace complaintd::cases
