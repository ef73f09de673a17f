#include "systemd_notify.h"

#include <ctime>

#include <systemd/sd-daemon.h>

namespace complaintd::daemon {

void SystemdNotifier::ready() const { sd_notify(0, "READY=1\nSTATUS=started"); }

void SystemdNotifier::status(const std::string& text) const { sd_notify(0, ("STATUS=" + text).c_str()); }

void SystemdNotifier::watchdog() const { sd_notify(0, "WATCHDOG=1"); }

void SystemdNotifier::stopping() const { sd_notify(0, "STOPPING=1\nSTATUS=stopping"); }

void SystemdNotifier::reloading() const {
    // MONOTONIC_USEC lets systemd >= 253 (Type=notify-reload) match this to its SIGHUP.
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const auto usec = uint64_t(now.tv_sec) * 1'000'000 + uint64_t(now.tv_nsec) / 1000;
    sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading rules and templates",
               static_cast<unsigned long long>(usec));
}

std::optional<std::chrono::milliseconds> SystemdNotifier::keepAliveInterval() const {
    uint64_t usec = 0;
    if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
    return std::chrono::milliseconds(usec / 2000);
}

}  // namespace complaintd::daemon
