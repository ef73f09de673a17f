#include "phone_numbers.h"

#include <algorithm>
#include <optional>

#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

struct AreaCode {
    std::string_view code;
    std::size_t minLocal;  // digits after the area code
    std::size_t maxLocal;
};

// Longest codes first, so that 037 (Miaoli) wins over 03.
constexpr AreaCode kAreaCodes[] = {
    {"0826", 5, 5}, {"0836", 5, 5}, {"037", 6, 6}, {"049", 7, 7}, {"082", 6, 6}, {"089", 6, 6}, {"02", 8, 8},
    {"03", 7, 7},   {"04", 7, 8},   {"05", 7, 7},  {"06", 7, 7},  {"07", 7, 7},  {"08", 7, 7},
};

constexpr std::string_view kSeparators = " -.()";
constexpr std::size_t kMaxSeparatorRun = 3;
constexpr std::size_t kLabelReach = 40;  // bytes before a number searched for its label
// A complaint gives a few numbers; a text of thousands is not a list to keep, and the cap keeps
// the dedupe below from growing with the text.
constexpr std::size_t kMaxNumbers = 20;
constexpr std::size_t kMaxGroups = 6;   // groups one number is written in at most ("+886 (0)6 505 01 23")
constexpr std::size_t kMaxDigits = 16;  // "+886 (0)912 345 678" and then some
// Groups read at a time: a run of digits and dashes as long as the message is read window by
// window, so memory stays bounded.
constexpr std::size_t kGroupWindow = 256;

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAsciiAlnum(char c) { return isDigit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'); }

struct DigitGroup {
    std::string digits;
    std::size_t begin = 0;  // offset of its first digit
    std::size_t end = 0;    // offset after its last digit
};

// "0912345678" -> "0912-345-678"; landlines as area code, '-', the rest.
std::optional<std::string> formatDomestic(const std::string& digits, std::string_view areaHint) {
    if (digits.size() < 9 || digits.size() > 10 || digits[0] != '0' || digits[1] == '0' || digits[1] == '1') {
        return std::nullopt;
    }
    if (digits.starts_with("09")) {
        if (digits.size() != 10) return std::nullopt;
        return digits.substr(0, 4) + "-" + digits.substr(4, 3) + "-" + digits.substr(7);
    }
    if (digits.starts_with("080")) {
        if (digits.size() != 10) return std::nullopt;
        return digits.substr(0, 4) + "-" + digits.substr(4);
    }
    const auto fits = [&](const AreaCode& area) {
        const std::size_t local = digits.size() - area.code.size();
        return digits.starts_with(area.code) && local >= area.minLocal && local <= area.maxLocal;
    };
    // The sender's grouping ("(037)" or "037-") settles codes that nest.
    for (const AreaCode& area : kAreaCodes) {
        if (area.code == areaHint && fits(area)) return std::string(area.code) + "-" + digits.substr(area.code.size());
    }
    for (const AreaCode& area : kAreaCodes) {
        if (fits(area)) return std::string(area.code) + "-" + digits.substr(area.code.size());
    }
    return std::nullopt;
}

// Digits of consecutive groups, "+886" forms turned domestic.
std::optional<std::string> numberFromGroups(const std::vector<DigitGroup>& groups, std::size_t first, std::size_t last,
                                            bool international) {
    std::size_t length = 0;
    for (std::size_t g = first; g < last; ++g) length += groups[g].digits.size();
    if (length > kMaxDigits) return std::nullopt;  // no number is that long; a run of a million digits is not copied
    std::string digits;
    for (std::size_t g = first; g < last; ++g) digits += groups[g].digits;
    std::string_view areaHint = groups[first].digits;
    if (international) {
        if (!digits.starts_with("886")) return std::nullopt;
        std::string rest = digits.substr(3);
        if (rest.starts_with("0")) rest.erase(0, 1);  // "+886 (0)6 ..."
        digits = "0" + rest;
        areaHint = {};
    }
    return formatDomestic(digits, areaHint);
}

// Reads up to `limit` digit groups joined by short runs of separators, from `pos`.
std::vector<DigitGroup> readGroups(std::string_view text, std::size_t pos, std::size_t limit) {
    std::vector<DigitGroup> groups;
    while (pos < text.size() && groups.size() < limit) {
        std::size_t digitsStart = pos;
        while (digitsStart < text.size() && digitsStart - pos < kMaxSeparatorRun &&
               kSeparators.find(text[digitsStart]) != std::string_view::npos) {
            ++digitsStart;
        }
        std::size_t end = digitsStart;
        while (end < text.size() && isDigit(text[end])) ++end;
        if (end == digitsStart) break;
        groups.push_back({std::string(text.substr(digitsStart, end - digitsStart)), digitsStart, end});
        pos = end;
    }
    return groups;
}

// "#123", "分機 123", "轉123", "ext. 123" right after a number; `end` moves past it when found.
std::string extensionAt(std::string_view text, std::size_t& end) {
    std::size_t pos = end;
    while (pos < text.size() && text[pos] == ' ') ++pos;
    const std::string_view rest = text.substr(pos);
    std::size_t skip = 0;
    for (std::string_view label : {"#", "分機", "轉", "ext.", "ext", "Ext.", "Ext", "EXT"}) {
        if (rest.starts_with(label)) {
            skip = label.size();
            break;
        }
    }
    if (skip == 0) return {};
    pos += skip;
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == ':')) ++pos;
    std::size_t digitsEnd = pos;
    while (digitsEnd < text.size() && isDigit(text[digitsEnd]) && digitsEnd - pos < 6) ++digitsEnd;
    if (digitsEnd == pos) return {};
    end = digitsEnd;
    return "#" + std::string(text.substr(pos, digitsEnd - pos));
}

