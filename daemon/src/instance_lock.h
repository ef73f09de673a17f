// One complaintd at a time on a database. A second one (complaintd --once from cron beside the
// running service, a second unit) would send every due letter again and race the first for each
// message. The lock is an flock(2) on DATABASE.lock, held for the life of the process: the
// kernel lets go when it ends, kill -9 included, so a crash never leaves a stale lock behind.
#pragma once

#include <chrono>
#include <string>

#include "cases/error.h"

namespace complaintd::daemon {

// Another complaintd holds the lock. Executables exit 75 (EX_TEMPFAIL) on it.
class AlreadyRunningError : public Error {
public:
    using Error::Error;
};

class InstanceLock {
public:
    // Takes the lock on `databasePath`.lock, waiting up to `wait` for another instance to end
    // (zero: not at all). AlreadyRunningError naming the holder's pid when it does not end.
    InstanceLock(const std::string& databasePath, std::chrono::seconds wait);
    ~InstanceLock();
    InstanceLock(const InstanceLock&) = delete;
    InstanceLock& operator=(const InstanceLock&) = delete;

private:
    int fd_ = -1;
};

}  // namespace complaintd::daemon
