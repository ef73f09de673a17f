// Suggested dispositions: the software points at the procedure's reasons for
// filing a case without handling (存查); staff decide. Reason 3 (a false
// identity) is never suggested: only staff can establish it. Pure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cases/case.h"
#include "cases/lifecycle.h"

namespace complaintd::cases {

struct Suggestion {
    FilingReason reason;
    std::string detail;  // English for staff, e.g. "same matter as 115-004 (similarity 0.82)"
};

struct DispositionPolicy {
    std::size_t minimumContentCharacters = 10;  // below this, "no concrete content"
    double repeatSimilarity = 0.6;              // bigram similarity that counts as the same matter
    // Domains of other competent authorities, "*.gov.tw" style; the center's own domain is excluded.
    std::vector<std::string> agencyDomains{"*.gov.tw"};
    std::string ownDomain;
};

// An earlier case of the same complainant, as far as the suggestion needs it.
struct EarlierCase {
    CaseNumber number;
    CaseStatus status;
    std::string subject;
    std::string summary;
};

// Dice coefficient over character bigrams (UTF-8 code points, white space and punctuation ignored): 0..1.
// Only the first 2000 significant code points of each text count, so the cost is bounded.
double bigramSimilarity(std::string_view a, std::string_view b);

// True when `domain` matches a pattern: "*.gov.tw" matches "epb.tainan.gov.tw", "gov.tw" only itself.
bool domainMatches(std::string_view domain, std::string_view pattern);

// Reasons 1, 2 and 4 for a new case. `recipients` are the To and Cc addresses of its message.
std::vector<Suggestion> suggestDispositions(const Case& c, const std::vector<std::string>& recipients,
                                            const std::vector<EarlierCase>& earlierCasesOfComplainant,
                                            const DispositionPolicy& policy);

}  // namespace complaintd::cases
