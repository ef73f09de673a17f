#include "notify_socket.h"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "child_process.h"
#include "test_servers.h"

namespace complaintd::testing {

NotifySocket::NotifySocket(std::string path) : path_(std::move(path)) {
    sockaddr_un address{};
    if (path_.size() >= sizeof address.sun_path) throw std::runtime_error("notify socket path too long: " + path_);
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, path_.c_str());
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ::unlink(path_.c_str());
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw std::runtime_error("cannot bind the notify socket " + path_ + ": " + std::strerror(errno));
    reader_ = std::thread([this] {
        char buffer[4096];
        while (!done_) {
            pollfd ready{fd_, POLLIN, 0};
            if (::poll(&ready, 1, 50) <= 0) continue;
            const auto n = ::recv(fd_, buffer, sizeof buffer, 0);
            if (n <= 0) continue;
            const std::lock_guard lock(mutex_);
            received_.push_back({Clock::now(), std::string(buffer, std::size_t(n))});
        }
    });
}

NotifySocket::~NotifySocket() {
    done_ = true;
    reader_.join();
    ::close(fd_);
    ::unlink(path_.c_str());
}

std::vector<NotifySocket::Datagram> NotifySocket::received() const {
    const std::lock_guard lock(mutex_);
    return received_;
}

NotifySocket::Clock::time_point NotifySocket::waitFor(const std::string& text, Clock::time_point after,
                                                      std::chrono::milliseconds timeout) const {
    const auto deadline = Clock::now() + timeout;
    do {
        for (const auto& datagram : received())
            if (datagram.at >= after && datagram.text.find(text) != std::string::npos) return datagram.at;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (Clock::now() < deadline);
    return {};
}

std::vector<NotifySocket::Clock::time_point> NotifySocket::pings(Clock::time_point from, Clock::time_point to) const {
    std::vector<Clock::time_point> times;
    for (const auto& datagram : received())
        if (datagram.at >= from && datagram.at <= to && datagram.text.find("WATCHDOG=1") != std::string::npos)
            times.push_back(datagram.at);
    return times;
}

std::chrono::milliseconds longestGap(NotifySocket::Clock::time_point from,
                                     const std::vector<NotifySocket::Clock::time_point>& pings,
                                     NotifySocket::Clock::time_point to) {
    std::chrono::milliseconds longest{0};
    auto previous = from;
    for (const auto at : pings) {
        longest = std::max(longest, std::chrono::duration_cast<std::chrono::milliseconds>(at - previous));
        previous = at;
    }
    return std::max(longest, std::chrono::duration_cast<std::chrono::milliseconds>(to - previous));
}

}  // namespace complaintd::testing
