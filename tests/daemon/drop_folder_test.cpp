// The drop folder against a hostile writer of the folder: links, FIFOs, huge
// and unreadable files are refused into rejected/, never read, and never hold
// up the good file after them.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/service.h"
#include "drop_file.h"
#include "test_clock.h"
#include "test_mail.h"

namespace complaintd::daemon {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSecret = "smtp-password-MARKER-5f1c9e0d7a";

class DropFolderTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("complaintd-drop-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "drop");
        std::ofstream(dir_ / "secret") << kSecret << "\n";
        ::chmod((dir_ / "secret").c_str(), 0600);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }

    fs::path drop() const { return dir_ / "drop"; }

    void dropGood(const std::string& name) {
        std::ofstream(drop() / name, std::ios::binary)
            << testing::big5Complaint("c1@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。");
    }

    CycleReport runCycle(std::vector<std::string> overrides = {}) {
        overrides.push_back("state_dir=" + dir_.string());
        Service service(center::loadSettings(std::nullopt, overrides).settings, clock_);
        return service.runCycle(stopping_);
    }

    std::size_t casesOpened() { return center::Store((dir_ / "complaintd.sqlite").string()).listCases().size(); }

    long long counter(const std::string& name) {
        for (const auto& [counter, value] : center::Store((dir_ / "complaintd.sqlite").string()).counters())
            if (counter == name) return value;
        return 0;
    }

    // The database and its write-ahead log as bytes on disk.
    std::string databaseBytes() const {
        std::string bytes;
        for (const char* suffix : {"", "-wal"}) {
            std::ifstream in(dir_ / ("complaintd.sqlite" + std::string(suffix)), std::ios::binary);
            std::stringstream s;
            s << in.rdbuf();
            bytes += s.str();
        }
        return bytes;
    }

    bool rejected(const std::string& name) const { return fs::exists(fs::symlink_status(drop() / "rejected" / name)); }

    fs::path dir_;
    FixedClock clock_{utc(2026, 11, 30, 1)};
    std::atomic<bool> stopping_{false};
};

TEST_F(DropFolderTest, APlantedLinkInPlaceOfProcessedStopsTheFolderAndMovesNothingThrough) {
    const auto elsewhere = dir_ / "elsewhere";
    fs::create_directories(elsewhere);
    fs::create_directory_symlink(elsewhere, drop() / "processed");
    dropGood("1.eml");
    runCycle();
    EXPECT_EQ(casesOpened(), 0u);
    EXPECT_TRUE(fs::exists(drop() / "1.eml")) << "the file waits in the drop folder";
    EXPECT_TRUE(fs::is_empty(elsewhere)) << "nothing may be moved through the link";

    fs::remove(drop() / "processed");       // what the error tells staff to do
    clock_.advance(std::chrono::hours(2));  // past the failed source's back-off
    runCycle();
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(fs::exists(drop() / "processed" / "1.eml"));
}

TEST_F(DropFolderTest, SymlinkToASecretIsRefusedAndTheSecretNeverStored) {
    fs::create_symlink(dir_ / "secret", drop() / "a.eml");
    dropGood("b.eml");
    const auto report = runCycle();
    EXPECT_EQ(report.stored, 1);
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(rejected("a.eml"));
    EXPECT_TRUE(fs::is_symlink(drop() / "rejected" / "a.eml"));  // the link moved, not its target
    EXPECT_TRUE(fs::exists(dir_ / "secret"));
    EXPECT_EQ(databaseBytes().find(kSecret), std::string::npos);
    EXPECT_EQ(counter("drop_files_rejected"), 1);
}

TEST_F(DropFolderTest, HardLinkToASecretIsRefused) {
    fs::create_hard_link(dir_ / "secret", drop() / "a.eml");
    dropGood("b.eml");
    runCycle();
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(rejected("a.eml"));
    EXPECT_EQ(databaseBytes().find(kSecret), std::string::npos);
}

