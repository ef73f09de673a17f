// Issue 11, item 1 (review C1): a forged bounce whose body repeats "@<center domain>>" to the
// message size limit. messageIdsOfDomain used to walk back to the start of the message for every
// hit: 48 s of CPU at 3 MB, about an hour at 25 MB, inside the intake transaction, so the
// watchdog killed the daemon and it restarted on the same message for ever. Here the real
// daemon takes it from a real Dovecot with a normal complaint behind it: the bounce must be
// handled (no case) in seconds, and the complaint must get its case.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "run_program.h"
#include "test_mail.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

// Just under limits.message_bytes (25 MiB by default), so the whole message is read and scanned.
constexpr std::size_t kBounceBytes = 25 * 1024 * 1024 - 64 * 1024;

std::string forgedBounce() {
    std::string mail =
        "From: MAILER-DAEMON@x.example\r\nTo: complaints@shugu.example\r\nSubject: Undelivered Mail\r\n"
        "Date: Mon, 30 Nov 2026 09:00:00 +0800\r\nMessage-ID: <forged-bounce@x.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    mail.reserve(kBounceBytes + 64);
    // Lines of 990 bytes, as an MTA would pass them; no '<' anywhere in the body.
    const std::string line = [] {
        std::string l;
        while (l.size() + 15 <= 990) l += "@shugu.example>";
        return l + "\r\n";
    }();
    while (mail.size() + line.size() < kBounceBytes) mail += line;
    return mail;
}

class BounceFloodTest : public ::testing::Test {
protected:
    BounceFloodTest() : dovecot_(dir_.path() + "/dovecot"), smtp_(dir_.path() + "/smtp") {}

    void SetUp() override {
        const auto passwordFile = dir_.path() + "/imap-password";
        std::ofstream(passwordFile) << dovecot_.password() << "\n";
        config_ = dir_.path() + "/complaintd.conf";
        std::ofstream(config_) << "state_dir = " << dir_.path() << "/state\n"
                               << "drop.enabled = no\n"
                               << "imap.url = " << dovecot_.url() << "\n"
                               << "imap.user = " << dovecot_.user() << "\n"
                               << "imap.password_file = " << passwordFile << "\n"
                               << "imap.starttls = off\n"
                               << "imap.timeout = 60\n"
                               << "smtp.url = " << smtp_.url() << "\n"
                               << "smtp.starttls = off\n"
                               << "smtp.timeout = 10\n";
        ImapTestClient(dovecot_).createFolder("Processed");
    }

    void TearDown() override {
        if (HasFailure()) dir_.keep();
    }

    Poco::JSON::Array::Ptr ctlJson(const std::vector<std::string>& command) {
        std::vector<std::string> args{"--config", config_};
        args.insert(args.end(), command.begin(), command.end());
        args.push_back("--json");
        const auto result = runProgram(COMPLAINTCTL_BINARY, args);
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Array::Ptr>();
    }

    TempDir dir_;
    DovecotServer dovecot_;
    SmtpServer smtp_;
    std::string config_;
};

TEST_F(BounceFloodTest, ForgedBounceAtTheSizeLimitIsHandledInSecondsAndTheNextComplaintGetsItsCase) {
    ImapTestClient imap(dovecot_);
    const std::string bounce = forgedBounce();
    ASSERT_GT(bounce.size(), 24u * 1024 * 1024);
    imap.append("INBOX", bounce);
    imap.append("INBOX",
                big5Complaint("behind-the-bounce@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。"));

    const auto start = std::chrono::steady_clock::now();
    const auto run = runProgram(COMPLAINTD_BINARY, {"--config", config_, "--once"});
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    std::printf("complaintd --once took %.1f s for a %.1f MB forged bounce and one complaint\n", seconds,
                double(bounce.size()) / (1024 * 1024));
    // Fetching 25 MB from Dovecot and parsing it takes a few seconds; the old scan took about an hour.
    EXPECT_LT(seconds, 30.0);

    const auto cases = ctlJson({"list"});
    ASSERT_EQ(cases->size(), 1u) << "the bounce must not become a case; the complaint must";
    EXPECT_EQ(cases->getObject(0)->getValue<std::string>("subject"), "紫楝路路燈不亮");
    EXPECT_TRUE(imap.uids("INBOX").empty()) << "both messages are done with";
    EXPECT_EQ(imap.uids("Processed").size(), 2u);
}

}  // namespace
}  // namespace complaintd::testing
