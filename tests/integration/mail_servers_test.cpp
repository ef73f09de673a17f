// complaintd --once and complaintctl as a user runs them, against a real
// Dovecot (IMAP) and a real aiosmtpd (SMTP) on 127.0.0.1.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "cases/roc_calendar.h"
#include "mail_desk.h"
#include "parsers/mime_parser.h"
#include "run_program.h"
#include "running_daemon.h"
#include "test_mail.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

namespace fs = std::filesystem;

class MailServersTest : public ::testing::Test {
protected:
    RunResult complaintd(const std::vector<std::string>& extra = {}) { return desk_.complaintd(extra); }
    Poco::JSON::Array::Ptr ctlJson(const std::vector<std::string>& command) { return desk_.ctlJsonArray(command); }

    static std::string currentYearPrefix() {
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        char prefix[8];
        std::snprintf(prefix, sizeof prefix, "%03d-", cases::rocYearAt(now));
        return prefix;
    }

    MailDesk desk_{"poll_interval = 1\noutbox.retry_initial = 1\n"};
};

TEST_F(MailServersTest, Big5ComplaintBecomesRoutedCaseMovedAndAcknowledged) {
    ImapTestClient imap(desk_.dovecot());
    imap.append("INBOX", big5Complaint("streetlight-1@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。"));

    const auto run = complaintd();
    ASSERT_EQ(run.exitCode, 0) << run.err;

    const auto cases = ctlJson({"list"});
    ASSERT_EQ(cases->size(), 1u);
    const auto c = cases->getObject(0);
    const auto number = c->getValue<std::string>("number");
    EXPECT_EQ(number, currentYearPrefix() + "001");
    EXPECT_EQ(c->getValue<std::string>("unit"), "public-works");
    EXPECT_EQ(c->getValue<std::string>("subject"), "紫楝路路燈不亮");
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("name"), "王小明");

    EXPECT_TRUE(imap.uids("INBOX").empty());
    const auto processed = imap.uids("Processed");
    ASSERT_EQ(processed.size(), 1u);
    const auto flags = imap.flags("Processed", processed[0]);
    EXPECT_NE(std::find(flags.begin(), flags.end(), "\\Seen"), flags.end());

    const auto mails = desk_.smtp().waitForComplainantMails(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].rcptTo, std::vector<std::string>{"wang@example.org"});
    const auto letter = parsers::parseMessage(mails[0].data);
    ASSERT_TRUE(std::holds_alternative<parsers::ParsedMessage>(letter));
    const auto& ack = std::get<parsers::ParsedMessage>(letter);
    EXPECT_EQ(ack.subject.rfind("[" + number + "] ", 0), 0u) << ack.subject;
    EXPECT_EQ(ack.inReplyTo, "streetlight-1@example.org");
    EXPECT_NE(ack.textBody.find(number), std::string::npos);
    EXPECT_NE(ack.textBody.find("工務組"), std::string::npos);
    EXPECT_NE(mails[0].data.find("\r\nAuto-Submitted: auto-replied\r\n"), std::string::npos);
}

