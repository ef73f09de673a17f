// How complaintd logs in and encrypts, against real servers on 127.0.0.1: OAuth2 access
// tokens (SASL XOAUTH2) with Dovecot's passdb oauth2 and with aiosmtpd, and TLS (imaps,
// STARTTLS) with a throwaway certificate authority given as imap/smtp.ca_file.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "run_program.h"
#include "test_mail.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

namespace fs = std::filesystem;

std::size_t linesIn(const std::string& path) {
    std::ifstream in(path);
    std::size_t count = 0;
    for (std::string line; std::getline(in, line);) ++count;
    return count;
}

// A complaintd configuration in a temporary folder, and the programs run on it.
class TransportTest : public ::testing::Test {
protected:
    void TearDown() override {
        if (HasFailure()) dir_.keep();
    }

    std::string path(const std::string& name) const { return dir_.path() + "/" + name; }

    void writeConfig(const std::vector<std::string>& lines) {
        std::ofstream config(path("complaintd.conf"));
        config << "state_dir = " << path("state") << "\npoll_interval = 1\ndrop.enabled = no\n"
               << "fax.drop_enabled = no\noutbox.retry_initial = 1\n";
        for (const auto& line : lines) config << line << "\n";
    }

    // Stamped with this process's clock, not the kernel's: token files are judged by their age,
    // and the suite also runs under faketime at other dates.
    void writeFile(const std::string& name, const std::string& content) {
        std::ofstream(path(name), std::ios::binary | std::ios::trunc) << content;
        std::filesystem::last_write_time(path(name), std::filesystem::file_time_type::clock::now());
    }

    RunResult complaintd(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{"--config", path("complaintd.conf"), "--once"};
        args.insert(args.end(), extra.begin(), extra.end());
        return runProgram(COMPLAINTD_BINARY, args);
    }

    Poco::JSON::Array::Ptr ctlJson(const std::vector<std::string>& command) {
        std::vector<std::string> args{"--config", path("complaintd.conf")};
        args.insert(args.end(), command.begin(), command.end());
        args.push_back("--json");
        const auto result = runProgram(COMPLAINTCTL_BINARY, args);
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return Poco::JSON::Parser().parse(result.out).extract<Poco::JSON::Array::Ptr>();
    }

    // A complaint in the drop folder: a case and its acknowledgement letter for SMTP tests.
    void dropComplaint(const std::string& messageId) {
        fs::create_directories(path("state/drop"));
        writeFile("state/drop/" + messageId + ".eml", big5Complaint(messageId, "紫楝路路燈不亮", "路燈壞了三天。"));
    }

    std::string outboxState() { return ctlJson({"outbox", "list"})->getObject(0)->getValue<std::string>("state"); }

    TempDir dir_;
};

// ---------------------------------------------------------------------------------------
// IMAP with XOAUTH2: Dovecot asks a loopback introspection endpoint about each token.

class ImapXoauth2Test : public TransportTest {
protected:
    ImapXoauth2Test()
        : introspection_(path("introspection"), "complaints", {"good-token", "refreshed-token"}),
          dovecot_(path("dovecot"), DovecotOptions{introspection_.url(), std::nullopt}) {}

    void SetUp() override {
        writeConfig({"imap.url = " + dovecot_.url(), "imap.user = " + dovecot_.user(), "imap.auth = xoauth2",
                     "imap.token_file = " + path("imap-token"), "imap.starttls = off", "imap.timeout = 10"});
        ImapTestClient imap(dovecot_);
        imap.createFolder("Processed");
        imap.append("INBOX", big5Complaint("oauth-1@example.org", "路燈不亮", "路燈壞了三天。"));
    }

    // Prints a fresh token as a token endpoint would, and counts its runs.
    std::string tokenCommand() const {
        return "echo run >> " + path("command-runs") +
               "; printf '{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"refreshed-token\"}'";
    }

    void expectIngested(const RunResult& run, std::size_t cases) {
        EXPECT_EQ(run.exitCode, 0) << run.err;
        EXPECT_EQ(run.err.find("source=imap failed"), std::string::npos) << run.err;
        ImapTestClient imap(dovecot_);
        EXPECT_TRUE(imap.uids("INBOX").empty()) << run.err << dovecot_.logTail();
        EXPECT_EQ(imap.uids("Processed").size(), cases);
        EXPECT_EQ(ctlJson({"list"})->size(), cases);
    }

    OAuth2IntrospectionServer introspection_;
    DovecotServer dovecot_;
};

