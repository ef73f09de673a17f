#include "time_text.h"

#include <array>

namespace complaintd::fax {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                   "jul", "aug", "sep", "oct", "nov", "dec"};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isLetter(char c) { return (lower(c) >= 'a' && lower(c) <= 'z'); }

struct Fields {
    int year = -1, month = -1, day = -1, hour = 0, minute = 0, second = 0;
    bool twelveHour = false;
    int pm = -1;  // -1 not given, 0 AM, 1 PM
    std::optional<std::chrono::minutes> offset;
};

class Reader {
public:
    explicit Reader(std::string_view text) : text_(text) {}

    bool atEnd() const { return pos_ == text_.size(); }
    std::optional<int> number(std::size_t minDigits, std::size_t maxDigits) {
        std::size_t n = 0;
        int value = 0;
        for (; n < maxDigits && pos_ < text_.size() && isDigit(text_[pos_]); ++n, ++pos_)
            value = value * 10 + (text_[pos_] - '0');
        return n >= minDigits ? std::optional(value) : std::nullopt;
    }
    std::string word() {
        std::string out;
        while (pos_ < text_.size() && isLetter(text_[pos_])) out += lower(text_[pos_++]);
        return out;
    }
    bool spaces() {
        const auto before = pos_;
        while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
        return pos_ > before;
    }
    bool literal(char c) {
        if (pos_ >= text_.size() || lower(text_[pos_]) != lower(c)) return false;
        ++pos_;
        return true;
    }
    std::string_view rest() const { return text_.substr(pos_); }
    void skip(std::size_t n) { pos_ += n; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

bool readDirective(char directive, Reader& in, Fields& f) {
    auto set = [&](int& field, std::size_t minDigits, std::size_t maxDigits, int add = 0) {
        const auto value = in.number(minDigits, maxDigits);
        if (value) field = *value + add;
        return value.has_value();
    };
    switch (directive) {
        case 'Y':
            return set(f.year, 4, 4);
        case 'R':
            return set(f.year, 2, 3, 1911);
        case 'm':
            return set(f.month, 1, 2);
        case 'd':
            return set(f.day, 1, 2);
        case 'H':
            return set(f.hour, 1, 2);
        case 'I':
            f.twelveHour = true;
            return set(f.hour, 1, 2);
        case 'M':
            return set(f.minute, 1, 2);
        case 'S':
            return set(f.second, 1, 2);
        case 'a':
            return !in.word().empty();
        case 'b': {
            const std::string name = in.word();
            for (std::size_t i = 0; i < kMonths.size(); ++i)
                if (name.size() >= 3 && name.starts_with(kMonths[i])) f.month = int(i) + 1;
            return f.month > 0;
        }
        case 'p': {
            const std::string name = in.word();
            f.pm = name == "pm" ? 1 : name == "am" ? 0 : -2;
            return f.pm >= 0;
        }
        case 'z': {
            const auto rest = in.rest();
            const std::size_t length = rest.starts_with("Z") ? 1 : (rest.size() >= 6 && rest[3] == ':') ? 6 : 5;
            f.offset = parseUtcOffset(rest.substr(0, length));
            if (f.offset) in.skip(length);
            return f.offset.has_value();
        }
        case '%':
            return in.literal('%');
    }
    return false;
}

std::optional<std::chrono::sys_seconds> toInstant(const Fields& f, std::chrono::minutes utcOffset) {
    using namespace std::chrono;
    int hour = f.hour;
    if (f.twelveHour || f.pm >= 0) {
        if (hour < 1 || hour > 12) return std::nullopt;
        hour = hour % 12 + (f.pm == 1 ? 12 : 0);
    }
    const year_month_day date{year{f.year}, month{unsigned(f.month)}, day{unsigned(f.day)}};
    if (f.year < 1970 || !date.ok() || hour > 23 || f.minute > 59 || f.second > 60) return std::nullopt;
    const auto local = sys_days{date} + hours{hour} + minutes{f.minute} + seconds{f.second};
    return local - f.offset.value_or(utcOffset);
}

}  // namespace

std::string checkTimeFormat(std::string_view format) {
    bool year = false, month = false, day = false;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] != '%') continue;
        if (i + 1 == format.size()) return "a time format ends in `%`";
        const char d = format[++i];
        if (std::string_view("YRmdHIMSabpz%").find(d) == std::string_view::npos)
            return std::string("unknown directive `%") + d + "` (use %Y %R %m %d %H %I %M %S %a %b %p %z %%)";
        year = year || d == 'Y' || d == 'R';
        month = month || d == 'm' || d == 'b';
        day = day || d == 'd';
    }
    if (!year || !month || !day) return "a time format needs a year, a month and a day";
    return {};
}

std::optional<std::chrono::sys_seconds> parseTime(std::string_view text, std::string_view format,
                                                  std::chrono::minutes utcOffset) {
    Reader in(text);
    Fields fields;
    for (std::size_t i = 0; i < format.size(); ++i) {
        if (format[i] == ' ') {
            if (!in.spaces()) return std::nullopt;
        } else if (format[i] == '%' && i + 1 < format.size()) {
            if (!readDirective(format[++i], in, fields)) return std::nullopt;
        } else if (!in.literal(format[i])) {
            return std::nullopt;
        }
    }
    in.spaces();
    if (!in.atEnd()) return std::nullopt;
    return toInstant(fields, utcOffset);
}

std::optional<std::chrono::minutes> parseUtcOffset(std::string_view text) {
    if (text == "Z" || text == "UTC") return std::chrono::minutes{0};
    if (text.size() != 5 && text.size() != 6) return std::nullopt;
    if (text[0] != '+' && text[0] != '-') return std::nullopt;
    if (text.size() == 6 && text[3] != ':') return std::nullopt;
    const std::string_view hh = text.substr(1, 2), mm = text.substr(text.size() - 2);
    for (char c : std::string(hh) + std::string(mm))
        if (!isDigit(c)) return std::nullopt;
    const int hours = (hh[0] - '0') * 10 + (hh[1] - '0'), minutes = (mm[0] - '0') * 10 + (mm[1] - '0');
    if (hours > 14 || minutes > 59) return std::nullopt;
    const int total = hours * 60 + minutes;
    return std::chrono::minutes{text[0] == '-' ? -total : total};
}

}  // namespace complaintd::fax
