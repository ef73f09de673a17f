// 密件 against the real daemon: a complainant asks for confidentiality and writes name, phone,
// address and e-mail into the subject and text. Every view and export of complaintctl, and the
// reminder the unit gets by mail, show none of them; show --reveal does, and leaves an audit
// line. And a subject carrying terminal escapes (clear screen, window title) comes out inert.
//
// complaintd reads the system clock only, so the cycle that finds the case overdue runs under
// faketime (FAKETIME="+20d").
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>

#include <fstream>

#include "mail_desk.h"
#include "parsers/mime_parser.h"
#include "run_program.h"
#include "test_mail.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

const std::vector<std::string> kIdentity{"王小明",      "王先生",       "0912-345-678",
                                         "0912345678",  "0912 345 678", "wang.xm@example.org",
                                         "紫楝路100號", "06-5050123",   "5050123"};

class ConfidentialHostileTest : public ::testing::Test {
protected:
    // complaintd --once, `daysAhead` days from now by faketime. The start is absolute and taken from
    // this process's clock: an offset (+20d) would count from the real time, and the suite also runs
    // under faketime at other dates.
    RunResult complaintd(int daysAhead = 0) {
        if (daysAhead == 0) return desk_.complaintd();
        const auto later =
            std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + std::chrono::days(daysAhead));
        char start[32];
        std::strftime(start, sizeof start, "@%Y-%m-%d %H:%M:%S", std::localtime(&later));
        return runProgram("/usr/bin/faketime", {"-f", start, COMPLAINTD_BINARY, "--config", desk_.config(), "--once"});
    }

    RunResult ctl(const std::vector<std::string>& command) {
        auto result = desk_.ctl(command);
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return result;
    }

    void expectNoIdentity(const std::string& what, const std::string& text) {
        for (const auto& value : kIdentity)
            EXPECT_EQ(text.find(value), std::string::npos) << what << " shows " << value << ":\n" << text;
    }

    MailDesk desk_;
};

TEST_F(ConfidentialHostileTest, NoViewExportOrUnitMailShowsTheComplainantUnlessRevealed) {
    ImapTestClient(desk_.dovecot())
        .append("INBOX", utf8Mail("secret-1@example.org", "王小明（0912-345-678）檢舉紫楝路路燈不亮，請保密",
                                  "王先生住紫楝路，路燈不亮很久了，請回電 06-5050123 或寄 wang.xm@example.org。\n\n"
                                  "聯絡人：王小明\n手機：0912 345 678\n地址：台南市新市區紫楝路100號\n",
                                  "=?UTF-8?B?" + base64("王小明") + "?= <wang.xm@example.org>"));
    ASSERT_EQ(complaintd().exitCode, 0);
    desk_.smtp().waitForMails(1);  // the acknowledgement, to the complainant

    const auto list = Poco::JSON::Parser().parse(ctl({"list", "--json"}).out).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(list->size(), 1u);
    const auto number = list->getObject(0)->getValue<std::string>("number");
    const auto year = list->getObject(0)->getValue<std::string>("received_at").substr(0, 4);
    EXPECT_TRUE(list->getObject(0)->getValue<bool>("confidential"));

    // A month on, the case is overdue: the daemon reminds the unit by mail.
    const auto later = complaintd(20);
    ASSERT_EQ(later.exitCode, 0) << later.err;
    const auto mails = desk_.smtp().waitForMails(2);
    bool reminded = false;
    for (const auto& mail : mails) {
        const auto parsed = parsers::parseMessage(mail.data);
        ASSERT_TRUE(std::holds_alternative<parsers::ParsedMessage>(parsed));
        const auto& letter = std::get<parsers::ParsedMessage>(parsed);
        if (letter.subject.find("辦理期限提醒") == std::string::npos) continue;
        reminded = true;
        expectNoIdentity("the unit reminder's subject", letter.subject);
        expectNoIdentity("the unit reminder's body", letter.textBody);
        EXPECT_NE(letter.subject.find("檢舉紫楝路路燈不亮"), std::string::npos) << letter.subject;
    }
    EXPECT_TRUE(reminded) << "no reminder reached the SMTP server";

    for (const std::vector<std::string>& view :
         std::vector<std::vector<std::string>>{{"list"},
                                               {"list", "--json"},
                                               {"show", number},
                                               {"show", number, "--json"},
                                               {"history", number},
                                               {"due", "--within", "100000"},
                                               {"register", "--year", year},
                                               {"register", "--year", year, "--format", "csv"},
                                               {"register", "--year", year, "--format", "json"},
                                               {"review", number, "--format", "text"},
                                               {"report", "annual", "--year", year, "--format", "json"},
                                               {"outbox", "list", "--json"}}) {
        const auto shown = ctl(view);
        // The case is there: listed by number, its history opened, counted in the report.
        const std::string present = view[0] == "report"    ? "\"totalCases\": 1"
                                    : view[0] == "history" ? "opened"
                                                           : number;
        EXPECT_NE(shown.out.find(present), std::string::npos) << view[0] << ":\n" << shown.out;
        expectNoIdentity("complaintctl " + view[0] + (view.size() > 1 ? " " + view[1] : ""), shown.out);
    }

    const auto revealed = ctl({"show", number, "--reveal", "--by", "director", "--reason", "依法調閱"});
    EXPECT_NE(revealed.out.find("王小明"), std::string::npos) << revealed.out;
    EXPECT_NE(revealed.out.find("0912-345-678"), std::string::npos) << revealed.out;
    EXPECT_NE(revealed.out.find("wang.xm@example.org"), std::string::npos) << revealed.out;
    const auto history = ctl({"history", number});
    EXPECT_NE(history.out.find("director    revealed: 依法調閱"), std::string::npos) << history.out;
}

TEST_F(ConfidentialHostileTest, TerminalEscapesInASubjectComeOutInert) {
    // Clear the screen, set the window title, go back to the line start and overprint, CSI in C1.
    const std::string subject =
        "路燈不亮\x1b[2J\x1b]0;root@center\x07\r\x1b[1A\xc2\x9b"
        "31m";
    ImapTestClient(desk_.dovecot()).append("INBOX", utf8Mail("escape-1@example.org", subject, "路燈不亮\x1b[8m。"));
    ASSERT_EQ(complaintd().exitCode, 0);
    const auto list = Poco::JSON::Parser().parse(ctl({"list", "--json"}).out).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(list->size(), 1u);
    const auto number = list->getObject(0)->getValue<std::string>("number");
    EXPECT_EQ(list->getObject(0)->getValue<std::string>("subject"), subject);  // JSON: escaped, value intact
    for (const std::vector<std::string>& view : std::vector<std::vector<std::string>>{
             {"list"}, {"show", number}, {"show", number, "--json"}, {"list", "--json"}}) {
        const auto shown = ctl(view);
        for (const std::string raw : {"\x1b", "\x07", "\r", "\xc2\x9b"})
            EXPECT_EQ(shown.out.find(raw), std::string::npos) << view[0] << ":\n" << shown.out;
        if (view.back() != "--json")
            EXPECT_NE(shown.out.find("路燈不亮^[[2J^[]0;root@center^G^M^[[1A\xEF\xBF\xBD"
                                     "31m"),
                      std::string::npos)
                << shown.out;
    }
}

}  // namespace
}  // namespace complaintd::testing
