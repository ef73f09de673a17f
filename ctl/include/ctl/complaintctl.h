// complaintctl, the staff's command line: enter, look at and move cases
// through the procedure, the register and deadlines, the quarantine and the
// outbox, the effective configuration. Exit codes: 0 ok, 1 not found,
// refused or invalid use, 78 configuration error.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace complaintd::center {
class Clock;
}

namespace complaintd::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInvalid = 1;
inline constexpr int kExitConfig = 78;

// Runs one command line (without the program name). `terminal`, when given, is where a person
// answers prompts for missing fields (complaintctl new); without it they are errors. `input` is
// standard input, read for `--file -` (reply, new). `clock`, when given, is the time every
// command acts at (tests); without it, the system clock.
int runComplaintctl(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                    std::istream* terminal = nullptr, std::istream* input = nullptr,
                    const center::Clock* clock = nullptr);

}  // namespace complaintd::ctl
