#include "subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

extern char** environ;

namespace complaintd::daemon {
namespace {

using Clock = std::chrono::steady_clock;

// Closes on scope exit; -1 is no descriptor.
class Fd {
public:
    explicit Fd(int fd = -1) : fd_(fd) {}
    ~Fd() { reset(); }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    void reset() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    int fd_;
};

// Moves a descriptor above 2, so that putting the child's stdin and stdout in place
// cannot overwrite one of them (the daemon may have been started with 0-2 closed).
int aboveStandardStreams(int fd) {
    if (fd < 0 || fd > STDERR_FILENO) return fd;
    const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
    ::close(fd);
    return moved;
}

std::vector<char*> pointersTo(const std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (const auto& s : strings) pointers.push_back(const_cast<char*>(s.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

std::string signalName(int signal) {
    const char* abbreviation = ::sigabbrev_np(signal);
    return std::to_string(signal) + (abbreviation ? std::string(", SIG") + abbreviation : "");
}

std::string durationText(std::chrono::milliseconds d) {
    if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
    return std::to_string(d.count()) + " ms";
}

struct Spawn {
    std::vector<char*> argv;
    std::vector<char*> envp;
    int input = -1;
    int output = -1;
    int devNull = -1;
    std::vector<rlimit> limits;  // parallel to resources
    std::vector<int> resources;
    ChildStderr stderrTo = ChildStderr::Inherit;
    pid_t parent = 0;
};

// Puts `fd` at `target` for exec: dup2, or clearing close-on-exec when it is there already.
void placeAt(int fd, int target) {
    if (fd == target) {
        ::fcntl(fd, F_SETFD, 0);
    } else {
        ::dup2(fd, target);
    }
}

// Every descriptor from 3 up closed, in the forked child (async-signal-safe calls only). Without
// close_range (Linux before 5.9, or a filter refusing it) each one up to the descriptor limit;
// when even that cannot be known the child does not run.
void closeInheritedDescriptors() {
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) == 0) return;
    struct rlimit open {};
    if (::prlimit(0, RLIMIT_NOFILE, nullptr, &open) != 0) ::_exit(kExitNotExecuted);
    const auto last = open.rlim_cur == RLIM_INFINITY ? rlim_t(1) << 20 : open.rlim_cur;
    for (rlim_t fd = 3; fd < last; ++fd) ::close(int(fd));
}

// In the forked child: only async-signal-safe calls from here to exec.
[[noreturn]] void execChild(const Spawn& s) {
    ::setpgid(0, 0);
    // Killed with the daemon's thread that started it (a daemon killed by the watchdog leaves
    // no helper behind); when that thread is gone already, nobody waits for the result.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != s.parent) ::_exit(kExitNotExecuted);
    placeAt(s.input, STDIN_FILENO);
    placeAt(s.output, STDOUT_FILENO);
    if (s.stderrTo == ChildStderr::Discard && s.devNull >= 0) placeAt(s.devNull, STDERR_FILENO);
    struct sigaction defaults {};
    defaults.sa_handler = SIG_DFL;
    for (int signal = 1; signal < NSIG; ++signal) ::sigaction(signal, &defaults, nullptr);  // KILL, STOP: EINVAL
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // No descriptor of the daemon (database, mail connections) for the child; before the limits,
    // which may lower RLIMIT_NOFILE below descriptors still open.
    closeInheritedDescriptors();
    // prlimit64 rather than setrlimit: the unit's SystemCallFilter allows the one (@default), not the other.
    for (std::size_t i = 0; i < s.resources.size(); ++i)
        if (::prlimit(0, static_cast<__rlimit_resource>(s.resources[i]), &s.limits[i], nullptr) != 0)
            ::_exit(kExitLimitsNotSet);
    ::execve(s.argv[0], s.argv.data(), s.envp.data());
    ::_exit(kExitNotExecuted);
}

std::string describeExit(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "was killed by signal " + signalName(WTERMSIG(status));
    return "ended with wait status " + std::to_string(status);
}

// Feeds stdin and reads stdout until end of file, the deadline, too much output or a stop.
// Returns End::Exited when the output ended normally (the exit is still to be waited for).
ChildResult::End exchange(const ChildRequest& request, Fd& input, int output, Clock::time_point deadline,
                          std::string& collected, std::string& problem) {
    std::size_t written = 0;
    if (request.input.empty()) input.reset();
    char buffer[16384];
    for (;;) {
        if (request.stopping && *request.stopping) return ChildResult::End::Stopped;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return ChildResult::End::TimedOut;
        pollfd fds[2] = {{output, POLLIN, 0}, {input.get(), POLLOUT, 0}};
        const int ready = ::poll(fds, input.get() >= 0 ? 2 : 1, int(std::min<long>(left.count(), 200)));
        if (ready < 0 && errno != EINTR) {
            problem = std::string("poll failed: ") + std::strerror(errno);
            return ChildResult::End::TimedOut;
        }
        if (ready <= 0) continue;
        if (input.get() >= 0 && fds[1].revents != 0) {
            const auto n =
                ::send(input.get(), request.input.data() + written,
                       std::min<std::size_t>(request.input.size() - written, 1 << 16), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n > 0) written += std::size_t(n);
            // Done, or the child closed its stdin: what it makes of that shows in its output.
            if (written == request.input.size() || (n < 0 && errno != EAGAIN && errno != EINTR)) input.reset();
        }
        if (fds[0].revents == 0) continue;
        const auto n = ::read(output, buffer, sizeof buffer);
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n <= 0) return ChildResult::End::Exited;
        collected.append(buffer, std::size_t(n));
        if (collected.size() > request.maxOutputBytes) return ChildResult::End::TooMuchOutput;
    }
}

// Waits, without reaping, for the child to end after it closed its stdout.
ChildResult::End awaitExit(pid_t pid, const ChildRequest& request, Clock::time_point deadline) {
    for (;;) {
        siginfo_t info{};
        if (::waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 && errno != EINTR)
            return ChildResult::End::Exited;
        if (info.si_pid == pid) return ChildResult::End::Exited;
        if (request.stopping && *request.stopping) return ChildResult::End::Stopped;
        if (Clock::now() >= deadline) return ChildResult::End::TimedOut;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
}

}  // namespace

ChildResult runChild(const ChildRequest& request) {
    ChildResult result;
    int sockets[2];
    int pipeFds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
        result.problem = std::string("could not start: ") + std::strerror(errno);
        return result;
    }
    Fd ourInput(aboveStandardStreams(sockets[0])), theirInput(aboveStandardStreams(sockets[1]));
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) {
        result.problem = std::string("could not start: ") + std::strerror(errno);
        return result;
    }
    Fd ourOutput(aboveStandardStreams(pipeFds[0])), theirOutput(aboveStandardStreams(pipeFds[1]));
    Fd devNull(aboveStandardStreams(::open("/dev/null", O_WRONLY | O_CLOEXEC)));
    if (ourInput.get() < 0 || theirInput.get() < 0 || ourOutput.get() < 0 || theirOutput.get() < 0) {
        result.problem = std::string("could not start: ") + std::strerror(errno);
        return result;
    }

