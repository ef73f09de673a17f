#include "daemon/mail_safety.h"

#include <gtest/gtest.h>

namespace complaintd::daemon {
namespace {

std::string mail(const std::string& headers) { return headers + "Subject: x\r\n\r\nbody\r\n"; }

TEST(MailSafety, PersonalMailIsNotAutomated) {
    EXPECT_FALSE(automatedMessage(mail("From: a@example.org\r\nAuto-Submitted: no\r\n"), "a@example.org"));
}

TEST(MailSafety, RecognisesAutoRepliesListsAndBulk) {
    EXPECT_EQ(automatedMessage(mail("Auto-Submitted: auto-replied\r\n"), "a@example.org")->reason,
              "Auto-Submitted: auto-replied");
    EXPECT_EQ(automatedMessage(mail("Precedence: bulk\r\n"), "a@example.org")->reason, "Precedence: bulk");
    EXPECT_TRUE(automatedMessage(mail("List-Id: <news.example.org>\r\n"), "a@example.org"));
    EXPECT_TRUE(automatedMessage(mail("X-Autoreply: yes\r\n"), "a@example.org"));
    EXPECT_TRUE(automatedMessage(mail("X-Auto-Response-Suppress: All\r\n"), "a@example.org"));
    EXPECT_EQ(automatedMessage(mail(""), "")->reason, "null sender");
}

TEST(MailSafety, RecognisesBounces) {
    const auto dsn = automatedMessage(
        mail("Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n"), "mailer@example.org");
    ASSERT_TRUE(dsn);
    EXPECT_EQ(dsn->kind, AutomatedKind::Bounce);
    EXPECT_EQ(automatedMessage(mail(""), "MAILER-DAEMON@mx.example.org")->kind, AutomatedKind::Bounce);
    EXPECT_EQ(automatedMessage(mail(""), "postmaster@example.org")->kind, AutomatedKind::Bounce);
}

TEST(MailSafety, FindsOurMessageIdsQuotedInABounce) {
    const std::string bounce =
        "...\r\nMessage-ID: <ack.115-001.abc@shugu.example>\r\nReferences: <x@example.org> "
        "<ack.115-001.abc@shugu.example>\r\nIn-Reply-To: <other@shugu.example.evil>\r\n";
    EXPECT_EQ(messageIdsOfDomain(bounce, "shugu.example"), std::vector<std::string>{"ack.115-001.abc@shugu.example"});
}

}  // namespace
}  // namespace complaintd::daemon
