#include "postal_address.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>

#include "text_util.h"

namespace complaintd::parsers::detail {

namespace {

// Municipalities and counties, in both 台 and 臺 spellings, and the counties
// merged into cities in 2010 that old letterheads still use.
constexpr std::string_view kCities[] = {
    "台北市", "臺北市", "新北市", "桃園市", "台中市", "臺中市", "台南市", "臺南市", "高雄市",
    "基隆市", "新竹市", "嘉義市", "新竹縣", "苗栗縣", "彰化縣", "南投縣", "雲林縣", "嘉義縣",
    "屏東縣", "宜蘭縣", "花蓮縣", "台東縣", "臺東縣", "澎湖縣", "金門縣", "連江縣", "台北縣",
    "臺北縣", "桃園縣", "台中縣", "臺中縣", "台南縣", "臺南縣", "高雄縣",
};

constexpr std::string_view kLabels[] = {"通訊地址", "聯絡地址", "居住地址", "戶籍地址", "住址", "地址"};
constexpr std::string_view kStreetMarks[] = {"路", "街", "道", "巷", "弄", "村", "里"};
constexpr std::string_view kNumberMark = "號";
constexpr std::size_t kMaxAddressCodePoints = 48;
constexpr std::size_t kMaxPostalCodeDigits = 6;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Bytes from `start` that can belong to an address: Han characters, digits
// and '-' ("100-2號"), up to a length no address reaches.
std::size_t addressSpanEnd(std::string_view text, std::size_t start) {
    std::size_t pos = start;
    for (std::size_t count = 0; pos < text.size() && count < kMaxAddressCodePoints; ++count) {
        std::size_t next = pos;
        const char32_t c = nextCodePoint(text, next);
        if (!(isHan(c) || isDigit(static_cast<char>(c)) || c == '-')) break;
        pos = next;
    }
    return pos;
}

// After 號: a floor ("5樓", "五樓", "5樓之2") or a "之2".
std::size_t afterFloor(std::string_view text, std::size_t pos) {
    std::size_t p = pos;
    while (p < text.size() && isDigit(text[p])) ++p;
    for (std::string_view numeral : {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}) {
        while (text.substr(p).starts_with(numeral)) p += numeral.size();
    }
    if (p > pos && text.substr(p).starts_with("樓")) {
        pos = p + std::string_view("樓").size();
    }
    if (text.substr(pos).starts_with("之")) {
        std::size_t q = pos + std::string_view("之").size();
        const std::size_t digits = q;
        while (q < text.size() && isDigit(text[q])) ++q;
        if (q > digits) pos = q;
    }
    return pos;
}

// The end of the address running from `start`, if it has a street marker and then a 號.
std::optional<std::size_t> addressEnd(std::string_view text, std::size_t start) {
    const std::string_view span = text.substr(start, addressSpanEnd(text, start) - start);
    std::size_t street = std::string_view::npos;
    for (std::string_view mark : kStreetMarks) street = std::min(street, span.find(mark));
    if (street == std::string_view::npos) return std::nullopt;
    const std::size_t number = span.find(kNumberMark, street);
    if (number == std::string_view::npos) return std::nullopt;
    return afterFloor(text, start + number + kNumberMark.size());
}

// A postal code written just before the city ("741台南市", "741 台南市").
std::size_t withPostalCode(std::string_view text, std::size_t city) {
    std::size_t start = city;
    if (start > 0 && text[start - 1] == ' ') --start;
    std::size_t digits = start;
    while (digits > 0 && isDigit(text[digits - 1]) && start - digits < kMaxPostalCodeDigits) --digits;
    const bool code = start - digits >= 3 && (digits == 0 || !isDigit(text[digits - 1]));
    return code ? digits : city;
}

// An address found at `pos`: its bytes (a postal code before the city included, a label
// before it left out) and where its city or street starts.
struct AddressMatch {
    TextSpan span;
    std::size_t body = 0;
};

std::optional<AddressMatch> addressAt(std::string_view text, std::size_t pos) {
    const std::string_view rest = text.substr(pos);
    for (std::string_view city : kCities) {
        if (!rest.starts_with(city)) continue;
        const std::optional<std::size_t> end = addressEnd(text, pos);
        if (!end) return std::nullopt;
        return AddressMatch{{withPostalCode(text, pos), *end}, pos};
    }
    for (std::string_view label : kLabels) {
        if (!rest.starts_with(label)) continue;
        std::size_t start = pos + label.size();
        while (start < text.size() && (text[start] == ' ' || text[start] == ':')) ++start;
        const std::optional<std::size_t> end = addressEnd(text, start);
        if (!end) return std::nullopt;
        return AddressMatch{{start, *end}, start};
    }
    return std::nullopt;
}

// The first three bytes of a string as one number, to compare characters
// without calling memcmp at every position of the text.
constexpr std::uint32_t leadCharacter(std::string_view text) {
    return (static_cast<std::uint32_t>(static_cast<unsigned char>(text[0])) << 16) |
           (static_cast<std::uint32_t>(static_cast<unsigned char>(text[1])) << 8) | static_cast<unsigned char>(text[2]);
}

// A bit per value of a character's last two bytes, set for the first
// character of every city name and label: a cheap first test at each position.
constexpr auto kLeadFilter = [] {
    std::array<std::uint64_t, 1024> bits{};
    const auto set = [&](std::string_view text) {
        const std::uint32_t low = leadCharacter(text) & 0xFFFF;
        bits[low / 64] |= std::uint64_t{1} << (low % 64);
    };
    for (std::string_view city : kCities) set(city);
    for (std::string_view label : kLabels) set(label);
    return bits;
}();

// Whether a city name or label could start at `pos` (a 3-byte character).
bool mayStartAddress(std::string_view text, std::size_t pos) {
    const std::uint32_t low = leadCharacter(text.substr(pos)) & 0xFFFF;
    return (kLeadFilter[low / 64] >> (low % 64)) & 1;
}

std::optional<AddressMatch> nextAddress(std::string_view text, std::size_t from) {
    for (std::size_t pos = from; pos + 3 <= text.size(); ++pos) {
        if ((static_cast<unsigned char>(text[pos]) & 0xF0) != 0xE0) continue;  // all start with a 3-byte character
        if (!mayStartAddress(text, pos)) continue;
        if (std::optional<AddressMatch> address = addressAt(text, pos)) return address;
    }
    return std::nullopt;
}

}  // namespace

std::string findPostalAddress(std::string_view text) {
    const std::optional<AddressMatch> address = nextAddress(text, 0);
    if (!address) return {};
    const auto [span, body] = *address;
    // "741 台南市..." is written "741台南市...".
    return std::string(trimWhitespace(text.substr(span.begin, body - span.begin))) +
           std::string(text.substr(body, span.end - body));
}

std::vector<TextSpan> findPostalAddressSpans(std::string_view text) {
    std::vector<TextSpan> spans;
    for (auto address = nextAddress(text, 0); address; address = nextAddress(text, address->span.end))
        spans.push_back(address->span);
    return spans;
}

}  // namespace complaintd::parsers::detail
