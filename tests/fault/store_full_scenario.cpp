// The store unwritable: complaintd --once runs over a full INBOX while its database cannot take
// a write. The test runs as root in CI, where file modes stop nothing, so "full" is a file size
// limit (RLIMIT_FSIZE, SIGXFSZ ignored: writes fail with EFBIG) and "read-only" is a run as
// uid 65534 over a database file and folder without write permission. Nothing may be marked
// \Seen or moved. Afterwards a run without the fault must ingest every mail.
//
// A second connection (this program's) holds the database open during the faulty runs, so the
// WAL index exists and complaintd gets as far as fetching and committing; without it (the
// first variant) it cannot even open the database.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <regex>

#include "scenarios.h"

namespace complaintd::fault {
namespace {

namespace fs = std::filesystem;
using namespace Poco::Data::Keywords;

struct Variant {
    std::string name;
    Limits limits;
    bool holdOpen = true;  // keep a connection of ours open during the run
    bool readOnly = false;
    bool partway = false;  // some writes may succeed: what was committed may be moved, nothing else
};

std::vector<Variant> variants(std::mt19937_64& rng) {
    std::vector<Variant> list{
        {"full, cannot open (RLIMIT_FSIZE 1 KiB)", {1024, {}}, false},
        {"full, cannot commit (RLIMIT_FSIZE 1 KiB)", {1024, {}}},
    };
    // As root only another uid makes the modes count; as another user the modes alone do.
    const bool root = ::geteuid() == 0;
    list.push_back({std::string("read-only (mode 0444/0555") + (root ? ", uid 65534)" : ")"),
                    {{}, root ? std::optional<uid_t>(65534) : std::nullopt},
                    true,
                    true});
    // Last: the mails it moves are gone from INBOX for the variants above.
    list.push_back({"full part-way (RLIMIT_FSIZE 40-400 KiB)",
                    {rlim_t(randomBetween(rng, 40, 400)) * 1024, {}},
                    true,
                    false,
                    true});
    return list;
}

void setWritable(const MailRoom& room, bool writable) {
    const auto file = writable ? fs::perms(0644) : fs::perms(0444);
    for (const auto& entry : fs::directory_iterator(room.stateDir()))
        if (entry.is_regular_file()) fs::permissions(entry.path(), file);
    fs::permissions(room.stateDir(), writable ? fs::perms(0755) : fs::perms(0555));
}

// Mails of `uids` (from `complaints`) that left INBOX or carry \Seen.
std::vector<std::size_t> touched(MailRoom& room, const std::vector<unsigned>& uids) {
    auto imap = room.imap();
    const auto inbox = imap.uids("INBOX");
    std::vector<std::size_t> result;
    for (std::size_t i = 0; i < uids.size(); ++i) {
        if (std::find(inbox.begin(), inbox.end(), uids[i]) == inbox.end()) {
            result.push_back(i);
            continue;
        }
        const auto flags = imap.flags("INBOX", uids[i]);
        if (std::find(flags.begin(), flags.end(), "\\Seen") != flags.end()) result.push_back(i);
    }
    return result;
}

// Figures of one variant over the trials.
struct Outcome {
    std::map<int, int> exitCodes;
    int sourceFailures = 0;  // runs that logged "source=imap failed": the fetched mail met the store
    long movedAfterCommit = 0;
    std::string example;  // an error complaintd logged
};

void runVariant(MailRoom& room, const Variant& variant, const std::vector<Complaint>& complaints,
                const std::vector<unsigned>& uids, Outcome& outcome, Figures& figures, const std::string& label) {
    std::optional<Poco::Data::Session> reader;
    if (variant.holdOpen) {
        reader.emplace("SQLite", room.databasePath());
        int cases = 0;
        *reader << "SELECT count(*) FROM cases", into(cases), now;
    }
    if (variant.readOnly) setWritable(room, false);
    const auto logBefore = room.daemonLog().size();
    const auto code = room.runOnce(variant.limits);
    auto log = room.daemonLog().substr(logBefore);
    if (variant.readOnly) setWritable(room, true);
    reader.reset();
    ++figures.faults;
    ++outcome.exitCodes[code];
    outcome.sourceFailures += log.find("source=imap failed") != std::string::npos;
    std::smatch error;
    if (std::regex_search(log, error, std::regex(R"(complaintd\.sqlite:? ([^\n]{0,70}))"))) outcome.example = error[1];
    const auto moved = touched(room, uids);
    if (!variant.partway) {
        if (!moved.empty())
            figures.fail(label + ", " + variant.name + ": " + std::to_string(moved.size()) +
                         " mail(s) marked or moved although nothing could be stored");
        return;
    }
    const auto stored = readStore(room.databasePath()).messageIds;
    for (const auto i : moved) {
        if (stored.count(complaints[i].messageId))
            ++outcome.movedAfterCommit;
        else
            figures.fail(label + ", " + variant.name + ": " + complaints[i].messageId + " marked or moved, not stored");
    }
}

}  // namespace

Figures runStoreFullScenario(const Options& options) {
    Figures figures("store-full", "faulty runs");
    const auto started = SteadyClock::now();
    std::mt19937_64 rng(options.seed * 4 + 3);
    Poco::Data::SQLite::Connector::registerConnector();
    std::map<std::string, Outcome> outcomes;
    for (int trial = 0; trial < options.trials; ++trial) {
        const auto label = "store-full trial " + std::to_string(trial);
        guardedTrial(figures, label, [&] {
            const auto failuresBefore = figures.failures.size();
            MailRoom room(options);
            // A first run on an empty mailbox creates the database.
            if (const auto code = room.runOnce(); code != 0)
                figures.fail(label + ": the first run on an empty mailbox exited with " + std::to_string(code));
            const auto complaints = makeComplaints(trialPrefix(options.seed, "f", trial), options.mails);
            const auto uids = room.append(complaints);
            for (const auto& variant : variants(rng))
                runVariant(room, variant, complaints, uids, outcomes[variant.name], figures, label);
            finishTrial(room, complaints, figures, label, failuresBefore);
        });
        if (options.verbose) std::cerr << label << ": " << secondsSince(started) << " s so far\n";
    }
    figures.trials = options.trials;
    for (const auto& [name, outcome] : outcomes) {
        std::string exits;
        for (const auto& [code, n] : outcome.exitCodes)
            exits += (exits.empty() ? "" : ", ") + std::to_string(n) + "x exit " + std::to_string(code);
        figures.notes.push_back(name + ": " + exits + "; IMAP cycle failed at the store in " +
                                std::to_string(outcome.sourceFailures) + " run(s)" +
                                (name.find("part-way") != std::string::npos
                                     ? "; mails moved after their commit: " + std::to_string(outcome.movedAfterCommit)
                                     : "") +
                                (outcome.example.empty() ? "" : "; e.g. \"" + outcome.example + "\""));
    }
    figures.seconds = secondsSince(started);
    return figures;
}

}  // namespace complaintd::fault
