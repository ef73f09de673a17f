// What a line of a case's history records. The id is what case_events.kind stores and what
// complaintctl show and --json print; a kind the code does not know, read from the store, is a
// store invariant broken, not a line to show as text.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "cases/letter_kind.h"

namespace complaintd::cases {

enum class EventKind {
    Opened,             // a case was opened (from mail, fax, a release or by hand)
    Rerouted,           // the handling unit changed
    Status,             // a status move (from/to in the event); the one status writer's line
    FollowUp,           // another message of the complainant was attached
    Reply,              // a reply was drafted or recorded
    Approved,           // a signature (supervisor or approver)
    Revealed,           // staff read a confidential case's complainant
    DelayReason,        // the reason a case passed its target date
    Survey,             // a survey answer was stored
    Ocr,                // the OCR of a fax finished or failed
    OcrSuggestion,      // OCR found a unit but intake already had one
    PossibleDuplicate,  // same complainant and subject, other content
    AutomaticReply,     // an auto-reply or list mail was attached, no letter
    DeliveryFailed,     // one of our letters bounced
    Released,           // a held or quarantined message was released into the case
    LetterRetried,      // staff queued a failed letter again
    LetterReleased,     // staff released a held letter
    LetterHeld,         // a letter was held by a cap
    LetterDiscarded,    // staff discarded a held letter
    Reminder,           // a reminder to the unit was queued (a notice, once per threshold)
    DelayNotice,        // the delay notice to the complainant was queued
    Dissatisfied,       // the unit was told of a dissatisfied survey
    UnitNotice,         // the unit was told the case was assigned or rerouted to it, or reopened
    Corrected,          // staff corrected a field intake got wrong (complaintctl edit)
    ReviewOpinion,      // management's opinion for the review form (附表三), the note its text
    Shown,              // staff read a quarantined or held message (message history)
    Retried,            // staff retried a quarantined message (message history)
    Printed,            // staff printed the reply letter for the post (complaintctl print)
    DeadlinesRenewed,   // a reopened case got new deadlines, counted from the reopening
};

std::string_view idOf(EventKind kind);  // "opened", "rerouted", "status", "follow-up", ...
std::optional<EventKind> eventKindFrom(std::string_view id);
const std::vector<EventKind>& allEventKinds();
// The history line of a notice letter queued once per threshold (reminder, delay notice,
// dissatisfied); nullopt for the letters that are not notices.
std::optional<EventKind> noticeEventOf(LetterKind kind);

}  // namespace complaintd::cases
