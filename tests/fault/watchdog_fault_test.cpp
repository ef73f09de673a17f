// The systemd watchdog, a bounded cycle and SIGHUP (issue 12): a long piece of work must not get
// the daemon killed by WatchdogSec= (and its work rolled back, again and again), a cycle stops
// taking mail after cycle_seconds, and a reload does not wait for a long cycle or a long OCR.
// systemd is not here, but sd_notify is only a datagram socket: the test listens on one
// (NOTIFY_SOCKET) and asks for keep-alives (WATCHDOG_USEC), and the mail servers are reached
// through a slow line (ThrottledRelay, the server's answers slowed). Real complaintd, Dovecot, aiosmtpd and OCR helper.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <thread>

#include "fax_fixtures.h"
#include "mail_desk.h"
#include "notify_socket.h"
#include "running_daemon.h"
#include "test_mail.h"
#include "throttled_relay.h"

namespace complaintd::testing {
namespace {

using namespace std::chrono_literals;
using Clock = NotifySocket::Clock;

constexpr auto kWatchdog = 2000ms;  // WATCHDOG_USEC: the daemon should ping every second at most

// complaintd as systemd starts it with Type=notify and WatchdogSec=2: the two variables are set
// for this one child only (the mail servers, started before, must not see NOTIFY_SOCKET).
std::unique_ptr<RunningDaemon> startUnderSystemd(const NotifySocket& notify, std::vector<std::string> args) {
    ::setenv("NOTIFY_SOCKET", notify.path().c_str(), 1);
    ::setenv("WATCHDOG_USEC", std::to_string(std::chrono::microseconds(kWatchdog).count()).c_str(), 1);
    auto daemon = std::make_unique<RunningDaemon>(std::move(args));
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    return daemon;
}

// A complaint of about `bytes` (many short lines: limits.line_bytes holds), each from its own
// address, so that every one is acknowledged.
std::string largeComplaint(int n, std::size_t bytes) {
    std::string body;
    while (body.size() < bytes) body += "The street light at the corner of Zilian Road has been dark for a week.\r\n";
    return utf8Mail("slow-" + std::to_string(n) + "@example.org", "路燈不亮 " + std::to_string(n), body,
                    "Resident " + std::to_string(n) + " <resident" + std::to_string(n) + "@example.org>");
}

int field(const std::string& line, const std::string& name) {
    std::smatch match;
    return std::regex_search(line, match, std::regex(" " + name + "=([0-9]+)")) ? std::stoi(match[1]) : -1;
}

long ms(Clock::duration d) { return long(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); }

// 3 messages of 600 KB over a line of 200 KB/s: one batch, one UID FETCH, about 9 s.
struct SlowImapDesk {
    MailDesk desk{"imap.timeout = 60\n"};
    ThrottledRelay link{desk.dovecot().port(), 200 * 1024, Throttle::AnswersOnly};
    NotifySocket notify{desk.path("notify.sock")};

