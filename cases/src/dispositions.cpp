#include "cases/dispositions.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <set>

namespace complaintd::cases {
namespace {

constexpr std::size_t kSimilarityCodePoints = 2000;
constexpr std::size_t kMaxAgenciesListed = 20;
constexpr std::size_t kSimilarityBytes = 4 * kSimilarityCodePoints;  // a code point is at most 4 bytes

// UTF-8 code points, skipping ASCII white space/punctuation and CJK punctuation (U+3000-U+303F, U+FF00-U+FF0F...).
std::vector<char32_t> significantCodePoints(std::string_view text) {
    std::vector<char32_t> points;
    for (std::size_t i = 0; i < text.size();) {
        const auto lead = static_cast<unsigned char>(text[i++]);
        int extra = lead >= 0xF0 ? 3 : lead >= 0xE0 ? 2 : lead >= 0xC0 ? 1 : 0;
        char32_t cp = extra == 3 ? lead & 0x07 : extra == 2 ? lead & 0x0F : extra == 1 ? lead & 0x1F : lead;
        for (; extra > 0 && i < text.size(); --extra) cp = (cp << 6) | (static_cast<unsigned char>(text[i++]) & 0x3F);
        const bool asciiNoise = cp < 0x80 && !std::isalnum(static_cast<int>(cp));
        const bool cjkPunctuation =
            (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20);
        if (!asciiNoise && !cjkPunctuation) points.push_back(cp < 0x80 ? char32_t(std::tolower(int(cp))) : cp);
    }
    return points;
}

using Bigrams = std::map<std::pair<char32_t, char32_t>, int>;

// Bigrams of the first kSimilarityCodePoints significant code points only: whether two complaints
// are the same matter shows in how they start, and the cost per earlier case stays bounded
// whatever the length of the text (a 25 MB mail, compared with every earlier case).
Bigrams bigrams(std::string_view text) {
    auto points = significantCodePoints(text.substr(0, kSimilarityBytes));
    if (points.size() > kSimilarityCodePoints) points.resize(kSimilarityCodePoints);
    Bigrams counts;
    for (std::size_t i = 0; i + 1 < points.size(); ++i) ++counts[{points[i], points[i + 1]}];
    return counts;
}

double diceOf(const Bigrams& left, const Bigrams& right) {
    int total = 0, shared = 0;
    for (const auto& [gram, n] : left) total += n;
    for (const auto& [gram, n] : right) {
        total += n;
        if (const auto it = left.find(gram); it != left.end()) shared += std::min(n, it->second);
    }
    return total == 0 ? 0.0 : 2.0 * shared / total;
}

std::string domainOf(std::string_view address) {
    const auto at = address.rfind('@');
    std::string domain(at == std::string_view::npos ? std::string_view{} : address.substr(at + 1));
    std::transform(domain.begin(), domain.end(), domain.begin(), [](unsigned char c) { return std::tolower(c); });
    return domain;
}

bool isAnswered(CaseStatus s) {
    return s == CaseStatus::Replied || s == CaseStatus::Closed || s == CaseStatus::Archived;
}

std::string similarityText(double value) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%.2f", value);
    return buffer;
}

}  // namespace

double bigramSimilarity(std::string_view a, std::string_view b) { return diceOf(bigrams(a), bigrams(b)); }

bool domainMatches(std::string_view domain, std::string_view pattern) {
    if (pattern.starts_with("*.")) {
        const auto suffix = pattern.substr(1);  // ".gov.tw"
        return domain.size() > suffix.size() && domain.ends_with(suffix);
    }
    return domain == pattern;
}

std::vector<Suggestion> suggestDispositions(const Case& c, const std::vector<std::string>& recipients,
                                            const std::vector<EarlierCase>& earlier, const DispositionPolicy& policy) {
    std::vector<Suggestion> suggestions;
    const auto content = significantCodePoints(c.summary).size();
    if (content < policy.minimumContentCharacters)
        suggestions.push_back(
            {FilingReason::NoContent, "no concrete content (" + std::to_string(content) + " characters)"});
    else if (c.complainant.name.empty())
        suggestions.push_back({FilingReason::NoContent, "no name given"});
    else if (c.complainant.address.empty() && c.complainant.email.empty())
        suggestions.push_back({FilingReason::NoContent, "no address given"});

    const auto ours = bigrams(c.subject + c.summary);
    for (const auto& e : earlier) {
        if (!isAnswered(e.status)) continue;
        const double similarity = diceOf(ours, bigrams(e.subject + e.summary));
        if (similarity < policy.repeatSimilarity) continue;
        suggestions.push_back({FilingReason::AlreadyAnswered, "same matter as " + e.number.toString() +
                                                                  ", already answered (similarity " +
                                                                  similarityText(similarity) + ")"});
        break;
    }

    // A set, and a cap on the names listed: a forged To: can hold tens of thousands of addresses.
    std::vector<std::string> agencies;
    std::set<std::string> seen;
    for (const auto& r : recipients) {
        if (agencies.size() >= kMaxAgenciesListed) break;
        const auto domain = domainOf(r);
        if (domain.empty() || domain == policy.ownDomain || seen.contains(domain)) continue;
        const bool agency = std::any_of(policy.agencyDomains.begin(), policy.agencyDomains.end(),
                                        [&](const std::string& pattern) { return domainMatches(domain, pattern); });
        if (agency && seen.insert(domain).second) agencies.push_back(domain);
    }
    if (!agencies.empty()) {
        std::string list;
        for (const auto& a : agencies) list += (list.empty() ? "" : ", ") + a;
        suggestions.push_back({FilingReason::SentToCompetent, "also sent to other agencies: " + list});
    }
    return suggestions;
}

}  // namespace complaintd::cases
