// The administrator's commands: a consistent backup while the daemon runs, and a check of the
// database (SQLite's and the store's own invariants).
#include <ostream>

#include "commands.h"

namespace complaintd::ctl {

void backupCommand(const Context& ctx, const CommandLine& line) {
    expectWords(line, 2, "backup FILE");
    auto store = ctx.store();
    store.backupTo(line.words[1]);
    ctx.out << "backup written to " << line.words[1] << "\n";
}

void checkCommand(const Context& ctx, const CommandLine& line) {
    expectWords(line, 1, "check");
    auto store = ctx.store();
    const auto problems = store.check();
    for (const auto& problem : problems) ctx.out << problem << "\n";
    if (!problems.empty())
        throw InvalidRequestError("check: " + std::to_string(problems.size()) + " problem" +
                                  (problems.size() == 1 ? "" : "s") + " in " + ctx.settings().databasePath);
    ctx.out << "ok: " << ctx.settings().databasePath << "\n";
}

}  // namespace complaintd::ctl
