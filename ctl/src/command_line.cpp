#include "command_line.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <istream>
#include <iterator>

#include <pwd.h>
#include <unistd.h>

#include "center/center_book.h"
#include "center/file_contents.h"
#include "output_file.h"

namespace complaintd::ctl {
namespace {

const std::set<std::string> kFlags{"json",      "reveal",  "confidential", "not-confidential",
                                   "reference", "overdue", "pending"};
const std::set<std::string> kOptions{"config",   "reason", "by",           "channel", "name",    "phone",    "fax",
                                     "address",  "email",  "organisation", "summary", "subject", "category", "receipt",
                                     "received", "unit",   "file",         "text",    "role",    "note",     "year",
                                     "format",   "via",    "within",       "output",  "draft",   "roles",    "os-user",
                                     "status",   "since",  "until",        "dir"};

}  // namespace

std::optional<std::string> CommandLine::option(const std::string& name) const {
    const auto it = options.find(name);
    if (it == options.end()) return std::nullopt;
    return it->second;
}

const std::string& CommandLine::required(const std::string& name, const std::string& usage) const {
    const auto it = options.find(name);
    if (it == options.end() || it->second.empty()) throw UsageError("--" + name + " is needed: complaintctl " + usage);
    return it->second;
}

CommandLine parseCommandLine(const std::vector<std::string>& args) {
    CommandLine line;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        auto value = [&](const std::string& name) -> std::string {
            if (i + 1 >= args.size()) throw UsageError(name + " needs a value");
            return args[++i];
        };
        if (arg == "-h" || arg == "--help")
            line.help = true;
        else if (arg == "-c" || arg == "--config")
            line.configFile = value(arg);
        else if (arg.starts_with("--config="))
            line.configFile = arg.substr(9);
        else if (arg == "-o")
            line.overrides.push_back(value(arg));
        else if (arg == "--set")
            line.sets.push_back(value(arg));
        else if (arg.starts_with("-o") && !arg.starts_with("--"))
            line.overrides.push_back(arg.substr(2));
        else if (arg.starts_with("--") && kFlags.count(arg.substr(2)))
            line.flags.insert(arg.substr(2));
        else if (arg.starts_with("--") && arg.find('=') != std::string::npos &&
                 kOptions.count(arg.substr(2, arg.find('=') - 2)))
            line.options[arg.substr(2, arg.find('=') - 2)] = arg.substr(arg.find('=') + 1);
        else if (arg.starts_with("--") && kOptions.count(arg.substr(2)))
            line.options[arg.substr(2)] = value(arg);
        else if (arg.starts_with("-") && arg != "-")
            throw UsageError("unknown option " + arg);
        else
            line.words.push_back(arg);
    }
    return line;
}

routing::UnitDirectory Context::units() const { return center::loadUnitDirectory(settings()); }

center::Store Context::store() const {
    const auto& path = settings().databasePath;
    if (!std::filesystem::exists(path))
        throw NotFoundError("no database at " + path + " yet: has complaintd run with this configuration?");
    return center::Store(path);
}

center::Store Context::storeCreating() const {
    if (const auto dir = std::filesystem::path(settings().databasePath).parent_path(); !dir.empty())
        std::filesystem::create_directories(dir);
    return center::Store(settings().databasePath);
}

cases::Timestamp Context::now() const { return clock.now(); }

Desk::Desk(const Context& ctx)
    : store(ctx.store()), book(center::loadCenterBook(ctx.settings())), procedure(store, ctx.settings(), book) {}

std::string invokingOsUser() {
    if (const char* sudoUser = std::getenv("SUDO_USER"); sudoUser && *sudoUser) return sudoUser;
    if (const passwd* entry = getpwuid(getuid()); entry && entry->pw_name) return entry->pw_name;
    return "uid " + std::to_string(getuid());
}

