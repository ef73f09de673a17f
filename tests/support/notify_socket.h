// The datagram socket systemd listens on for sd_notify (NOTIFY_SOCKET), for fault tests of the
// service's side of systemd: a test sees READY, RELOADING, STATUS and every WATCHDOG=1 with the
// time it arrived.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace complaintd::testing {

// A unix datagram socket at `path`, read by a thread: every sd_notify datagram, with its time.
class NotifySocket {
public:
    using Clock = std::chrono::steady_clock;
    struct Datagram {
        Clock::time_point at;
        std::string text;  // e.g. "WATCHDOG=1" or "READY=1\nSTATUS=started"
    };

    explicit NotifySocket(std::string path);
    ~NotifySocket();
    NotifySocket(const NotifySocket&) = delete;
    NotifySocket& operator=(const NotifySocket&) = delete;

    const std::string& path() const { return path_; }
    std::vector<Datagram> received() const;
    // The first datagram from `after` on that holds `text`; nullopt-like Clock::time_point{} when
    // none came within `timeout`.
    Clock::time_point waitFor(const std::string& text, Clock::time_point after,
                              std::chrono::milliseconds timeout) const;
    // The times of the WATCHDOG=1 pings in [from, to].
    std::vector<Clock::time_point> pings(Clock::time_point from, Clock::time_point to) const;

private:
    std::string path_;
    int fd_ = -1;
    std::atomic<bool> done_{false};
    mutable std::mutex mutex_;
    std::vector<Datagram> received_;
    std::thread reader_;
};

// The longest time between two consecutive points of [from, pings..., to].
std::chrono::milliseconds longestGap(NotifySocket::Clock::time_point from,
                                     const std::vector<NotifySocket::Clock::time_point>& pings,
                                     NotifySocket::Clock::time_point to);

}  // namespace complaintd::testing