TEST_F(ImapXoauth2Test, TokenFileLogsInAndTheMailIsIngested) {
    writeFile("imap-token", "good-token\n");
    const auto run = complaintd();
    expectIngested(run, 1);
    EXPECT_GE(introspection_.requests(), 1u) << introspection_.logTail();
    EXPECT_EQ(run.err.find("good-token"), std::string::npos) << "token in the log:\n" << run.err;
}

TEST_F(ImapXoauth2Test, RefusedTokenIsAClearAuthErrorAndNothingIsTaken) {
    writeFile("imap-token", "revoked-token\n");
    const auto run = complaintd();
    EXPECT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.err.find("source=imap failed"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("the server refused the OAuth2 access token for imap.user"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("revoked-token"), std::string::npos) << "token in the log:\n" << run.err;
    EXPECT_EQ(ImapTestClient(dovecot_).uids("INBOX").size(), 1u);
}

TEST_F(ImapXoauth2Test, TokenCommandRunsWhenTheFileIsEmptyOrExpired) {
    writeFile("imap-token", "");
    auto run = complaintd({"-o", "imap.token_command=" + tokenCommand()});
    expectIngested(run, 1);
    EXPECT_EQ(linesIn(path("command-runs")), 1u);
    EXPECT_EQ(run.err.find("refreshed-token"), std::string::npos) << "token in the log:\n" << run.err;

    // A token the server would take, but the file says it expired (1970): the command runs.
    writeFile("imap-token", R"({"access_token":"good-token","expires_on":"1000"})");
    ImapTestClient(dovecot_).append("INBOX", big5Complaint("oauth-2@example.org", "水溝堵塞", "側溝堵塞。"));
    run = complaintd({"-o", "imap.token_command=" + tokenCommand()});
    expectIngested(run, 2);
    EXPECT_EQ(linesIn(path("command-runs")), 2u);

    // A current token in the file: no command.
    writeFile("imap-token", "{\"access_token\":\"good-token\",\"expires_in\":3600}");
    ImapTestClient(dovecot_).append("INBOX", big5Complaint("oauth-3@example.org", "噪音", "夜間噪音。"));
    run = complaintd({"-o", "imap.token_command=" + tokenCommand()});
    expectIngested(run, 3);
    EXPECT_EQ(linesIn(path("command-runs")), 2u);
}

TEST_F(ImapXoauth2Test, RefusedTokenIsRefreshedInTheSameCycle) {
    writeFile("imap-token", "revoked-token\n");  // no expiry known: it looks good until the server says no
    const auto run = complaintd({"-o", "imap.token_command=" + tokenCommand()});
    expectIngested(run, 1);
    EXPECT_EQ(linesIn(path("command-runs")), 1u);
}

TEST_F(ImapXoauth2Test, FailingTokenCommandIsReportedWithoutItsOutput) {
    writeFile("imap-token", "");
    const auto run = complaintd({"-o", "imap.token_command=echo half-secret; exit 4"});
    EXPECT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.err.find("imap.token_command exited with status 4"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("half-secret"), std::string::npos) << run.err;
    EXPECT_EQ(ImapTestClient(dovecot_).uids("INBOX").size(), 1u);
}

// ---------------------------------------------------------------------------------------
// SMTP with XOAUTH2 against aiosmtpd.

class SmtpXoauth2Test : public TransportTest {
protected:
    SmtpXoauth2Test()
        : smtp_(path("smtp"), SmtpServerOptions{"complaints@shugu.example", "smtp-token", std::nullopt}) {}

    void SetUp() override {
        writeConfig({"drop.enabled = yes", "smtp.url = " + smtp_.url(), "smtp.user = complaints@shugu.example",
                     "smtp.auth = xoauth2", "smtp.token_file = " + path("smtp-token"), "smtp.starttls = off",
                     "smtp.timeout = 10"});
        dropComplaint("smtp-oauth-1@example.org");
    }

    SmtpServer smtp_;
};

TEST_F(SmtpXoauth2Test, GoodTokenGetsTheLetterAccepted) {
    writeFile("smtp-token", "smtp-token\n");
    const auto run = complaintd();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(smtp_.waitForComplainantMails(1).size(), 1u);
    EXPECT_EQ(outboxState(), "sent") << run.err;
    EXPECT_NE(smtp_.logTail().find("auth XOAUTH2 user=complaints@shugu.example accepted"), std::string::npos)
        << smtp_.logTail();
}

TEST_F(SmtpXoauth2Test, RefusedTokenDefersTheLetterUntilTheTokenIsGood) {
    writeFile("smtp-token", "expired-token\n");
    auto run = complaintd();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.err.find("sending stopped"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("the server refused the OAuth2 access token for smtp.user"), std::string::npos) << run.err;
    EXPECT_EQ(run.err.find("expired-token"), std::string::npos) << "token in the log:\n" << run.err;
    EXPECT_EQ(outboxState(), "queued");
    EXPECT_TRUE(smtp_.complainantMails().empty());

    writeFile("smtp-token", "smtp-token\n");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // outbox.retry_initial = 1 s
    run = complaintd();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(smtp_.waitForComplainantMails(1).size(), 1u);
    EXPECT_EQ(outboxState(), "sent") << run.err;
}

// ---------------------------------------------------------------------------------------
// TLS with a CA of the test's own: trusted through ca_file, refused without it.

class TlsTest : public TransportTest {
protected:
    TlsTest()
        : certificates_(makeTestCertificates(path("certs"))),
          dovecot_(path("dovecot"), DovecotOptions{"", certificates_}) {}

    void SetUp() override {
        std::ofstream(path("imap-password")) << dovecot_.password() << "\n";
        ImapTestClient imap(dovecot_);
        imap.createFolder("Processed");
        imap.append("INBOX", big5Complaint("tls-1@example.org", "路燈不亮", "路燈壞了三天。"));
    }

    void configureImap(const std::string& url, const std::string& caFile) {
        writeConfig({"imap.url = " + url, "imap.user = " + dovecot_.user(),
                     "imap.password_file = " + path("imap-password"), "imap.starttls = required",
                     "imap.ca_file = " + caFile, "imap.timeout = 10"});
    }

    void expectIngested(const RunResult& run) {
        EXPECT_EQ(run.exitCode, 0) << run.err;
        EXPECT_EQ(run.err.find("source=imap failed"), std::string::npos) << run.err << dovecot_.logTail();
        ImapTestClient imap(dovecot_);
        EXPECT_TRUE(imap.uids("INBOX").empty());
        EXPECT_EQ(imap.uids("Processed").size(), 1u);
        EXPECT_EQ(ctlJson({"list"})->size(), 1u);
    }

    void expectCertificateRefused(const RunResult& run) {
        EXPECT_EQ(run.exitCode, 0) << run.err;
        EXPECT_NE(run.err.find("source=imap failed"), std::string::npos) << run.err;
        EXPECT_NE(run.err.find("certificate"), std::string::npos) << run.err;
        ImapTestClient imap(dovecot_);
        EXPECT_EQ(imap.uids("INBOX").size(), 1u);
        EXPECT_TRUE(imap.uids("Processed").empty());
        EXPECT_EQ(ctlJson({"list"})->size(), 0u);
    }

    TestCertificates certificates_;
    DovecotServer dovecot_;
};

TEST_F(TlsTest, ImapsWithTheCaFileIngests) {
    configureImap(dovecot_.imapsUrl(), certificates_.caFile);
    expectIngested(complaintd());
}

TEST_F(TlsTest, StartTlsWithTheCaFileIngests) {
    configureImap(dovecot_.url(), certificates_.caFile);
    expectIngested(complaintd());
}

TEST_F(TlsTest, ImapsWithoutTheCaFileRefusesTheCertificateAndNothingMoves) {
    configureImap(dovecot_.imapsUrl(), "");  // the system's CAs, which do not know the test's
    expectCertificateRefused(complaintd());
}

TEST_F(TlsTest, StartTlsWithoutTheCaFileRefusesTheCertificateAndNothingMoves) {
    configureImap(dovecot_.url(), "");
    expectCertificateRefused(complaintd());
}

TEST_F(TlsTest, SmtpStartTlsWithTheCaFileSendsAndWithoutItDefers) {
    SmtpServer smtp(path("smtp"), SmtpServerOptions{"", "", certificates_});
    writeConfig({"drop.enabled = yes", "smtp.url = " + smtp.url(), "smtp.starttls = required", "smtp.timeout = 10"});
    dropComplaint("tls-smtp-1@example.org");
    auto run = complaintd();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_NE(run.err.find("sending stopped"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("certificate"), std::string::npos) << run.err;
    EXPECT_EQ(outboxState(), "queued");

    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // outbox.retry_initial = 1 s
    run = complaintd({"-o", "smtp.ca_file=" + certificates_.caFile});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(smtp.waitForComplainantMails(1).size(), 1u);
    EXPECT_EQ(outboxState(), "sent") << run.err;
}

}  // namespace
}  // namespace complaintd::testing
