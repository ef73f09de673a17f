#include "ctl/complaintctl.h"

#include <Poco/JSON/Array.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <ostream>

#include "case_view.h"
#include "daemon/intake.h"
#include "daemon/settings.h"
#include "daemon/store.h"

namespace complaintd::ctl {
namespace {

constexpr const char* kUsage = R"(Usage: complaintctl [--config FILE] [-o KEY=VALUE]... COMMAND [ARGS]

Staff's command line for complaintd: cases, routing, quarantine, outbox.

Commands:
  list [--json]                          all cases, oldest first
  show CASE [--json]                     one case with its history, e.g. show 115-001
  reroute CASE UNIT --reason TEXT [--by NAME]
                                         hand a misfiled case to another unit (id or name);
                                         records who, when, why and the previous unit
  units [--json]                         the handling units
  quarantine list [--json]               messages that could not be read, with the reason
  outbox list [--json]                   letters queued, sent and failed
  config                                 the effective configuration (like postconf -n)

Options:
  -c, --config FILE      configuration file (default: embedded defaults)
  -o KEY=VALUE           override one configuration key (repeatable)
  -h, --help             this help

Exit codes: 0 ok, 1 not found or invalid use, 78 configuration error.
)";

class UsageError : public Error {
public:
    using Error::Error;
};

struct CommandLine {
    std::optional<std::string> configFile;
    std::vector<std::string> overrides;
    bool help = false;
    bool json = false;
    std::optional<std::string> reason;
    std::optional<std::string> by;
    std::vector<std::string> words;  // command and its positional arguments
};

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
        else if (arg.starts_with("-o"))
            line.overrides.push_back(arg.substr(2));
        else if (arg == "--json")
            line.json = true;
        else if (arg == "--reason")
            line.reason = value(arg);
        else if (arg == "--by")
            line.by = value(arg);
        else if (arg.starts_with("-") && arg != "-")
            throw UsageError("unknown option " + arg);
        else
            line.words.push_back(arg);
    }
    return line;
}

std::string currentUser() {
    for (const char* name : {"SUDO_USER", "USER", "LOGNAME"})
        if (const char* value = std::getenv(name); value && *value) return value;
    return "unknown";
}

cases::CaseNumber caseNumberArgument(const std::string& text) {
    const auto number = cases::CaseNumber::parse(text);
    if (!number) throw UsageError("\"" + text + "\" is not a case number (like 115-001)");
    return *number;
}

void expectWords(const CommandLine& line, std::size_t count, const std::string& usage) {
    if (line.words.size() != count) throw UsageError("usage: complaintctl " + usage);
}

// What every command works with, opened on demand.
struct Context {
    daemon::LoadedSettings loaded;
    std::ostream& out;
    routing::UnitDirectory units() const { return daemon::loadUnitDirectory(loaded.settings); }
    daemon::Store store() const {
        const auto& path = loaded.settings.databasePath;
        if (!std::filesystem::exists(path))
            throw NotFoundError("no database at " + path + " yet: has complaintd run with this configuration?");
        return daemon::Store(path);
    }
};

void listCases(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "list [--json]");
    const auto units = ctx.units();
    const auto list = ctx.store().listCases();
    if (!line.json) return printCaseTable(ctx.out, list, units);
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& c : list) array->add(caseJson(c, units));
    printJson(ctx.out, array);
}

void showCase(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "show CASE [--json]");
    const auto number = caseNumberArgument(line.words[1]);
    const auto units = ctx.units();
    const auto record = ctx.store().findCase(number);
    if (!record) throw NotFoundError("no case " + number.toString() + " (complaintctl list shows them)");
    if (line.json)
        printJson(ctx.out, caseRecordJson(*record, units));
    else
        printCaseRecord(ctx.out, *record, units);
}

std::string unitList(const routing::UnitDirectory& units) {
    std::string list;
    for (const auto& u : units.all()) list += (list.empty() ? "" : ", ") + u.id + " (" + u.name + ")";
    return list;
}

void rerouteCase(const Context& ctx, const CommandLine& line) {
    expectWords(line, 3, "reroute CASE UNIT --reason TEXT [--by NAME]");
    if (!line.reason || line.reason->empty()) throw UsageError("reroute needs --reason TEXT: why the case moves");
    const auto number = caseNumberArgument(line.words[1]);
    const auto units = ctx.units();
    const auto* unit = units.find(line.words[2]);
    if (!unit) throw NotFoundError("no unit \"" + line.words[2] + "\"; units: " + unitList(units));
    auto store = ctx.store();
    if (!store.findCase(number))
        throw NotFoundError("no case " + number.toString() + " (complaintctl list shows them)");
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    store.reroute(number, unit->id, line.by.value_or(currentUser()), *line.reason, now);
    ctx.out << number.toString() << " rerouted to " << unit->id << " (" << unit->name << ")\n";
}

