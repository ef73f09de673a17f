#include "fax/fax_number.h"

#include <algorithm>
#include <array>

namespace complaintd::fax {
namespace {

// One row of the Taiwanese numbering plan: numbers starting with `prefix`
// (trunk 0 included) have `length` digits and are written with dashes after
// the positions in `dashes` (0 = none).
struct Plan {
    std::string_view prefix;
    std::size_t length;
    std::array<std::size_t, 2> dashes;
};

// Longer prefixes first: 037 (Miaoli) before 03, 049 (Nantou) before 04, ...
constexpr std::array kPlan{
    Plan{"0826", 9, {4, 0}}, Plan{"0836", 9, {4, 0}}, Plan{"0800", 10, {4, 7}},  // Wuqiu, Matsu, toll-free
    Plan{"037", 9, {3, 0}},  Plan{"049", 10, {3, 0}}, Plan{"070", 11, {3, 7}},   // Miaoli, Nantou, VoIP
    Plan{"082", 9, {3, 0}},  Plan{"089", 9, {3, 0}},                             // Kinmen, Taitung
    Plan{"09", 10, {4, 7}},                                                      // mobile
    Plan{"02", 10, {2, 6}},  Plan{"04", 10, {2, 6}},                             // Taipei, Taichung
    Plan{"03", 9, {2, 0}},   Plan{"04", 9, {2, 0}},   Plan{"05", 9, {2, 0}},
    Plan{"06", 9, {2, 0}},   Plan{"07", 9, {2, 0}},   Plan{"08", 9, {2, 0}},
};

// Full-width forms (U+FF08..U+FF19, U+3000) as typed in Chinese text, to ASCII.
std::optional<std::string> toAscii(std::string_view written) {
    std::string out;
    for (std::size_t i = 0; i < written.size(); ++i) {
        const auto c = static_cast<unsigned char>(written[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if (c == 0xEF && i + 2 < written.size() && static_cast<unsigned char>(written[i + 1]) == 0xBC) {
            const auto low = static_cast<unsigned char>(written[i + 2]);
            if (low < 0x88 || low > 0x99) return std::nullopt;
            out += static_cast<char>(low - 0x88 + '(');  // U+FF08 '（' .. U+FF19 '９'
            i += 2;
        } else if (written.substr(i, 3) == "\xE3\x80\x80") {
            out += ' ';
            i += 2;
        } else {
            return std::nullopt;
        }
    }
    return out;
}

std::optional<std::string> formatNational(const std::string& digits) {
    for (const auto& plan : kPlan) {
        if (!digits.starts_with(plan.prefix) || digits.size() != plan.length) continue;
        std::string out;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i != 0 && (i == plan.dashes[0] || i == plan.dashes[1])) out += '-';
            out += digits[i];
        }
        return out;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> normaliseFaxNumber(std::string_view written) {
    auto ascii = toAscii(written);
    if (!ascii) return std::nullopt;
    const auto first = ascii->find_first_not_of(' ');
    if (first == std::string::npos) return std::nullopt;
    const bool plus = (*ascii)[first] == '+';
    std::string digits;
    for (std::size_t i = first + (plus ? 1 : 0); i < ascii->size(); ++i) {
        const char c = (*ascii)[i];
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (ascii->compare(i, 3, "(0)") == 0 && !digits.empty()) {
            i += 2;  // "+886 (0)6 ...": the trunk 0 written for national callers
        } else if (c != ' ' && c != '-' && c != '.' && c != '/' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    bool international = plus;
    if (!plus && digits.starts_with("00")) {
        // 00 or 002 (Chunghwa's international prefix) before a country code
        digits.erase(0, digits.starts_with("002886") ? 3 : 2);
        international = true;
    } else if (!plus && digits.starts_with("886") && digits.size() >= 11) {
        international = true;  // national numbers start with 0, so 886 is the country code
    }
    if (international && !digits.starts_with("886")) {
        if (digits.size() < 7 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
        return "+" + digits;
    }
    if (international) digits.erase(0, 3);
    if (international && !digits.starts_with("0")) digits.insert(0, "0");
    return formatNational(digits);
}

std::string nationalDigits(std::string_view normalised) {
    if (normalised.starts_with("+")) return {};
    std::string digits;
    std::copy_if(normalised.begin(), normalised.end(), std::back_inserter(digits),
                 [](char c) { return c >= '0' && c <= '9'; });
    return digits;
}

std::string internationalDigits(std::string_view normalised) {
    if (normalised.starts_with("+")) return std::string(normalised.substr(1));
    const std::string national = nationalDigits(normalised);
    return national.empty() ? std::string() : "886" + national.substr(1);
}

}  // namespace complaintd::fax
