// The clock, behind an interface so that the case rules and the outbox's
// backoff can be tested at any date.
#pragma once

#include "cases/roc_calendar.h"

namespace complaintd::center {

class Clock {
public:
    virtual ~Clock() = default;
    virtual cases::Timestamp now() const = 0;
};

class SystemClock final : public Clock {
public:
    cases::Timestamp now() const override;
};

}  // namespace complaintd::center