TEST_F(MailServersTest, SecondRunCreatesNothingNew) {
    ImapTestClient imap(desk_.dovecot());
    imap.append("INBOX", big5Complaint("drain-1@example.org", "水溝堵塞", "側溝堵塞，下雨就積水。"));
    ASSERT_EQ(complaintd().exitCode, 0);
    desk_.smtp().waitForComplainantMails(1);
    const auto again = complaintd();
    ASSERT_EQ(again.exitCode, 0) << again.err;
    EXPECT_EQ(ctlJson({"list"})->size(), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(desk_.smtp().complainantMails().size(), 1u);
}

TEST_F(MailServersTest, SameMessageIdUnderTwoUidsOpensOneCase) {
    ImapTestClient imap(desk_.dovecot());
    const auto mail = big5Complaint("noise-1@example.org", "夜間噪音", "工廠夜間噪音很大。");
    imap.append("INBOX", mail);
    imap.append("INBOX", mail);
    ASSERT_EQ(complaintd().exitCode, 0);
    EXPECT_EQ(ctlJson({"list"})->size(), 1u);
    EXPECT_TRUE(imap.uids("INBOX").empty());
    EXPECT_EQ(imap.uids("Processed").size(), 2u);
}

TEST_F(MailServersTest, HundredsOfMailsAreTakenInBatchesInOneRun) {
    ImapTestClient imap(desk_.dovecot());
    constexpr int kMails = 450;  // more than two batches of 200
    for (int i = 0; i < kMails; ++i)
        imap.append("INBOX", big5Complaint("batch-" + std::to_string(i) + "@example.org",
                                           "路燈不亮 " + std::to_string(i), "第" + std::to_string(i) + "號路燈不亮。"));
    const auto run = complaintd({"-o", "smtp.url="});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(ctlJson({"list"})->size(), std::size_t(kMails));
    EXPECT_TRUE(imap.uids("INBOX").empty());
    EXPECT_EQ(imap.uids("Processed").size(), std::size_t(kMails));
}

TEST_F(MailServersTest, IdleStartsACycleAsSoonAsMailArrives) {
    // A poll interval of 5 minutes: only IDLE can bring the mail in within the test.
    RunningDaemon daemon({"--config", desk_.config(), "-o", "poll_interval=300"});
    daemon.waitForLog("waiting for mail (IDLE)");
    if (HasFailure()) return;

    for (int i = 1; i <= 2; ++i) {
        const auto appended = std::chrono::steady_clock::now();
        ImapTestClient(desk_.dovecot())
            .append("INBOX",
                    big5Complaint("idle-" + std::to_string(i) + "@example.org", "路燈不亮", "路燈已經壞了三天。",
                                  "王小明", "idle" + std::to_string(i) + "@example.org"));
        desk_.smtp().waitForComplainantMails(std::size_t(i), std::chrono::seconds(10));
        const auto latency = std::chrono::steady_clock::now() - appended;
        EXPECT_LT(latency, std::chrono::seconds(3));
        std::cerr << "APPEND to acknowledgement accepted: "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(latency).count() << " ms\n";
    }
    std::string rest;
    EXPECT_EQ(daemon.stop(rest), 0) << rest;
    EXPECT_EQ(ctlJson({"list"})->size(), 2u);
}

TEST_F(MailServersTest, SighupReloadsRulesAndKeepsThemWhenTheNewFileIsWrong) {
    const auto rules = desk_.path("rules.conf");
    auto writeRules = [&](const std::string& unit) {
        std::ofstream(rules) << "[streetlight]\nunit = " << unit << "\ncategory = rights\nkeywords = 路燈\n";
    };
    writeRules("public-works");
    RunningDaemon daemon({"--config", desk_.config(), "-o", "poll_interval=300", "-o", "routing.rules_file=" + rules});
    int mails = 0;
    auto unitOfNextCase = [&] {
        ++mails;
        ImapTestClient(desk_.dovecot())
            .append("INBOX", big5Complaint("hup-" + std::to_string(mails) + "@example.org", "路燈不亮", "路燈壞了。",
                                           "王小明", "hup" + std::to_string(mails) + "@example.org"));
        daemon.waitForLog("opened");
        const auto cases = ctlJson({"list"});
        return cases->getObject(unsigned(cases->size() - 1))->getValue<std::string>("unit");
    };
    daemon.waitForLog("waiting for mail (IDLE)");
    EXPECT_EQ(unitOfNextCase(), "public-works");

    writeRules("environment-safety");
    daemon.signal(SIGHUP);
    daemon.waitForLog("reloaded");
    EXPECT_EQ(unitOfNextCase(), "environment-safety");

    writeRules("no-such-unit");
    daemon.signal(SIGHUP);
    const auto refusal = daemon.waitForLog("reload refused");
    EXPECT_NE(refusal.find(rules), std::string::npos) << refusal;
    EXPECT_EQ(unitOfNextCase(), "environment-safety");

    std::string rest;
    EXPECT_EQ(daemon.stop(rest), 0) << rest;
}

TEST_F(MailServersTest, LetterWaitsInOutboxWhileSmtpIsDownThenGoesOut) {
    desk_.smtp().stop();
    ImapTestClient imap(desk_.dovecot());
    imap.append("INBOX", big5Complaint("lease-1@example.org", "廠房租約", "請問廠房租約續約的流程。"));
    const auto first = complaintd();
    ASSERT_EQ(first.exitCode, 0) << first.err;
    EXPECT_EQ(ctlJson({"list"})->size(), 1u);
    auto outbox = desk_.complainantLetters();
    ASSERT_EQ(outbox->size(), 1u);
    EXPECT_EQ(outbox->getObject(0)->getValue<std::string>("state"), "queued");
    // A server that is away is the session's problem: no attempt is counted against the letter.
    EXPECT_EQ(outbox->getObject(0)->getValue<int>("attempts"), 0);

    desk_.smtp().start();
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // outbox.retry_initial = 1 s
    const auto second = complaintd();
    ASSERT_EQ(second.exitCode, 0) << second.err;
    EXPECT_EQ(desk_.smtp().waitForComplainantMails(1).size(), 1u);
    outbox = desk_.complainantLetters();
    EXPECT_EQ(outbox->getObject(0)->getValue<std::string>("state"), "sent");
}

TEST_F(MailServersTest, ImapDownIsReportedAndOtherSourcesGoOn) {
    desk_.dovecot().stop();
    fs::create_directories(desk_.path("state/drop"));
    std::ofstream(desk_.path("state/drop/walk-in.eml"), std::ios::binary)
        << big5Complaint("drop-1@example.org", "路燈", "路燈不亮");
    const auto run = complaintd({"-o", "drop.enabled=yes"});
    EXPECT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.err.find("source=imap failed"), std::string::npos) << run.err;
    EXPECT_EQ(ctlJson({"list"})->size(), 1u);
    desk_.dovecot().start();
}

