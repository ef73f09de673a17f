// Feeding systemd's watchdog (WatchdogSec=) on progress. The places where work moves forward
// call a Progress callback: a chunk of a message received from IMAP, a message taken by intake,
// a letter handled by the outbox. The service turns those calls, and each turn of its idle loop,
// into Heartbeat::beat(), which sends WATCHDOG=1 at most every `interval`.
//
// What a ping then proves: the cycle thread is not stuck. It is either waiting for the next
// cycle, or its cycle moved one step within the last interval; a deadlock, an endless loop or a
// server that holds a connection open and sends nothing stops the pings, and systemd restarts
// the service, which resumes from the database. It proves no more than that: a cycle that keeps
// stepping (a server trickling bytes) is bounded by the timeouts and cycle_seconds, not by the
// watchdog; and the OCR thread does not feed it, since its progress would hide a stuck cycle;
// the OCR helper has its own wall-clock limit (fax.ocr_timeout). A timer thread that pinged
// whatever happened would prove only that the process exists.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

namespace complaintd::daemon {

// Called where work moves forward; may be empty (nobody listens).
using Progress = std::function<void()>;

class Heartbeat {
public:
    // `ping` sends WATCHDOG=1 (SystemdNotifier::watchdog); it is called at most once per `interval`.
    Heartbeat(std::function<void()> ping, std::chrono::milliseconds interval);
    // From any thread; cheap when the last ping is recent.
    void beat();

private:
    std::function<void()> ping_;
    std::chrono::steady_clock::duration interval_;
    std::mutex mutex_;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace complaintd::daemon
