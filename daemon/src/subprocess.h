// Running another program from the daemon: the token command and the OCR
// helper. The daemon has threads, so the child is forked and exec'd at once
// (nothing but async-signal-safe calls in between). It runs in its own process
// group, with stdin and stdout on pipes the daemon holds, no other descriptor of
// the daemon (database, mail connections), an empty signal mask and default
// signal dispositions (the daemon blocks SIGTERM, SIGINT and SIGHUP in every
// thread, and systemd ignores SIGPIPE), and the resource limits asked for, set
// before exec. The whole group is killed at the deadline, on too much output or
// when the caller stops; the child is killed when the thread that started it ends
// (PR_SET_PDEATHSIG), so a daemon that dies leaves no child running.
#pragma once

#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace complaintd::daemon {

struct ResourceLimit {
    int resource = 0;  // RLIMIT_CPU, RLIMIT_AS, ...
    rlim_t value = 0;  // soft and hard limit; for RLIMIT_CPU the hard limit is one second more (SIGXCPU first)
};

enum class ChildStderr { Inherit, Discard };

struct ChildRequest {
    std::vector<std::string> argv;  // argv[0] is the program's path
    // Its environment, NAME=value each; empty: the daemon's own.
    std::vector<std::string> environment;
    std::string input;  // written to its stdin, which is then closed
    ChildStderr stderrTo = ChildStderr::Inherit;
    std::vector<ResourceLimit> limits;
    std::chrono::milliseconds timeout{60'000};
    std::size_t maxOutputBytes = 64 * 1024;
    const std::atomic<bool>* stopping = nullptr;  // when set and true, the child is killed
};

struct ChildResult {
    enum class End {
        Exited,         // exitStatus says how
        Signalled,      // signal says which
        TimedOut,       // killed at the deadline
        TooMuchOutput,  // killed: it printed more than maxOutputBytes
        Stopped,        // killed: the caller is stopping
        NotStarted,     // problem says why
    };
    End end = End::NotStarted;
    int exitStatus = 0;
    int signal = 0;
    std::string output;   // its stdout (complete only when it exited)
    std::string problem;  // a person's words for anything but exit status 0: "was killed by signal 9"
    bool succeeded() const { return end == End::Exited && exitStatus == 0; }
};

// Exit statuses the child takes before exec fails or runs.
constexpr int kExitLimitsNotSet = 125;  // a resource limit could not be set: it never ran
constexpr int kExitNotExecuted = 127;   // exec failed (no such program, not executable)

ChildResult runChild(const ChildRequest& request);

}  // namespace complaintd::daemon
