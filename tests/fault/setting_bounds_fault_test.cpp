// Every setting is validated at start-up with the bounds its component uses (issue 12):
// fax.ocr_dpi = 1200 used to pass start-up and then fail the OCR of every fax. The real
// complaintd and complaintctl, with the value in a configuration file as an administrator writes it.
#include <gtest/gtest.h>

#include <fstream>

#include "run_program.h"
#include "test_servers.h"

namespace complaintd::testing {
namespace {

struct OutOfRange {
    std::string assignment;
    std::string expected;  // the key, the value and the bounds
};

TEST(SettingBoundsFaultTest, AnOutOfRangeValueStopsBothProgramsWithExitCode78NamingKeyAndBounds) {
    const TempDir dir;
    for (const auto& [assignment, expected] : std::vector<OutOfRange>{
             {"fax.ocr_dpi = 1200", "fax.ocr_dpi = \"1200\": expected a whole number from 50 to 600"},
             {"fax.ocr_low_confidence = 101",
              "fax.ocr_low_confidence = \"101\": expected a whole number from 0 to 100"},
             {"limits.mime_depth = 100000", "limits.mime_depth = \"100000\": expected a whole number from 1 to 100"},
             {"imap.idle_refresh = 3600", "imap.idle_refresh = \"3600\": expected a whole number from 1 to 1740"},
         }) {
        const auto config = dir.path() + "/complaintd.conf";
        std::ofstream(config) << "state_dir = " << dir.path() << "/state\n" << assignment << "\n";
        const auto daemon = runProgram(COMPLAINTD_BINARY, {"--config", config, "--once"});
        EXPECT_EQ(daemon.exitCode, 78) << assignment << ": " << daemon.err;
        EXPECT_NE(daemon.err.find(config + ": " + expected), std::string::npos) << daemon.err;
        const auto ctl = runProgram(COMPLAINTCTL_BINARY, {"--config", config, "status"});
        EXPECT_EQ(ctl.exitCode, 78) << assignment << ": " << ctl.err;
        EXPECT_NE(ctl.err.find(config + ": " + expected), std::string::npos) << ctl.err;
    }
}

}  // namespace
}  // namespace complaintd::testing
