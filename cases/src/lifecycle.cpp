#include "cases/lifecycle.h"

#include <algorithm>
#include <map>

namespace complaintd::cases {
namespace {

using S = CaseStatus;

const std::map<CaseStatus, std::vector<CaseStatus>>& moves() {
    // Filing and referral are possible until the reply is signed off; reopening
    // once the complainant has had an answer.
    static const std::map<CaseStatus, std::vector<CaseStatus>> table{
        {S::Received, {S::Assigned, S::InProgress, S::ReplyDrafted, S::Filed, S::Referred}},
        {S::Assigned, {S::InProgress, S::ReplyDrafted, S::Filed, S::Referred}},
        {S::InProgress, {S::ReplyDrafted, S::Filed, S::Referred}},
        {S::ReplyDrafted, {S::ReplyDrafted, S::SignedOff, S::InProgress, S::Filed, S::Referred}},
        {S::SignedOff, {S::Replied}},
        {S::Replied, {S::Closed, S::Reopened}},
        {S::Closed, {S::Archived, S::Reopened}},
        {S::Archived, {}},
        {S::Reopened, {S::Assigned, S::InProgress, S::ReplyDrafted, S::Filed, S::Referred}},
        {S::Filed, {S::Archived, S::Reopened}},
        {S::Referred, {S::Closed, S::Archived, S::Reopened}},
    };
    return table;
}

}  // namespace

const std::vector<CaseStatus>& allowedMoves(CaseStatus from) { return moves().at(from); }

bool isAllowed(CaseStatus from, CaseStatus to) {
    const auto& allowed = allowedMoves(from);
    return std::find(allowed.begin(), allowed.end(), to) != allowed.end();
}

std::optional<std::string> refuseMove(const CaseNumber& number, CaseStatus from, CaseStatus to) {
    if (isAllowed(from, to)) return std::nullopt;
    std::string message = number.toString() + " is " + std::string(idOf(from));
    const auto& allowed = allowedMoves(from);
    if (allowed.empty()) return message + ": it cannot change any more, not to " + std::string(idOf(to));
    message += ": it can go to ";
    for (std::size_t i = 0; i < allowed.size(); ++i) {
        if (i) message += i + 1 == allowed.size() ? " or " : ", ";
        message += idOf(allowed[i]);
    }
    return message + ", not " + std::string(idOf(to));
}

bool isAwaitingAnswer(CaseStatus s) {
    return s == S::Received || s == S::Assigned || s == S::InProgress || s == S::ReplyDrafted || s == S::Reopened;
}

bool deadlinesRun(CaseStatus s) { return isAwaitingAnswer(s) || s == S::SignedOff; }

bool isFinished(CaseStatus s) { return s == S::Closed || s == S::Archived || s == S::Filed || s == S::Referred; }

std::optional<FilingReason> filingReasonFrom(int number) {
    if (number < 1 || number > 4) return std::nullopt;
    return static_cast<FilingReason>(number);
}

std::string_view labelOf(FilingReason reason) {
    switch (reason) {
        case FilingReason::NoContent:
            return "無具體內容、未具姓名或住址";
        case FilingReason::AlreadyAnswered:
            return "同一事由經適當處理並已明確答復，仍一再客訴";
        case FilingReason::FalseIdentity:
            return "所留姓名、住址、電話或電子郵件屬偽冒、匿名虛報或不實";
        case FilingReason::SentToCompetent:
            return "非主管機關，且已以同一事由分向各主管機關客訴";
    }
    return "";
}

}  // namespace complaintd::cases
