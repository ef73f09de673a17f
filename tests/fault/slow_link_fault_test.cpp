// A large message on a slow link (issue 12): imap.timeout covered a whole literal and
// smtp.timeout a whole delivery, so a 4 MB complaint on a slow line timed out every cycle and held
// up the mail behind it. Timeouts are now on lack of progress. Real complaintd, Dovecot and aiosmtpd,
// with a throttling relay (tests/support/throttled_relay.h) in between.
#include <gtest/gtest.h>

#include <fstream>

#include "mail_desk.h"
#include "test_mail.h"
#include "throttled_relay.h"

namespace complaintd::testing {
namespace {

// A Big5 complaint of about `bytes`: a short text and then plain lines of filler.
std::string largeComplaint(const std::string& messageId, std::size_t bytes) {
    std::string body = "路燈壞了，附上現場記錄。\n";
    const std::string line(76, 'x');
    std::string filler;
    while (filler.size() < bytes) filler += line + "\r\n";
    return big5Complaint(messageId, "紫楝路路燈不亮", body) + filler;
}

TEST(SlowLinkFaultTest, LargeComplaintOnASlowImapLineGetsItsCaseAndSoDoesTheOneBehindIt) {
    MailDesk desk;
    ThrottledRelay relay(desk.dovecot().port(), 256 * 1024);
    std::ofstream(desk.config(), std::ios::app) << "imap.url = imap://127.0.0.1:" << relay.port() << "\n"
                                                << "imap.timeout = 5\n";
    ImapTestClient imap(desk.dovecot());
    imap.append("INBOX", largeComplaint("large-1@example.org", 4 << 20));
    imap.append("INBOX", big5Complaint("behind-1@example.org", "中正路坑洞", "中正路上有坑洞。"));

    // About 16 s through the relay: three times imap.timeout for one message.
    const auto run = desk.complaintd();
    EXPECT_EQ(run.exitCode, 0) << run.err;
    const auto cases = desk.ctlJsonArray({"list"});
    ASSERT_EQ(cases->size(), 2u) << run.err;
    EXPECT_EQ(cases->getObject(0)->getValue<std::string>("subject"), "紫楝路路燈不亮");
    EXPECT_EQ(cases->getObject(1)->getValue<std::string>("subject"), "中正路坑洞");
    EXPECT_TRUE(imap.uids("INBOX").empty());
    EXPECT_GT(relay.bytesFromServer(), std::size_t(4 << 20));
}

// The signed-off reply carries its letter and survey as PDFs: far more than a second's worth of
// bytes at 16 KiB/s, sixteen times the slowest rate that counts as progress (1 KiB/s).
TEST(SlowLinkFaultTest, ReplyWithItsPdfsLongerThanSmtpTimeoutOnASlowLineGoesOut) {
    MailDesk desk;
    ImapTestClient(desk.dovecot())
        .append("INBOX", big5Complaint("slow-smtp@example.org", "中正路坑洞", "中正路上有坑洞。"));
    ASSERT_EQ(desk.complaintd().exitCode, 0);
    ASSERT_EQ(desk.smtp().complainantMails().size(), 1u) << "the acknowledgement";
    const auto cases = desk.ctlJsonArray({"list"});
    ASSERT_EQ(cases->size(), 1u);
    const auto number = cases->getObject(0)->getValue<std::string>("number");
    const auto drafted = desk.ctl({"reply", number, "--text", "已派員修補坑洞。", "--by", "lin"});
    ASSERT_EQ(drafted.exitCode, 0) << drafted.err;
    const auto draft = desk.ctlJsonObject({"show", number})->getValue<std::string>("reply_revision");
    for (const auto& [role, by] : {std::pair{"supervisor", "chen"}, std::pair{"approver", "huang"}}) {
        const auto result = desk.ctl({"approve", number, "--role", role, "--draft", draft, "--by", by});
        ASSERT_EQ(result.exitCode, 0) << result.err;
    }

    ThrottledRelay relay(desk.smtp().port(), 16 * 1024);
    std::ofstream(desk.config(), std::ios::app) << "smtp.url = smtp://127.0.0.1:" << relay.port() << "\n"
                                                << "smtp.timeout = 2\n";
    const auto run = desk.complaintd();
    EXPECT_EQ(run.exitCode, 0) << run.err;
    const auto mails = desk.smtp().complainantMails();
    ASSERT_EQ(mails.size(), 2u) << "the reply did not go out\n" << run.err;
    EXPECT_GT(mails.back().data.size(), std::size_t(4 * 16 * 1024)) << "a reply of more than 4 s on the line";
    // Recorded as sent after the server's 250: not deferred, to be sent again next cycle.
    const auto outbox = desk.complainantLetters();
    ASSERT_EQ(outbox->size(), 2u);
    for (std::size_t i = 0; i < outbox->size(); ++i)
        EXPECT_EQ(outbox->getObject(i)->getValue<std::string>("state"), "sent")
            << outbox->getObject(i)->getValue<std::string>("kind") << ": "
            << outbox->getObject(i)->getValue<std::string>("last_error") << run.err;
}

// No total timeout any more: a line that stops moving is still given up on after the timeout (the
// run ends, the message or letter waits for a later cycle). Regression tests: the old total
// timeouts passed them too. The SMTP one takes smtp.timeout + 32 s: libcurl waits for an answer
// without calling the progress function (curl_session.cpp).
TEST(SlowLinkFaultTest, StalledImapLineInTheMiddleOfAMessageIsGivenUpOnAfterTheTimeout) {
    MailDesk desk;
    ThrottledRelay relay(desk.dovecot().port(), 0);
    std::ofstream(desk.config(), std::ios::app) << "imap.url = imap://127.0.0.1:" << relay.port() << "\n"
                                                << "imap.timeout = 2\n";
    ImapTestClient imap(desk.dovecot());
    imap.append("INBOX", largeComplaint("stalled-1@example.org", 1 << 20));
    relay.stallAfter(256 * 1024);

    const auto stalled = desk.complaintd();
    EXPECT_EQ(stalled.exitCode, 0) << stalled.err;
    EXPECT_NE(stalled.err.find("stalled in the middle of a message of"), std::string::npos) << stalled.err;
    EXPECT_EQ(desk.ctlJsonArray({"list"})->size(), 0u);
}

TEST(SlowLinkFaultTest, StalledSmtpLineIsGivenUpOnAfterTheTimeoutAndTheLetterWaits) {
    MailDesk desk;
    ThrottledRelay relay(desk.smtp().port(), 20 * 1024);  // 1 KiB a read
    std::ofstream(desk.config(), std::ios::app) << "smtp.url = smtp://127.0.0.1:" << relay.port() << "\n"
                                                << "smtp.timeout = 2\n";
    relay.stallAfter(600);  // after the greeting, somewhere in the session
    ImapTestClient(desk.dovecot()).append("INBOX", big5Complaint("stalled-smtp@example.org", "中正路坑洞", "有坑洞。"));

    const auto run = desk.complaintd();
    EXPECT_EQ(run.exitCode, 0) << run.err;
    ASSERT_EQ(desk.ctlJsonArray({"list"})->size(), 1u) << run.err;
    const auto outbox = desk.complainantLetters();
    ASSERT_EQ(outbox->size(), 1u);
    EXPECT_EQ(outbox->getObject(0)->getValue<std::string>("state"), "queued");
    const auto error = outbox->getObject(0)->getValue<std::string>("last_error");
    // A stall before the letter is with the server is "stalled"; once it is (a small letter fits the
    // buffers on the way), only the wait for the answer is bounded: "server response timeout".
    EXPECT_TRUE(error.find("stalled") != std::string::npos || error.find("timed out") != std::string::npos ||
                error.find("response timeout") != std::string::npos)
        << error;
}

}  // namespace
}  // namespace complaintd::testing
