// Which automatic letters (acknowledgement, referral) go out on their own and
// which wait for staff. complaintd takes mail from anyone, and the From
// address is whatever the sender wrote: without limits the center's own
// authenticated account would mail arbitrary text to arbitrary people. So a
// complaint always gets its case, but its letter is held in the outbox (never
// sent until staff release it) when the sender is not authenticated by the
// center's own receiving server, or a cap is reached: per mailbox in 24 hours
// (victim+1@ and V.i.c.t.i.m@gmail.com count as one), per domain per hour,
// and for all senders per hour.
#pragma once

#include <optional>
#include <string>

#include "center/settings.h"
#include "center/store.h"
#include "parsers/authentication_results.h"

namespace complaintd::daemon {

// The held_reason values.
inline constexpr const char* kHeldUnauthenticated = "unauthenticated sender";
inline constexpr const char* kHeldAddressCap = "per-address cap";
inline constexpr const char* kHeldDomainCap = "per-domain cap";
inline constexpr const char* kHeldGlobalCap = "global cap";
inline constexpr const char* kHeldPossibleDuplicate = "possible duplicate";

// The message a first letter would answer, as far as the gate looks at it.
struct LetterCause {
    std::string recipient;  // the From address the letter would go to
    parsers::SenderAuthentication authentication = parsers::SenderAuthentication::Unchecked;
    bool sharesMessageId = false;  // a possible duplicate: its twin's complainant may have had a letter
};

// Why an automatic letter for `cause` must be held now, or nullopt when it may go.
std::optional<std::string> automaticLetterHold(center::Store& store, const center::Settings& settings,
                                               const LetterCause& cause, cases::Timestamp now);

}  // namespace complaintd::daemon
