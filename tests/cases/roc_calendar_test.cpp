#include "cases/roc_calendar.h"

#include <gtest/gtest.h>

namespace complaintd::cases {
namespace {

Timestamp utc(int y, unsigned m, unsigned d, int h = 0, int mi = 0) {
    using namespace std::chrono;
    return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours(h) + minutes(mi);
}

TEST(RocCalendar, YearIsGregorianMinus1911) {
    EXPECT_EQ(rocYearOf(2026), 115);
    EXPECT_EQ(rocYearOf(2008), 97);
}

TEST(RocCalendar, YearChangesAtMidnightTaipeiNotUtc) {
    // 2026-12-31 16:30 UTC is already 2027-01-01 00:30 in Taipei.
    EXPECT_EQ(rocYearAt(utc(2026, 12, 31, 15, 59)), 115);
    EXPECT_EQ(rocYearAt(utc(2026, 12, 31, 16, 30)), 116);
}

TEST(RocCalendar, FormatsIso8601WithTaipeiOffset) {
    EXPECT_EQ(formatIso8601(utc(2026, 11, 30, 1, 15)), "2026-11-30T09:15:00+08:00");
}

TEST(RocCalendar, ParsesWhatItFormats) {
    const auto t = utc(2026, 2, 28, 23, 5);
    EXPECT_EQ(parseIso8601(formatIso8601(t)), t);
    EXPECT_EQ(parseIso8601("2026-02-28T23:05:00Z"), t);
    EXPECT_THROW(parseIso8601("yesterday"), std::invalid_argument);
}

TEST(RocCalendar, FormatsRocDateForLetters) { EXPECT_EQ(formatRocDate(utc(2026, 11, 30, 1)), "中華民國115年11月30日"); }

}  // namespace
}  // namespace complaintd::cases
