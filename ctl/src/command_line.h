// complaintctl's command line: words, --options with values, flags, and the
// context every command works in (settings, store, output, the clock).
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cases/case.h"
#include "cases/staff.h"
#include "center/center_book.h"
#include "center/clock.h"
#include "center/procedure.h"
#include "center/settings.h"
#include "center/store.h"
#include "routing/routing.h"

namespace complaintd::ctl {

class UsageError : public Error {
public:
    using Error::Error;
};

struct CommandLine {
    std::optional<std::string> configFile;
    std::vector<std::string> overrides;
    bool help = false;
    std::vector<std::string> words;              // the command and its positional arguments
    std::map<std::string, std::string> options;  // --name value
    std::set<std::string> flags;                 // --json, --reveal, --confidential
    std::vector<std::string> sets;               // --set Q=A, repeatable (complaintctl survey)

    bool flag(const std::string& name) const { return flags.count(name) > 0; }
    std::optional<std::string> option(const std::string& name) const;
    // The value of a required option; UsageError naming `usage` when absent or empty.
    const std::string& required(const std::string& name, const std::string& usage) const;
};

// Throws UsageError on an unknown option or a missing value.
CommandLine parseCommandLine(const std::vector<std::string>& args);

struct Context {
    center::LoadedSettings loaded;
    std::ostream& out;       // text for people: control characters from mail neutralised (terminal_text.h)
    std::istream* terminal;  // non-null when a person can be asked for missing fields
    std::ostream& bytes;     // the same output unfiltered, for byte-exact documents (PDF)
    std::istream* input;     // standard input, for --file -; may be null
    const center::Clock& clock;

    const center::Settings& settings() const { return loaded.settings; }
    routing::UnitDirectory units() const;
    center::Store store() const;          // NotFoundError when the database does not exist yet
    center::Store storeCreating() const;  // created (with its schema) when it does not exist yet
    cases::Timestamp now() const;
};

// The register, the center book and the procedure over both: what a command that moves a case needs.
struct Desk {
    explicit Desk(const Context& ctx);
    center::Store store;
    const center::CenterBook book;
    center::Procedure procedure;
};

// The login running complaintctl: the one sudo came from (sudo -u complaintd complaintctl ...),
// else the real user's.
std::string invokingOsUser();
// Who is acting: the staff member named by --by, or the one registered with the invoking OS user.
// --by names another login's person only for root (an administrator on the server acting for
// them). NotPermittedError, saying what to do, when no registered person fits.
cases::StaffMember actingPerson(const CommandLine& line, center::Store& store);
// The acting person, checked for `action` (on case `number`) by center::authorise.
cases::StaffMember actorFor(const CommandLine& line, center::Store& store, cases::StaffAction action,
                            const std::optional<cases::CaseNumber>& number = std::nullopt);
cases::CaseNumber caseNumberArgument(const std::string& text);
// --year as the Gregorian year: 2026, or the ROC year 115 (民國115年) as the center writes it.
int yearArgument(const CommandLine& line, const std::string& usage);
void expectWords(const CommandLine& line, std::size_t count, const std::string& usage);
// The text of FILE, or all of standard input for "-", without trailing line ends: long text
// (a reply, a summary) comes this way so that it shows neither in `ps` nor in the shell history.
std::string textFrom(const Context& ctx, const std::string& file);

}  // namespace complaintd::ctl