TEST_F(DropFolderTest, FifoDoesNotBlockTheFilesAfterIt) {
    ASSERT_EQ(::mkfifo((drop() / "a.eml").c_str(), 0660), 0);
    dropGood("b.eml");
    runCycle();  // with no writer, a blocking open would wait here for ever
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(rejected("a.eml"));
    EXPECT_EQ(counter("drop_files_rejected"), 1);
}

TEST_F(DropFolderTest, HugeSparseFileIsRefusedBeforeItIsRead) {
    { std::ofstream(drop() / "a.eml") << ""; }
    fs::resize_file(drop() / "a.eml", 100ull << 30);  // 100 GB of holes: reading it would exhaust memory
    dropGood("b.eml");
    runCycle();
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(rejected("a.eml"));
}

TEST_F(DropFolderTest, FileOverTheMessageLimitIsRefused) {
    std::ofstream(drop() / "a.eml") << std::string(4096, 'x');
    dropGood("b.eml");
    runCycle({"limits.message_bytes=4095"});
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(rejected("a.eml"));
}

TEST_F(DropFolderTest, UnreadableFileIsRefusedWhenNotRoot) {
    if (::geteuid() == 0) GTEST_SKIP() << "root reads a 0000 file";
    dropGood("a.eml");
    ::chmod((drop() / "a.eml").c_str(), 0);
    dropGood("b.eml");
    runCycle();
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(rejected("a.eml"));
}

TEST_F(DropFolderTest, FolderNamedEmlIsRefused) {
    fs::create_directories(drop() / "a.eml");
    dropGood("b.eml");
    runCycle();
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(rejected("a.eml"));
}

TEST_F(DropFolderTest, UpperCaseExtensionFromAScannerIsTaken) {
    dropGood("SCAN001.EML");
    runCycle();
    EXPECT_EQ(casesOpened(), 1u);
    EXPECT_TRUE(fs::exists(drop() / "processed" / "SCAN001.EML"));
    EXPECT_EQ(counter("drop_files_rejected"), 0);
}

TEST_F(DropFolderTest, FailedMoveToProcessedDoesNotStopTheNextFile) {
    // A processed folder on another filesystem: rename fails with EXDEV for every file.
    const fs::path other = fs::path("/dev/shm") / ("complaintd-drop-" + std::to_string(::getpid()));
    struct stat here {
    }, there{};
    fs::create_directories(other);
    if (::stat(dir_.c_str(), &here) != 0 || ::stat(other.c_str(), &there) != 0 || here.st_dev == there.st_dev) {
        fs::remove_all(other);
        GTEST_SKIP() << "no second filesystem at /dev/shm";
    }
    dropGood("a.eml");
    std::ofstream(drop() / "b.eml", std::ios::binary)
        << testing::big5Complaint("c2@example.org", "水溝阻塞", "水溝阻塞，下雨就淹水。");
    runCycle({"drop.processed_dir=" + (other / "processed").string()});
    fs::remove_all(other);
    EXPECT_EQ(casesOpened(), 2u);
}

TEST(DropFileName, EmlInAnyCaseAndNotHidden) {
    EXPECT_TRUE(isDropFileName("a.eml"));
    EXPECT_TRUE(isDropFileName("SCAN001.EML"));
    EXPECT_TRUE(isDropFileName("x.Eml"));
    EXPECT_FALSE(isDropFileName(".a.eml"));
    EXPECT_FALSE(isDropFileName("a.eml.tmp"));
    EXPECT_FALSE(isDropFileName(".eml"));
    EXPECT_FALSE(isDropFileName("processed"));
}

TEST(DropFile, ReadsARegularFileWhole) {
    const auto path = fs::temp_directory_path() / ("complaintd-dropfile-" + std::to_string(::getpid()));
    std::ofstream(path, std::ios::binary) << "Subject: x\r\n\r\nbody\r\n";
    const auto content = readDropFile(path, 1024);
    fs::remove(path);
    EXPECT_FALSE(content.refused()) << content.refusal;
    EXPECT_EQ(content.bytes, "Subject: x\r\n\r\nbody\r\n");
}

}  // namespace
}  // namespace complaintd::daemon
