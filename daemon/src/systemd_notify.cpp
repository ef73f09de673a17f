#include "systemd_notify.h"

#include <systemd/sd-daemon.h>

namespace complaintd::daemon {

void SystemdNotifier::ready() const { sd_notify(0, "READY=1\nSTATUS=started"); }

void SystemdNotifier::status(const std::string& text) const { sd_notify(0, ("STATUS=" + text).c_str()); }

void SystemdNotifier::watchdog() const { sd_notify(0, "WATCHDOG=1"); }

void SystemdNotifier::stopping() const { sd_notify(0, "STOPPING=1\nSTATUS=stopping"); }

std::optional<std::chrono::milliseconds> SystemdNotifier::keepAliveInterval() const {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::milliseconds(usec / 2000);
}

}  // namespace complaintd::daemon
