// The letters the procedure sends: to the complainant (acknowledgement, referral, the formal
// reply, the delay notice) and to the handling unit (reminder, dissatisfied survey, the notice
// that a case was assigned or rerouted to it or reopened). The id is
// what the outbox stores and the name of the letter's template file (templates.dir/ID.txt).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace complaintd::cases {

enum class LetterKind { Acknowledgement, Referral, Reply, Reminder, DelayNotice, Dissatisfied, UnitNotice };

std::string_view idOf(LetterKind kind);  // "acknowledgement", "referral", "reply", "reminder", ...
std::optional<LetterKind> letterKindFrom(std::string_view id);
const std::vector<LetterKind>& allLetterKinds();
// Every letter but the signed reply is written by the service alone (Auto-Submitted, short subject).
inline bool isAutomatic(LetterKind kind) { return kind != LetterKind::Reply; }

}  // namespace complaintd::cases
