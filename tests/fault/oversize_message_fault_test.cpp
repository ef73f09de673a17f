// Skip by size (issue 12): a message whose RFC822.SIZE is over limits.message_bytes was downloaded
// whole, into memory and the store, before the parser quarantined it. Now only its header is
// fetched: it goes to the quarantine (reason: its size and the limit), is moved with the others and
// is never listed again. A relay counts the bytes Dovecot sent. Real complaintd, Dovecot, aiosmtpd.
#include <gtest/gtest.h>

#include <fstream>

#include "mail_desk.h"
#include "test_mail.h"
#include "throttled_relay.h"

namespace complaintd::testing {
namespace {

TEST(OversizeMessageFaultTest, QuarantinedFromItsHeaderMovedAsideAndNeverDownloadedWhole) {
    MailDesk desk("limits.message_bytes = 1048576\n");
    ThrottledRelay relay(desk.dovecot().port(), 0);
    std::ofstream(desk.config(), std::ios::app) << "imap.url = imap://127.0.0.1:" << relay.port() << "\n";
    ImapTestClient imap(desk.dovecot());
    std::string large = big5Complaint("oversize-1@example.org", "紫楝路路燈不亮", "附件很大。");
    while (large.size() < (3u << 20)) large += std::string(76, 'x') + "\r\n";
    imap.append("INBOX", large);
    imap.append("INBOX", big5Complaint("behind-oversize@example.org", "中正路坑洞", "中正路上有坑洞。"));

    const auto first = desk.complaintd();
    EXPECT_EQ(first.exitCode, 0) << first.err;
    const auto cases = desk.ctlJsonArray({"list"});
    ASSERT_EQ(cases->size(), 1u) << first.err;
    EXPECT_EQ(cases->getObject(0)->getValue<std::string>("subject"), "中正路坑洞");

    const auto quarantine = desk.ctlJsonArray({"quarantine", "list"});
    ASSERT_EQ(quarantine->size(), 1u);
    const auto reason = quarantine->getObject(0)->getValue<std::string>("reason");
    EXPECT_NE(reason.find(std::to_string(large.size()) + " bytes"), std::string::npos) << reason;
    EXPECT_NE(reason.find("limits.message_bytes (1048576)"), std::string::npos) << reason;
    const auto id = std::to_string(quarantine->getObject(0)->getValue<long long>("message"));
    const auto shown = desk.ctl({"quarantine", "show", id});
    EXPECT_NE(shown.out.find("oversize-1@example.org"), std::string::npos) << "its header is kept\n" << shown.out;

    EXPECT_LT(relay.bytesFromServer(), std::size_t(1 << 20)) << "the 3 MB message was downloaded";
    EXPECT_TRUE(imap.uids("INBOX").empty());
    ASSERT_EQ(imap.uids("Processed").size(), 2u) << "the whole message is kept on the server";

    const auto second = desk.complaintd();
    EXPECT_EQ(second.exitCode, 0) << second.err;
    EXPECT_EQ(desk.ctlJsonArray({"quarantine", "list"})->size(), 1u) << "never listed again";
    EXPECT_EQ(imap.uids("Processed").size(), 2u);
}

}  // namespace
}  // namespace complaintd::testing
