// A clock that says what the test tells it.
#pragma once

#include "center/clock.h"

namespace complaintd::center {

class FixedClock final : public Clock {
public:
    explicit FixedClock(cases::Timestamp t) : t_(t) {}
    cases::Timestamp now() const override { return t_; }
    void advance(std::chrono::seconds by) { t_ += by; }

private:
    cases::Timestamp t_;
};

inline cases::Timestamp utc(int y, unsigned m, unsigned d, int h = 0, int mi = 0) {
    using namespace std::chrono;
    return cases::Timestamp{sys_days{year{y} / month{m} / day{d}}} + hours(h) + minutes(mi);
}

}  // namespace complaintd::center

// The daemon's tests use the same clock.
namespace complaintd::daemon {
using center::FixedClock;
using center::utc;
}  // namespace complaintd::daemon
