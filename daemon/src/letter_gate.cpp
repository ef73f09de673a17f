#include "daemon/letter_gate.h"

namespace complaintd::daemon {

std::optional<std::string> automaticLetterHold(center::Store& store, const center::Settings& settings,
                                               const LetterCause& cause, cases::Timestamp now) {
    if (cause.sharesMessageId) return kHeldPossibleDuplicate;
    if (cause.authentication == parsers::SenderAuthentication::NotAuthenticated) return kHeldUnauthenticated;
    const auto& recipient = cause.recipient;
    using std::chrono::hours;
    if (store.automaticLettersTo(recipient, now - hours(24)) >= settings.autoLettersPerDay) return kHeldAddressCap;
    if (store.automaticLettersToDomain(recipient, now - hours(1)) >= settings.autoLettersPerDomainHour)
        return kHeldDomainCap;
    if (store.automaticLettersSince(now - hours(1)) >= settings.autoLettersPerHour) return kHeldGlobalCap;
    return std::nullopt;
}

}  // namespace complaintd::daemon
