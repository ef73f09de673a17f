#include "cases/threading.h"

#include <array>
#include <cctype>

namespace complaintd::cases {
namespace {

struct Brackets {
    std::string_view open;
    std::string_view close;
};

constexpr std::array<Brackets, 3> kBrackets{{{"[", "]"}, {"［", "］"}, {"【", "】"}}};
// A tag is "115-001" with a little white space: its closing bracket is never further than this.
// Looking no further keeps a subject of many opening brackets linear.
constexpr std::size_t kMaxTagBytes = 32;

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

}  // namespace

std::optional<CaseNumber> caseTagIn(std::string_view subject) {
    std::optional<std::pair<std::size_t, CaseNumber>> first;
    for (const auto& b : kBrackets) {
        for (auto open = subject.find(b.open); open != std::string_view::npos; open = subject.find(b.open, open + 1)) {
            const auto start = open + b.open.size();
            const auto window = subject.substr(start, kMaxTagBytes + b.close.size());
            const auto close = window.find(b.close);
            if (close == std::string_view::npos) {
                if (window.size() < kMaxTagBytes + b.close.size()) break;  // the subject ends: no close
                continue;
            }
            const auto number = CaseNumber::parse(trimmed(window.substr(0, close)));
            if (number && (!first || open < first->first)) first = std::make_pair(open, *number);
            if (number) break;
        }
    }
    if (!first) return std::nullopt;
    return first->second;
}

bool sameAddress(std::string_view a, std::string_view b) {
    a = trimmed(a);
    b = trimmed(b);
    if (a.empty() || a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace complaintd::cases
