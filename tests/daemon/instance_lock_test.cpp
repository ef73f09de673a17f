#include "instance_lock.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <thread>

namespace complaintd::daemon {
namespace {

namespace fs = std::filesystem;

class InstanceLockTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / "complaintd-instance-lock-test";
        fs::remove_all(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string database() const { return (dir_ / "state" / "complaintd.sqlite").string(); }
    fs::path dir_;
};

TEST_F(InstanceLockTest, ASecondInstanceIsRefusedNamingTheFirst) {
    const InstanceLock first(database(), std::chrono::seconds(0));
    try {
        const InstanceLock second(database(), std::chrono::seconds(0));
        FAIL() << "two instances on one database";
    } catch (const AlreadyRunningError& e) {
        EXPECT_NE(std::string(e.what()).find("another complaintd (pid " + std::to_string(::getpid()) + ")"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(InstanceLockTest, TheLockIsFreeWhenTheFirstEnds) {
    { const InstanceLock first(database(), std::chrono::seconds(0)); }
    EXPECT_NO_THROW(InstanceLock(database(), std::chrono::seconds(0)));
}

TEST_F(InstanceLockTest, AWaitingInstanceTakesItWhenTheFirstEndsInTime) {
    std::optional<InstanceLock> first;
    first.emplace(database(), std::chrono::seconds(0));
    std::thread ending([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        first.reset();
    });
    EXPECT_NO_THROW(InstanceLock(database(), std::chrono::seconds(5)));
    ending.join();
}

}  // namespace
}  // namespace complaintd::daemon
