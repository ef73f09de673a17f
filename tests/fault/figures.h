// One scenario's figures over all its trials, and the table fault_injection prints.
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

#include "trial_check.h"

namespace complaintd::fault {

struct Figures {
    Figures(std::string scenarioName, std::string kind)
        : scenario(std::move(scenarioName)), faultKind(std::move(kind)) {}

    std::string scenario;
    std::string faultKind;  // what `faults` counts: kills, restarts, limited runs, auto-replies
    int trials = 0;
    Tally tally;
    long faults = 0;
    double seconds = 0;
    std::vector<std::string> notes;     // further figures of the scenario, one line each
    std::vector<std::string> failures;  // broken expectations; empty means the scenario passed

    bool passed() const { return failures.empty(); }
    void fail(const std::string& what) { failures.push_back(what); }
};

void printTable(std::ostream& out, const std::vector<Figures>& rows);

// "s7-k-t3": names a trial's mails after the seed, the scenario and the trial.
std::string trialPrefix(std::uint64_t seed, const std::string& scenario, int trial);

}  // namespace complaintd::fault
