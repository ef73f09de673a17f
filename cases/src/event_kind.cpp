#include "cases/event_kind.h"

#include <utility>

namespace complaintd::cases {

namespace {
constexpr std::pair<EventKind, std::string_view> kIds[] = {
    {EventKind::Opened, "opened"},
    {EventKind::Rerouted, "rerouted"},
    {EventKind::Status, "status"},
    {EventKind::FollowUp, "follow-up"},
    {EventKind::Reply, "reply"},
    {EventKind::Approved, "approved"},
    {EventKind::Revealed, "revealed"},
    {EventKind::DelayReason, "delay-reason"},
    {EventKind::Survey, "survey"},
    {EventKind::Ocr, "ocr"},
    {EventKind::OcrSuggestion, "ocr-suggestion"},
    {EventKind::PossibleDuplicate, "possible-duplicate"},
    {EventKind::AutomaticReply, "automatic-reply"},
    {EventKind::DeliveryFailed, "delivery-failed"},
    {EventKind::Released, "released"},
    {EventKind::LetterRetried, "letter-retried"},
    {EventKind::LetterReleased, "letter-released"},
    {EventKind::LetterHeld, "letter-held"},
    {EventKind::LetterDiscarded, "letter-discarded"},
    {EventKind::Reminder, "reminder"},
    {EventKind::DelayNotice, "delay-notice"},
    {EventKind::Dissatisfied, "dissatisfied"},
    {EventKind::UnitNotice, "unit-notice"},
    {EventKind::Corrected, "corrected"},
    {EventKind::ReviewOpinion, "review-opinion"},
    {EventKind::Shown, "shown"},
    {EventKind::Retried, "retried"},
    {EventKind::Printed, "printed"},
    {EventKind::DeadlinesRenewed, "deadlines-renewed"},
};
}  // namespace

std::string_view idOf(EventKind kind) {
    for (const auto& [k, id] : kIds)
        if (k == kind) return id;
    return "unknown";
}

const std::vector<EventKind>& allEventKinds() {
    static const std::vector<EventKind> kinds = [] {
        std::vector<EventKind> all;
        for (const auto& entry : kIds) all.push_back(entry.first);
        return all;
    }();
    return kinds;
}

std::optional<EventKind> eventKindFrom(std::string_view id) {
    for (const auto& [kind, kindId] : kIds)
        if (kindId == id) return kind;
    return std::nullopt;
}

std::optional<EventKind> noticeEventOf(LetterKind kind) {
    switch (kind) {
        case LetterKind::Reminder:
            return EventKind::Reminder;
        case LetterKind::DelayNotice:
            return EventKind::DelayNotice;
        case LetterKind::Dissatisfied:
            return EventKind::Dissatisfied;
        case LetterKind::UnitNotice:
            return EventKind::UnitNotice;
        case LetterKind::Acknowledgement:
        case LetterKind::Referral:
        case LetterKind::Reply:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace complaintd::cases
