// One complaintd per database (issue 12): complaintd --once from cron beside the running service
// would send every due letter a second time. Real complaintd, Dovecot and aiosmtpd.
#include <gtest/gtest.h>

#include <thread>

#include "mail_desk.h"
#include "running_daemon.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

TEST(OneInstanceFaultTest, OnceBesideTheRunningServiceRefusesToRunAndSendsNothing) {
    MailDesk desk;
    RunningDaemon daemon({"--config", desk.config(), "-o", "poll_interval=300"});
    daemon.waitForLog("waiting for mail (IDLE)");
    if (::testing::Test::HasFailure()) return;

    ImapTestClient(desk.dovecot()).append("INBOX", big5Complaint("cron-1@example.org", "紫楝路路燈不亮", "路燈壞了。"));
    const auto second = desk.complaintd({"-o", "poll_interval=1"});
    EXPECT_EQ(second.exitCode, 75) << second.err;
    EXPECT_NE(second.err.find("another complaintd (pid " + std::to_string(daemon.pid()) + ")"), std::string::npos)
        << second.err;
    desk.smtp().waitForComplainantMails(1);  // the service's acknowledgement
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(desk.smtp().complainantMails().size(), 1u) << "one letter, from the service alone";

    daemon.kill9();  // a crash leaves no stale lock behind
    EXPECT_EQ(desk.complaintd().exitCode, 0);
}

}  // namespace
}  // namespace complaintd::testing
