// Intake keeps flowing past one bad message (issue 12). Intake commits 50 messages per transaction:
// one message whose processing throws must be moved aside (quarantined with the exception's text)
// while the other 49 become cases; a failure of the store itself (disk full) is nobody's poison and
// quarantines nothing; a broken invariant outside intake ends the daemon with exit 70 so that
// systemd restarts it, and the restart resumes from the database. Real complaintd, Dovecot, aiosmtpd.
//
// Nothing in the product is a test hook: the poison is a SQLite trigger the test installs in the
// daemon's database, the full disk a file size limit (RLIMIT_FSIZE, SIGXFSZ ignored), the broken
// invariant a case row whose JSON column the daemon itself could never have written.
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "mail_desk.h"
#include "running_daemon.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

using namespace Poco::Data::Keywords;

constexpr const char* kPoisonTrigger =
    "CREATE TRIGGER poison BEFORE INSERT ON cases WHEN NEW.subject LIKE '%POISON%' "
    "BEGIN SELECT RAISE(ABORT, 'poison for the test'); END";

class PoisonMessageFaultTest : public ::testing::Test {
protected:
    PoisonMessageFaultTest() { Poco::Data::SQLite::Connector::registerConnector(); }

    // SQL on the daemon's database, from a connection of the test's own (the daemon is not running).
    void sql(const std::string& statement) {
        Poco::Data::Session session("SQLite", desk_.path("state/complaintd.sqlite"));
        session << statement, now;
    }
    long long count(const std::string& query) {
        Poco::Data::Session session("SQLite", desk_.path("state/complaintd.sqlite"));
        Poco::Int64 n = 0;
        session << query, into(n), now;
        return n;
    }

    // A first run on an empty INBOX creates the database (and its schema) for the test to change.
    void createDatabase() {
        const auto first = desk_.complaintd();
        ASSERT_EQ(first.exitCode, 0) << first.err;
    }

    RunResult once(const std::vector<std::string>& extra = {}) {
        auto result = desk_.complaintd(extra);
        EXPECT_EQ(result.exitCode, 0) << result.err;
        return result;
    }

    // The value of one counter in `complaintctl status` (0 when it was never counted).
    long long counter(const std::string& name) {
        const auto status = desk_.ctl({"status"});
        EXPECT_EQ(status.exitCode, 0) << status.err;
        std::smatch found;
        if (!std::regex_search(status.out, found, std::regex("\n  " + name + " +([0-9]+)\n"))) return 0;
        return std::stoll(found[1]);
    }

    Poco::JSON::Array::Ptr quarantine() { return desk_.ctlJsonArray({"quarantine", "list"}); }
    std::size_t caseCount() { return desk_.ctlJsonArray({"list"})->size(); }

    // 50 acknowledgements to one domain within the hour: above the default cap of 20, which would hold them.
    MailDesk desk_{"mail.auto_letters_per_domain_hour = 100\n"};
};

TEST_F(PoisonMessageFaultTest, OneMessageThatThrowsIsQuarantinedAndTheOther49BecomeCases) {
    createDatabase();
    if (HasFatalFailure()) return;
    sql(kPoisonTrigger);
    ImapTestClient imap(desk_.dovecot());
    for (int i = 0; i < 50; ++i) {
        const std::string subject = i == 17 ? "路燈 POISON 不亮" : "路燈不亮 " + std::to_string(i);
        imap.append("INBOX", big5Complaint("poison-" + std::to_string(i) + "@example.org", subject, "路燈壞了。",
                                           "王小明", "wang" + std::to_string(i) + "@example.org"));
    }

    const auto run = once();
    EXPECT_EQ(imap.uids("INBOX").size(), 0u) << "every mail is stored and moved";
    EXPECT_EQ(caseCount(), 49u) << run.err;
    desk_.smtp().waitForComplainantMails(49);
    EXPECT_EQ(desk_.smtp().complainantMails().size(), 49u) << "an acknowledgement for each of the 49";
    const auto entries = quarantine();
    ASSERT_EQ(entries->size(), 1u) << run.err;
    const auto entry = entries->getObject(0);
    const auto reason = entry->getValue<std::string>("reason");
    EXPECT_NE(reason.find("poison for the test"), std::string::npos) << reason;
    EXPECT_EQ(counter("messages_poisoned"), 1);
    EXPECT_NE(run.err.find("poisoned"), std::string::npos) << run.err;

    // The next run does not take it again: it stays in the quarantine, counted once.
    const auto again = once();
    EXPECT_EQ(caseCount(), 49u) << again.err;
    EXPECT_EQ(quarantine()->size(), 1u);
    EXPECT_EQ(counter("messages_poisoned"), 1);

    // The bug fixed (here: the trigger dropped), staff retry it and it opens its case.
    sql("DROP TRIGGER poison");
    const auto id = std::to_string(entry->getValue<Poco::Int64>("message"));
    const auto retry = desk_.ctl({"quarantine", "retry", id});
    EXPECT_EQ(retry.exitCode, 0) << retry.err;
    once();
    EXPECT_EQ(caseCount(), 50u);
    EXPECT_EQ(quarantine()->size(), 0u);
    desk_.smtp().waitForComplainantMails(50);
    EXPECT_EQ(desk_.smtp().complainantMails().size(), 50u);
}

