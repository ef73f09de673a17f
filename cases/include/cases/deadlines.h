// The two deadlines of every case: the handling target (7 days: 承辦單位七天辦理
// 或回覆) and the legal limit (30 days), counted in calendar days or in working
// days with the government's holiday calendar (holidays and make-up working
// Saturdays). Pure: the calendar is parsed from text, the time passed in.
#pragma once

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "cases/roc_calendar.h"

namespace complaintd::cases {

using Date = std::chrono::year_month_day;

enum class DayCounting { Calendar, Working };

// Which days the center works. Weekends are off unless listed as make-up
// working days; listed holidays are off.
class WorkCalendar {
public:
    WorkCalendar() = default;
    // Lines "2026-02-16 holiday 除夕" or "2026-02-07 workday 補行上班"; '#' comments.
    // Throws ConfigError "FILE:LINE: ..." on a bad line.
    static WorkCalendar parse(std::string_view text, const std::string& fileName);

    bool isWorkingDay(Date date) const;
    std::size_t holidayCount() const { return holidays_.size(); }

private:
    std::set<std::chrono::sys_days> holidays_;
    std::set<std::chrono::sys_days> workdays_;
};

struct DeadlinePolicy {
    int targetDays = 7;
    int legalDays = 30;
    DayCounting counting = DayCounting::Calendar;
};

struct Deadlines {
    Date target;  // 預定結案日期 for the unit's answer
    Date legal;   // the 30-day limit
};

// The local (UTC+8) date of an instant.
Date localDate(Timestamp instant, std::chrono::minutes utcOffset = kTaiwanOffset);

// `days` days after `start` (calendar), or the `days`-th working day after it.
Date addDays(Date start, int days, DayCounting counting, const WorkCalendar& calendar);

Deadlines deadlinesFor(Timestamp receivedAt, const DeadlinePolicy& policy, const WorkCalendar& calendar);

// Whole days from `today` to `due` (negative: overdue).
int daysUntil(Date today, Date due);

std::string formatDate(Date date);                // "2026-12-07"
std::optional<Date> parseDate(std::string_view);  // "2026-12-07"
std::string formatRocDate(Date date);             // "115年12月7日"

}  // namespace complaintd::cases
