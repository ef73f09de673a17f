// A year of fixture cases (2026, ROC 115) for the annual report: every
// category, channel and month, four units, answers in every time bucket,
// filings for the four reasons, referrals, repeat complainants, surveys.
#pragma once

#include <vector>

#include "documents/reported_case.h"

namespace complaintd::documents::test {

// 40 cases received in 2026 and one in 2025 (to be left out).
std::vector<ReportedCase> fixtureYear();

}  // namespace complaintd::documents::test
