// The only way the app layer learns the time. RealClock (adapters/system) reads the system
// clock; tests use a FakeClock they advance. Implementations must be thread-safe.
#pragma once

#include "absl/time/time.h"

namespace casedesk::ports {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

}  // namespace casedesk::ports
