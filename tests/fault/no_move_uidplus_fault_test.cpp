// Servers without MOVE or UIDPLUS (issue 12): complaintd flagged ingested messages \Deleted and
// left them in INBOX, and UID FETCH 1:* listed them again, so they were copied to Processed every
// cycle until the quota was full. Dovecot plays such a server (imap_capability); real complaintd.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "mail_desk.h"
#include "running_daemon.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

DovecotOptions withCapabilities(const std::string& capabilities) {
    DovecotOptions options;
    options.extraConfig = "imap_capability = " + capabilities + "\n";
    return options;
}

// How many messages in `folder` carry each Message-ID.
std::map<std::string, int> messageIds(ImapTestClient& imap, const std::string& folder) {
    std::map<std::string, int> ids;
    for (const auto uid : imap.uids(folder)) {
        const auto raw = imap.fetch(folder, uid);
        const auto start = raw.find("Message-ID: <"), end = raw.find('>', start);
        ++ids[start == std::string::npos ? "?" : raw.substr(start + 13, end - start - 13)];
    }
    return ids;
}

bool flagged(ImapTestClient& imap, const std::string& folder, unsigned uid, const std::string& flag) {
    const auto flags = imap.flags(folder, uid);
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
}

std::string complaint(int n) {
    return big5Complaint("no-move-" + std::to_string(n) + "@example.org", "中正路坑洞" + std::to_string(n),
                         "中正路上有坑洞。", "王小明", "wang" + std::to_string(n) + "@example.org");
}

TEST(NoMoveUidplusFaultTest, EachMessageIsCopiedOnceAndAnotherClientsDeletedMessageStays) {
    MailDesk desk("", withCapabilities("IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE"));
    ImapTestClient imap(desk.dovecot());
    const auto capabilities = imap.capabilities();
    ASSERT_EQ(std::count(capabilities.begin(), capabilities.end(), "MOVE"), 0) << "Dovecot still offers MOVE";
    const auto theirs = imap.append("INBOX", utf8Mail("theirs@example.org", "deleted by staff", "spam"), {"\\Deleted"});

    int cycle = 0;
    for (int round = 1; round <= 3; ++round) {
        imap.append("INBOX", complaint(round));
        const auto run = desk.complaintd();
        ASSERT_EQ(run.exitCode, 0) << run.err;
        ++cycle;
    }
    const auto run = desk.complaintd();  // one more with nothing new
    ASSERT_EQ(run.exitCode, 0) << run.err;

    const auto processed = messageIds(imap, "Processed");
    EXPECT_EQ(processed, (std::map<std::string, int>{
                             {"no-move-1@example.org", 1}, {"no-move-2@example.org", 1}, {"no-move-3@example.org", 1}}))
        << "after " << cycle + 1 << " cycles";
    EXPECT_EQ(desk.ctlJsonArray({"list"})->size(), 3u) << "the message staff deleted is not a complaint to take";
    const auto inbox = imap.uids("INBOX");
    ASSERT_NE(std::find(inbox.begin(), inbox.end(), theirs), inbox.end()) << "another client's message was expunged";
    EXPECT_TRUE(flagged(imap, "INBOX", theirs, "\\Deleted"));
    EXPECT_FALSE(flagged(imap, "INBOX", theirs, "\\Seen")) << "complaintd touched it";
    for (const auto uid : inbox)
        EXPECT_TRUE(flagged(imap, "INBOX", uid, "\\Deleted")) << "uid " << uid << " waits flagged, copied once";
}

// A kill between complaintd's UID COPY and its \Deleted leaves the stored message unflagged in
// INBOX with its copy already in Processed; the old code copied it once more in the next cycle
// (18 extra copies in the 10,000 mails of the full kill-nomove run). Removing the flag by hand
// leaves exactly that state.
TEST(NoMoveUidplusFaultTest, AMessageCopiedBeforeAKillIsFlaggedNotCopiedAgain) {
    MailDesk desk("", withCapabilities("IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE"));
    ImapTestClient imap(desk.dovecot());
    // Another client's \Deleted message keeps the plain EXPUNGE away, so ours stays in INBOX.
    imap.append("INBOX", utf8Mail("theirs@example.org", "deleted by staff", "spam"), {"\\Deleted"});
    const auto ours = imap.append("INBOX", complaint(1));
    ASSERT_EQ(desk.complaintd().exitCode, 0);
    ASSERT_TRUE(flagged(imap, "INBOX", ours, "\\Deleted"));
    imap.removeFlag("INBOX", ours, "\\Deleted");

    const auto run = desk.complaintd();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_EQ(messageIds(imap, "Processed"), (std::map<std::string, int>{{"no-move-1@example.org", 1}}));
    EXPECT_TRUE(flagged(imap, "INBOX", ours, "\\Deleted")) << "flagged again, as after its copy";
    EXPECT_NE(run.err.find("already copied to Processed before an interruption"), std::string::npos) << run.err;
    EXPECT_EQ(desk.ctlJsonArray({"list"})->size(), 1u);
}

// Without IDLE as well: push intake polls, and with no other client's \Deleted message in INBOX the
// copied messages are expunged.
TEST(NoMoveUidplusFaultTest, WithoutIdleTooTheServicePollsCopiesOnceAndExpungesOnlyItsOwn) {
    MailDesk desk("", withCapabilities("IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE"));
    ImapTestClient imap(desk.dovecot());
    RunningDaemon daemon({"--config", desk.config(), "-o", "poll_interval=1"});
    daemon.waitForLog("the server has no IDLE; polling every 1 s");
    if (::testing::Test::HasFailure()) return;

    std::map<std::string, int> expected;
    for (int round = 1; round <= 3; ++round) {
        imap.append("INBOX", complaint(round));
        expected["no-move-" + std::to_string(round) + "@example.org"] = 1;
        // Each round is taken in a cycle of its own, so the earlier rounds are listed again.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (desk.ctlJsonArray({"list"})->size() < std::size_t(round) && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
        ASSERT_EQ(desk.ctlJsonArray({"list"})->size(), std::size_t(round));
    }
    desk.smtp().waitForComplainantMails(3);  // the acknowledgements: later cycles than the last case
    std::string rest;
    EXPECT_EQ(daemon.stop(rest), 0) << rest;

    EXPECT_EQ(messageIds(imap, "Processed"), expected);
    EXPECT_TRUE(imap.uids("INBOX").empty()) << "only complaintd's own \\Deleted messages were there to expunge";
}

}  // namespace
}  // namespace complaintd::testing
