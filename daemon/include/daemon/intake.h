// Turns stored messages into cases: parse -> route -> open case -> queue the
// acknowledgement. A message that cannot be parsed is quarantined with the
// reason, never dropped. Each message is one transaction, so a crash leaves
// it either untouched (and taken again next cycle) or fully handled.
#pragma once

#include <atomic>

#include "daemon/clock.h"
#include "daemon/settings.h"
#include "daemon/store.h"
#include "routing/routing.h"
#include "templates/letter_template.h"

namespace complaintd::daemon {

// What the center has configured: units, rules and letters, loaded together.
struct CenterBook {
    routing::UnitDirectory units;
    routing::RuleSet rules;
    templates::LetterTemplate acknowledgement;
};

// Reads the units, rules and template files named in `settings`. Throws ConfigError.
CenterBook loadCenterBook(const Settings& settings);
// Reads only the units file (for complaintctl). Throws ConfigError.
routing::UnitDirectory loadUnitDirectory(const Settings& settings);

struct IntakeReport {
    int opened = 0;
    int quarantined = 0;
};

class IntakeProcessor {
public:
    IntakeProcessor(const Settings& settings, const CenterBook& book);
    IntakeReport processPending(Store& store, const Clock& clock, const std::atomic<bool>& stopping);

private:
    void processOne(Store& store, const Clock& clock, const StoredMessage& message, IntakeReport& report);
    std::optional<QueuedLetter> acknowledgement(const cases::Case& c, const std::string& inReplyTo,
                                                const std::vector<std::string>& references,
                                                const cases::CaseNumber& number, cases::Timestamp now) const;

    const Settings& settings_;
    const CenterBook& book_;
};

}  // namespace complaintd::daemon