void listUnits(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "units [--json]");
    const auto units = ctx.units();
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& u : units.all()) {
        if (!line.json) {
            ctx.out << fitWidth(u.id, 20) << fitWidth(u.name, 14) << u.notifyAddress
                    << (u.id == units.intake().id ? "  (intake desk)" : "") << "\n";
            continue;
        }
        Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        json->set("id", u.id);
        json->set("name", u.name);
        json->set("notify", u.notifyAddress);
        array->add(json);
    }
    if (line.json) printJson(ctx.out, array);
}

void quarantineCommand(const Context& ctx, const CommandLine& line) {
    if (line.words.size() != 2 || line.words[1] != "list") throw UsageError("usage: complaintctl quarantine list");
    const auto entries = ctx.store().quarantined();
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& q : entries) {
        if (!line.json) {
            ctx.out << "message " << q.id << "  " << cases::formatIso8601(q.receivedAt) << "  " << q.source << "  "
                    << q.size << " bytes  " << q.reason << "\n";
            continue;
        }
        Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        json->set("message", q.id);
        json->set("received_at", cases::formatIso8601(q.receivedAt));
        json->set("source", q.source);
        json->set("mailbox", q.mailbox);
        json->set("bytes", q.size);
        json->set("reason", q.reason);
        array->add(json);
    }
    if (line.json)
        printJson(ctx.out, array);
    else if (entries.empty())
        ctx.out << "The quarantine is empty.\n";
}

void outboxCommand(const Context& ctx, const CommandLine& line) {
    if (line.words.size() != 2 || line.words[1] != "list") throw UsageError("usage: complaintctl outbox list");
    const auto items = ctx.store().outbox();
    Poco::JSON::Array::Ptr array = new Poco::JSON::Array;
    for (const auto& o : items) {
        if (!line.json) {
            ctx.out << fitWidth(std::to_string(o.id), 6) << fitWidth(o.caseNumber, 9) << fitWidth(o.kind, 17)
                    << fitWidth(o.state, 8) << "attempts=" << o.attempts
                    << (o.state == "queued" ? " next=" + cases::formatIso8601(o.nextAttemptAt) : "")
                    << (o.lastError.empty() ? "" : " error=\"" + o.lastError + "\"") << "\n";
            continue;
        }
        Poco::JSON::Object::Ptr json = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        json->set("id", o.id);
        json->set("case", o.caseNumber);
        json->set("kind", o.kind);
        json->set("state", o.state);
        json->set("attempts", o.attempts);
        json->set("subject", o.subject);
        json->set("next_attempt_at", cases::formatIso8601(o.nextAttemptAt));
        json->set("last_error", o.lastError);
        array->add(json);
    }
    if (line.json)
        printJson(ctx.out, array);
    else if (items.empty())
        ctx.out << "The outbox is empty.\n";
}

void printConfig(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "config");
    for (const auto& s : ctx.loaded.effective)
        ctx.out << s.name << " = " << s.value << (s.origin == "default" ? "" : "    # from " + s.origin) << "\n";
}

using Command = std::function<void(const Context&, const CommandLine&)>;

const std::map<std::string, Command>& commands() {
    static const std::map<std::string, Command> table{
        {"list", listCases},
        {"show", showCase},
        {"reroute", rerouteCase},
        {"units", listUnits},
        {"quarantine", quarantineCommand},
        {"outbox", outboxCommand},
        {"config", printConfig},
    };
    return table;
}

}  // namespace

int runComplaintctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    try {
        const auto line = parseCommandLine(args);
        if (line.help || line.words.empty() || line.words[0] == "help") {
            (line.help || !line.words.empty() ? out : err) << kUsage;
            return line.help || !line.words.empty() ? kExitOk : kExitInvalid;
        }
        const auto command = commands().find(line.words[0]);
        if (command == commands().end()) throw UsageError("unknown command \"" + line.words[0] + "\"");
        const Context ctx{daemon::loadSettings(line.configFile, line.overrides), out};
        command->second(ctx, line);
        return kExitOk;
    } catch (const ConfigError& e) {
        err << "complaintctl: configuration error: " << e.what() << "\n";
        return kExitConfig;
    } catch (const UsageError& e) {
        err << "complaintctl: " << e.what() << " (see complaintctl --help)\n";
        return kExitInvalid;
    } catch (const std::exception& e) {
        err << "complaintctl: " << e.what() << "\n";
        return kExitInvalid;
    }
}

}  // namespace complaintd::ctl
