// Issue 11 item 4, review M1 and M2: nothing that arrives disappears without a trace. Against
// the real Dovecot and aiosmtpd with the real complaintd --once: a bounce, an auto-reply, list
// mail, spam, a complaint with an empty From, a real complaint that looks automated, a
// postmaster who writes a complaint and two different messages sharing one Message-ID. Each is
// visible (held list, spam list, or a case of its own, flagged), counted in status; no letter
// goes to automated mail or spam; releasing the misjudged complaint opens the next number.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <thread>

#include "cases/roc_calendar.h"
#include "mail_desk.h"
#include "parsers/header_scan.h"
#include "run_program.h"
#include "test_mail.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

class HiddenMailTest : public ::testing::Test {
protected:
    void complaintd() {
        const auto run = desk_.complaintd();
        ASSERT_EQ(run.exitCode, 0) << run.err;
    }

    RunResult ctl(const std::vector<std::string>& command) { return desk_.ctl(command); }
    Poco::JSON::Array::Ptr ctlJson(const std::vector<std::string>& command) { return desk_.ctlJsonArray(command); }

    // The held entry (automated list or spam list) whose sender is `sender`.
    static Poco::JSON::Object::Ptr entryOf(const Poco::JSON::Array::Ptr& list, const std::string& sender) {
        for (std::size_t i = 0; i < list->size(); ++i)
            if (list->getObject(unsigned(i))->getValue<std::string>("sender") == sender)
                return list->getObject(unsigned(i));
        return nullptr;
    }

    static std::string number(int sequence) {
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        char text[16];
        std::snprintf(text, sizeof text, "%03d-%03d", cases::rocYearAt(now), sequence);
        return text;
    }

    MailDesk desk_;
};

std::string dsn(const std::string& id, const std::string& quotedMessageId) {
    return "Return-Path: <>\r\nFrom: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
           "To: complaints@shugu.example\r\nSubject: Undelivered Mail Returned to Sender\r\n"
           "Message-ID: <" +
           id +
           ">\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
           "--b\r\nContent-Type: text/plain\r\n\r\nUser unknown\r\n"
           "--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <" +
           quotedMessageId + ">\r\n--b--\r\n";
}

