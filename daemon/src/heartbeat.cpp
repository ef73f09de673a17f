#include "daemon/heartbeat.h"

namespace complaintd::daemon {

Heartbeat::Heartbeat(std::function<void()> ping, std::chrono::milliseconds interval)
    : ping_(std::move(ping)), interval_(interval) {}

void Heartbeat::beat() {
    const auto now = std::chrono::steady_clock::now();
    const std::lock_guard lock(mutex_);
    if (last_ != std::chrono::steady_clock::time_point{} && now - last_ < interval_) return;
    last_ = now;
    ping_();
}

}  // namespace complaintd::daemon
