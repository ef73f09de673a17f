#include "instance_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <thread>

namespace complaintd::daemon {
namespace {

// What the holder wrote into the lock file: its pid, for the message to whoever waits.
std::string holderOf(int fd) {
    char text[32] = {};
    const auto n = ::pread(fd, text, sizeof text - 1, 0);
    std::string pid(text, n > 0 ? std::size_t(n) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return pid.empty() ? "unknown" : pid;
}

void writePid(int fd) {
    const auto pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
}

}  // namespace

InstanceLock::InstanceLock(const std::string& databasePath, std::chrono::seconds wait) {
    const auto path = databasePath + ".lock";
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
    if (fd_ < 0) throw Error("cannot open the lock file " + path + ": " + std::strerror(errno));
    const auto until = std::chrono::steady_clock::now() + wait;
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) {
            const int error = errno;
            ::close(fd_);
            throw Error("cannot lock " + path + ": " + std::strerror(error));
        }
        if (std::chrono::steady_clock::now() >= until) {
            const auto holder = holderOf(fd_);
            ::close(fd_);
            throw AlreadyRunningError("another complaintd (pid " + holder + ") works on " + databasePath +
                                      "; one at a time, or letters would go out twice (stop it first, or give "
                                      "this one its own database)");
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    writePid(fd_);
}

InstanceLock::~InstanceLock() {
    if (fd_ >= 0) ::close(fd_);  // lets go of the lock
}

}  // namespace complaintd::daemon
