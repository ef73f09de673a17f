#include "cases/roc_calendar.h"

#include <cstdio>
#include <stdexcept>

namespace complaintd::cases {
namespace {

using namespace std::chrono;

struct LocalFields {
    year_month_day date;
    hh_mm_ss<seconds> time;
};

LocalFields localFields(Timestamp instant, minutes utcOffset) {
    const auto local = instant + utcOffset;
    const auto day = floor<days>(local);
    return {year_month_day{day}, hh_mm_ss<seconds>{local - day}};
}

}  // namespace

int rocYearOf(int gregorianYear) { return gregorianYear - 1911; }

int rocYearAt(Timestamp instant, minutes utcOffset) {
    return rocYearOf(int(localFields(instant, utcOffset).date.year()));
}

std::string formatIso8601(Timestamp instant, minutes utcOffset) {
    const auto [date, time] = localFields(instant, utcOffset);
    const long offset = utcOffset.count();
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02lld%c%02ld:%02ld", int(date.year()),
                  unsigned(date.month()), unsigned(date.day()), long(time.hours().count()),
                  long(time.minutes().count()), static_cast<long long>(time.seconds().count()), offset < 0 ? '-' : '+',
                  std::labs(offset) / 60, std::labs(offset) % 60);
    return buffer;
}

Timestamp parseIso8601(const std::string& text) {
    int y, mo, d, h, mi, s;
    char sep = 0;
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6)
        throw std::invalid_argument("not an ISO 8601 time: " + text);
    minutes offset{0};
    const char* rest = text.c_str() + consumed;
    int oh = 0, om = 0;
    if (std::sscanf(rest, "%c%2d:%2d", &sep, &oh, &om) == 3 && (sep == '+' || sep == '-'))
        offset = minutes((sep == '-' ? -1 : 1) * (oh * 60 + om));
    else if (*rest != 'Z' && *rest != '\0')
        throw std::invalid_argument("not an ISO 8601 offset: " + text);
    const sys_days date = year_month_day{year{y}, month(unsigned(mo)), day(unsigned(d))};
    return Timestamp{date} + hours(h) + minutes(mi) + seconds(s) - offset;
}

std::string formatRocDate(Timestamp instant, minutes utcOffset) {
    const auto date = localFields(instant, utcOffset).date;
    return "中華民國" + std::to_string(rocYearOf(int(date.year()))) + "年" + std::to_string(unsigned(date.month())) +
           "月" + std::to_string(unsigned(date.day())) + "日";
}

}  // namespace complaintd::cases
