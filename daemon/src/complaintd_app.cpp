#include "daemon/complaintd_app.h"

#include <Poco/Event.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <exception>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>

#include "center/logging.h"
#include "curl_session.h"
#include "daemon/heartbeat.h"
#include "daemon/oauth_token.h"
#include "daemon/ocr_helper.h"
#include "daemon/push_intake.h"
#include "daemon/service.h"
#include "instance_lock.h"
#include "systemd_notify.h"

namespace complaintd::daemon {
namespace {

using Poco::Util::Option;
using Poco::Util::OptionCallback;

// Turns SIGTERM/SIGINT into a stop request (`wake`) and SIGHUP into a reload request
// (`hangup`). The signals are blocked in every thread and taken by sigtimedwait here, so no
// thread is interrupted mid-write.
class ControlSignals {
public:
    ControlSignals(std::atomic<bool>& stopping, std::atomic<bool>& reload, Poco::Event& wake, Poco::Event& hangup) {
        sigemptyset(&set_);
        sigaddset(&set_, SIGTERM);
        sigaddset(&set_, SIGINT);
        sigaddset(&set_, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &set_, nullptr);
        waiter_ = std::thread([this, &stopping, &reload, &wake, &hangup] {
            const timespec tick{0, 200'000'000};
            while (!done_) {
                const int signal = sigtimedwait(&set_, nullptr, &tick);
                if (signal == SIGHUP) {
                    reload = true;
                    hangup.set();
                } else if (signal > 0) {
                    center::moduleLogger("service")->info("stop requested; finishing the message in hand");
                    stopping = true;
                    wake.set();
                    return;
                }
            }
        });
    }
    ~ControlSignals() {
        done_ = true;
        waiter_.join();
    }

private:
    sigset_t set_{};
    std::atomic<bool> done_{false};
    std::thread waiter_;
};

// Runs `action` when the scope ends, by return or by exception.
class OnExit {
public:
    explicit OnExit(std::function<void()> action) : action_(std::move(action)) {}
    ~OnExit() { action_(); }
    OnExit(const OnExit&) = delete;
    OnExit& operator=(const OnExit&) = delete;

private:
    std::function<void()> action_;
};

// SIGHUP: rules, units and templates are read again; a mistake keeps the ones in use.
void reload(Service& service, const SystemdNotifier& systemd) {
    auto log = center::moduleLogger("service");
    systemd.reloading();
    try {
        service.reloadCenterBook();
        log->info("reloaded units, referrals, rules, holidays, fax gateways and letter templates");
    } catch (const Error& e) {  // ConfigError names the file and line; anything else is a bug (exit 70)
        log->error("reload refused, keeping the rules and templates in use: {}", e.what());
    }
    systemd.ready();
}

std::string statusLine(const CycleReport& r) {
    return "last cycle: stored " + std::to_string(r.stored) + ", opened " + std::to_string(r.opened) + ", sent " +
           std::to_string(r.sent) + ", deferred " + std::to_string(r.deferred) + ", source errors " +
           std::to_string(r.sourceErrors);
}

// Also at every token refresh (oauth_token.cpp); at start-up too, so that an account
// that seldom logs in (SMTP on a quiet day) is not silent about it.
void warnOfRefreshTokens(const center::Settings& settings, const center::Clock& clock) {
    const auto today = cases::localDate(clock.now());
    for (const auto& [account, prefix] : {std::pair{&settings.imap, "imap"}, std::pair{&settings.smtp, "smtp"}})
        if (const auto warning = center::refreshTokenWarning(*account, prefix, today))
            center::moduleLogger("oauth")->warn("{}", *warning);
}

// A server that stalls is given up after imap.timeout, or serverAnswerTimeout while waiting for an
// answer, and nothing feeds the watchdog meanwhile. If that silence, plus the
// heartbeat's interval of a quarter of WatchdogSec=, is not under WatchdogSec=, a stalled server gets
// the daemon killed and its cycle rolled back instead of one failed transfer.
void warnOfWatchdogShorterThanTimeouts(const center::Settings& settings, std::chrono::milliseconds keepAlive) {
    using std::chrono::seconds;
    const auto watchdog = 2 * keepAlive;
    std::vector<std::pair<std::string, std::chrono::milliseconds>> silences;
    if (!settings.imap.url.empty()) silences.emplace_back("imap.timeout", settings.imap.timeout);
    if (!settings.smtp.url.empty())
        silences.emplace_back("smtp.timeout + the send buffer's time", serverAnswerTimeout(settings.smtp));
    for (const auto& [what, silence] : silences)
        if (silence + watchdog / 4 >= watchdog)
            center::moduleLogger("service")->warn(
                "{} ({} s) is not under three quarters of WatchdogSec= ({} s): a server that stalls gets "
                "complaintd killed by the watchdog and its cycle rolled back; lower the timeout or raise WatchdogSec=",
                what, std::chrono::duration_cast<seconds>(silence).count(),
                std::chrono::duration_cast<std::chrono::milliseconds>(watchdog).count() / 1000.0);
}

}  // namespace

void ComplaintdApp::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "Show this help and exit.")
                          .callback(OptionCallback<ComplaintdApp>(this, &ComplaintdApp::handleHelp)));
    options.addOption(Option("config", "c", "Read the configuration from FILE (default: embedded defaults).")
                          .argument("FILE")
                          .callback(OptionCallback<ComplaintdApp>(this, &ComplaintdApp::handleConfig)));
    options.addOption(Option("option", "o", "Override one configuration key for this run (repeatable).")
                          .argument("KEY=VALUE")
                          .repeatable(true)
                          .callback(OptionCallback<ComplaintdApp>(this, &ComplaintdApp::handleOverride)));
    options.addOption(Option("once", "", "Run one full cycle (all sources, cases, outbox) and exit.")
                          .callback(OptionCallback<ComplaintdApp>(this, &ComplaintdApp::handleOnce)));
}

