// complaintctl, the staff's command line: list and show cases, reroute a
// misfiled case, look at the quarantine and the outbox, print the effective
// configuration. Exit codes: 0 ok, 1 not found or invalid use, 78
// configuration error.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaintd::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitConfig = 78;

// Runs one command line (without the program name).
int runComplaintctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace complaintd::ctl
