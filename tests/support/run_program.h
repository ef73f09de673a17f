// Runs an executable (complaintd, complaintctl) to its end, as a test runs it, and
// keeps what it printed.
#pragma once

#include <string>
#include <vector>

namespace complaintd::testing {

struct RunResult {
    int exitCode = -1;
    std::string out;
    std::string err;
};

// Reads stdout and stderr at once: either may fill its pipe while the other is read.
RunResult runProgram(const std::string& program, const std::vector<std::string>& args);

}  // namespace complaintd::testing
