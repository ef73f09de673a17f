// Its own object file: a program that needs only the clock (complaintctl, through the settings'
// refresh-token warning) must not pull in the service loop with it.
#include "center/clock.h"

#include <chrono>

namespace complaintd::center {

cases::Timestamp SystemClock::now() const {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace complaintd::center
