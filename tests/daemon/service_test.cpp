// The whole path without servers: drop folder in, cases and .eml letters out.
#include "daemon/service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_clock.h"
#include "test_mail.h"

namespace complaintd::daemon {
namespace {

namespace fs = std::filesystem;

class ServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("complaintd-service-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "drop");
        settings_ = center::loadSettings(std::nullopt, {"state_dir=" + dir_.string()}).settings;
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }

    void drop(const std::string& name, const std::string& content) {
        std::ofstream(dir_ / "drop" / name, std::ios::binary) << content;
    }

    std::vector<fs::path> filesIn(const fs::path& dir) const {
        std::vector<fs::path> files;
        if (fs::exists(dir))
            for (const auto& e : fs::directory_iterator(dir))
                if (e.is_regular_file()) files.push_back(e.path());
        return files;
    }

    static std::string read(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    }

    fs::path dir_;
    center::Settings settings_;
    FixedClock clock_{utc(2026, 11, 30, 1)};
    std::atomic<bool> stopping_{false};
};

TEST_F(ServiceTest, DroppedBig5ComplaintBecomesRoutedCaseWithAcknowledgement) {
    drop("a.eml", testing::big5Complaint("c1@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。"));
    Service service(settings_, clock_);
    const auto report = service.runCycle(stopping_);
    EXPECT_EQ(report.stored, 1);
    EXPECT_EQ(report.opened, 1);
    EXPECT_EQ(report.sent, 2);  // the acknowledgement, and the notice to the unit the rules chose

    center::Store store(settings_.databasePath);
    const auto cases = store.listCases();
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_EQ(cases[0].number.toString(), "115-001");
    EXPECT_EQ(cases[0].unit, "public-works");
    EXPECT_EQ(cases[0].subject, "紫楝路路燈不亮");
    EXPECT_EQ(cases[0].complainant.name, "王小明");
    EXPECT_EQ(cases[0].routing.rule, "streetlight");
    EXPECT_EQ(cases[0].status, cases::CaseStatus::Assigned);

    EXPECT_TRUE(filesIn(dir_ / "drop").empty());
    EXPECT_EQ(filesIn(dir_ / "drop" / "processed").size(), 1u);
    ASSERT_EQ(filesIn(dir_ / "outbox").size(), 2u);
    EXPECT_NE(read(dir_ / "outbox" / "115-001-unit-notice-2.eml").find("To: =?UTF-8?"), std::string::npos);
    const auto letter = read(dir_ / "outbox" / "115-001-acknowledgement-1.eml");
    // An automatic letter names no one: the To: header is the address alone.
    EXPECT_NE(letter.find("\r\nTo: wang@example.org\r\n"), std::string::npos);
    EXPECT_NE(letter.find("In-Reply-To: <c1@example.org>"), std::string::npos);
    EXPECT_NE(letter.find("Auto-Submitted: auto-replied"), std::string::npos);
}

TEST_F(ServiceTest, EveryMessageTakenAndLetterHandledFeedsTheHeartbeat) {
    for (int n = 1; n <= 3; ++n)
        drop(std::to_string(n) + ".eml",
             testing::big5Complaint("c" + std::to_string(n) + "@example.org", "紫楝路路燈不亮", "路燈壞了。", "王小明",
                                    "wang" + std::to_string(n) + "@example.org"));
    int beats = 0;
    Service service(settings_, clock_, [&] { ++beats; });
    const auto report = service.runCycle(stopping_);
    EXPECT_EQ(report.opened, 3);
    EXPECT_EQ(report.sent, 6);  // each acknowledgement and the unit's notice
    EXPECT_GE(beats, 9) << "one beat per message taken and per letter handled";
}

TEST_F(ServiceTest, OutboxLetterIsNeverWrittenThroughAPlantedLink) {
    // The temporary name the folder sender used to write under, linked to a file of someone else.
    fs::create_directories(dir_ / "outbox");
    std::ofstream(dir_ / "victim") << "untouched\n";
    fs::create_symlink(dir_ / "victim", dir_ / "outbox" / ".115-001-acknowledgement-1.eml.tmp");
    drop("a.eml", testing::big5Complaint("c1@example.org", "紫楝路路燈不亮", "路燈已經壞了三天，晚上很暗。"));
    Service service(settings_, clock_);
    EXPECT_EQ(service.runCycle(stopping_).sent, 2);  // the acknowledgement and the unit's notice
    EXPECT_EQ(read(dir_ / "victim"), "untouched\n");
    const auto letter = dir_ / "outbox" / "115-001-acknowledgement-1.eml";
    ASSERT_TRUE(fs::is_regular_file(fs::symlink_status(letter)));
    EXPECT_NE(read(letter).find("In-Reply-To: <c1@example.org>"), std::string::npos);
    // Nothing but the letters and the planted link: no temporary file is left behind.
    const auto notice = dir_ / "outbox" / "115-001-unit-notice-2.eml";
    std::size_t entries = 0;
    for (const auto& entry : fs::directory_iterator(dir_ / "outbox")) {
        ++entries;
        EXPECT_TRUE(entry.path() == letter || entry.path() == notice || entry.is_symlink()) << entry.path();
    }
    EXPECT_EQ(entries, 3u);
}

TEST_F(ServiceTest, SecondCycleAndRedroppedFileCreateNothing) {
    const auto mail = testing::big5Complaint("c1@example.org", "路燈", "路燈不亮");
    drop("a.eml", mail);
    Service service(settings_, clock_);
    service.runCycle(stopping_);
    EXPECT_EQ(service.runCycle(stopping_).opened, 0);
    drop("again.eml", mail);
    const auto report = service.runCycle(stopping_);
    EXPECT_EQ(report.duplicates, 1);
    EXPECT_EQ(report.opened, 0);
    EXPECT_EQ(center::Store(settings_.databasePath).listCases().size(), 1u);
    EXPECT_EQ(filesIn(dir_ / "outbox").size(), 2u);  // the acknowledgement and the unit's notice, once
}

TEST_F(ServiceTest, UnreadableMessageIsQuarantinedNotDropped) {
    drop("bad.eml", "\x01\x02 this is not a mail message at all\n");
    Service service(settings_, clock_);
    const auto report = service.runCycle(stopping_);
    EXPECT_EQ(report.quarantined, 1);
    center::Store store(settings_.databasePath);
    EXPECT_TRUE(store.listCases().empty());
    ASSERT_EQ(store.quarantined().size(), 1u);
    EXPECT_FALSE(store.quarantined()[0].reason.empty());
}

TEST_F(ServiceTest, UnmatchedComplaintGoesToIntakeDesk) {
    drop("a.eml", testing::big5Complaint("c2@example.org", "請問", "請問服務時間？"));
    Service service(settings_, clock_);
    service.runCycle(stopping_);
    const auto cases = center::Store(settings_.databasePath).listCases();
    ASSERT_EQ(cases.size(), 1u);
    EXPECT_EQ(cases[0].unit, "intake");
    EXPECT_EQ(cases[0].status, cases::CaseStatus::Received);
    EXPECT_TRUE(cases[0].routing.rule.empty());
}

TEST_F(ServiceTest, BrokenRulesFileStopsStartUpNamingFileAndLine) {
    std::ofstream(dir_ / "rules.conf") << "[x]\nunit = public-works\ncategory = rights\nkeywords = a\nbogus = 1\n";
    settings_.rulesFile = (dir_ / "rules.conf").string();
    try {
        Service service(settings_, clock_);
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("rules.conf:5: unknown key `bogus`"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace complaintd::daemon
