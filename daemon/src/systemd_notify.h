// Tells systemd how the service is doing (Type=notify): READY once the
// configuration, rules and store are loaded, STATUS after each cycle, and
// WATCHDOG keep-alives. Without NOTIFY_SOCKET (not under systemd) every call
// does nothing.
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace complaintd::daemon {

class SystemdNotifier {
public:
    void ready() const;
    void status(const std::string& text) const;
    void watchdog() const;
    void stopping() const;
    // Before a reload (SIGHUP); ready() again after it.
    void reloading() const;
    // Half of WatchdogSec=, when systemd asked for keep-alives: the longest the loop may sleep.
    std::optional<std::chrono::milliseconds> keepAliveInterval() const;
};

}  // namespace complaintd::daemon