void ComplaintdApp::handleHelp(const std::string&, const std::string&) {
    helpRequested_ = true;
    stopOptionsProcessing();
}
void ComplaintdApp::handleConfig(const std::string&, const std::string& value) { configFile_ = value; }
void ComplaintdApp::handleOverride(const std::string&, const std::string& value) { overrides_.push_back(value); }
void ComplaintdApp::handleOnce(const std::string&, const std::string&) { once_ = true; }

void ComplaintdApp::printHelp() {
    Poco::Util::HelpFormatter help(options());
    help.setCommand("complaintd");
    help.setUsage("[--config FILE] [-o KEY=VALUE]... [--once]");
    help.setHeader(
        "complaintd reads complaints from IMAP folders and drop folders (e-mail and fax), opens numbered cases, "
        "routes them to a unit, reads fax pages by OCR, watches the two deadlines and sends the center's letters "
        "(acknowledgement, referral, reply with the survey, reminders, delay notices). It runs in the foreground "
        "(systemd style); SIGTERM stops it after the message in hand, SIGHUP reloads rules and templates at once (the "
        "work under way finishes with the old ones). A cycle takes mail for at most cycle_seconds. complaintctl "
        "is the staff's side.");
    help.setFooter(
        "One complaintd works on a database at a time (a lock beside it): another one exits with 75, naming the "
        "running one; --once first waits up to poll_interval (at most a minute) for it. "
        "Exit codes: 0 ok, 64 bad usage, 75 another complaintd is running, 78 configuration error, 70 internal "
        "error (a bug; systemd restarts the service, which resumes from the database). A message that meets a bug "
        "is quarantined (complaintctl quarantine) and intake goes on. Every configuration key, "
        "with its default, is listed in docs/configuration.md and by `complaintctl config`. Passwords and OAuth2 "
        "tokens come from files or systemd credentials (LoadCredential=), never from the command line.");
    help.format(std::cout);
}

int ComplaintdApp::main(const std::vector<std::string>&) {
    if (helpRequested_) {
        printHelp();
        return EXIT_OK;
    }
    try {
        return serve();
    } catch (const ConfigError& e) {
        std::cerr << "complaintd: configuration error: " << e.what() << "\n";
        return EXIT_CONFIG;
    } catch (const AlreadyRunningError& e) {
        std::cerr << "complaintd: " << e.what() << "\n";
        return EXIT_TEMPFAIL;
    } catch (const Error& e) {
        std::cerr << "complaintd: " << e.what() << "\n";
        return EXIT_SOFTWARE;
    } catch (const std::exception& e) {
        // A broken invariant (the loop lets nothing but the project's errors through): end, and let
        // systemd (Restart=on-failure) start a fresh process, which resumes from the database.
        center::moduleLogger("service")->critical(
            "internal error, a bug: {}; exiting 70 (systemd restarts complaintd, which resumes from the database)",
            e.what());
        return EXIT_SOFTWARE;
    }
}

