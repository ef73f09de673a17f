// Approve against a concurrent reply (issue 12, "Staff and the daemon do not overwrite each
// other"): the approver read draft A; while `complaintctl approve` waits for the write lock, a
// new draft B is recorded (as `reply` does) and committed. The approval must sign nothing, and no
// reply letter may go out with a text the approver never read. Real complaintctl and complaintd,
// real SQLite, Dovecot and aiosmtpd.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "mail_desk.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

using namespace Poco::Data::Keywords;

// The complaintctl this test started, once it sleeps in SQLite's busy handler (waiting for the
// write lock): nanosleep or clock_nanosleep in two readings of /proc/PID/syscall in a row.
bool ctlWaitsForTheLock() {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line) || line.find("(complaintctl)") == std::string::npos) continue;
        std::istringstream fields(line.substr(line.rfind(')') + 2));
        char state = 0;
        pid_t parent = 0;
        fields >> state >> parent;
        if (parent != ::getpid()) continue;
        int asleep = 0;
        for (int reading = 0; reading < 2; ++reading) {
            long syscall = -1;
            std::ifstream(entry.path() / "syscall") >> syscall;
            if (syscall == SYS_nanosleep || syscall == SYS_clock_nanosleep) ++asleep;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return asleep == 2;
    }
    return false;
}

std::string draftOf(const MailDesk& desk, const std::string& number) {
    return desk.ctlJsonObject({"show", number})->getValue<std::string>("reply_revision");
}

int replyLetters(const MailDesk& desk) {
    const auto outbox = desk.ctlJsonArray({"outbox", "list"});
    int letters = 0;
    for (std::size_t i = 0; i < outbox->size(); ++i)
        if (outbox->getObject(unsigned(i))->getValue<std::string>("kind") == "reply") ++letters;
    return letters;
}

TEST(ApproveOverlapFaultTest, ADraftChangedWhileApproveWaitsIsRefusedAndNeverSent) {
    MailDesk desk;
    ImapTestClient(desk.dovecot())
        .append("INBOX", big5Complaint("overlap-1@example.org", "紫楝路路燈不亮", "路燈壞了。"));
    ASSERT_EQ(desk.complaintd().exitCode, 0);
    const auto list = desk.ctlJsonArray({"list"});
    ASSERT_EQ(list->size(), 1u);
    const auto number = list->getObject(0)->getValue<std::string>("number");
    ASSERT_EQ(desk.ctl({"start", number, "--by", "lin"}).exitCode, 0);
    ASSERT_EQ(desk.ctl({"reply", number, "--text", "已派員更換燈泡。", "--by", "lin"}).exitCode, 0);
    const auto readByTheApprover = draftOf(desk, number);  // draft A, as the approver read it
    const auto supervisor =
        desk.ctl({"approve", number, "--role", "supervisor", "--draft", readByTheApprover, "--by", "chen"});
    ASSERT_EQ(supervisor.exitCode, 0) << supervisor.err;

    Poco::Data::SQLite::Connector::registerConnector();
    Poco::Data::Session db("SQLite", desk.path("state/complaintd.sqlite"));
    db << "BEGIN IMMEDIATE", now;
    auto approval = std::async(std::launch::async, [&] {
        return desk.ctl({"approve", number, "--role", "approver", "--draft", readByTheApprover, "--by", "huang"});
    });
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool waiting = false;
    while (!(waiting = ctlWaitsForTheLock()) && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_TRUE(waiting) << "complaintctl approve never waited for the write lock";
    // As `reply` does it: a new text, the signatures of the old one cleared.
    db << "UPDATE cases SET reply_text = '本案已另行函復，燈泡將於下週更換。', handler = 'lin', supervisor = '', "
          "supervisor_at = NULL, approver = '', approver_at = NULL WHERE number = ?",
        bind(number), now;
    db << "COMMIT", now;
    const auto approved = approval.get();

    EXPECT_NE(approved.exitCode, 0) << "approve signed a draft the approver never read:\n" << approved.out;
    EXPECT_NE(approved.err.find("the draft changed since you read it"), std::string::npos) << approved.err;
    const auto c = desk.ctlJsonObject({"show", number});
    EXPECT_EQ(c->getValue<std::string>("approver"), "") << "the approver's signature is on draft B";

    // The supervisor reads draft B and signs it: no letter may go, the approver has not signed B.
    const auto draftB = draftOf(desk, number);
    EXPECT_NE(draftB, readByTheApprover);
    desk.ctl({"approve", number, "--role", "supervisor", "--draft", draftB, "--by", "chen"});
    EXPECT_EQ(replyLetters(desk), 0) << "a reply letter was queued with a text the approver never read";
    ASSERT_EQ(desk.complaintd().exitCode, 0);
    EXPECT_EQ(desk.smtp().complainantMails().size(), 1u) << "the acknowledgement alone";

    // Once the approver read and signed B, B goes out.
    const auto signedB = desk.ctl({"approve", number, "--role", "approver", "--draft", draftB, "--by", "huang"});
    EXPECT_EQ(signedB.exitCode, 0) << signedB.err;
    EXPECT_EQ(replyLetters(desk), 1);
}

}  // namespace
}  // namespace complaintd::testing
