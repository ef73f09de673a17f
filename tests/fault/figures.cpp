#include "figures.h"

#include <cstdint>
#include <cstdio>
#include <ostream>

namespace complaintd::fault {

std::string trialPrefix(std::uint64_t seed, const std::string& scenario, int trial) {
    return "s" + std::to_string(seed) + "-" + scenario + "-t" + std::to_string(trial);
}

void printTable(std::ostream& out, const std::vector<Figures>& rows) {
    char line[256];
    std::snprintf(line, sizeof line, "%-15s %6s %6s %6s %5s %9s %6s %8s %6s %7s %7s %-13s %7s  %s\n", "scenario",
                  "trials", "mails", "cases", "lost", "dup-cases", "acks", "dup-acks", "sent3x", "unacked", "faults",
                  "(kind)", "time-s", "result");
    out << line;
    for (const auto& r : rows) {
        const auto& t = r.tally;
        std::snprintf(line, sizeof line, "%-15s %6d %6ld %6ld %5ld %9ld %6ld %8ld %6ld %7ld %7ld %-13s %7.1f  %s\n",
                      r.scenario.c_str(), r.trials, t.mails, t.cases, t.lost, t.duplicateCases, t.letters,
                      t.duplicateLetters, t.sentThrice, t.unacknowledged, r.faults, r.faultKind.c_str(), r.seconds,
                      r.passed() ? "PASS" : "FAIL");
        out << line;
    }
    for (const auto& r : rows) {
        if (r.tally.resent) {
            std::string cases;
            for (const auto& number : r.tally.resentCases) cases += (cases.empty() ? "" : " ") + number;
            out << "  " << r.scenario << ": " << r.tally.resent
                << " letter(s) delivered twice, same Message-ID (accepted by the server, not yet recorded as "
                   "sent when the fault hit): "
                << cases << "\n";
        }
        if (r.tally.heldInterrupted)
            out << "  " << r.scenario << ": " << r.tally.heldInterrupted
                << " letter(s) held for staff after two interrupted sends (never sent a third time)\n";
        for (const auto& note : r.notes) out << "  " << r.scenario << ": " << note << "\n";
        for (const auto& failure : r.failures) out << "  " << r.scenario << ": FAILED: " << failure << "\n";
    }
}

}  // namespace complaintd::fault
