// The store cannot record "sent" after the mail server's 250 (issue 12, "Letters are never sent
// again and again"). Before, the letter stayed queued and went out again every cycle until the
// store recovered: a complainant got a copy a minute over a weekend. Now the accepted letter is
// journaled beside the database, sending stops, and the store takes the journal when it can.
//
// The fault: the database takes no write while it can still be read, as on a full disk. The test
// runs as root, where file modes stop nothing, so "full" is a file size limit (prlimit --fsize,
// SIGXFSZ ignored: a write past 1 KiB fails with EFBIG, as in fault_injection's store-full
// scenario). The journal, a line long, fits; the database and its WAL do not. A connection of the
// test's own holds the database open so that the limited runs find its WAL index.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <optional>
#include <thread>

#include "mail_desk.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

using namespace Poco::Data::Keywords;

RunResult runWithStoreFull(const MailDesk& desk) {
    return runProgram("/usr/bin/prlimit",
                      {"--fsize=1024", "--", COMPLAINTD_BINARY, "--config", desk.config(), "--once"});
}

std::size_t countOf(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++n;
    return n;
}

TEST(StoreUnwritableAfterAcceptanceFaultTest, TenCyclesAndRecoveryLeaveTheComplainantExactlyOneLetter) {
    std::signal(SIGXFSZ, SIG_IGN);  // inherited through exec: a write past the limit fails, it does not kill
    MailDesk desk("outbox.retry_initial = 1\n");
    ImapTestClient(desk.dovecot()).append("INBOX", big5Complaint("once-1@example.org", "中正路坑洞", "路面有坑洞。"));

    // The case is opened and its acknowledgement queued while the mail server is away.
    desk.smtp().stop();
    const auto first = desk.complaintd();
    ASSERT_EQ(first.exitCode, 0) << first.err;
    desk.smtp().start();
    auto letters = desk.complainantLetters();
    ASSERT_EQ(letters->size(), 1u);
    ASSERT_EQ(letters->getObject(0)->getValue<std::string>("state"), "queued");
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // outbox.retry_initial = 1 s

    Poco::Data::SQLite::Connector::registerConnector();
    std::optional<Poco::Data::Session> reader;
    reader.emplace("SQLite", desk.path("state/complaintd.sqlite"));
    int cases = 0;
    *reader << "SELECT count(*) FROM cases", into(cases), now;
    ASSERT_EQ(cases, 1);

    // The server accepts the letter; the store cannot record it, then stays so for ten more cycles.
    std::string faultLog;
    for (int cycle = 0; cycle < 11; ++cycle) faultLog += runWithStoreFull(desk).err;
    EXPECT_EQ(desk.smtp().complainantMails().size(), 1u)
        << "the letter went out again while the store could not record it\n"
        << faultLog;
    EXPECT_EQ(countOf(faultLog, "accepted by the mail server but the store cannot record it"), 1u) << faultLog;
    EXPECT_TRUE(std::filesystem::exists(desk.path("state/complaintd.sqlite.accepted")));

    // The store recovers: it takes the journal, and nothing goes out again.
    reader.reset();
    const auto recovered = desk.complaintd();
    ASSERT_EQ(recovered.exitCode, 0) << recovered.err;
    EXPECT_NE(recovered.err.find("journal of accepted letters reconciled: 1 recorded now"), std::string::npos)
        << recovered.err;
    const auto again = desk.complaintd();
    ASSERT_EQ(again.exitCode, 0) << again.err;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto received = desk.smtp().complainantMails();
    ASSERT_EQ(received.size(), 1u) << "the complainant has exactly one letter";
    EXPECT_EQ(received[0].rcptTo, std::vector<std::string>{"wang@example.org"});
    letters = desk.complainantLetters();
    ASSERT_EQ(letters->size(), 1u);
    EXPECT_EQ(letters->getObject(0)->getValue<std::string>("state"), "sent");
    EXPECT_EQ(std::filesystem::file_size(desk.path("state/complaintd.sqlite.accepted")), 0u);
}

}  // namespace
}  // namespace complaintd::testing
