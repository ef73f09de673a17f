// How complaintctl shows cases: aligned text for people, JSON for scripts.
#pragma once

#include <Poco/JSON/Object.h>

#include <iosfwd>
#include <vector>

#include "center/store.h"
#include "routing/routing.h"

namespace complaintd::ctl {

struct CommandLine;
struct Context;

// Whether a confidential case is shown as stored. Only --reveal (audited) shows it so.
enum class Disclosure { Redacted, Revealed };

// A case or record as it may be shown: a confidential one redacted (daemon/confidential_view.h) unless revealed.
cases::Case shownCase(const cases::Case& c, Disclosure disclosure);
cases::CaseRecord shownRecord(const cases::CaseRecord& record, Disclosure disclosure);

// With --reveal: records on the history of each confidential case among `records` that it was
// looked at as stored (the actor, and --reason or "COMMAND --reveal"), and returns Revealed.
// Without it: Redacted.
Disclosure disclosureFor(const Context& ctx, const CommandLine& line, center::Store& store,
                         const std::vector<cases::CaseRecord>& records);
std::vector<cases::CaseRecord> shownRecords(const std::vector<cases::CaseRecord>& records, Disclosure disclosure);

Poco::JSON::Object::Ptr caseJson(const cases::Case& c, const routing::UnitDirectory& units,
                                 Disclosure disclosure = Disclosure::Redacted);
Poco::JSON::Object::Ptr caseRecordJson(const cases::CaseRecord& record, const routing::UnitDirectory& units,
                                       Disclosure disclosure = Disclosure::Redacted);

void printCaseTable(std::ostream& out, const std::vector<cases::CaseRecord>& list, const routing::UnitDirectory& units,
                    Disclosure disclosure = Disclosure::Redacted);
void printCaseRecord(std::ostream& out, const cases::CaseRecord& record, const routing::UnitDirectory& units,
                     Disclosure disclosure = Disclosure::Redacted);
void printHistory(std::ostream& out, const std::vector<cases::CaseEvent>& history);
// The history as `history --json` and `show --json` print it (a status event with its move).
Poco::JSON::Array::Ptr historyJson(const std::vector<cases::CaseEvent>& history);
void printJson(std::ostream& out, const Poco::Dynamic::Var& value);

// Terminal columns a UTF-8 string takes (CJK wide characters count two).
std::size_t displayWidth(std::string_view text);
// Pads or cuts `text` to `width` columns.
std::string fitWidth(std::string_view text, std::size_t width);

}  // namespace complaintd::ctl
