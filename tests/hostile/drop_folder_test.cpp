// Hostile writer of the drop folder (issue 11 item 3): a member of the group that
// may write there (a fax or scan gateway account) links a.eml to a credential
// only the service may read, puts a FIFO and a 100 GB sparse file before the
// real complaint, and hopes to read the secret back from the group-readable
// database or to stop intake. Run against the real complaintd --once with the
// real aiosmtpd.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "run_program.h"
#include "test_mail.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

namespace fs = std::filesystem;

constexpr const char* kMarker = "CREDENTIAL-MARKER-7d41b2e96c0f";

std::string bytesOf(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

class DropFolderHostileTest : public ::testing::Test {
protected:
    DropFolderHostileTest() : smtp_(dir_.path() + "/smtp") {}

    void SetUp() override {
        state_ = fs::path(dir_.path()) / "state";
        fs::create_directories(drop());
        // What systemd puts in /run/credentials/complaintd.service/smtp-password.
        fs::create_directories(fs::path(dir_.path()) / "credentials");
        secret_ = fs::path(dir_.path()) / "credentials" / "smtp-password";
        std::ofstream(secret_) << kMarker << "\n";
        ::chmod(secret_.c_str(), 0600);
        config_ = dir_.path() + "/complaintd.conf";
        std::ofstream(config_) << "state_dir = " << state_.string() << "\n"
                               << "drop.enabled = yes\n"
                               << "fax.drop_enabled = no\n"
                               << "smtp.url = " << smtp_.url() << "\n"
                               << "smtp.starttls = off\n"
                               << "smtp.timeout = 10\n";
    }

    void TearDown() override {
        if (HasFailure()) dir_.keep();
    }

    fs::path drop() const { return state_ / "drop"; }

    // Every byte the daemon wrote where staff or the group can read it.
    std::string everythingStored() const {
        std::string all;
        for (const char* file : {"complaintd.sqlite", "complaintd.sqlite-wal"}) all += bytesOf(state_ / file);
        if (fs::exists(state_ / "outbox"))
            for (const auto& entry : fs::recursive_directory_iterator(state_ / "outbox"))
                if (entry.is_regular_file()) all += bytesOf(entry.path());
        for (const auto& mail : smtp_.complainantMails()) all += mail.data;
        return all;
    }

    TempDir dir_;
    SmtpServer smtp_;
    fs::path state_;
    fs::path secret_;
    std::string config_;
};

TEST_F(DropFolderHostileTest, SymlinkFifoAndSparseFileAreRefusedAndTheScanBehindThemIsACase) {
    // Sorted before the real complaint, as an attacker would name them.
    fs::create_symlink(secret_, drop() / "0-a.eml");
    ASSERT_EQ(::mkfifo((drop() / "1-pipe.eml").c_str(), 0660), 0);
    std::ofstream(drop() / "2-sparse.eml").close();
    fs::resize_file(drop() / "2-sparse.eml", 100ull << 30);
    std::ofstream(drop() / "SCAN001.EML", std::ios::binary)
        << big5Complaint("scan-1@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。");

    const auto started = std::chrono::steady_clock::now();
    const auto run = runProgram(COMPLAINTD_BINARY, {"--config", config_, "--once"});
    const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ASSERT_EQ(run.exitCode, 0) << run.err;
    EXPECT_LT(seconds, 30.0);

    // The secret is nowhere the group or staff can read it.
    EXPECT_EQ(everythingStored().find(kMarker), std::string::npos);
    EXPECT_EQ(run.out.find(kMarker), std::string::npos);
    EXPECT_EQ(run.err.find(kMarker), std::string::npos);

    // The refused files are kept in rejected/, the link still a link, and counted.
    for (const char* name : {"0-a.eml", "1-pipe.eml", "2-sparse.eml"})
        EXPECT_TRUE(fs::exists(fs::symlink_status(drop() / "rejected" / name))) << name;
    EXPECT_TRUE(fs::is_symlink(drop() / "rejected" / "0-a.eml"));
    EXPECT_TRUE(fs::is_empty(drop()) || std::all_of(fs::directory_iterator(drop()), fs::directory_iterator(),
                                                    [](const fs::directory_entry& e) { return e.is_directory(); }));
    const auto status = runProgram(COMPLAINTCTL_BINARY, {"--config", config_, "status"});
    ASSERT_EQ(status.exitCode, 0) << status.err;
    EXPECT_TRUE(std::regex_search(status.out, std::regex("drop_files_rejected +3\\n"))) << status.out;

    // The good scan has a case, and its acknowledgement reached the SMTP server.
    const auto list = runProgram(COMPLAINTCTL_BINARY, {"--config", config_, "list"});
    ASSERT_EQ(list.exitCode, 0) << list.err;
    ASSERT_NE(list.out.find("紫楝路路燈不亮"), std::string::npos) << list.out;
    const auto mails = smtp_.waitForComplainantMails(1);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].rcptTo, std::vector<std::string>{"wang@example.org"});
    EXPECT_TRUE(fs::exists(drop() / "processed" / "SCAN001.EML"));

    // A second run reads none of them again.
    ASSERT_EQ(runProgram(COMPLAINTD_BINARY, {"--config", config_, "--once"}).exitCode, 0);
    EXPECT_EQ(everythingStored().find(kMarker), std::string::npos);
}

// Outside systemd (cron --once, scripts/run) the caller's umask used to decide: under 000 the
// database with every complaint was world-readable. Both programs set umask 027 themselves.
TEST_F(DropFolderHostileTest, StateFilesAreNotWorldReadableUnderUmask000) {
    std::ofstream(drop() / "a.eml", std::ios::binary)
        << big5Complaint("umask-1@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。");
    const mode_t before = ::umask(0);
    const auto run = runProgram(COMPLAINTD_BINARY, {"--config", config_, "-o", "smtp.url=", "--once"});
    ::umask(before);
    ASSERT_EQ(run.exitCode, 0) << run.err;
    std::vector<fs::path> created{state_ / "complaintd.sqlite", state_ / "outbox", drop() / "processed"};
    for (const auto& entry : fs::directory_iterator(state_ / "outbox")) created.push_back(entry.path());
    for (const char* suffix : {"-wal", "-shm"})
        if (fs::exists(state_ / ("complaintd.sqlite" + std::string(suffix))))
            created.push_back(state_ / ("complaintd.sqlite" + std::string(suffix)));
    ASSERT_GE(created.size(), 4u);  // at least one letter in the outbox
    for (const auto& path : created) {
        struct stat info {};
        ASSERT_EQ(::stat(path.c_str(), &info), 0) << path;
        EXPECT_EQ(info.st_mode & S_IRWXO, 0u) << path << " is open to others: " << std::oct << (info.st_mode & 07777);
    }
}

}  // namespace
}  // namespace complaintd::testing
