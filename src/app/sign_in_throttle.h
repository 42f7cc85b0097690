// Counts failed sign-in attempts per normalised email address over a sliding window, in memory
// on this node, so a password cannot be guessed faster than `max_failures` per `window` per
// address. With several nodes each keeps its own count (an attacker gains at most a factor of
// the node count). Thread-safe: one mutex around a small map.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/time/time.h"

namespace casedesk::app {

class SignInThrottle {
 public:
  static constexpr int kDefaultMaxFailures = 10;
  static constexpr absl::Duration kDefaultWindow = absl::Minutes(15);
  // Beyond this many tracked addresses the oldest-looking entries are dropped, so a flood of
  // invented addresses cannot grow the map without bound.
  static constexpr size_t kMaxTrackedAddresses = 100000;

  SignInThrottle(int max_failures = kDefaultMaxFailures, absl::Duration window = kDefaultWindow)
      : max_failures_(max_failures), window_(window) {}

  // True when `email` has had max_failures failed attempts within the window ending at `now`.
  bool Blocked(std::string_view email, absl::Time now);
  void RecordFailure(std::string_view email, absl::Time now);
  // A successful sign-in forgets the address's failures.
  void Clear(std::string_view email);

 private:
  // Drops the failures of `failures` that fell out of the window ending at `now`.
  void Expire(std::deque<absl::Time>& failures, absl::Time now) const;
  void PruneLocked(absl::Time now);

  const int max_failures_;
  const absl::Duration window_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<absl::Time>> failures_;
};

}  // namespace casedesk::app
