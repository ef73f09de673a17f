#include "ctl/complaintctl.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "daemon/service.h"
#include "test_clock.h"
#include "test_mail.h"

namespace complaintd::ctl {
namespace {

namespace fs = std::filesystem;

class ComplaintctlTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("complaintctl-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "drop");
        std::ofstream(dir_ / "drop" / "1.eml", std::ios::binary)
            << testing::big5Complaint("c1@example.org", "紫楝路路燈不亮", "路燈壞了，請修理。");
        daemon::FixedClock clock(daemon::utc(2026, 11, 30, 1));
        std::atomic<bool> stopping{false};
        daemon::Service(daemon::loadSettings(std::nullopt, {stateDir()}).settings, clock).runCycle(stopping);
    }
    void TearDown() override {
        if (!HasFailure()) fs::remove_all(dir_);
    }

    std::string stateDir() const { return "state_dir=" + dir_.string(); }

    int run(std::vector<std::string> args) {
        out_.str("");
        err_.str("");
        args.insert(args.begin(), {"-o", stateDir()});
        return runComplaintctl(args, out_, err_);
    }

    fs::path dir_;
    std::ostringstream out_;
    std::ostringstream err_;
};

TEST_F(ComplaintctlTest, ListJsonCarriesTheCaseFields) {
    ASSERT_EQ(run({"list", "--json"}), kExitOk) << err_.str();
    const auto array = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(array->size(), 1u);
    const auto c = array->getObject(0);
    EXPECT_EQ(c->getValue<std::string>("number"), "115-001");
    EXPECT_EQ(c->getValue<std::string>("channel"), "email");
    EXPECT_EQ(c->getValue<std::string>("category"), "rights");
    EXPECT_EQ(c->getValue<std::string>("unit"), "public-works");
    EXPECT_EQ(c->getValue<std::string>("status"), "assigned");
    EXPECT_EQ(c->getValue<std::string>("subject"), "紫楝路路燈不亮");
    EXPECT_EQ(c->getValue<std::string>("received_at"), "2026-11-30T09:00:00+08:00");
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("name"), "王小明");
    EXPECT_EQ(c->getObject("complainant")->getValue<std::string>("email"), "wang@example.org");
    EXPECT_EQ(c->getObject("routing")->getValue<std::string>("rule"), "streetlight");
    EXPECT_EQ(c->getObject("routing")->getArray("keywords")->getElement<std::string>(0), "路燈");
}

TEST_F(ComplaintctlTest, ListTextShowsNumberAndUnitName) {
    ASSERT_EQ(run({"list"}), kExitOk);
    EXPECT_NE(out_.str().find("115-001"), std::string::npos);
    EXPECT_NE(out_.str().find("工務組"), std::string::npos);
}

TEST_F(ComplaintctlTest, RerouteIsRecordedAndShown) {
    ASSERT_EQ(run({"reroute", "115-001", "環安組", "--reason", "其實是噪音問題", "--by", "alice"}), kExitOk)
        << err_.str();
    ASSERT_EQ(run({"show", "115-001"}), kExitOk);
    EXPECT_NE(out_.str().find("environment-safety (環安組)"), std::string::npos) << out_.str();
    EXPECT_NE(out_.str().find("alice"), std::string::npos);
    EXPECT_NE(out_.str().find("rerouted public-works -> environment-safety: 其實是噪音問題"), std::string::npos)
        << out_.str();
    ASSERT_EQ(run({"show", "115-001", "--json"}), kExitOk);
    const auto c = Poco::JSON::Parser().parse(out_.str()).extract<Poco::JSON::Object::Ptr>();
    EXPECT_EQ(c->getArray("history")->size(), 2u);
}

TEST_F(ComplaintctlTest, UnknownUnitOrCaseIsRefusedWithWhatExists) {
    EXPECT_EQ(run({"reroute", "115-001", "nowhere", "--reason", "x"}), kExitInvalid);
    EXPECT_NE(err_.str().find("public-works (工務組)"), std::string::npos) << err_.str();
    EXPECT_EQ(run({"reroute", "115-099", "intake", "--reason", "x"}), kExitInvalid);
    EXPECT_NE(err_.str().find("no case 115-099"), std::string::npos);
    EXPECT_EQ(run({"show", "115-099"}), kExitInvalid);
    EXPECT_EQ(run({"reroute", "115-001", "intake"}), kExitInvalid);  // no --reason
    EXPECT_EQ(run({"frobnicate"}), kExitInvalid);
}

TEST_F(ComplaintctlTest, ConfigurationErrorExits78) {
    EXPECT_EQ(run({"-o", "poll_interval=never", "list"}), kExitConfig);
    EXPECT_NE(err_.str().find("poll_interval"), std::string::npos);
    EXPECT_EQ(run({"--config", "/nonexistent.conf", "list"}), kExitConfig);
}

TEST_F(ComplaintctlTest, ConfigPrintsEveryKeyWithOrigin) {
    ASSERT_EQ(run({"config"}), kExitOk);
    EXPECT_NE(out_.str().find("state_dir = " + dir_.string() + "    # from -o"), std::string::npos);
    EXPECT_NE(out_.str().find("imap.folder = INBOX"), std::string::npos);
}

TEST_F(ComplaintctlTest, HelpExitsZero) {
    EXPECT_EQ(runComplaintctl({"--help"}, out_, err_), kExitOk);
    EXPECT_NE(out_.str().find("reroute CASE UNIT --reason TEXT"), std::string::npos);
}

}  // namespace
}  // namespace complaintd::ctl