    explicit SlowImapDesk(int messages = 3, std::size_t bytes = 600 * 1024) {
        ImapTestClient imap(desk.dovecot());
        for (int n = 1; n <= messages; ++n) imap.append("INBOX", largeComplaint(n, bytes));
    }
    std::vector<std::string> args(const std::vector<std::string>& extra = {}) const {
        std::vector<std::string> all{"--config", desk.config(),
                                     "-o",       "imap.url=imap://127.0.0.1:" + std::to_string(link.port()),
                                     "-o",       "poll_interval=300"};
        all.insert(all.end(), extra.begin(), extra.end());
        return all;
    }
};

TEST(WatchdogFaultTest, PingsWhileALongFetchProgresses) {
    SlowImapDesk slow;
    const auto started = Clock::now();
    const auto daemon = startUnderSystemd(slow.notify, slow.args());
    const auto ready = slow.notify.waitFor("READY=1", started, 30s);
    ASSERT_NE(ready, Clock::time_point{}) << "no READY=1 on the notify socket";
    // imap.timeout = 60 against WatchdogSec=2: a server that stalls would get the daemon killed.
    daemon->waitForLog("imap.timeout (60 s) is not under three quarters of WatchdogSec= (2 s)");
    const auto line = daemon->waitForLog("cycle stored=");
    const auto cycleEnd = Clock::now();
    ASSERT_EQ(field(line, "stored"), 3) << line;
    ASSERT_GT(cycleEnd - ready, 3 * kWatchdog) << "the slow line should make this cycle long";
    const auto pings = slow.notify.pings(ready, cycleEnd);
    std::cerr << "cycle " << ms(cycleEnd - ready) << " ms, " << pings.size() << " pings, longest gap "
              << longestGap(ready, pings, cycleEnd).count() << " ms\n";
    EXPECT_LT(longestGap(ready, pings, cycleEnd), kWatchdog)
        << pings.size() << " pings in a cycle of " << ms(cycleEnd - ready) << " ms; systemd would have killed it";
}

TEST(WatchdogFaultTest, PingsWhileLettersGoOutOverASlowLine) {
    // 20 complaints come in at once; their acknowledgements go to an SMTP server whose answers
    // crawl (200 bytes/s): the outbox is the long part of the cycle.
    MailDesk desk;
    ThrottledRelay link(desk.smtp().port(), 200, Throttle::AnswersOnly);
    NotifySocket notify(desk.path("notify.sock"));
    ImapTestClient imap(desk.dovecot());
    for (int n = 1; n <= 20; ++n) imap.append("INBOX", largeComplaint(n, 1000));
    const auto started = Clock::now();
    const auto daemon = startUnderSystemd(
        notify, {"--config", desk.config(), "-o", "smtp.url=smtp://127.0.0.1:" + std::to_string(link.port()), "-o",
                 "poll_interval=300"});
    const auto ready = notify.waitFor("READY=1", started, 30s);
    ASSERT_NE(ready, Clock::time_point{}) << "no READY=1 on the notify socket";
    const auto line = daemon->waitForLog("cycle stored=");
    const auto cycleEnd = Clock::now();
    ASSERT_EQ(field(line, "sent"), 40) << line;  // each acknowledgement and the unit's notice
    ASSERT_GT(cycleEnd - ready, 3 * kWatchdog) << "the slow line should make this cycle long";
    const auto pings = notify.pings(ready, cycleEnd);
    std::cerr << "cycle " << ms(cycleEnd - ready) << " ms, " << pings.size() << " pings, longest gap "
              << longestGap(ready, pings, cycleEnd).count() << " ms\n";
    EXPECT_LT(longestGap(ready, pings, cycleEnd), kWatchdog)
        << pings.size() << " pings in a cycle of " << ms(cycleEnd - ready) << " ms; systemd would have killed it";
}

TEST(WatchdogFaultTest, SighupDuringALongCycleIsAnsweredAtOnce) {
    SlowImapDesk slow;
    const auto started = Clock::now();
    const auto daemon = startUnderSystemd(slow.notify, slow.args());
    const auto ready = slow.notify.waitFor("READY=1", started, 30s);
    ASSERT_NE(ready, Clock::time_point{}) << "no READY=1 on the notify socket";
    std::this_thread::sleep_for(2s);  // the first cycle is fetching (about 9 s over the slow line)
    const auto hup = Clock::now();
    daemon->signal(SIGHUP);
    const auto reloading = slow.notify.waitFor("RELOADING=1", hup, 60s);
    const auto readyAgain = slow.notify.waitFor("READY=1", hup, 60s);
    const auto cycleEnd = slow.notify.waitFor("STATUS=last cycle", started, 60s);
    ASSERT_NE(reloading, Clock::time_point{}) << "no RELOADING=1";
    ASSERT_NE(readyAgain, Clock::time_point{}) << "no READY=1 after the reload";
    ASSERT_NE(cycleEnd, Clock::time_point{}) << "the cycle never ended";
    std::cerr << "reload answered " << ms(readyAgain - hup) << " ms after SIGHUP, " << ms(cycleEnd - readyAgain)
              << " ms before the cycle ended\n";
    EXPECT_LT(readyAgain - hup, 2s) << "reload answered " << ms(readyAgain - hup) << " ms after SIGHUP";
    EXPECT_LT(readyAgain, cycleEnd) << "the reload waited " << ms(readyAgain - cycleEnd) << " ms past the cycle";
    daemon->waitForLog("reloaded units");
}

TEST(WatchdogFaultTest, ACycleStopsTakingMailAfterCycleSecondsAndTheRestComesNext) {
    // 4 messages of 2.7 MB: three in the first IMAP batch (8 MiB at most), about 4 s over the line.
    MailDesk desk("imap.timeout = 60\n");
    ThrottledRelay link(desk.dovecot().port(), 2 * 1024 * 1024, Throttle::AnswersOnly);
    ImapTestClient imap(desk.dovecot());
    for (int n = 1; n <= 4; ++n) imap.append("INBOX", largeComplaint(n, 2700 * 1024));
    RunningDaemon daemon({"--config", desk.config(), "-o", "imap.url=imap://127.0.0.1:" + std::to_string(link.port()),
                          "-o", "poll_interval=1", "-o", "cycle_seconds=1"});
    const auto first = daemon.waitForLog("cycle stored=");
    const int firstStored = field(first, "stored");
    EXPECT_GT(firstStored, 0) << first;
    EXPECT_LT(firstStored, 4) << "the first cycle took every message: " << first;
    // Each acknowledgement and the unit's notice: letters wait for no later cycle.
    EXPECT_EQ(field(first, "sent"), 2 * firstStored) << "letters wait for no later cycle: " << first;
    int stored = firstStored, cycles = 1;
    while (stored < 4 && cycles < 10 && !::testing::Test::HasFailure()) {
        stored += std::max(0, field(daemon.waitForLog("cycle stored="), "stored"));
        ++cycles;
    }
    EXPECT_EQ(stored, 4);
    EXPECT_GT(cycles, 1);
    std::cerr << "first cycle took " << firstStored << " of 4 messages; all 4 after " << cycles << " cycles\n";
    desk.smtp().waitForComplainantMails(4);
    EXPECT_EQ(desk.ctlJsonArray({"list"})->size(), 4u);
}

// The OCR helper of `pid` is running (a child process of the daemon).
bool helperRunning(int pid) {
    for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
        std::ifstream children(task.path() / "children");
        std::string first;
        if (children >> first) return true;
    }
    return false;
}

TEST(WatchdogFaultTest, SighupDuringALongOcrIsAnsweredBeforeTheOcrEnds) {
    namespace fixtures = complaintd::fax::fixtures;
    ::setenv("OMP_THREAD_LIMIT", "1", 1);
    MailDesk desk("fax.drop_enabled = yes\nfax.ocr_cpu_seconds = 90\nfax.ocr_timeout = 120\n");
    NotifySocket notify(desk.path("notify.sock"));
    const auto faxDrop = desk.path("state/fax-drop");
    std::filesystem::create_directories(faxDrop);
    // A PDF page that takes poppler long to render (2000 fills took 19 s of CPU at 200 dpi).
    const auto slowPdf = fixtures::writeRenderingBombPdf(3000);
    std::ofstream(faxDrop + "/0001-fax.eml")
        << fixtures::buildMail({{"From", "The HylaFAX Receive Agent <fax@fax.shugu.example>"},
                                {"To", "complaints-fax@shugu.example"},
                                {"Subject", "Facsimile received from +886 6 5050777"},
                                {"Message-ID", "<hylafax-slow@fax.shugu.example>"}},
                               "Recv from +886 6 5050777\n        Sender: +886 6 5050777\n         Pages: 1\n",
                               {{"application/pdf", "fax0001.pdf", slowPdf}});
    const auto started = Clock::now();
    const auto daemon = startUnderSystemd(notify, {"--config", desk.config(), "-o", "poll_interval=300"});
    daemon->waitForLog("cycle stored=1");
    const auto deadline = Clock::now() + 30s;
    while (!helperRunning(daemon->pid()) && Clock::now() < deadline) std::this_thread::sleep_for(50ms);
    ASSERT_TRUE(helperRunning(daemon->pid())) << "the OCR helper never started";
    std::this_thread::sleep_for(1s);
    const auto hup = Clock::now();
    daemon->signal(SIGHUP);
    const auto readyAgain = notify.waitFor("READY=1", hup, 60s);
    ASSERT_NE(readyAgain, Clock::time_point{}) << "no READY=1 after the reload";
    EXPECT_NE(notify.waitFor("RELOADING=1", hup, 0ms), Clock::time_point{});
    EXPECT_LT(readyAgain - hup, 2s) << "reload answered " << ms(readyAgain - hup) << " ms after SIGHUP";
    EXPECT_TRUE(helperRunning(daemon->pid())) << "the OCR ended before the reload was answered";
    std::cerr << "reload answered " << ms(readyAgain - hup) << " ms after SIGHUP, the OCR helper still reading\n";
    daemon->waitForLog("reloaded units");
    // The cycle loop is idle meanwhile and keeps the watchdog fed; the OCR thread does not (heartbeat.h).
    const auto now = Clock::now();
    const auto firstReady = notify.waitFor("READY=1", started, 0ms);
    EXPECT_LT(longestGap(firstReady, notify.pings(firstReady, now), now), kWatchdog);
    std::string rest;
    EXPECT_EQ(daemon->stop(rest), 0) << rest;
}

}  // namespace
}  // namespace complaintd::testing