// A complaint with a 4 MiB attachment, which intake copies into the store when it opens the case.
std::string complaintWithLargeAttachment(const std::string& subject) {
    std::string pdf = "%PDF-1.4\n";
    std::uint32_t x = 12345;
    while (pdf.size() < 4 * 1024 * 1024) {
        x = x * 1103515245u + 12345u;
        pdf += char(x >> 24);
    }
    std::string encoded = base64(pdf), wrapped;
    for (std::size_t i = 0; i < encoded.size(); i += 76) wrapped += encoded.substr(i, 76) + "\r\n";
    return "From: Lin Mei <lin@example.org>\r\nTo: complaints@shugu.example\r\nSubject: =?UTF-8?B?" + base64(subject) +
           "?=\r\nMessage-ID: <large-1@example.org>\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
           "--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n路燈壞了，照片與陳情書附上。\r\n"
           "--b1\r\nContent-Type: application/pdf; name=\"letter.pdf\"\r\nContent-Transfer-Encoding: base64\r\n"
           "Content-Disposition: attachment; filename=\"letter.pdf\"\r\n\r\n" +
           wrapped + "--b1--\r\n";
}

// The store fails while intake works on the message (the attachment's pages spill past a 1 MiB
// file size limit): the environment's failure, not the message's. Nothing is quarantined, the
// message waits, and the next run without the fault opens its case.
TEST_F(PoisonMessageFaultTest, AFullDiskInTheMiddleOfAMessageQuarantinesNothing) {
    createDatabase();
    if (HasFatalFailure()) return;
    // Stored but not yet a case: poisoned once, then put back in line by staff.
    sql(kPoisonTrigger);
    ImapTestClient(desk_.dovecot()).append("INBOX", complaintWithLargeAttachment("POISON 路燈不亮"));
    once();
    const auto entries = quarantine();
    ASSERT_EQ(entries->size(), 1u);
    sql("DROP TRIGGER poison");
    const auto id = std::to_string(entries->getObject(0)->getValue<Poco::Int64>("message"));
    ASSERT_EQ(desk_.ctl({"quarantine", "retry", id}).exitCode, 0);
    const auto poisonedBefore = counter("messages_poisoned");

    const std::string script = "trap '' XFSZ; ulimit -f 1024; exec \"$0\" \"$@\"";
    const auto full = runProgram("/bin/bash", {"-c", script, COMPLAINTD_BINARY, "--config", desk_.config(), "--once"});
    EXPECT_NE(full.err.find("opening cases failed"), std::string::npos) << full.err;
    EXPECT_EQ(full.err.find("poisoned"), std::string::npos) << full.err;
    EXPECT_EQ(quarantine()->size(), 0u) << full.err;
    EXPECT_EQ(counter("messages_poisoned"), poisonedBefore);
    EXPECT_EQ(count("SELECT count(*) FROM messages WHERE state = 'new'"), 1) << "the message waits for the store";
    EXPECT_EQ(caseCount(), 0u);

    const auto recovered = once();
    EXPECT_EQ(caseCount(), 1u) << recovered.err;
    EXPECT_EQ(quarantine()->size(), 0u);
}

// A broken invariant (here a case row whose JSON the daemon could never have written, met by the
// deadline watcher after intake) is no failure of the environment to retry every cycle: the
// service ends with exit 70 and says so; systemd (Restart=on-failure) restarts it, and the restart
// resumes from the database: the complaint stored and opened before the bug was met is answered.
TEST_F(PoisonMessageFaultTest, ABrokenInvariantEndsTheServiceWithExit70AndARestartResumes) {
    ImapTestClient imap(desk_.dovecot());
    imap.append("INBOX", big5Complaint("bug-1@example.org", "紫楝路路燈不亮", "路燈壞了。"));
    once();
    ASSERT_EQ(caseCount(), 1u);
    sql("UPDATE cases SET keywords = 'not json'");

    imap.append("INBOX", big5Complaint("bug-2@example.org", "公園垃圾未清", "垃圾很多。", "林美", "lin@example.org"));
    {
        RunningDaemon daemon({"--config", desk_.config(), "-o", "poll_interval=300"});
        const auto line = daemon.waitForLog("JSON Exception");  // the loop logs it (and retried it on the old code)
        std::string rest;
        const int code = daemon.stop(rest);
        EXPECT_EQ(code, 70) << line << rest;
        EXPECT_NE((line + rest).find("internal error"), std::string::npos) << line << rest;
    }
    const auto onceRun = desk_.complaintd();
    EXPECT_EQ(onceRun.exitCode, 70) << onceRun.err;

    // The row repaired (as the fix of the bug would), a restart resumes where the service stopped.
    sql("UPDATE cases SET keywords = '[]'");
    once();
    EXPECT_EQ(caseCount(), 2u);
    desk_.smtp().waitForComplainantMails(2);
    EXPECT_EQ(desk_.smtp().complainantMails().size(), 2u) << "each complaint acknowledged once";
}

// The OCR thread beside the loop likewise: a bug it meets (here its query of a table the schema
// must have) ends the service with exit 70 instead of "OCR pass failed" every two seconds.
TEST_F(PoisonMessageFaultTest, ABrokenInvariantInTheOcrThreadEndsTheServiceWithExit70) {
    createDatabase();
    if (HasFatalFailure()) return;
    sql("ALTER TABLE ocr_jobs RENAME TO ocr_jobs_gone");
    {
        RunningDaemon daemon({"--config", desk_.config(), "-o", "poll_interval=300"});
        const auto line = daemon.waitForLog("no such table");  // the OCR thread logs it (every pass, on the old code)
        std::string rest;
        const int code = daemon.stop(rest);
        EXPECT_EQ(code, 70) << line << rest;
        EXPECT_NE((line + rest).find("internal error"), std::string::npos) << line << rest;
    }
    sql("ALTER TABLE ocr_jobs_gone RENAME TO ocr_jobs");
    once();
}

}  // namespace
}  // namespace complaintd::testing
