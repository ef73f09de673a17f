#include "cases/letter_kind.h"

namespace complaintd::cases {

std::string_view idOf(LetterKind kind) {
    switch (kind) {
        case LetterKind::Acknowledgement:
            return "acknowledgement";
        case LetterKind::Referral:
            return "referral";
        case LetterKind::Reply:
            return "reply";
        case LetterKind::Reminder:
            return "reminder";
        case LetterKind::DelayNotice:
            return "delay-notice";
        case LetterKind::Dissatisfied:
            return "dissatisfied";
        case LetterKind::UnitNotice:
            return "unit-notice";
    }
    return "unknown";
}

const std::vector<LetterKind>& allLetterKinds() {
    static const std::vector<LetterKind> kinds{
        LetterKind::Acknowledgement, LetterKind::Referral,     LetterKind::Reply,     LetterKind::Reminder,
        LetterKind::DelayNotice,     LetterKind::Dissatisfied, LetterKind::UnitNotice};
    return kinds;
}

std::optional<LetterKind> letterKindFrom(std::string_view id) {
    for (const auto kind : allLetterKinds())
        if (idOf(kind) == id) return kind;
    return std::nullopt;
}

}  // namespace complaintd::cases
