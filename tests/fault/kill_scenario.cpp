// kill -9 at random moments: mails arrive in INBOX in waves; after each wave complaintd is
// started and SIGKILLed after a random delay (5 ms to 1.5 s: in start-up, fetch, commit, move,
// intake or sending), again and again until the work is done; then a clean run finishes.
// No mail may be lost, no case doubled. A letter can be sent twice in principle (killed after
// the server's 250, before the commit that marks it sent): such letters are counted, not hidden.
#include <algorithm>
#include <cmath>
#include <csignal>
#include <iostream>
#include <map>
#include <thread>

#include "scenarios.h"

namespace complaintd::fault {
namespace {

// Where the kill landed, roughly: what complaintd had logged last before it.
std::string phaseOf(const std::string& log) {
    const auto end = log.find_last_not_of('\n');
    if (end == std::string::npos) return "in start-up (nothing logged yet)";
    const auto newline = log.rfind('\n', end);
    const auto from = newline == std::string::npos ? 0 : newline + 1;
    const auto line = log.substr(from, end + 1 - from);
    auto has = [&](const char* text) { return line.find(text) != std::string::npos; };
    if (has(" cycle ")) return "after a cycle's summary (idle, next fetch)";
    if (has("waiting for mail")) return "after going idle (IMAP IDLE)";
    if (has("status=sent") || has("status=deferred")) return "after a letter went out (sending)";
    if (has("journal of accepted letters")) return "after the journal of accepted letters was reconciled (sending)";
    if (has("already stored")) return "after finding stored mail still in INBOX (move)";
    if (has("bytes=")) return "after a fetched batch was stored (intake, move)";
    if (has(" message=")) return "after a case was opened (intake, move, sending)";
    if (has(" started ")) return "after start-up (fetch)";
    return "after \"" + line.substr(line.find(' ', 20) + 1, 60) + "\"";
}

// 5 ms to 1.5 s, half of the delays log-uniform (start-up and the first fetch), half uniform.
std::chrono::milliseconds randomDelay(std::mt19937_64& rng) {
    if (randomBetween(rng, 0, 1) == 0) return std::chrono::milliseconds(randomBetween(rng, 5, 1500));
    std::uniform_real_distribution<double> exponent(std::log(5.0), std::log(1500.0));
    return std::chrono::milliseconds(long(std::exp(exponent(rng))));
}

bool workDone(const MailRoom& room, std::size_t mails) {
    return room.inboxCount() == 0 && distinctCases(room.letters()) >= mails;
}

}  // namespace

Figures runKillScenario(const Options& options, int minKills, int maxKills, const std::string& name) {
    Figures figures(name, "kills");
    const auto started = SteadyClock::now();
    std::mt19937_64 rng(options.seed * 4 + 1);
    std::map<std::string, int> phases;
    for (int trial = 0; trial < options.trials; ++trial) {
        const auto label = name + " trial " + std::to_string(trial);
        int kills = 0;
        guardedTrial(figures, label, [&] {
            const auto failuresBefore = figures.failures.size();
            MailRoom room(options);
            const auto complaints =
                makeComplaints(trialPrefix(options.seed, name == "kill-9" ? "k" : "kn", trial), options.mails);
            // The mails arrive in waves between the kills, so that later runs find work too.
            std::size_t appended = 0;
            for (;; ++kills) {
                if (appended == complaints.size() &&
                    (kills >= maxKills || (kills >= minKills && workDone(room, complaints.size()))))
                    break;
                const auto wave = std::min<std::size_t>(
                    complaints.size() - appended, std::size_t(randomBetween(rng, 1, std::max(1, options.mails / 3))));
                room.append({complaints.begin() + long(appended), complaints.begin() + long(appended + wave)});
                appended += wave;
                // About three lines per mail waiting: stored, case opened, letter sent; and two more.
                const int lines = 3 * int(room.inboxCount()) + 2;
                const auto offset = room.daemonLogSize();
                auto daemon = room.startDaemon();
                // A wave is done in a fraction of a second, so timed kills mostly find complaintd idle.
                // Half of the kills come when it has logged a random number of lines instead (a line
                // per mail stored, case opened, letter sent), 0-3 ms later: anywhere in the work.
                if (randomBetween(rng, 0, 1) == 0) {
                    std::this_thread::sleep_for(randomDelay(rng));
                } else {
                    room.waitForLogLines(offset, randomBetween(rng, 1, lines), 1500ms);
                    std::this_thread::sleep_for(std::chrono::microseconds(randomBetween(rng, 0, 3000)));
                }
                daemon->signal(SIGKILL);
                const auto exit = daemon->wait();
                if (exit == 128 + SIGKILL) {
                    ++phases[phaseOf(room.daemonLogSince(offset))];
                } else {
                    // A long-running complaintd has no business ending on its own.
                    ++phases["exited by itself"];
                    figures.fail(label + ": complaintd ended by itself with " + std::to_string(exit) +
                                 " before the kill");
                }
            }
            finishTrial(room, complaints, figures, label, failuresBefore);
        });
        figures.faults += kills;
        if (options.verbose)
            std::cerr << label << ": " << kills << " kills, " << secondsSince(started) << " s so far\n";
    }
    figures.trials = options.trials;
    for (const auto& [phase, count] : phases) figures.notes.push_back("kills " + phase + ": " + std::to_string(count));
    figures.seconds = secondsSince(started);
    return figures;
}

}  // namespace complaintd::fault
