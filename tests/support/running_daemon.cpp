#include "running_daemon.h"

#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <csignal>

namespace complaintd::testing {

RunningDaemon::RunningDaemon(std::vector<std::string> args)
    : process_(Poco::Process::launch(COMPLAINTD_BINARY, args, nullptr, nullptr, &errPipe_)), log_(errPipe_) {}

RunningDaemon::~RunningDaemon() {
    if (Poco::Process::isRunning(process_)) ::kill(process_.id(), SIGKILL);
}

void RunningDaemon::signal(int number) const { ::kill(process_.id(), number); }

std::string RunningDaemon::waitForLog(const std::string& text) {
    std::string line, seen;
    while (std::getline(log_, line) && line.find(text) == std::string::npos) seen += line + "\n";
    EXPECT_FALSE(log_.eof()) << "no \"" << text << "\" in:\n" << seen;
    return line;
}

int RunningDaemon::stop(std::string& rest) {
    signal(SIGTERM);
    return wait(rest);
}

int RunningDaemon::wait(std::string& rest) {
    Poco::StreamCopier::copyToString(log_, rest);
    return process_.wait();
}

void RunningDaemon::kill9() {
    signal(SIGKILL);
    process_.wait();
}

}  // namespace complaintd::testing