namespace {

bool runByRoot() { return getuid() == 0 && !std::getenv("SUDO_USER"); }

std::string idsOf(const std::vector<cases::StaffMember>& members) {
    std::string ids;
    for (const auto& m : members) ids += (ids.empty() ? "" : ", ") + m.id;
    return ids;
}

// The staff entry of --by or of the invoking OS user, disabled or not.
cases::StaffMember registeredPerson(const CommandLine& line, center::Store& store) {
    const auto login = invokingOsUser();
    const auto everyone = store.staff();
    if (everyone.empty())
        throw NotPermittedError(
            "no staff are registered yet: register the first administrator with complaintctl "
            "staff add ID --name NAME --roles admin --os-user " +
            login + ", then the center's people (complaintctl --help, \"The center's people\")");
    if (const auto by = line.option("by"); by && !by->empty()) {
        const auto person = store.findStaff(*by);
        if (!person)
            throw NotPermittedError("--by " + *by +
                                    ": no such person in the staff directory (complaintctl "
                                    "staff list)");
        if (person->osUser != login && !runByRoot())
            throw NotPermittedError("--by " + *by + ": you are logged in as " + login + ", and " + *by +
                                    (person->osUser.empty() ? " has no OS user" : "'s OS user is " + person->osUser) +
                                    "; each person acts as themselves");
        return *person;
    }
    std::vector<cases::StaffMember> mine;
    for (const auto& m : everyone)
        if (m.osUser == login) mine.push_back(m);
    if (mine.empty())
        throw NotPermittedError("OS user " + login +
                                " is not in the staff directory: an administrator registers you "
                                "(complaintctl staff add ... --os-user " +
                                login + ")" + (runByRoot() ? ", or name the person you act for with --by ID" : ""));
    if (mine.size() > 1)
        throw NotPermittedError("OS user " + login + " is shared by " + idsOf(mine) + ": say who you are with --by ID");
    return mine.front();
}

}  // namespace

cases::StaffMember actingPerson(const CommandLine& line, center::Store& store) {
    auto person = registeredPerson(line, store);
    if (person.disabled) throw NotPermittedError(person.id + " is disabled in the staff directory");
    return person;
}

cases::StaffMember actorFor(const CommandLine& line, center::Store& store, cases::StaffAction action,
                            const std::optional<cases::CaseNumber>& number) {
    auto person = actingPerson(line, store);
    center::authorise(store, person, action, number);
    return person;
}

int yearArgument(const CommandLine& line, const std::string& usage) {
    const auto& text = line.required("year", usage);
    const bool digits = !text.empty() && text.size() <= 4 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    const int year = digits ? std::stoi(text) : 0;
    if (year >= 1 && year < 1000) return year + 1911;  // 民國 year
    if (year >= 1912) return year;
    throw UsageError("--year is a year like 2026 or the ROC year 115");
}

cases::CaseNumber caseNumberArgument(const std::string& text) {
    const auto number = cases::CaseNumber::parse(text);
    if (!number) throw UsageError("\"" + text + "\" is not a case number (like 115-001)");
    return *number;
}

void expectWords(const CommandLine& line, std::size_t count, const std::string& usage) {
    if (line.words.size() != count) throw UsageError("usage: complaintctl " + usage);
}

std::string textFrom(const Context& ctx, const std::string& file) {
    std::string text;
    if (file == "-") {
        if (!ctx.input) throw UsageError("--file - reads standard input, and there is none here");
        text.assign(std::istreambuf_iterator<char>(*ctx.input), std::istreambuf_iterator<char>());
        if (ctx.input->bad()) throw UsageError("cannot read standard input");
    } else {
        // Under sudo -u complaintd a file would be read with the service's rights (its database, its
        // passwords): the shell opens it as the clerk instead.
        if (runsForAnotherUser())
            throw UsageError("under sudo complaintctl reads no file by name: --file - < " + file +
                             " (your shell opens it as you)");
        const AsInvokingUser invoker;
        auto content = center::fileContents(file);
        if (!content) throw UsageError("cannot read " + file);
        text = std::move(*content);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

}  // namespace complaintd::ctl