TEST_F(HiddenMailTest, HiddenMailEveryMessageIsVisibleCountedAndOnlyComplaintsAreAnswered) {
    ImapTestClient imap(desk_.dovecot());
    // Cases 1 to 5, in this order.
    imap.append("INBOX", big5Complaint("lamp-1@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。"));
    imap.append("INBOX", utf8Mail("nofrom-1@example.org", "水溝堵塞", "側溝堵塞，下雨就積水。電話0912345678", ""));
    imap.append("INBOX",
                utf8Mail("scanner-0001@mfp.example.org", "人行道破損", "人行道地磚破損。", "Chen <chen@example.org>"));
    imap.append("INBOX",
                utf8Mail("scanner-0001@mfp.example.org", "夜間噪音", "工廠夜間噪音很大。", "Lin <lin@example.org>"));
    imap.append("INBOX", utf8Mail("admin-1@example.net", "貴園區路燈不亮", "本公司門口路燈不亮。",
                                  "Postmaster <postmaster@example.net>"));
    // Held, no number.
    imap.append("INBOX", dsn("dsn-1@mx.example.org", "someone-else@elsewhere.example"));
    imap.append("INBOX", utf8Mail("away-1@example.org", "不在辦公室", "我休假到週一。", "Away <away@example.org>",
                                  "Auto-Submitted: auto-replied\r\nReturn-Path: <>\r\n"));
    imap.append("INBOX", utf8Mail("news-1@lists.example.org", "電子報", "本期內容", "News <news@lists.example.org>",
                                  "List-Id: Town news <news.lists.example.org>\r\nPrecedence: list\r\n"));
    imap.append("INBOX", utf8Mail("spam-1@example.biz", "中獎通知", "您中獎了", "Prize <prize@example.biz>",
                                  "X-Spam-Flag: YES\r\nX-Spam-Status: Yes, score=12.3 required=5.0\r\n"));
    // A real complaint passed on by another agency's petition system: held, and released below.
    imap.append("INBOX", utf8Mail("petition-1@petition.example.gov", "轉陳：工業區空氣污染", "民眾陳情：夜間異味嚴重。",
                                  "Petition <petition@petition.example.gov>", "Auto-Submitted: auto-generated\r\n"));
    const auto start = std::chrono::steady_clock::now();
    complaintd();

    // Each complaint is a case of its own; the second of the shared Message-ID is flagged.
    const auto list = ctlJson({"list"});
    ASSERT_EQ(list->size(), 5u) << "cases";
    std::map<std::string, Poco::JSON::Object::Ptr> byNumber;
    for (std::size_t i = 0; i < list->size(); ++i)
        byNumber[list->getObject(unsigned(i))->getValue<std::string>("number")] = list->getObject(unsigned(i));
    for (int n = 1; n <= 5; ++n) ASSERT_TRUE(byNumber.count(number(n))) << number(n);
    EXPECT_EQ(byNumber[number(2)]->getValue<std::string>("subject"), "水溝堵塞");  // the empty From
    EXPECT_EQ(byNumber[number(4)]->getValue<std::string>("possible_duplicate"),
              "same Message-ID as message 3 (case " + number(3) + ")");
    EXPECT_EQ(byNumber[number(3)]->getValue<std::string>("possible_duplicate"), "");
    EXPECT_EQ(byNumber[number(5)]->getObject("complainant")->getValue<std::string>("email"), "postmaster@example.net");
    const auto shown = ctl({"show", number(4)});
    EXPECT_NE(shown.out.find("Duplicate?:"), std::string::npos) << shown.out;

    // The rest is held where a clerk finds it.
    const auto automated = ctlJson({"automated", "list"});
    ASSERT_EQ(automated->size(), 4u);
    for (const auto& [sender, kind] :
         std::vector<std::pair<std::string, std::string>>{{"MAILER-DAEMON@mx.example.org", "bounce"},
                                                          {"away@example.org", "auto-reply"},
                                                          {"news@lists.example.org", "list"},
                                                          {"petition@petition.example.gov", "auto-reply"}}) {
        const auto entry = entryOf(automated, sender);
        ASSERT_TRUE(entry) << sender;
        EXPECT_EQ(entry->getValue<std::string>("kind"), kind) << sender;
    }
    const auto spam = ctlJson({"spam", "list"});
    ASSERT_EQ(spam->size(), 1u);
    EXPECT_EQ(spam->getObject(0)->getValue<std::string>("sender"), "prize@example.biz");
    auto status = ctl({"status"});
    EXPECT_NE(status.out.find("automated 4 (bounces 1, not released 4), spam 1 (not released 1)"), std::string::npos)
        << status.out;

    // Letters went to the complainants with an address, to nobody else; the possible duplicate's
    // letter waits for staff, who check that its twin's complainant is not answered twice.
    const auto mails = desk_.smtp().waitForComplainantMails(3);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    std::set<std::string> recipients;
    for (const auto& mail : desk_.smtp().complainantMails())
        for (const auto& to : mail.rcptTo) recipients.insert(to);
    EXPECT_EQ(recipients, (std::set<std::string>{"wang@example.org", "chen@example.org", "postmaster@example.net"}));
    EXPECT_EQ(desk_.smtp().complainantMails().size(), 3u);
    const auto outbox = ctlJson({"outbox", "list"});
    int heldAsDuplicate = 0;
    for (std::size_t i = 0; i < outbox->size(); ++i)
        if (outbox->getObject(unsigned(i))->getValue<std::string>("held_reason") == "possible duplicate") {
            ++heldAsDuplicate;
            EXPECT_EQ(outbox->getObject(unsigned(i))->getValue<std::string>("case"), number(4));
        }
    EXPECT_EQ(heldAsDuplicate, 1);

    // The misjudged complaint is released into the next number; spam did not take one.
    const auto petitionId = std::to_string(entryOf(automated, "petition@petition.example.gov")->getValue<int>("id"));
    const auto released = ctl({"automated", "release", petitionId, "--by", "lee"});
    ASSERT_EQ(released.exitCode, 0) << released.err;
    EXPECT_NE(released.out.find(number(6) + " opened from automated message " + petitionId), std::string::npos)
        << released.out;
    const auto afterRelease = ctlJson({"list"});
    ASSERT_EQ(afterRelease->size(), 6u);
    EXPECT_EQ(afterRelease->getObject(5)->getValue<std::string>("subject"), "轉陳：工業區空氣污染");
    EXPECT_EQ(ctl({"automated", "release", petitionId, "--by", "lee"}).exitCode, 1);  // once only

    // A bounce of our own letter still marks the case undeliverable, and is listed with it.
    std::string ackId;
    for (const auto& mail : mails)
        if (mail.rcptTo == std::vector<std::string>{"wang@example.org"}) ackId = parsers::messageIdOf(mail.data);
    ASSERT_FALSE(ackId.empty());
    imap.append("INBOX", dsn("dsn-2@mx.example.org", ackId));
    complaintd();
    const auto again = ctlJson({"automated", "list"});
    int bounces = 0;
    std::string bouncedCase;
    for (std::size_t i = 0; i < again->size(); ++i)
        if (again->getObject(unsigned(i))->getValue<std::string>("kind") == "bounce") {
            ++bounces;
            bouncedCase += again->getObject(unsigned(i))->getValue<std::string>("case");
        }
    EXPECT_EQ(bounces, 2);
    EXPECT_EQ(bouncedCase, number(1));
    const auto first = ctl({"show", number(1), "--json"});
    ASSERT_EQ(first.exitCode, 0) << first.err;
    EXPECT_TRUE(
        Poco::JSON::Parser().parse(first.out).extract<Poco::JSON::Object::Ptr>()->getValue<bool>("delivery_failed"));
    status = ctl({"status"});
    EXPECT_NE(status.out.find("automated 5 (bounces 2, not released 4), spam 1 (not released 1)"), std::string::npos)
        << status.out;
    EXPECT_EQ(desk_.smtp().complainantMails().size(), 3u);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
}

}  // namespace
}  // namespace complaintd::testing