int ComplaintdApp::serve() {
    const auto loaded = center::loadSettings(configFile_, overrides_);
    center::setLogLevel(loaded.settings.logLevel);
    auto log = center::moduleLogger("service");
    // A --once from cron waits up to a poll interval (at most a minute) for another run to end; the
    // service itself does not wait.
    const auto lockWait =
        once_ ? std::clamp(std::chrono::duration_cast<std::chrono::seconds>(loaded.settings.pollInterval),
                           std::chrono::seconds(1), std::chrono::seconds(60))
              : std::chrono::seconds(0);
    const InstanceLock instance(loaded.settings.databasePath, lockWait);
    std::atomic<bool> stopping{false};
    std::atomic<bool> reloadRequested{false};
    Poco::Event wake;
    Poco::Event hangup;
    ControlSignals signals(stopping, reloadRequested, wake, hangup);
    center::SystemClock clock;
    const SystemdNotifier systemd;
    // The loop wakes at least twice per WatchdogSec= so that systemd sees it alive; in a cycle,
    // the work feeds the watchdog as it moves forward (heartbeat.h says what that proves).
    auto wait = std::chrono::milliseconds(loaded.settings.pollInterval);
    const auto keepAlive = systemd.keepAliveInterval();
    if (keepAlive) wait = std::min(wait, *keepAlive);
    Heartbeat heartbeat([&] { systemd.watchdog(); }, keepAlive ? *keepAlive / 2 : std::chrono::milliseconds(1000));
    Service service(loaded.settings, clock, [&] { heartbeat.beat(); });
    log->info("started config={} poll_interval={}s", configFile_.value_or("(embedded defaults)"),
              loaded.settings.pollInterval.count());
    warnOfRefreshTokens(loaded.settings, clock);
    for (const auto& warning : center::placeholderWarnings(loaded.settings))
        center::moduleLogger("service")->warn("{}", warning);
    if (keepAlive) warnOfWatchdogShorterThanTimeouts(loaded.settings, *keepAlive);
    systemd.ready();
    if (once_) {
        service.runCycle(stopping);
        if (loaded.settings.ocrEnabled) service.runOcr(stopping);
    } else {
        // A bug (not a project error) in a thread beside the loop stops the daemon as one in the loop
        // does: the first is handed to this thread, which throws it once the others are joined.
        Poco::Event ocrWake;
        std::mutex bugMutex;
        std::exception_ptr threadBug;
        const auto handOver = [&](std::exception_ptr bug) {
            {
                const std::lock_guard lock(bugMutex);
                if (!threadBug) threadBug = std::move(bug);
            }
            stopping = true;
            wake.set();
            hangup.set();
            ocrWake.set();
        };
        // OCR of fax pages never holds up intake: it runs beside the cycle loop.
        std::thread ocr([&] {
            while (!stopping && loaded.settings.ocrEnabled) {
                try {
                    service.runOcr(stopping);
                } catch (const Error& e) {
                    center::moduleLogger("ocr")->error("OCR pass failed: {}", e.what());
                } catch (...) {
                    return handOver(std::current_exception());
                }
                ocrWake.tryWait(2000);
            }
        });
        // SIGHUP is answered at once, also in the middle of a long cycle or OCR job: the new book is
        // swapped in, and what is under way goes on with the one it started with.
        std::thread reloader([&] {
            try {
                while (!stopping) {
                    hangup.tryWait(1000);
                    if (reloadRequested.exchange(false) && !stopping) reload(service, systemd);
                }
            } catch (...) {
                handOver(std::current_exception());
            }
        });
        // However the loop ends (a stop, or a bug thrown through it), both threads are joined first.
        const auto joinThreads = [&] {
            stopping = true;
            hangup.set();
            if (reloader.joinable()) reloader.join();
            ocrWake.set();
            if (ocr.joinable()) ocr.join();
        };
        const OnExit joinOnExit(joinThreads);
        // IMAP IDLE: new mail starts a cycle at once; the poll interval remains the fallback.
        std::atomic<bool> mailArrived{false};
        PushIntake push(loaded.settings, [&] {
            mailArrived = true;
            wake.set();
        });
        auto nextCycle = std::chrono::steady_clock::now();
        while (!stopping) {
            if (std::chrono::steady_clock::now() >= nextCycle || mailArrived.exchange(false)) {
                const auto report = service.runCycle(stopping);
                systemd.status(statusLine(report));
                nextCycle = std::chrono::steady_clock::now() + loaded.settings.pollInterval;
                ocrWake.set();
            }
            heartbeat.beat();
            wake.tryWait(
                long(std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(
                                        nextCycle - std::chrono::steady_clock::now() + std::chrono::milliseconds(1)))
                         .count()));
        }
        joinThreads();
        const std::lock_guard lock(bugMutex);
        if (threadBug) std::rethrow_exception(threadBug);
    }
    systemd.stopping();
    log->info("stopped");
    return EXIT_OK;
}

int runComplaintd(int argc, char** argv) {
    // The OCR helper the daemon starts for each fax (ocr_helper.h): before Poco, logging and
    // settings, since it needs none of them and should map as little as it can.
    if (argc == 2 && std::string_view(argv[1]) == "--ocr-helper") return runOcrHelper(STDIN_FILENO, STDOUT_FILENO);
    try {
        ComplaintdApp app;
        return app.run(argc, argv);
    } catch (const Poco::Util::OptionException& e) {
        std::cerr << "complaintd: " << e.displayText() << " (see complaintd --help)\n";
        return Poco::Util::Application::EXIT_USAGE;
    } catch (const std::exception& e) {
        std::cerr << "complaintd: " << e.what() << "\n";
        return Poco::Util::Application::EXIT_SOFTWARE;
    }
}

}  // namespace complaintd::daemon
