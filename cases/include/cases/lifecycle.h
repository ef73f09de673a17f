// The moves a case may make through the procedure: received -> assigned ->
// in progress -> reply drafted -> signed off -> replied -> closed -> archived,
// with reopening when the complainant is not satisfied, filing without
// handling (存查) and referral to the competent authority. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cases/case.h"

namespace complaintd::cases {

// The states `from` may move to.
const std::vector<CaseStatus>& allowedMoves(CaseStatus from);

bool isAllowed(CaseStatus from, CaseStatus to);

// Nothing when the move is allowed; otherwise a message for staff naming what is allowed,
// e.g. "115-001 is closed: it can go to archived or reopened, not replied".
std::optional<std::string> refuseMove(const CaseNumber& number, CaseStatus from, CaseStatus to);

// True while the unit still owes an answer.
bool isAwaitingAnswer(CaseStatus status);
// True while the deadlines run and the unit is reminded: it owes an answer, or its signed-off reply
// has not gone out yet (by post or phone it goes when staff record `replied --via`).
bool deadlinesRun(CaseStatus status);

// True once the case needs nothing more from the center (closed, archived, filed, referred).
bool isFinished(CaseStatus status);

// 存查: the four reasons of the procedure (要點第十四條第一項).
enum class FilingReason {
    NoContent = 1,        // 無具體內容、未具姓名或住址
    AlreadyAnswered = 2,  // 同一事由，經適當處理並已明確答復，仍一再客訴
    FalseIdentity = 3,    // 姓名、住址、電話或電子郵件屬偽冒、匿名虛報或不實
    SentToCompetent = 4,  // 非主管機關，且已分向各主管機關客訴
};

std::optional<FilingReason> filingReasonFrom(int number);
std::string_view labelOf(FilingReason reason);

}  // namespace complaintd::cases
