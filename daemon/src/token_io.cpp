// SystemTokenIo: the token file and the token command for real. The command
// runs as `/bin/sh -c COMMAND` (so an administrator can write a pipeline) in
// its own process group, with stdin from /dev/null, stdout captured (at most
// 64 KiB), stderr inherited and no other descriptor; the whole group is
// killed at the timeout. It starts with every signal at its default and none
// blocked: the daemon blocks SIGTERM, SIGINT and SIGHUP for its signal thread
// (and a library may ignore SIGPIPE), which a `timeout` or a retrying curl
// inside the command would otherwise inherit.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "daemon/file_contents.h"
#include "daemon/oauth_token.h"

namespace complaintd::daemon {
namespace {

constexpr std::size_t kMaxOutputBytes = 64 * 1024;

std::string describeStatus(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
    return "ended with wait status " + std::to_string(status);
}

// Reads the child's stdout until end of file, the deadline or too much output.
// Returns "" when all went well, else what went wrong.
std::string collectOutput(int fd, std::chrono::seconds timeout, std::string& output) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return "timed out after " + std::to_string(timeout.count()) + " s";
        pollfd readable{fd, POLLIN, 0};
        const int ready = ::poll(&readable, 1, int(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return std::string("poll failed: ") + std::strerror(errno);
        if (ready == 0) continue;
        const auto n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return std::string("cannot read its output: ") + std::strerror(errno);
        if (n == 0) return "";
        output.append(buffer, std::size_t(n));
        if (output.size() > kMaxOutputBytes) return "printed more than 64 KiB";
    }
}

// In the child: dispositions first, so that a signal pending under the inherited mask meets the
// default action once unblocked, never a handler of the daemon.
void resetSignals() {
    struct sigaction byDefault {};
    byDefault.sa_handler = SIG_DFL;
    sigemptyset(&byDefault.sa_mask);
    for (int signal = 1; signal < NSIG; ++signal)
        if (signal != SIGKILL && signal != SIGSTOP) ::sigaction(signal, &byDefault, nullptr);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

}  // namespace

std::optional<TokenIo::File> SystemTokenIo::readFile(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) return std::nullopt;
    auto content = fileContents(path);
    if (!content) return std::nullopt;
    return File{std::move(*content), cases::Timestamp(std::chrono::seconds(info.st_mtim.tv_sec))};
}

TokenIo::CommandResult SystemTokenIo::run(const std::string& command, std::chrono::seconds timeout) {
    int pipeFds[2];
    if (::pipe2(pipeFds, O_CLOEXEC) != 0) return {false, "", std::string("could not start: ") + std::strerror(errno)};
    const int devNull = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const char* argv[] = {"/bin/sh", "-c", command.c_str(), nullptr};
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Only async-signal-safe calls between fork and exec.
        resetSignals();
        ::setpgid(0, 0);
        if (devNull >= 0) ::dup2(devNull, STDIN_FILENO);
        ::dup2(pipeFds[1], STDOUT_FILENO);
        // No descriptor of the daemon (database, mail connections) for the command.
        ::syscall(SYS_close_range, 3U, ~0U, 0U);
        ::execv(argv[0], const_cast<char* const*>(argv));
        ::_exit(127);
    }
    const int forkErrno = errno;
    ::close(pipeFds[1]);
    if (devNull >= 0) ::close(devNull);
    if (pid < 0) {
        ::close(pipeFds[0]);
        return {false, "", std::string("could not start: ") + std::strerror(forkErrno)};
    }
    ::setpgid(pid, pid);  // also here: whichever of parent and child comes first
    CommandResult result;
    result.problem = collectOutput(pipeFds[0], timeout, result.output);
    ::close(pipeFds[0]);
    if (!result.problem.empty()) ::kill(-pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (result.problem.empty() && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        result.problem = describeStatus(status);
    result.succeeded = result.problem.empty();
    if (!result.succeeded) result.output.clear();  // half a token is no token, and it must not end up in a log
    return result;
}

}  // namespace complaintd::daemon
