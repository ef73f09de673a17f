// Backups are proven (issue 12): complaintctl backup copies the database while the service ingests,
// the copy checks, and the desk restored from it goes on without losing or doubling a complaint.
// Real complaintd, complaintctl, Dovecot and aiosmtpd.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "mail_desk.h"
#include "running_daemon.h"
#include "test_mail.h"

namespace complaintd::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kMails = 2000;
constexpr int kFirstWave = 300;

std::string tokenOf(int i) {
    char token[16];
    std::snprintf(token, sizeof token, "bk%04d", i);  // fixed width: no token is a prefix of another
    return token;
}

// One mailbox and domain each, so that only the hourly cap holds acknowledgements.
std::string addressOf(int i) { return tokenOf(i) + "@" + tokenOf(i) + ".example.org"; }

std::size_t casesIn(const MailDesk& desk, const std::string& database) {
    return desk.ctlJsonArray({"-o", "database=" + database, "list"})->size();
}

// The letters to complainants the backup holds as sent (not the notices to the units).
long long sentLettersIn(const std::string& database) {
    const auto result = runProgram(
        "/usr/bin/sqlite3", {database, "SELECT count(*) FROM outbox WHERE state = 'sent' AND kind <> 'unit-notice'"});
    EXPECT_EQ(result.exitCode, 0) << result.err;
    return std::atoll(result.out.c_str());
}

// APPEND or MOVE many messages over one IMAP connection (tests/fault/imap_bulk.py).
void imapBulk(MailDesk& desk, std::vector<std::string> command) {
    command.insert(command.begin(),
                   {COMPLAINTD_SOURCE_DIR "/tests/fault/imap_bulk.py", std::to_string(desk.dovecot().port()),
                    desk.dovecot().user(), desk.dovecot().password()});
    const auto result = runProgram("/usr/bin/python3", command);
    ASSERT_EQ(result.exitCode, 0) << result.err;
}

