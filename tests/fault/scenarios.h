// The fault scenarios. Each runs options.trials trials, each in a MailRoom of its own, and
// returns its figures; a trial with a problem keeps its folder (the path is printed).
#pragma once

#include <functional>
#include <random>

#include "figures.h"
#include "mail_room.h"

namespace complaintd::fault {

// kill -9 of complaintd at random moments while it ingests options.mails mails.
// `name` "kill-9"; "kill-9 no MOVE" when options.dovecotExtraConfig plays a server without MOVE/UIDPLUS.
Figures runKillScenario(const Options& options, int minKills, int maxKills, const std::string& name = "kill-9");
// Dovecot and the SMTP server stopped and started at random moments under a running daemon.
Figures runRestartScenario(const Options& options, int restartsPerTrial);
// The database unwritable (file size limit, read-only): nothing is marked or moved.
Figures runStoreFullScenario(const Options& options);
// A peer that answers every letter: one letter per complaint, no cases from the answers.
Figures runAutoResponderScenario(const Options& options);

// Shared by the scenarios ----------------------------------------------------------------

// Lets a clean complaintd (`running`, or a new one) work until INBOX is empty and every case
// has its letter (or 180 s), stops it with SIGTERM and checks the trial; adds the result to
// `figures`. The trial's folder is kept when failures were added since `failuresBefore`.
void finishTrial(MailRoom& room, const std::vector<Complaint>& complaints, Figures& figures, const std::string& label,
                 std::size_t failuresBefore, std::unique_ptr<Daemon> running = nullptr);
// Checks a trial whose daemon has stopped; adds the result to `figures` and keeps the trial's
// folder when failures were added since `failuresBefore`.
void checkAndAdd(MailRoom& room, const std::vector<Complaint>& complaints, Figures& figures, const std::string& label,
                 std::size_t failuresBefore);

// Runs one trial. An error of the test bench (a server that does not start, a file that cannot
// be read) fails that trial and the run goes on.
void guardedTrial(Figures& figures, const std::string& label, const std::function<void()>& trial);

int randomBetween(std::mt19937_64& rng, int low, int high);
double secondsSince(SteadyClock::time_point start);

}  // namespace complaintd::fault
