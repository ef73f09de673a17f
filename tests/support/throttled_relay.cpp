#include "throttled_relay.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace complaintd::testing {
namespace {

using Clock = std::chrono::steady_clock;

sockaddr_in loopback(int port) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return address;
}

bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const auto n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n <= 0) return false;
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

// After `bytes` more at `rate` bytes a second, sleeps until they are due (`due` carries over;
// time spent idle earns no burst).
void keepRate(Clock::time_point& due, std::size_t bytes, std::size_t rate) {
    if (rate == 0) return;
    due = std::max(due, Clock::now()) + std::chrono::microseconds(bytes * 1'000'000 / rate);
    std::this_thread::sleep_until(due);
}

// Small socket buffers, as on a slow line: a sender's writes block at the line's rate instead of
// filling megabytes of loopback buffer at once and then waiting, seemingly stalled, while they drain.
void keepBuffersSmall(int fd) {
    const int bytes = 16 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof bytes);
}

}  // namespace

ThrottledRelay::ThrottledRelay(int serverPort, std::size_t bytesPerSecond, Throttle throttle)
    : serverPort_(serverPort), bytesPerSecond_(bytesPerSecond), throttle_(throttle) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (bytesPerSecond_) keepBuffersSmall(listener_);  // inherited by accepted connections
    auto address = loopback(0);
    socklen_t length = sizeof address;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 16) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw std::runtime_error("ThrottledRelay: cannot listen on 127.0.0.1");
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { acceptLoop(); });
}

ThrottledRelay::~ThrottledRelay() {
    stopping_ = true;
    acceptor_.join();
    for (auto& pump : pumps_) pump.join();
    ::close(listener_);
}

void ThrottledRelay::acceptLoop() {
    while (!stopping_) {
        pollfd ready{listener_, POLLIN, 0};
        if (::poll(&ready, 1, 100) <= 0) continue;
        const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        ++connections_;
        std::lock_guard lock(mutex_);
        pumps_.emplace_back([this, client] { pump(client); });
    }
}

// Both directions in one thread: IMAP and SMTP take turns, so one waiting side costs nothing.
void ThrottledRelay::pump(int client) {
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (server >= 0 && bytesPerSecond_) keepBuffersSmall(server);
    const auto address = loopback(serverPort_);
    if (server < 0 || ::connect(server, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        ::close(client);
        if (server >= 0) ::close(server);
        return;
    }
    // Small chunks keep the rate smooth: about 20 a second.
    const std::size_t chunk =
        bytesPerSecond_ ? std::max<std::size_t>(1, std::min<std::size_t>(bytesPerSecond_ / 20, 16384)) : 65536;
    std::vector<char> buffer(chunk);
    Clock::time_point due[2] = {Clock::now(), Clock::now()};
    std::string sent;  // the tail of what the client sent, to see the end of a DATA across reads
    bool dataEnded = false;
    while (!stopping_) {
        if (fromServer_ + toServer_ >= stallAfter_) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
        }
        pollfd ready[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        if (::poll(ready, 2, 100) <= 0) continue;
        bool closed = false;
        for (int side = 0; side < 2 && !closed; ++side) {
            if (!(ready[side].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            const int from = side == 0 ? client : server, to = side == 0 ? server : client;
            const auto n = ::recv(from, buffer.data(), buffer.size(), 0);
            const bool swallowed = side == 1 && dataEnded;
            if (n <= 0 || (!swallowed && !writeAll(to, buffer.data(), std::size_t(n)))) {
                closed = true;
                break;
            }
            if (side == 0 && swallowAfterData_ && !dataEnded) {
                sent.append(buffer.data(), std::size_t(n));
                dataEnded = sent.find("\r\n.\r\n") != std::string::npos;
                sent.erase(0, sent.size() > 4 ? sent.size() - 4 : 0);
            }
            (side == 0 ? toServer_ : fromServer_) += std::size_t(n);
            if (side == 1 || throttle_ == Throttle::BothWays) keepRate(due[side], std::size_t(n), bytesPerSecond_);
        }
        if (closed) break;
    }
    ::close(client);
    ::close(server);
}

}  // namespace complaintd::testing
