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
    const auto nullSender = automatedMessage(mail("Return-Path: < >\r\n"), "a@example.org");
    ASSERT_TRUE(nullSender);
    EXPECT_EQ(nullSender->kind, AutomatedKind::NullSender);
    EXPECT_EQ(automatedMessage(mail("List-Id: <news.example.org>\r\n"), "a@example.org")->kind, AutomatedKind::List);
}

// Review M2: an empty or unparsable From is a complaint with a defect; the null sender is the Return-Path.
TEST(MailSafety, EmptyFromIsAComplaintNotANullSender) {
    EXPECT_FALSE(automatedMessage(mail("From: \r\n"), ""));
    EXPECT_FALSE(automatedMessage(mail("From: =?UTF-8?B?546L5bCP5piO?=\r\nReturn-Path: <wang@example.org>\r\n"), ""));
}

TEST(MailSafety, PostmasterIsABounceOnlyFromTheNullSender) {
    EXPECT_FALSE(automatedMessage(mail("From: postmaster@example.org\r\n"), "postmaster@example.org"));
    const auto bounce = automatedMessage(mail("Return-Path: <>\r\n"), "postmaster@example.org");
    ASSERT_TRUE(bounce);
    EXPECT_EQ(bounce->kind, AutomatedKind::Bounce);
}

// List-Unsubscribe alone is put on forwarded petitions too; the center's own group address adds
// List-Id and Precedence: list to every complaint.
TEST(MailSafety, ListHeadersMeanListMailOnlyFromAnotherList) {
    EXPECT_FALSE(automatedMessage(mail("List-Unsubscribe: <https://petition.example.gov/u>\r\n"), "a@example.org",
                                  "shugu.example"));
    EXPECT_FALSE(automatedMessage(mail("List-Id: <complaints.shugu.example>\r\nPrecedence: list\r\n"), "a@example.org",
                                  "shugu.example"));
    EXPECT_TRUE(automatedMessage(mail("List-Id: <news.example.org>\r\nPrecedence: list\r\n"), "a@example.org",
                                 "shugu.example"));
    EXPECT_TRUE(
        automatedMessage(mail("List-Post: <mailto:talk@lists.example.org>\r\n"), "a@example.org", "shugu.example"));
}

TEST(MailSafety, ReasonQuotesAShortLineOfTheSendersHeader) {
    const auto found =
        automatedMessage(mail("Auto-Submitted: auto-generated" + std::string(70000, 'x') + "\r\n"), "a@example.org");
    ASSERT_TRUE(found);
    EXPECT_LE(found->reason.size(), 100u);
}

TEST(MailSafety, SpamMarksOfTheReceivingServer) {
    const std::vector<SpamMark> marks{{"X-Spam-Flag", "YES"}, {"X-Spam-Status", "Yes"}};
    EXPECT_EQ(spamMarkOf(mail("X-Spam-Flag: yes\r\n"), marks), "X-Spam-Flag: YES");
    EXPECT_EQ(spamMarkOf(mail("X-Spam-Status: Yes, score=7.2 required=5.0\r\n\ttests=BAYES_99\r\n"), marks),
              "X-Spam-Status: Yes");
    // A sender's own "NO" before the server's verdict does not hide it.
    EXPECT_TRUE(spamMarkOf(mail("X-Spam-Flag: NO\r\nX-Spam-Flag: YES\r\n"), marks));
    EXPECT_FALSE(spamMarkOf(mail("X-Spam-Status: No, score=0.1\r\n"), marks));
    EXPECT_FALSE(spamMarkOf(mail("X-Spam-Status: Yesterday\r\n"), marks));
    EXPECT_FALSE(spamMarkOf("Subject: x\r\n\r\nX-Spam-Flag: YES\r\n", marks));  // in the body
    EXPECT_FALSE(spamMarkOf(mail("X-Spam-Flag: YES\r\n"), {}));
}

TEST(MailSafety, RecognisesBounces) {
    const auto dsn = automatedMessage(
        mail("Content-Type: multipart/report; report-type=delivery-status; boundary=x\r\n"), "mailer@example.org");
    ASSERT_TRUE(dsn);
    EXPECT_EQ(dsn->kind, AutomatedKind::Bounce);
    EXPECT_EQ(automatedMessage(mail(""), "MAILER-DAEMON@mx.example.org")->kind, AutomatedKind::Bounce);
}

TEST(MailSafety, FindsOurMessageIdsQuotedInABounce) {
    const std::string bounce =
        "...\r\nMessage-ID: <ack.115-001.abc@shugu.example>\r\nReferences: <x@example.org> "
        "<ack.115-001.abc@shugu.example>\r\nIn-Reply-To: <other@shugu.example.evil>\r\n";
    EXPECT_EQ(messageIdsOfDomain(bounce, "shugu.example"), std::vector<std::string>{"ack.115-001.abc@shugu.example"});
}

}  // namespace
}  // namespace complaintd::daemon