// Whether the label closest before a number (in `before`) says fax.
bool labelledFax(std::string_view before) {
    const std::string lower = asciiLower(before);
    std::size_t faxAt = std::string::npos;
    std::size_t phoneAt = std::string::npos;
    const auto latest = [&](std::size_t& at, std::initializer_list<std::string_view> labels) {
        for (std::string_view label : labels) {
            const std::size_t found = lower.rfind(label);
            if (found != std::string::npos && (at == std::string::npos || found > at)) at = found;
        }
    };
    latest(faxAt, {"傳真", "传真", "fax"});
    latest(phoneAt, {"電話", "电话", "手機", "手机", "行動", "tel", "phone", "mobile"});
    return faxAt != std::string::npos && (phoneAt == std::string::npos || faxAt > phoneAt);
}

bool startsNumber(std::string_view text, std::size_t pos) {
    const char c = text[pos];
    if (c != '0' && c != '+' && c != '(') return false;  // the common case, cheaply
    if (pos > 0 && isAsciiAlnum(text[pos - 1])) return false;
    const std::string_view rest = text.substr(pos);
    return rest.starts_with("+886") || rest.starts_with("(0") || rest.starts_with("(+886") ||
           (rest.starts_with("0") && !(pos > 0 && (text[pos - 1] == '-' || text[pos - 1] == '.')));
}

class PhoneScanner {
public:
    explicit PhoneScanner(std::string_view text) : text_(text) {}

    std::vector<PhoneNumber> run() {
        for (std::size_t pos = 0; pos < text_.size() && found_.size() < kMaxNumbers;)
            pos = startsNumber(text_, pos) ? readRun(pos) : pos + 1;
        return std::move(found_);
    }

    std::vector<TextSpan> spans() {
        run();
        return std::move(spans_);
    }

private:
    // Splits one run of groups into numbers, longest first ("06 5050123
    // 0912345678" is two). Returns where scanning goes on. A long run is read
    // window by window; the last groups of a window, which may start a number
    // that goes on in the next, are read again with it.
    std::size_t readRun(std::size_t start) {
        const std::string_view rest = text_.substr(start);
        const std::size_t plus = rest.starts_with("+") ? 1 : rest.starts_with("(+") ? 2 : 0;
        bool international = plus > 0;
        bool firstWindow = true;
        for (std::size_t from = start + plus;;) {
            const std::vector<DigitGroup> groups = readGroups(text_, from, kGroupWindow);
            if (groups.empty()) return start + 1;  // only the first window can be empty
            const bool runEnds = groups.size() < kGroupWindow;
            const std::size_t settled = runEnds ? groups.size() : groups.size() - kMaxGroups;
            std::size_t first = 0;
            while (first < settled && found_.size() < kMaxNumbers) {
                const bool plusForm = international && first == 0;
                const std::size_t last = longestNumber(groups, first, plusForm);
                if (last == first) {
                    ++first;
                    continue;
                }
                const std::size_t begin = firstWindow && first == 0 ? start : groups[first].begin;
                add(*numberFromGroups(groups, first, last, plusForm), begin, groups[last - 1].end);
                first = last;
            }
            if (runEnds || found_.size() >= kMaxNumbers) return groups.back().end;
            from = groups[first].begin;
            international = false;
            firstWindow = false;
        }
    }

    std::size_t longestNumber(const std::vector<DigitGroup>& groups, std::size_t first, bool international) const {
        for (std::size_t last = std::min(groups.size(), first + kMaxGroups); last > first; --last) {
            const std::size_t end = groups[last - 1].end;
            const bool cleanEnd = end >= text_.size() || !(isAsciiAlnum(text_[end]) || text_[end] == '@');
            if (cleanEnd && numberFromGroups(groups, first, last, international)) return last;
        }
        return first;
    }

    void add(std::string number, std::size_t start, std::size_t end) {
        std::size_t spanEnd = end;
        number += extensionAt(text_, spanEnd);
        spans_.push_back({start, spanEnd});
        // The label is in the few bytes before the number, on its line, after the previous number.
        const std::size_t from = std::max(start > kLabelReach ? start - kLabelReach : 0, std::min(lastEnd_, start));
        std::string_view before = text_.substr(from, start - from);
        const std::size_t lineEnd = before.rfind('\n');
        if (lineEnd != std::string_view::npos) before.remove_prefix(lineEnd + 1);
        const bool fax = labelledFax(before);
        lastEnd_ = end;
        const auto same = [&](const PhoneNumber& p) { return p.number == number && p.fax == fax; };
        if (std::none_of(found_.begin(), found_.end(), same)) found_.push_back({std::move(number), fax});
    }

    std::string_view text_;
    std::size_t lastEnd_ = 0;
    std::vector<PhoneNumber> found_;
    std::vector<TextSpan> spans_;  // every number, repeats included
};

}  // namespace

std::vector<PhoneNumber> findPhoneNumbers(std::string_view text) { return PhoneScanner(text).run(); }

std::vector<TextSpan> findPhoneNumberSpans(std::string_view text) { return PhoneScanner(text).spans(); }

std::string normalisePhoneNumber(std::string_view written) {
    const std::vector<PhoneNumber> numbers = findPhoneNumbers(written);
    return numbers.empty() ? std::string() : numbers.front().number;
}

}  // namespace complaintd::parsers::detail
