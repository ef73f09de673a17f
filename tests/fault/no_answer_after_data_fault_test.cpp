// The mail server takes a whole letter and its answer never reaches complaintd (a firewall that
// drops the connection, a server that hangs after queueing). The server has the letter, yet the
// old code deferred it as if it had not been sent, and sent it again at every retry: the
// complainant got it once per retry. Now such a sending counts as an interrupted one, as a kill
// there does: after two, the letter is held for staff and never sent a third time. Real
// complaintd and aiosmtpd, with a relay (tests/support/throttled_relay.h) that swallows the answer.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "mail_desk.h"
#include "test_mail.h"
#include "throttled_relay.h"

namespace complaintd::testing {
namespace {

TEST(NoAnswerAfterDataFaultTest, ALetterWhoseAnswerNeverComesGoesTwiceAtMostAndIsThenHeld) {
    MailDesk desk;
    ThrottledRelay relay(desk.smtp().port(), 0);
    relay.swallowAnswersAfterData();
    std::ofstream(desk.config(), std::ios::app) << "smtp.url = smtp://127.0.0.1:" << relay.port() << "\n"
                                                << "smtp.timeout = 1\n"
                                                << "outbox.retry_initial = 1\n";
    // No rule matches it: one letter (the acknowledgement), no notice to a unit waiting on the same line.
    ImapTestClient(desk.dovecot())
        .append("INBOX", big5Complaint("no-answer@example.org", "服務時間", "想問服務時間。"));

    std::string log;
    for (int run = 1; run <= 3; ++run) {
        const auto result = desk.complaintd();  // each waits smtp.timeout + 32 s for the lost answer
        ASSERT_EQ(result.exitCode, 0) << result.err;
        log += result.err;
        std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // past outbox.retry_initial
    }

    EXPECT_EQ(desk.smtp().complainantMails().size(), 2u) << "the server took the letter each time it was sent\n" << log;
    EXPECT_NE(log.find("no answer from the mail server after the whole letter"), std::string::npos) << log;
    const auto outbox = desk.complainantLetters();
    ASSERT_EQ(outbox->size(), 1u);
    EXPECT_EQ(outbox->getObject(0)->getValue<std::string>("state"), "held");
    EXPECT_NE(outbox->getObject(0)->getValue<std::string>("held_reason").find("interrupted 2 times"), std::string::npos)
        << outbox->getObject(0)->getValue<std::string>("held_reason");
}

}  // namespace
}  // namespace complaintd::testing
