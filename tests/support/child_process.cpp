#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace complaintd::testing {
namespace {

std::vector<std::string> mergedEnvironment(const std::vector<std::string>& overrides,
                                           const std::vector<std::string>& dropPrefixes) {
    auto nameOf = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
    std::vector<std::string> result;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string current = *entry;
        bool drop = false;
        for (const auto& prefix : dropPrefixes) drop = drop || current.starts_with(prefix);
        for (const auto& override : overrides) drop = drop || nameOf(override) == nameOf(current);
        if (!drop) result.push_back(current);
    }
    result.insert(result.end(), overrides.begin(), overrides.end());
    return result;
}

std::vector<char*> pointersTo(std::vector<std::string>& strings) {
    std::vector<char*> result;
    for (auto& s : strings) result.push_back(s.data());
    result.push_back(nullptr);
    return result;
}

// Runs in the forked child: only async-signal-safe calls from here on.
[[noreturn]] void execChild(char* const* argv, char* const* envp, const char* logFile, pid_t parent) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(127);  // the parent died before prctl took effect

    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int sig : {SIGPIPE, SIGTERM, SIGINT, SIGCHLD}) signal(sig, SIG_DFL);

    const int in = open("/dev/null", O_RDONLY);
    const int out = open(logFile, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0) {
        const char message[] = "complaintd test support: cannot open the server's log file\n";
        [[maybe_unused]] auto ignored = write(STDERR_FILENO, message, sizeof message - 1);
        _exit(127);
    }
    dup2(in, STDIN_FILENO);
    dup2(out, STDOUT_FILENO);
    dup2(out, STDERR_FILENO);
    // Inherited sockets (e.g. a listener of the code under test) would outlive a restart of it.
#ifdef SYS_close_range
    if (syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
#endif
    {
        for (int fd = 3; fd < 65536; ++fd) close(fd);
    }

    execve(argv[0], argv, envp);
    const char prefix[] = "complaintd test support: execve failed for ";
    [[maybe_unused]] auto ignored = write(STDERR_FILENO, prefix, sizeof prefix - 1);
    ignored = write(STDERR_FILENO, argv[0], strlen(argv[0]));
    ignored = write(STDERR_FILENO, "\n", 1);
    _exit(127);
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                           const std::vector<std::string>& dropPrefixes, const std::string& logFile) {
    std::vector<std::string> args = argv;
    std::vector<std::string> env = mergedEnvironment(environment, dropPrefixes);
    std::vector<char*> argPointers = pointersTo(args);
    std::vector<char*> envPointers = pointersTo(env);
    const pid_t parent = getpid();

    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork() failed for " + argv.at(0) + ": " + std::strerror(errno));
    if (pid_ == 0) execChild(argPointers.data(), envPointers.data(), logFile.c_str(), parent);
    setpgid(pid_, pid_);  // also from the parent, so killpg() works even before the child ran
}

ChildProcess::~ChildProcess() { terminate(); }

bool ChildProcess::running() const {
    if (reaped_) return false;
    siginfo_t info{};
    // WNOWAIT: keep the zombie, so the pid (and our process group id) cannot be reused yet.
    if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return false;
    return info.si_pid == 0;
}

void ChildProcess::terminate(std::chrono::milliseconds grace, const std::function<bool()>& doneEarly) {
    if (reaped_) return;
    if (running()) {
        kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        while (running() && std::chrono::steady_clock::now() < deadline && !(doneEarly && doneEarly())) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    }
    // The leader is a zombie or still alive, so the group id is still ours: kill what is left.
    killpg(pid_, SIGKILL);
    while (waitpid(pid_, &waitStatus_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
}

std::vector<std::string> ChildProcess::groupMembers() const {
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string pid = entry.path().filename();
        if (pid.find_first_not_of("0123456789") != std::string::npos || pid == std::to_string(pid_)) continue;
        // /proc/PID/stat: "pid (comm) state ppid pgrp ..."; comm may contain spaces and ')'.
        std::string stat;
        try {
            std::ifstream statFile(entry.path() / "stat");
            stat.assign(std::istreambuf_iterator<char>(statFile), std::istreambuf_iterator<char>());
        } catch (const std::exception&) {
            continue;  // exited between the listing and the read (libstdc++ throws on ESRCH)
        }
        const auto open = stat.find('(');
        const auto close = stat.rfind(')');
        if (open == std::string::npos || close == std::string::npos) continue;  // exited meanwhile
        std::istringstream rest(stat.substr(close + 1));
        std::string state;
        long ppid = 0, pgrp = 0;
        rest >> state >> ppid >> pgrp;
        if (pgrp == pid_ && state != "Z") names.push_back(stat.substr(open + 1, close - open - 1));
    }
    return names;
}

std::string ChildProcess::describeState() const {
    int status = waitStatus_;
    if (!reaped_) {
        siginfo_t info{};
        if (waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return "gone";
        if (info.si_pid == 0) return "running";
        if (info.si_code == CLD_EXITED) return "exited with status " + std::to_string(info.si_status);
        return "killed by signal " + std::to_string(info.si_status);
    }
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "killed by signal " + std::to_string(WTERMSIG(status));
    return "stopped";
}

}  // namespace complaintd::testing
