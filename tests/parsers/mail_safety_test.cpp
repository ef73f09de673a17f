#include "parsers/mail_safety.h"

#include <gtest/gtest.h>

#include <chrono>

namespace complaintd::parsers {
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

TEST(MailSafety, ReadsTheQuotedHeadersOfADsnOnly) {
    const std::string dsn =
        "From: MAILER-DAEMON@mx.example.org\r\nContent-Type: multipart/report; report-type=delivery-status; "
        "boundary=b\r\nReferences: <top@shugu.example>\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
        "Your mail to <someone@shugu.example> could not be delivered.\r\n--b\r\n"
        "Content-Type: Message/RFC822\r\n\r\nMessage-ID: <ack.115-002.x@shugu.example>\r\n"
        "Subject: =?utf-8?Q?x?=\r\n\r\nquoted body <body@shugu.example>\r\n--b--\r\n";
    EXPECT_EQ(messageIdsOfDomain(dsn, "shugu.example"),
              (std::vector<std::string>{"top@shugu.example", "ack.115-002.x@shugu.example"}));
}

TEST(MailSafety, ReadsTextRfc822HeadersParts) {
    const std::string dsn =
        "From: postmaster@example.org\r\n\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        "Message-Id: <ack.115-003.y@shugu.example>\r\n\r\n--b--\r\n";
    EXPECT_EQ(messageIdsOfDomain(dsn, "shugu.example"), std::vector<std::string>{"ack.115-003.y@shugu.example"});
}

TEST(MailSafety, AQuotedPartIsAPartHeaderNotTheTypeNamedInTheText) {
    // The human-readable part names the type; the real message/rfc822 part quotes our letter.
    const std::string dsn =
        "From: MAILER-DAEMON@example.org\r\nContent-Type: multipart/report; boundary=b\r\n\r\n"
        "--b\r\nContent-Type: text/plain\r\n\r\nYour message is attached below as message/rfc822.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nAction: failed\r\n"
        "--b\r\nContent-Type:  message/rfc822\r\n\r\nMessage-ID: <ack.115-004.z@shugu.example>\r\n\r\n--b--\r\n";
    EXPECT_EQ(messageIdsOfDomain(dsn, "shugu.example"), std::vector<std::string>{"ack.115-004.z@shugu.example"});
}

TEST(MailSafety, KeepsAtMostTwentyDistinctIds) {
    std::string bounce = "From: MAILER-DAEMON@x.example\r\n\r\n";
    for (int i = 0; i < 1000; ++i) bounce += "<x" + std::to_string(i % 50) + "@shugu.example> ";
    const auto ids = messageIdsOfDomain(bounce, "shugu.example");
    ASSERT_EQ(ids.size(), 20u);
    EXPECT_EQ(ids.front(), "x0@shugu.example");
    EXPECT_EQ(ids.back(), "x19@shugu.example");
}

TEST(MailSafety, IgnoresHitsFarFromTheirOpeningBracket) {
    // The forged bounce of issue 11: the suffix repeated with no '<' near it. Nothing is an id.
    std::string bounce = "From: MAILER-DAEMON@x.example\r\nMessage-ID: <forged@x.example>\r\n\r\n";
    for (int i = 0; i < 200; ++i) bounce += "@shugu.example>";
    bounce += "<late@shugu.example>";
    EXPECT_EQ(messageIdsOfDomain(bounce, "shugu.example"), std::vector<std::string>{"late@shugu.example"});
}

TEST(MailSafety, FindsIdsInAForgedBounceOfSeveralMegabytesInLinearTime) {
    // 4 MB took minutes before the forward scan; now it takes milliseconds. The bound is loose
    // so that a loaded machine or a sanitizer build still passes.
    std::string bounce = "From: MAILER-DAEMON@x.example\r\nMessage-ID: <forged@x.example>\r\n\r\n";
    while (bounce.size() < 4 * 1024 * 1024) bounce += "@shugu.example>";
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(messageIdsOfDomain(bounce, "shugu.example").empty());
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

}  // namespace
}  // namespace complaintd::parsers