TEST_F(MailServersTest, LogsCarryNoPersonalDataAtInfoLevel) {
    ImapTestClient(desk_.dovecot())
        .append("INBOX",
                big5Complaint("pii-1@example.org", "路燈", "我的電話是0912345678", "陳大文", "chen.dawen@example.org"));
    const auto run = complaintd();
    ASSERT_EQ(run.exitCode, 0);
    for (const std::string secret : {"陳大文", "chen.dawen", "0912345678"})
        EXPECT_EQ(run.err.find(secret), std::string::npos) << secret << " in log:\n" << run.err;
    EXPECT_TRUE(std::regex_search(run.err, std::regex(R"(\d{3}-001: message=1 rule=streetlight unit=工務組)")))
        << run.err;
}

TEST(Complaintd, SigtermFinishesAndExitsCleanly) {
    TempDir dir;
    Poco::Pipe errPipe;
    auto handle = Poco::Process::launch(COMPLAINTD_BINARY, {"-o", "state_dir=" + dir.path(), "-o", "poll_interval=1"},
                                        nullptr, nullptr, &errPipe);
    Poco::PipeInputStream errStream(errPipe);
    std::string line;
    while (std::getline(errStream, line) && line.find("started") == std::string::npos) {
    }
    ::kill(handle.id(), SIGTERM);
    std::string rest;
    Poco::StreamCopier::copyToString(errStream, rest);
    EXPECT_EQ(handle.wait(), 0) << rest;
    EXPECT_NE(rest.find("stopped"), std::string::npos) << rest;
}

// Reads what complaintd tells systemd over a NOTIFY_SOCKET of the test's own.
class NotifySocket {
public:
    explicit NotifySocket(const std::string& path) : path_(path), fd_(::socket(AF_UNIX, SOCK_DGRAM, 0)) {
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::snprintf(address.sun_path, sizeof address.sun_path, "%s", path.c_str());
        if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
            throw std::runtime_error("cannot bind " + path);
        timeval timeout{0, 200'000};
        ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    }
    ~NotifySocket() {
        ::close(fd_);
        ::unlink(path_.c_str());
    }
    // Everything received until `until` shows up or `seconds` pass.
    std::string collect(const std::string& until, int seconds) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
        while (std::chrono::steady_clock::now() < deadline && received_.find(until) == std::string::npos) {
            char buffer[4096];
            const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n > 0) received_.append(buffer, std::size_t(n)).append("\n");
        }
        return received_;
    }

private:
    std::string path_;
    int fd_;
    std::string received_;
};

TEST(Complaintd, TellsSystemdReadyStatusWatchdogAndStopping) {
    TempDir dir;
    NotifySocket notify(dir.path() + "/notify");
    Poco::Process::Env env{{"NOTIFY_SOCKET", dir.path() + "/notify"}, {"WATCHDOG_USEC", "2000000"}};
    Poco::Pipe errPipe;
    auto handle = Poco::Process::launch(COMPLAINTD_BINARY, {"-o", "state_dir=" + dir.path(), "-o", "poll_interval=60"},
                                        dir.path(), nullptr, nullptr, &errPipe, env);
    const auto seen = notify.collect("WATCHDOG=1", 10);
    EXPECT_NE(seen.find("READY=1"), std::string::npos) << seen;
    EXPECT_NE(seen.find("STATUS=last cycle: stored 0"), std::string::npos) << seen;
    EXPECT_NE(seen.find("WATCHDOG=1"), std::string::npos) << seen;
    ::kill(handle.id(), SIGTERM);
    Poco::PipeInputStream errStream(errPipe);
    std::string log;
    Poco::StreamCopier::copyToString(errStream, log);
    EXPECT_EQ(handle.wait(), 0) << log;
    EXPECT_NE(notify.collect("STOPPING=1", 2).find("STOPPING=1"), std::string::npos);
}

TEST(Complaintd, ConfigurationErrorExits78NamingTheKey) {
    const auto run = runProgram(COMPLAINTD_BINARY, {"--once", "-o", "poll_interval=often"});
    EXPECT_EQ(run.exitCode, 78);
    EXPECT_NE(run.err.find("poll_interval"), std::string::npos) << run.err;
    const auto missing = runProgram(COMPLAINTD_BINARY, {"--config", "/nonexistent/complaintd.conf", "--once"});
    EXPECT_EQ(missing.exitCode, 78);
    EXPECT_NE(missing.err.find("/nonexistent/complaintd.conf"), std::string::npos) << missing.err;
}

TEST(Complaintd, HelpListsOptions) {
    const auto run = runProgram(COMPLAINTD_BINARY, {"--help"});
    EXPECT_EQ(run.exitCode, 0);
    for (const std::string option : {"--config", "--once", "--option"})
        EXPECT_NE(run.out.find(option), std::string::npos) << option << " missing from:\n" << run.out;
}

}  // namespace
}  // namespace complaintd::testing
