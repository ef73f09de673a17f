#include "cases/deadlines.h"

#include <cstdio>

#include "cases/error.h"

namespace complaintd::cases {
namespace {

using namespace std::chrono;

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool isWeekend(Date date) {
    const weekday day{sys_days{date}};
    return day == Saturday || day == Sunday;
}

}  // namespace

std::optional<Date> parseDate(std::string_view text) {
    int y = 0;
    unsigned m = 0, d = 0;
    char tail = 0;
    const std::string s(text);
    if (std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3 || s.size() != 10) return std::nullopt;
    const Date date{year{y}, month{m}, day{d}};
    if (!date.ok()) return std::nullopt;
    return date;
}

std::string formatDate(Date date) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", int(date.year()), unsigned(date.month()),
                  unsigned(date.day()));
    return buffer;
}

std::string formatRocDate(Date date) {
    return std::to_string(rocYearOf(int(date.year()))) + "年" + std::to_string(unsigned(date.month())) + "月" +
           std::to_string(unsigned(date.day())) + "日";
}

WorkCalendar WorkCalendar::parse(std::string_view text, const std::string& fileName) {
    WorkCalendar calendar;
    int lineNumber = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const auto line = trimmed(text.substr(start, end - start));
        start = end + 1;
        ++lineNumber;
        if (line.empty() || line.front() == '#') continue;
        const auto date = parseDate(line.substr(0, 10));
        const auto kind = trimmed(line.substr(std::min<std::size_t>(10, line.size())));
        const auto fail = [&](const std::string& what) {
            throw ConfigError(fileName + ":" + std::to_string(lineNumber) + ": " + what);
        };
        if (!date) fail("expected a date like 2026-02-16 at the start of the line");
        if (kind.starts_with("holiday"))
            calendar.holidays_.insert(sys_days{*date});
        else if (kind.starts_with("workday"))
            calendar.workdays_.insert(sys_days{*date});
        else
            fail("after the date comes `holiday` or `workday`");
    }
    return calendar;
}

bool WorkCalendar::isWorkingDay(Date date) const {
    const sys_days day{date};
    if (workdays_.count(day)) return true;
    return !isWeekend(date) && !holidays_.count(day);
}

Date localDate(Timestamp instant, minutes utcOffset) { return Date{floor<days>(instant + utcOffset)}; }

Date addDays(Date start, int count, DayCounting counting, const WorkCalendar& calendar) {
    sys_days day{start};
    if (counting == DayCounting::Calendar) return Date{day + days{count}};
    for (int counted = 0; counted < count;) {
        day += days{1};
        if (calendar.isWorkingDay(Date{day})) ++counted;
    }
    return Date{day};
}

Deadlines deadlinesFor(Timestamp receivedAt, const DeadlinePolicy& policy, const WorkCalendar& calendar) {
    const auto received = localDate(receivedAt);
    return {addDays(received, policy.targetDays, policy.counting, calendar),
            addDays(received, policy.legalDays, policy.counting, calendar)};
}

int daysUntil(Date today, Date due) { return int((sys_days{due} - sys_days{today}).count()); }

}  // namespace complaintd::cases
