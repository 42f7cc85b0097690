// ports::Clock on the system's real-time clock: the only place outside tests where Casedesk
// reads the time. Thread-safe: absl::Now() is.
#pragma once

#include "absl/time/clock.h"
#include "ports/clock.h"

namespace casedesk::adapters::system {

class RealClock final : public ports::Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace casedesk::adapters::system
