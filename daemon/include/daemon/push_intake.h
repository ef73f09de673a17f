// Push intake: IMAP IDLE (RFC 2177) on every IMAP folder intake reads, each on
// its own connection and thread, so new mail starts a cycle within moments
// instead of at the next poll. Polling (poll_interval) stays as the fallback:
// a server without IDLE, or a watcher whose connection is down, only means
// mail waits for the next poll. A failed connection is retried with a
// doubling wait from 5 s up to 5 minutes; the IDLE is renewed every
// imap.idle_refresh seconds (at most 29 minutes, as RFC 2177 asks).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "center/settings.h"

namespace complaintd::daemon {

class PushIntake {
public:
    // Starts one watcher per IMAP folder in `settings` (none when IMAP or imap.idle is off).
    // `onNewMail` is called from the watcher threads.
    PushIntake(const center::Settings& settings, std::function<void()> onNewMail);
    // Stops the watchers and waits for them (each notices within half a second).
    ~PushIntake();
    PushIntake(const PushIntake&) = delete;
    PushIntake& operator=(const PushIntake&) = delete;

private:
    void watch(const std::string& folder);
    // Sleeps `wait` unless stopped first; false when stopped.
    bool pause(std::chrono::seconds wait);

    center::Settings settings_;
    std::function<void()> onNewMail_;
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable stopped_;
    std::vector<std::thread> watchers_;
};

}  // namespace complaintd::daemon
