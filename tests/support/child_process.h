// Internal to complaintd_test_support: a server process started by the tests.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace complaintd::testing {

// fork/exec instead of Poco::Process because we need, in the child: its own process group
// (to kill everything the server forked), PR_SET_PDEATHSIG (no orphans when a test crashes),
// stdout/stderr appended to a log file, and no inherited descriptors.
class ChildProcess {
public:
    // argv[0] must be an absolute path. `environment` entries are NAME=value and replace
    // the inherited ones of the same name; inherited names starting with one of
    // `dropPrefixes` are removed.
    ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                 const std::vector<std::string>& dropPrefixes, const std::string& logFile);
    ~ChildProcess();  // terminate()
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running() const;
    // SIGTERM to the process; wait until it exited, `grace` passed or `doneEarly()` says the
    // rest is not worth waiting for; then SIGKILL its whole process group (leftover workers
    // too) and reap it. Idempotent.
    void terminate(std::chrono::milliseconds grace = std::chrono::seconds(10),
                   const std::function<bool()>& doneEarly = {});
    // Names (/proc/PID/comm) of the live processes in our process group, except the leader.
    std::vector<std::string> groupMembers() const;
    // "exited with status 1", "killed by signal 9", "running".
    std::string describeState() const;

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    int waitStatus_ = 0;
};

}  // namespace complaintd::testing
