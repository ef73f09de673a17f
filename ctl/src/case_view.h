// How complaintctl shows cases: aligned text for people, JSON for scripts.
#pragma once

#include <Poco/JSON/Object.h>

#include <iosfwd>
#include <vector>

#include "daemon/store.h"
#include "routing/routing.h"

namespace complaintd::ctl {

// Whether a confidential case's complainant fields are shown. Only `show --reveal` shows them.
enum class Disclosure { Redacted, Revealed };

// The complainant as it may be shown: a confidential case's fields are replaced unless revealed.
cases::Complainant shownComplainant(const cases::Case& c, Disclosure disclosure);

Poco::JSON::Object::Ptr caseJson(const cases::Case& c, const routing::UnitDirectory& units,
                                 Disclosure disclosure = Disclosure::Redacted);
Poco::JSON::Object::Ptr caseRecordJson(const daemon::CaseRecord& record, const routing::UnitDirectory& units,
                                       Disclosure disclosure = Disclosure::Redacted);

void printCaseTable(std::ostream& out, const std::vector<daemon::CaseRecord>& list,
                    const routing::UnitDirectory& units);
void printCaseRecord(std::ostream& out, const daemon::CaseRecord& record, const routing::UnitDirectory& units,
                     Disclosure disclosure = Disclosure::Redacted);
void printHistory(std::ostream& out, const std::vector<daemon::CaseEvent>& history);
void printJson(std::ostream& out, const Poco::Dynamic::Var& value);

// Terminal columns a UTF-8 string takes (CJK wide characters count two).
std::size_t displayWidth(std::string_view text);
// Pads or cuts `text` to `width` columns.
std::string fitWidth(std::string_view text, std::size_t width);

}  // namespace complaintd::ctl
