#include "command_line.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <istream>
#include <iterator>

#include <pwd.h>
#include <unistd.h>

#include "center/center_book.h"
#include "center/file_contents.h"

namespace complaintd::ctl {
namespace {

const std::set<std::string> kFlags{"json", "reveal", "confidential", "reference"};
const std::set<std::string> kOptions{"config",   "reason", "by",           "channel", "name",    "phone",    "fax",
                                     "address",  "email",  "organisation", "summary", "subject", "category", "receipt",
                                     "received", "unit",   "file",         "text",    "role",    "note",     "year",
                                     "format",   "via",    "within",       "output",  "draft"};

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

cases::Timestamp Context::now() const { return clock.now(); }

Desk::Desk(const Context& ctx)
    : store(ctx.store()), book(center::loadCenterBook(ctx.settings())), procedure(store, ctx.settings(), book) {}

std::string actorOf(const CommandLine& line) {
    if (const auto by = line.option("by"); by && !by->empty()) return *by;
    for (const char* name : {"SUDO_USER", "USER", "LOGNAME"})
        if (const char* value = std::getenv(name); value && *value) return value;
    if (const passwd* entry = getpwuid(geteuid()); entry && entry->pw_name) return entry->pw_name;
    return "uid " + std::to_string(geteuid());
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
        auto content = center::fileContents(file);
        if (!content) throw UsageError("cannot read " + file);
        text = std::move(*content);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

}  // namespace complaintd::ctl
