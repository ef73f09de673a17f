// Server restarts: one complaintd runs (poll_interval = 1) while Dovecot, the SMTP server or
// both are stopped at random moments after new mail arrived (in the middle of its fetch, move
// or sending, or after) and started again 0.1-2.5 s later. At the end every mail is a case and
// acknowledged, none lost.
#include <csignal>
#include <ios>
#include <iostream>
#include <thread>

#include "scenarios.h"

namespace complaintd::fault {
namespace {

enum class Target { Imap, Smtp, Both };

const char* nameOf(Target target) { return target == Target::Imap ? "imap" : target == Target::Smtp ? "smtp" : "both"; }

// Stops the target, waits `down`, starts it again. Servers are started from this (the main)
// thread: tests/support ties them to the thread that started them.
// DovecotServer::stop() reads /proc/PID/stat of every process while it waits; one that exits
// between the open and the read makes it throw (ESRCH). Stopping again finishes the job.
void stopDovecot(MailRoom& room, int& retries) {
    for (int attempt = 1;; ++attempt) {
        try {
            room.dovecot().stop();
            return;
        } catch (const std::ios_base::failure&) {
            if (attempt == 3) throw;
            ++retries;
        }
    }
}

void restart(MailRoom& room, Target target, std::chrono::milliseconds down, int& retries) {
    if (target != Target::Smtp) stopDovecot(room, retries);
    if (target != Target::Imap) room.smtp().stop();
    std::this_thread::sleep_for(down);
    if (target != Target::Smtp) room.dovecot().start();
    if (target != Target::Imap) room.smtp().start();
}

long occurrences(const std::string& text, const std::string& what) {
    long n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

Figures runRestartScenario(const Options& options, int restartsPerTrial) {
    Figures figures{"server-restart", "restarts"};
    const auto started = SteadyClock::now();
    std::mt19937_64 rng(options.seed * 4 + 2);
    std::map<std::string, int> counts;
    long deferred = 0, sourceFailures = 0;
    int stopRetries = 0;
    for (int trial = 0; trial < options.trials; ++trial) {
        const auto label = "server-restart trial " + std::to_string(trial);
        guardedTrial(figures, label, [&] {
            MailRoom room(options);
            const auto complaints = makeComplaints(trialPrefix(options.seed, "r", trial), options.mails);
            // The mails arrive in restartsPerTrial + 1 parts: one before each restart, the last at the end.
            const auto parts = std::size_t(restartsPerTrial + 1);
            auto partOf = [&](std::size_t part) {
                const auto from = complaints.size() * part / parts, to = complaints.size() * (part + 1) / parts;
                return std::vector<Complaint>(complaints.begin() + long(from), complaints.begin() + long(to));
            };
            auto daemon = room.startDaemon();
            for (int r = 0; r < restartsPerTrial; ++r) {
                // New mail, then the fault a random moment later (0-1.2 s), or after a random number of
                // lines logged (about three per mail: stored, case opened, letter sent): in the work.
                const auto part = partOf(std::size_t(r));
                const auto offset = room.daemonLogSize();
                room.append(part);
                if (randomBetween(rng, 0, 1) == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(randomBetween(rng, 0, 1200)));
                else
                    room.waitForLogLines(offset, randomBetween(rng, 1, 3 * int(part.size()) + 1), 1500ms);
                const auto target = Target(randomBetween(rng, 0, 2));
                const auto down = std::chrono::milliseconds(randomBetween(rng, 100, 2500));
                restart(room, target, down, stopRetries);
                ++counts[nameOf(target)];
            }
            room.append(partOf(std::size_t(restartsPerTrial)));
            figures.faults += restartsPerTrial;
            const auto failuresBefore = figures.failures.size();
            finishTrial(room, complaints, figures, label, failuresBefore, std::move(daemon));
            const auto log = room.daemonLog();
            deferred += occurrences(log, "status=deferred");
            sourceFailures += occurrences(log, "source=imap failed");
        });
        if (options.verbose) std::cerr << label << ": " << secondsSince(started) << " s so far\n";
    }
    figures.trials = options.trials;
    figures.notes.push_back("restarts of imap: " + std::to_string(counts["imap"]) + ", smtp: " +
                            std::to_string(counts["smtp"]) + ", both at once: " + std::to_string(counts["both"]) +
                            " (down 0.1-2.5 s each); letters deferred: " + std::to_string(deferred) +
                            "; IMAP cycles failed: " + std::to_string(sourceFailures) +
                            "; DovecotServer::stop() retried after a /proc read error: " + std::to_string(stopRetries));
    figures.seconds = secondsSince(started);
    return figures;
}

}  // namespace complaintd::fault
