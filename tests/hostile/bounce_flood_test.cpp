// Issue 11, item 1 (review C1): a forged bounce whose body repeats "@<center domain>>" to the
// message size limit. messageIdsOfDomain used to walk back to the start of the message for every
// hit: 48 s of CPU at 3 MB, about an hour at 25 MB, inside the intake transaction, so the
// watchdog killed the daemon and it restarted on the same message for ever. Here the real
// daemon takes it from a real Dovecot with a normal complaint behind it: the bounce must be
// handled (no case) in seconds, and the complaint must get its case.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "mail_desk.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

// Just under limits.message_bytes (25 MiB by default), so the whole message is read and scanned.
constexpr std::size_t kBounceBytes = 25 * 1024 * 1024 - 64 * 1024;

std::string forgedBounce() {
    std::string mail =
        "From: MAILER-DAEMON@x.example\r\nTo: complaints@shugu.example\r\nSubject: Undelivered Mail\r\n"
        "Date: Mon, 30 Nov 2026 09:00:00 +0800\r\nMessage-ID: <forged-bounce@x.example>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n";
    mail.reserve(kBounceBytes + 64);
    // Lines of 990 bytes, as an MTA would pass them; no '<' anywhere in the body.
    const std::string line = [] {
        std::string l;
        while (l.size() + 15 <= 990) l += "@shugu.example>";
        return l + "\r\n";
    }();
    while (mail.size() + line.size() < kBounceBytes) mail += line;
    return mail;
}

class BounceFloodTest : public ::testing::Test {
protected:
    MailDesk desk_{"imap.timeout = 60\n"};  // 25 MB from Dovecot
};

TEST_F(BounceFloodTest, ForgedBounceAtTheSizeLimitIsHandledInSecondsAndTheNextComplaintGetsItsCase) {
    ImapTestClient imap(desk_.dovecot());
    const std::string bounce = forgedBounce();
    ASSERT_GT(bounce.size(), 24u * 1024 * 1024);
    imap.append("INBOX", bounce);
    imap.append("INBOX",
                big5Complaint("behind-the-bounce@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。"));

    const auto start = std::chrono::steady_clock::now();
    const auto run = desk_.complaintd();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    std::printf("complaintd --once took %.1f s for a %.1f MB forged bounce and one complaint\n", seconds,
                double(bounce.size()) / (1024 * 1024));
    // Fetching 25 MB from Dovecot and parsing it takes a few seconds; the old scan took about an hour.
    EXPECT_LT(seconds, 30.0);

    const auto cases = desk_.ctlJsonArray({"list"});
    ASSERT_EQ(cases->size(), 1u) << "the bounce must not become a case; the complaint must";
    EXPECT_EQ(cases->getObject(0)->getValue<std::string>("subject"), "紫楝路路燈不亮");
    EXPECT_TRUE(imap.uids("INBOX").empty()) << "both messages are done with";
    EXPECT_EQ(imap.uids("Processed").size(), 2u);
}

}  // namespace
}  // namespace complaintd::testing
