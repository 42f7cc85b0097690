// A Clock for tests: starts at a fixed instant and moves only when the test says so.
// Thread-safe: the time is guarded by a mutex, so store threads may read it while a test
// advances it.
#pragma once

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "ports/clock.h"

namespace casedesk::test {

class FakeClock final : public ports::Clock {
 public:
  // 2026-03-09T09:00:00Z, a Monday morning: a business day for calendar-sensitive tests.
  FakeClock() : now_(absl::FromUnixSeconds(1773046800)) {}
  explicit FakeClock(absl::Time start) : now_(start) {}

  absl::Time Now() const override {
    absl::MutexLock lock(&mutex_);
    return now_;
  }

  void Advance(absl::Duration duration) {
    absl::MutexLock lock(&mutex_);
    now_ += duration;
  }

  void Set(absl::Time time) {
    absl::MutexLock lock(&mutex_);
    now_ = time;
  }

 private:
  mutable absl::Mutex mutex_;
  absl::Time now_;
};

}  // namespace casedesk::test