TEST(BackupFaultTest, ABackupTakenDuringIngestRestoresAndTheDeskGoesOnWithoutLossOrDuplicates) {
    // Up to 300 acknowledgements an hour are sent, the rest held for staff.
    MailDesk desk("mail.auto_letters_per_hour = 300\n");
    const auto started = std::chrono::steady_clock::now();
    auto phase = [&](const char* what) {
        std::cout << what << " at " << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
                  << " s" << std::endl;
    };
    // Two waves: the service answers the first while the second arrives and is being ingested.
    std::vector<std::string> firstWave{"append", "INBOX"}, secondWave{"append", "INBOX"};
    fs::create_directories(desk.path("mails"));
    for (int i = 0; i < kMails; ++i) {
        auto& wave = i < kFirstWave ? firstWave : secondWave;
        wave.push_back(desk.path("mails/" + tokenOf(i) + ".eml"));
        std::ofstream(wave.back(), std::ios::binary) << utf8Mail(
            "backup-" + tokenOf(i) + "@example.org", "路燈不亮 查詢碼 " + tokenOf(i),
            "紫楝路的路燈壞了，請修理。查詢碼 " + tokenOf(i), "申訴人 " + tokenOf(i) + " <" + addressOf(i) + ">");
    }
    imapBulk(desk, firstWave);
    phase("appended");
    const std::string database = desk.path("state/complaintd.sqlite");
    const std::string backup = desk.path("complaintd-backup.sqlite");

    std::size_t casesInBackup = 0;
    std::size_t lettersBeforeStop = 0;
    {
        RunningDaemon daemon({"--config", desk.config(), "-o", "poll_interval=1"});
        daemon.waitForLog("115-" + std::to_string(kFirstWave) + ":");
        if (::testing::Test::HasFailure()) return;
        std::thread appender([&] { imapBulk(desk, secondWave); });
        daemon.waitForLog("115-700:");  // well into the second wave
        // The log is read meanwhile, so that the service never waits on a full pipe: it goes on
        // ingesting while the copy is made, to the 1,400th case.
        std::thread reader([&] { daemon.waitForLog("115-1400:"); });
        const auto made = desk.ctl({"backup", backup});
        reader.join();
        appender.join();
        ASSERT_EQ(made.exitCode, 0) << made.err;
        casesInBackup = casesIn(desk, backup);
        std::string rest;
        EXPECT_EQ(daemon.stop(rest), 0) << rest;
        lettersBeforeStop = desk.smtp().complainantMails().size();
    }
    phase("stopped");
    std::cout << "cases in the backup " << casesInBackup << ", letters accepted before the stop " << lettersBeforeStop
              << std::endl;
    // A copy of one moment in the middle of the ingest, and a sound one.
    // (A case is logged before its batch commits: the copy may hold a few less than 700.)
    EXPECT_GE(casesInBackup, std::size_t(kFirstWave));
    EXPECT_LT(casesInBackup, std::size_t(kMails));
    EXPECT_FALSE(fs::exists(backup + "-journal"));
    const auto checked = desk.ctl({"-o", "database=" + backup, "check"});
    EXPECT_EQ(checked.exitCode, 0) << checked.out << checked.err;
    const long long sentInBackup = sentLettersIn(backup);

    // Restore as README says: the service stopped, the backup over the database, -wal and -shm
    // removed, the mail of the Processed folder put back into the intake folder (what the backup
    // already holds is recognised by its bytes and only moved again), start, check.
    fs::copy_file(backup, database, fs::copy_options::overwrite_existing);
    fs::remove(database + "-wal");
    fs::remove(database + "-shm");
    imapBulk(desk, {"move", "Processed", "INBOX"});
    phase("restored");
    const auto restored = desk.ctl({"check"});
    EXPECT_EQ(restored.exitCode, 0) << restored.out << restored.err;

    // The restarted service takes in what the backup did not hold and sends what it still has
    // queued (100 letters a cycle).
    auto queued = [&] {
        const auto letters = desk.complainantLetters();
        std::size_t count = 0;
        for (unsigned i = 0; i < letters->size(); ++i)
            count += letters->getObject(i)->getValue<std::string>("state") == "queued";
        return count;
    };
    for (int cycle = 0; cycle < 20 && (!ImapTestClient(desk.dovecot()).uids("INBOX").empty() || queued() > 0);
         ++cycle) {
        const auto once = desk.complaintd();
        ASSERT_EQ(once.exitCode, 0) << once.err;
    }
    EXPECT_EQ(queued(), 0u);
    EXPECT_TRUE(ImapTestClient(desk.dovecot()).uids("INBOX").empty());
    phase("ingested again");

    // Every complaint has exactly one case.
    const auto cases = desk.ctlJsonArray({"list"});
    EXPECT_EQ(cases->size(), std::size_t(kMails));
    std::map<std::string, int> casesPerAddress;
    std::set<std::string> numbers;
    for (unsigned i = 0; i < cases->size(); ++i) {
        const auto c = cases->getObject(i);
        ++casesPerAddress[c->getObject("complainant")->getValue<std::string>("email")];
        numbers.insert(c->getValue<std::string>("number"));
    }
    EXPECT_EQ(numbers.size(), std::size_t(kMails));
    for (int i = 0; i < kMails; ++i) EXPECT_EQ(casesPerAddress[addressOf(i)], 1) << addressOf(i);

    // Every case has its one acknowledgement (sent, or held by the caps); a letter reaches a
    // complainant twice only when the server accepted it after the backup's moment (the backup
    // cannot know it went out).
    const auto letters = desk.complainantLetters();
    std::map<std::string, int> acknowledgementsPerCase;
    for (unsigned i = 0; i < letters->size(); ++i)
        if (letters->getObject(i)->getValue<std::string>("kind") == "acknowledgement")
            ++acknowledgementsPerCase[letters->getObject(i)->getValue<std::string>("case")];
    for (const auto& number : numbers) EXPECT_EQ(acknowledgementsPerCase[number], 1) << number;
    std::map<std::string, int> lettersPerAddress;
    for (const auto& mail : desk.smtp().complainantMails())
        for (const auto& to : mail.rcptTo) ++lettersPerAddress[to];
    std::size_t extra = 0;
    for (const auto& [address, count] : lettersPerAddress) extra += std::size_t(count - 1);
    std::cout << "letters sent in the backup " << sentInBackup << ", received twice " << extra << std::endl;
    EXPECT_LE(extra, lettersBeforeStop - std::size_t(sentInBackup))
        << "letters sent twice beyond those the server accepted after the backup";
    const auto final = desk.ctl({"check"});
    EXPECT_EQ(final.exitCode, 0) << final.out << final.err;
}

}  // namespace
}  // namespace complaintd::testing
