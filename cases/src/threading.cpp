#include "cases/threading.h"

#include <algorithm>
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

std::string mailboxKey(std::string_view address) {
    std::string key(trimmed(address));
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const auto at = key.rfind('@');
    if (at == std::string::npos) return key;
    std::string local = key.substr(0, at), domain = key.substr(at + 1);
    if (const auto plus = local.find('+'); plus != std::string::npos && plus > 0) local.erase(plus);
    if (domain == "gmail.com" || domain == "googlemail.com") {
        std::erase(local, '.');
        domain = "gmail.com";  // one mailbox under both names
    }
    return local + "@" + domain;
}

std::string mailboxDomain(std::string_view address) {
    const auto key = mailboxKey(address);
    const auto at = key.rfind('@');
    return at == std::string::npos ? std::string() : key.substr(at + 1);
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
