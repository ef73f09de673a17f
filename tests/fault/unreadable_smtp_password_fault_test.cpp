// smtp.password_file cannot be read (issue 12): a configuration problem of the session, not of any
// letter. Before, the session's constructor threw for each letter in turn and each was deferred,
// an attempt counted against it, until outbox.give_up_after failed them all. Now the dispatch
// stops with the letters untouched, the log and complaintctl status say why, and once the file is
// readable the letters go out.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "mail_desk.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

TEST(UnreadableSmtpPasswordFaultTest, NoLetterIsTouchedStatusSaysWhyAndFixingTheFileSendsThem) {
    MailDesk desk("smtp.user = complaints@shugu.example\nsmtp.password_file = " + std::string("SMTP_PASSWORD") +
                  "\noutbox.retry_initial = 1\n");
    // The placeholder is replaced with a path in the desk's folder, which exists only now.
    {
        std::ifstream in(desk.config());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        text.replace(text.find("SMTP_PASSWORD"), 13, desk.path("smtp-password"));
        std::ofstream(desk.config()) << text;
    }
    ImapTestClient imap(desk.dovecot());
    imap.append("INBOX",
                big5Complaint("pw-1@example.org", "垃圾未清", "巷口垃圾三天沒收。", "王小明", "pw1@example.org"));
    imap.append("INBOX", big5Complaint("pw-2@example.org", "噪音", "工地夜間施工。", "李大華", "pw2@example.org"));

    for (int cycle = 0; cycle < 2; ++cycle) {
        const auto run = desk.complaintd();
        ASSERT_EQ(run.exitCode, 0) << run.err;
        EXPECT_NE(run.err.find("sending stopped: smtp.password_file"), std::string::npos) << run.err;
        EXPECT_EQ(run.err.find("status=deferred"), std::string::npos) << run.err;
        EXPECT_EQ(run.err.find("status=failed"), std::string::npos) << run.err;
    }
    const auto letters = desk.complainantLetters();
    ASSERT_EQ(letters->size(), 2u);
    for (const auto& entry : *letters) {
        const auto letter = entry.extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(letter->getValue<std::string>("state"), "queued");
        EXPECT_EQ(letter->getValue<int>("attempts"), 0);
        EXPECT_EQ(letter->getValue<std::string>("last_error"), "");
    }
    const auto status = desk.ctl({"status"});
    ASSERT_EQ(status.exitCode, 0) << status.err;
    EXPECT_NE(status.out.find("sending last success never, failing (2 in a row)"), std::string::npos) << status.out;
    EXPECT_NE(status.out.find("smtp.password_file"), std::string::npos) << status.out;
    EXPECT_TRUE(desk.smtp().complainantMails().empty());

    std::ofstream(desk.path("smtp-password")) << "any-password\n";  // the test server asks for no login
    const auto fixed = desk.complaintd();
    ASSERT_EQ(fixed.exitCode, 0) << fixed.err;
    EXPECT_EQ(desk.smtp().waitForComplainantMails(2).size(), 2u);
    const auto sent = desk.complainantLetters();
    for (const auto& entry : *sent)
        EXPECT_EQ(entry.extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("state"), "sent");
    EXPECT_EQ(desk.ctl({"status"}).out.find("failing"), std::string::npos);
}

}  // namespace
}  // namespace complaintd::testing
