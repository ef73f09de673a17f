#include <csignal>
#include <iostream>

#include "scenarios.h"

namespace complaintd::fault {

void guardedTrial(Figures& figures, const std::string& label, const std::function<void()>& trial) {
    try {
        trial();
    } catch (const std::exception& e) {
        figures.fail(label + ": test bench error: " + e.what());
        std::cerr << label << ": test bench error: " << e.what() << "\n";
    }
}

int randomBetween(std::mt19937_64& rng, int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(rng);
}

double secondsSince(SteadyClock::time_point start) {
    return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

void finishTrial(MailRoom& room, const std::vector<Complaint>& complaints, Figures& figures, const std::string& label,
                 std::size_t failuresBefore, std::unique_ptr<Daemon> running) {
    constexpr auto timeout = 180s;
    auto daemon = running ? std::move(running) : room.startDaemon();
    const bool done = room.waitUntilDone(complaints.size(), timeout);
    daemon->signal(SIGTERM);
    const auto exit = daemon->waitFor(30s);
    if (!done) figures.fail(label + ": not finished within " + std::to_string(timeout.count()) + " s");
    if (exit != 0)
        figures.fail(label + ": the final complaintd exited with " + (exit ? std::to_string(*exit) : "nothing (hung)"));
    daemon.reset();
    checkAndAdd(room, complaints, figures, label, failuresBefore);
}

void checkAndAdd(MailRoom& room, const std::vector<Complaint>& complaints, Figures& figures, const std::string& label,
                 std::size_t failuresBefore) {
    const auto tally = checkTrial(complaints, readStore(room.databasePath()), room.letters(), room.inboxCount(),
                                  room.processedCount());
    figures.tally += tally;
    for (const auto& problem : tally.problems) figures.fail(label + ": " + problem);
    if (figures.failures.size() > failuresBefore) {
        room.keep();
        std::cerr << label << ": kept " << room.path() << "\n";
    }
}

}  // namespace complaintd::fault