    Spawn spawn;
    spawn.argv = pointersTo(request.argv);
    if (request.environment.empty()) {
        for (char** variable = environ; *variable; ++variable) spawn.envp.push_back(*variable);
        spawn.envp.push_back(nullptr);
    } else {
        spawn.envp = pointersTo(request.environment);
    }
    spawn.input = theirInput.get();
    spawn.output = theirOutput.get();
    spawn.devNull = devNull.get();
    spawn.stderrTo = request.stderrTo;
    spawn.parent = ::getpid();
    for (const auto& limit : request.limits) {
        rlim_t hard = limit.resource == RLIMIT_CPU ? limit.value + 1 : limit.value;
        // Never above what the daemon itself may have (systemd's Limit*=): raising it would fail.
        rlimit current{};
        if (::getrlimit(__rlimit_resource(limit.resource), &current) == 0 && current.rlim_max != RLIM_INFINITY)
            hard = std::min(hard, current.rlim_max);
        spawn.resources.push_back(limit.resource);
        spawn.limits.push_back({std::min(limit.value, hard), hard});
    }

    const auto deadline = Clock::now() + request.timeout;
    const pid_t pid = ::fork();
    if (pid == 0) execChild(spawn);
    const int forkErrno = errno;
    theirInput.reset();
    theirOutput.reset();
    devNull.reset();
    if (pid < 0) {
        result.problem = std::string("could not start: ") + std::strerror(forkErrno);
        return result;
    }
    ::setpgid(pid, pid);  // also here: whichever of parent and child comes first

    result.end = exchange(request, ourInput, ourOutput.get(), deadline, result.output, result.problem);
    if (result.end == ChildResult::End::Exited) result.end = awaitExit(pid, request, deadline);
    // Before the child is reaped, so that its process group id cannot have been reused yet.
    ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (result.end == ChildResult::End::Exited && WIFSIGNALED(status)) {
        result.end = ChildResult::End::Signalled;
        result.signal = WTERMSIG(status);
    }
    if (result.end == ChildResult::End::Exited) result.exitStatus = WEXITSTATUS(status);
    switch (result.end) {
        case ChildResult::End::Exited:
        case ChildResult::End::Signalled:
            if (!result.succeeded()) result.problem = describeExit(status);
            break;
        case ChildResult::End::TimedOut:
            if (result.problem.empty()) result.problem = "timed out after " + durationText(request.timeout);
            break;
        case ChildResult::End::TooMuchOutput:
            result.problem = "printed more than " + std::to_string(request.maxOutputBytes / 1024) + " KiB";
            break;
        case ChildResult::End::Stopped:
            result.problem = "was stopped: the service is stopping";
            break;
        case ChildResult::End::NotStarted:
            break;
    }
    if (result.end == ChildResult::End::Exited && result.exitStatus == kExitNotExecuted)
        result.problem = "could not be started (exit status 127: no such program, or not executable)";
    if (result.end == ChildResult::End::Exited && result.exitStatus == kExitLimitsNotSet)
        result.problem = "could not be given its resource limits (exit status 125)";
    return result;
}

}  // namespace complaintd::daemon
