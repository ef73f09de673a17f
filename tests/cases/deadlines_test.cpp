#include "cases/deadlines.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cases/error.h"

namespace complaintd::cases {
namespace {

using namespace std::chrono;

Timestamp utc(int y, unsigned m, unsigned d, int h = 0) {
    return Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours(h);
}

Date date(int y, unsigned m, unsigned d) { return Date{year{y}, month{m}, day{d}}; }

TEST(Deadlines, CalendarDaysFromTheLocalDateOfReceipt) {
    // Received Mon 2026-11-30 09:00 Taipei (01:00 UTC).
    const auto d = deadlinesFor(utc(2026, 11, 30, 1), {}, WorkCalendar{});
    EXPECT_EQ(d.target, date(2026, 12, 7));
    EXPECT_EQ(d.legal, date(2026, 12, 30));
}

TEST(Deadlines, LocalDateDecidesNearMidnight) {
    // 2026-11-30 17:00 UTC is already 2026-12-01 in Taipei.
    EXPECT_EQ(deadlinesFor(utc(2026, 11, 30, 17), {}, WorkCalendar{}).target, date(2026, 12, 8));
}

TEST(Deadlines, WorkingDaysSkipWeekendsAndHolidaysButCountMakeUpSaturdays) {
    const auto calendar = WorkCalendar::parse(
        "# test calendar\n2026-02-16 holiday 除夕\n2026-02-17 holiday 春節\n2026-02-18 holiday\n"
        "2026-02-19 holiday\n2026-02-20 holiday\n2026-02-07 workday 補行上班\n",
        "holidays.conf");
    // Received Thu 2026-02-12: working days 13 (Fri), 23..27 after the New Year break, then Mon 03-02.
    const DeadlinePolicy policy{7, 30, DayCounting::Working};
    EXPECT_EQ(deadlinesFor(utc(2026, 2, 12, 1), policy, calendar).target, date(2026, 3, 2));
    // A make-up Saturday counts: from Fri 2026-02-06, the first working day is Sat 02-07.
    EXPECT_EQ(addDays(date(2026, 2, 6), 1, DayCounting::Working, calendar), date(2026, 2, 7));
    EXPECT_FALSE(calendar.isWorkingDay(date(2026, 2, 16)));
    EXPECT_TRUE(calendar.isWorkingDay(date(2026, 2, 7)));
}

TEST(Deadlines, BadCalendarLineNamesFileAndLine) {
    try {
        WorkCalendar::parse("2026-01-01 holiday\n2026-13-01 holiday\n", "holidays.conf");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("holidays.conf:2:"), std::string::npos) << e.what();
    }
    EXPECT_THROW(WorkCalendar::parse("2026-01-01 party\n", "h"), ConfigError);
}

TEST(Deadlines, ShippedCalendarLoads) {
    std::ifstream in(std::string(COMPLAINTD_SOURCE_DIR) + "/cases/holidays-tw.conf");
    std::stringstream text;
    text << in.rdbuf();
    const auto calendar = WorkCalendar::parse(text.str(), "holidays-tw.conf");
    EXPECT_GE(calendar.holidayCount(), 10u);
    EXPECT_FALSE(calendar.isWorkingDay(date(2026, 10, 9)));
}

TEST(Deadlines, DaysUntilIsNegativeWhenOverdue) {
    EXPECT_EQ(daysUntil(date(2026, 12, 1), date(2026, 12, 7)), 6);
    EXPECT_EQ(daysUntil(date(2026, 12, 9), date(2026, 12, 7)), -2);
    EXPECT_EQ(formatDate(date(2026, 12, 7)), "2026-12-07");
    EXPECT_EQ(parseDate("2026-12-07"), date(2026, 12, 7));
    EXPECT_FALSE(parseDate("2026-02-30"));
}

}  // namespace
}  // namespace complaintd::cases
