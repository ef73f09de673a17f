// A fax through the real Dovecot: a HylaFAX faxrcvd mail with a G4 TIFF in the
// fax folder becomes a fax case at once, its pages are read by OCR, and it is
// routed by the text like an e-mail; nothing is ever mailed to the gateway.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "cases/roc_calendar.h"
#include "fax_fixtures.h"
#include "run_program.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

namespace fixtures = complaintd::fax::fixtures;

std::pair<int, std::string> run(const std::string& program, const std::vector<std::string>& args) {
    auto result = runProgram(program, args);
    return {result.exitCode, result.out + result.err};
}

// The first case number of the year the test runs in (115-001 in 2026).
std::string firstCaseNumberThisYear() {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    char number[16];
    std::snprintf(number, sizeof number, "%03d-001", cases::rocYearAt(now));
    return number;
}

std::string hylaFaxMail() {
    const auto tiff = fixtures::writeTiff({fixtures::renderPage(fixtures::kComplaintPage1, fixtures::FaxMode::Fine)},
                                          fixtures::TiffCompression::G4);
    return fixtures::buildMail({{"From", "The HylaFAX Receive Agent <fax@fax.shugu.example>"},
                                {"To", "complaints-fax@shugu.example"},
                                {"Subject", "Facsimile received from +886 6 5050777"},
                                {"Message-ID", "<hylafax-77@fax.shugu.example>"}},
                               "Recv from +886 6 5050777\n        Sender: +886 6 5050777\n         Pages: 1\n"
                               "      Received: 2026:11:30 09:15:42\n",
                               {{"image/tiff", "fax000000077.tif", tiff}});
}

TEST(FaxIntake, HylaFaxMailBecomesOcrRoutedFaxCaseAndNoMailGoesToTheGateway) {
    ::setenv("OMP_THREAD_LIMIT", "1", 1);  // one OCR thread, as the service unit sets it
    TempDir dir;
    DovecotServer dovecot(dir.path() + "/dovecot");
    SmtpServer smtp(dir.path() + "/smtp");
    ImapTestClient imap(dovecot);
    imap.createFolder("Fax");
    imap.createFolder("Processed");
    imap.append("Fax", hylaFaxMail());
    std::ofstream(dir.path() + "/imap-password") << dovecot.password() << "\n";
    const auto config = dir.path() + "/complaintd.conf";
    std::ofstream(config) << "state_dir = " << dir.path() << "/state\ndrop.enabled = no\nfax.drop_enabled = no\n"
                          << "imap.url = " << dovecot.url() << "\nimap.user = " << dovecot.user()
                          << "\nimap.password_file = " << dir.path() << "/imap-password\nimap.starttls = off\n"
                          << "fax.imap_folder = Fax\nsmtp.url = " << smtp.url() << "\nsmtp.starttls = off\n";

    const auto [code, log] = run(COMPLAINTD_BINARY, {"--config", config, "--once"});
    ASSERT_EQ(code, 0) << log;
    EXPECT_NE(log.find("channel=fax gateway=hylafax pages=1 ocr=pending reply=post-or-phone"), std::string::npos)
        << log;
    EXPECT_EQ(log.find("5050777"), std::string::npos) << "the fax number is personal data:\n" << log;

    const auto [showCode, shown] =
        run(COMPLAINTCTL_BINARY, {"--config", config, "show", firstCaseNumberThisYear(), "--json"});
    ASSERT_EQ(showCode, 0) << shown;
    const auto c = Poco::JSON::Parser().parse(shown).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(c->getValue<std::string>("channel"), "fax");
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("fax"), "06-5050777");
    EXPECT_EQ(c->getValue<std::string>("subject"), "傳真陳情");  // the number only where 密件 can hide it
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("email"), "");
    EXPECT_EQ(c->getValue<std::string>("unit"), "public-works") << shown;
    EXPECT_EQ(c->getObject("routing")->getValue<std::string>("rule"), "streetlight");
    EXPECT_NE(c->getValue<std::string>("summary").find("路燈"), std::string::npos) << shown;
    EXPECT_NE(c->getValue<std::string>("reply_route").find("post or phone"), std::string::npos) << shown;

    EXPECT_TRUE(imap.uids("Fax").empty());
    EXPECT_EQ(imap.uids("Processed").size(), 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_TRUE(smtp.receivedMails().empty()) << "nothing may be mailed to a fax gateway";
}

}  // namespace
}  // namespace complaintd::testing
