// complaintd running as the service does, its log read line by line; killed when the test ends,
// even when an assertion ends it early.
#pragma once

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <string>
#include <vector>

namespace complaintd::testing {

class RunningDaemon {
public:
    // complaintd (the binary under test) with these arguments.
    explicit RunningDaemon(std::vector<std::string> args);
    ~RunningDaemon();
    RunningDaemon(const RunningDaemon&) = delete;
    RunningDaemon& operator=(const RunningDaemon&) = delete;

    int pid() const { return process_.id(); }
    void signal(int number) const;
    // The first log line from here on that holds `text`; a test failure when the log ends first.
    std::string waitForLog(const std::string& text);
    // SIGTERM, then its exit code, the rest of its log with it.
    int stop(std::string& rest);
    // Its exit code once it ends by itself, the rest of its log with it.
    int wait(std::string& rest);
    void kill9();

private:
    Poco::Pipe errPipe_;
    Poco::ProcessHandle process_;
    Poco::PipeInputStream log_;
};

}  // namespace complaintd::testing
