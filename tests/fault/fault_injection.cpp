// fault_injection: complaintd against real Dovecot and aiosmtpd servers on 127.0.0.1 while
// things go wrong - kill -9 at random moments, server restarts, an unwritable store, an
// auto-responder peer - and a table of what came out: mails, cases, lost, duplicates.
//
//   fault_injection                      the short run CTest does (fault.Short)
//   fault_injection --full               50 trials x 200 mails of every scenario
//   fault_injection --scenario kill --trials 10 --mails 100 --seed 7 --verbose
//
// Exit status 0 when every scenario held, 1 when one failed, 64 on bad usage.
#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <set>
#include <sstream>

#include "scenarios.h"

namespace complaintd::fault {
namespace {

constexpr const char* kScenarios[] = {"kill", "kill-nomove", "restart", "full", "autoreply"};

// A server without MOVE and UIDPLUS (issue 12): COPY, \Deleted and EXPUNGE only of complaintd's own.
constexpr const char* kWithoutMoveOrUidplus =
    "imap_capability = IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE\n";

struct CommandLine {
    Options options;
    std::set<std::string> scenarios{std::begin(kScenarios), std::end(kScenarios)};
    int minKills = 3;
    int maxKills = 40;
    int restarts = 4;
    int responderMails = -1;  // complaints per auto-responder trial; -1: options.mails
};

void usage(std::ostream& out) {
    out << "usage: fault_injection [--full] [--trials N] [--mails M] [--seed S] [--scenario LIST]\n"
           "                       [--min-kills K] [--max-kills K] [--restarts R] [--responder-mails M]\n"
           "                       [--complaintd PATH] [--strict] [--keep] [--verbose] [--help]\n"
           "  --full             50 trials x 200 mails (the documented full run)\n"
           "  --scenario LIST    comma list of kill, kill-nomove (kill -9 on a server without MOVE and\n"
           "                     UIDPLUS), restart, full, autoreply (default: all)\n"
           "  --min-kills K      kills per kill-9 trial at least, even when the work is done (3)\n"
           "  --max-kills K      kills per kill-9 trial at most (40)\n"
           "  --restarts R       server restarts per restart trial (4)\n"
           "  --responder-mails  complaints per auto-responder trial (default: --mails)\n"
           "  --strict           fail on a letter delivered twice (counted, not failed, by default:\n"
           "                     a fault after the server's 250 and before the commit resends it)\n"
           "  --keep             keep every trial's folder (failed trials are always kept)\n";
}

std::set<std::string> splitScenarios(const std::string& list) {
    std::set<std::string> names;
    std::istringstream in(list);
    for (std::string name; std::getline(in, name, ',');) {
        if (std::find(std::begin(kScenarios), std::end(kScenarios), name) == std::end(kScenarios))
            throw std::invalid_argument("unknown scenario " + name);
        names.insert(name);
    }
    return names;
}

CommandLine parse(int argc, char** argv) {
    CommandLine cl;
    cl.options.complaintd = COMPLAINTD_BINARY;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            usage(std::cout);
            std::exit(0);
        } else if (arg == "--full") {
            cl.options.trials = 50;
            cl.options.mails = 200;
        } else if (arg == "--trials") {
            cl.options.trials = std::stoi(value());
        } else if (arg == "--mails") {
            cl.options.mails = std::stoi(value());
        } else if (arg == "--seed") {
            cl.options.seed = std::stoull(value());
        } else if (arg == "--scenario") {
            cl.scenarios = splitScenarios(value());
        } else if (arg == "--min-kills") {
            cl.minKills = std::stoi(value());
        } else if (arg == "--max-kills") {
            cl.maxKills = std::stoi(value());
        } else if (arg == "--restarts") {
            cl.restarts = std::stoi(value());
        } else if (arg == "--responder-mails") {
            cl.responderMails = std::stoi(value());
        } else if (arg == "--complaintd") {
            cl.options.complaintd = value();
        } else if (arg == "--strict") {
            cl.options.strict = true;
        } else if (arg == "--keep") {
            cl.options.keep = true;
        } else if (arg == "--verbose") {
            cl.options.verbose = true;
        } else {
            throw std::invalid_argument("unknown option " + arg);
        }
    }
    if (cl.options.trials < 1 || cl.options.mails < 1) throw std::invalid_argument("--trials and --mails must be >= 1");
    return cl;
}

}  // namespace
}  // namespace complaintd::fault

int main(int argc, char** argv) {
    using namespace complaintd::fault;
    CommandLine cl;
    try {
        cl = parse(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "fault_injection: " << e.what() << "\n";
        usage(std::cerr);
        return 64;
    }
    // Like systemd (IgnoreSIGPIPE=yes): complaintd inherits it.
    std::signal(SIGPIPE, SIG_IGN);
    const auto& o = cl.options;
    std::cout << "fault_injection: seed " << o.seed << ", " << o.trials << " trial(s) x " << o.mails
              << " mail(s) per scenario, complaintd " << o.complaintd << std::endl;
    std::vector<Figures> rows;
    try {
        if (cl.scenarios.count("kill")) rows.push_back(runKillScenario(o, cl.minKills, cl.maxKills));
        if (cl.scenarios.count("kill-nomove")) {
            auto withoutMove = o;
            withoutMove.dovecotExtraConfig = kWithoutMoveOrUidplus;
            rows.push_back(runKillScenario(withoutMove, cl.minKills, cl.maxKills, "kill-9 no MOVE"));
        }
        if (cl.scenarios.count("restart")) rows.push_back(runRestartScenario(o, cl.restarts));
        if (cl.scenarios.count("full")) rows.push_back(runStoreFullScenario(o));
        if (cl.scenarios.count("autoreply")) {
            auto responder = o;
            if (cl.responderMails > 0) responder.mails = cl.responderMails;
            rows.push_back(runAutoResponderScenario(responder));
        }
    } catch (const std::exception& e) {
        printTable(std::cout, rows);
        std::cerr << "fault_injection: aborted: " << e.what() << "\n";
        return 1;
    }
    if (o.strict)
        for (auto& row : rows)
            if (row.tally.resent) row.fail(std::to_string(row.tally.resent) + " letter(s) delivered twice (--strict)");
    printTable(std::cout, rows);
    const bool passed = std::all_of(rows.begin(), rows.end(), [](const Figures& r) { return r.passed(); });
    std::cout << (passed ? "all scenarios held" : "SOME SCENARIOS FAILED") << std::endl;
    return passed ? 0 : 1;
}
