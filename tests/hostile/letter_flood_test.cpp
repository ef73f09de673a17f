// The center's letters are not a spam cannon (issue 11, item 2). A flood of complaints from
// forged addresses (victim+1@, victim+2@, V.i.c.t.i.m@gmail.com, many addresses of one domain)
// gets every case, but at most the capped number of acknowledgements reaches the SMTP server;
// the rest wait in the outbox, held, for staff to release. With mail.authserv_id set, only the
// center's own Authentication-Results count. Real complaintd --once, Dovecot and aiosmtpd.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <thread>

#include "mail_desk.h"
#include "parsers/mime_parser.h"
#include "run_program.h"
#include "test_mail.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

class LetterFloodTest : public ::testing::Test {
protected:
    void mail(const std::string& from, const std::string& extraHeaders = "") {
        const auto id = "flood-" + std::to_string(++mails_) + "@attacker.example";
        // The subject and display name carry the spammer's text.
        ImapTestClient(desk_.dovecot())
            .append("INBOX", utf8Mail(id, "Cheap pills http://spam.example/" + std::string(500, 'x'), "buy now",
                                      "\"WIN A PRIZE AT spam.example\" <" + from + ">", extraHeaders));
    }

    RunResult complaintd(const std::vector<std::string>& extra = {}) { return desk_.complaintd(extra); }
    RunResult ctl(const std::vector<std::string>& command) { return desk_.ctl(command); }
    Poco::JSON::Array::Ptr ctlJson(const std::vector<std::string>& command) { return desk_.ctlJsonArray(command); }

    // Held letters by reason, and the id of one of them.
    std::map<std::string, int> heldReasons(long long* anyHeld = nullptr, std::string* itsCase = nullptr) {
        std::map<std::string, int> reasons;
        const auto outbox = ctlJson({"outbox", "list"});
        for (std::size_t i = 0; i < outbox->size(); ++i) {
            const auto letter = outbox->getObject(unsigned(i));
            if (letter->optValue<std::string>("state", "") != "held") continue;
            ++reasons[letter->optValue<std::string>("held_reason", "")];
            if (anyHeld) *anyHeld = letter->getValue<long long>("id");
            if (itsCase) *itsCase = letter->getValue<std::string>("case");
        }
        return reasons;
    }

    // Mails the SMTP server took, after the run that sent them has ended.
    std::vector<ReceivedMail> delivered() {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        return desk_.smtp().receivedMails();
    }

    MailDesk desk_{
        "mail.auto_letters_per_day = 1\n"
        "mail.auto_letters_per_domain_hour = 5\n"
        "mail.auto_letters_per_hour = 8\n"};
    int mails_ = 0;
};

TEST_F(LetterFloodTest, FloodGetsEveryCaseButOnlyTheCappedLetters) {
    constexpr int kTagged = 30, kGmail = 6, kOneDomain = 20, kOthers = 5;
    for (int i = 1; i <= kTagged; ++i) mail("victim+" + std::to_string(i) + "@example.org");
    const std::vector<std::string> gmail{"V.i.c.t.i.m@gmail.com",       "victim@gmail.com",
                                         "vic.tim+1@gmail.com",         "VICTIM@googlemail.com",
                                         "v.ictim+spam@googlemail.com", "victim+2@Gmail.com"};
    for (const auto& address : gmail) mail(address);
    for (int i = 1; i <= kOneDomain; ++i) mail("user" + std::to_string(i) + "@flood.example");
    for (int i = 1; i <= kOthers; ++i) mail("someone@other" + std::to_string(i) + ".example");
    const int total = kTagged + kGmail + kOneDomain + kOthers;

    const auto start = std::chrono::steady_clock::now();
    const auto run = complaintd();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    std::cerr << total << " mails in one run: "
              << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count()
              << " ms\n";

    EXPECT_EQ(ctlJson({"list"})->size(), std::size_t(total));  // every mail got its case
    // One to victim@example.org, one to victim@gmail.com, five to flood.example: 7; the 8th
    // (to other1.example) reaches the global cap of 8 an hour.
    const auto mails = delivered();
    EXPECT_EQ(mails.size(), 8u);
    for (const auto& m : mails) {
        EXPECT_EQ(m.data.find("PRIZE"), std::string::npos);  // the display name is never echoed
        EXPECT_EQ(m.data.find("To: \""), std::string::npos);
        const auto letter = std::get<parsers::ParsedMessage>(parsers::parseMessage(m.data));
        EXPECT_LT(letter.subject.size(), 160u) << letter.subject;
        EXPECT_EQ(letter.textBody.find(std::string(100, 'x')), std::string::npos);
    }
    long long held = 0;
    std::string heldCase;
    const auto reasons = heldReasons(&held, &heldCase);
    EXPECT_EQ(reasons.at("per-address cap"), kTagged - 1 + int(gmail.size()) - 1);
    EXPECT_EQ(reasons.at("per-domain cap"), kOneDomain - 5);
    EXPECT_EQ(reasons.at("global cap"), kOthers - 1);
    const auto status = ctl({"status"});
    EXPECT_NE(status.out.find("held for staff " + std::to_string(total - 8)), std::string::npos) << status.out;

    // Staff release one (recorded with who did it); it goes out in the next cycle, and only it.
    const auto release = ctl({"outbox", "release", std::to_string(held), "--by", "lee"});
    ASSERT_EQ(release.exitCode, 0) << release.err;
    EXPECT_EQ(ctl({"outbox", "release", std::to_string(held)}).exitCode, 1);  // no longer held
    ASSERT_EQ(complaintd().exitCode, 0);
    EXPECT_EQ(delivered().size(), 9u);
    const auto history = ctlJson({"history", heldCase});
    const auto last = history->getObject(unsigned(history->size() - 1));
    EXPECT_EQ(last->getValue<std::string>("kind"), "letter-released");
    EXPECT_EQ(last->getValue<std::string>("actor"), "lee");
    long long another = 0;
    heldReasons(&another);
    EXPECT_EQ(ctl({"outbox", "discard", std::to_string(another), "--by", "lee"}).exitCode, 0);
    ASSERT_EQ(complaintd().exitCode, 0);
    EXPECT_EQ(delivered().size(), 9u);
    const auto outbox = ctlJson({"outbox", "list"});
    int discarded = 0;
    for (std::size_t i = 0; i < outbox->size(); ++i)
        discarded += outbox->getObject(unsigned(i))->getValue<std::string>("state") == "discarded";
    EXPECT_EQ(discarded, 1);
}

TEST_F(LetterFloodTest, OnlyTheCentersOwnAuthenticationResultsAreTrusted) {
    const std::string id = "mx.center.test";
    mail("a@bank.example",
         "Authentication-Results: " + id +
             "; spf=softfail smtp.mailfrom=bank.example; dmarc=fail (p=reject) header.from=bank.example\r\n");
    mail("b@bank.example", "Authentication-Results: mx.attacker.example; dmarc=pass header.from=bank.example\r\n");
    mail("c@example.org", "Authentication-Results: " + id +
                              ";\r\n\tdkim=pass header.d=example.org header.s=s1 header.b=AbCd;\r\n"
                              "\tspf=pass smtp.mailfrom=c@example.org\r\n");
    const auto run = complaintd({"-o", "mail.authserv_id=" + id});
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(ctlJson({"list"})->size(), 3u);
    const auto mails = delivered();
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].rcptTo, std::vector<std::string>{"c@example.org"});
    EXPECT_EQ(heldReasons().at("unauthenticated sender"), 2);
}

}  // namespace
}  // namespace complaintd::testing
