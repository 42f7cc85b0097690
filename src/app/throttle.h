// Throttles: how often something may happen for one address within a sliding window (failed
// sign-ins, requests for account mail). Hits are counted in the store, so every node of a desk
// sees the same count and a guesser gains nothing by spreading attempts across nodes. A hit's
// key is a digest of the throttle's name and the address: the store never holds the typed
// text, which for a sign-in may be anything.
// Thread-safe: constants and stateless functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ports/crypto.h"
#include "ports/store.h"

namespace casedesk::app {

struct Throttle {
  std::string_view name;  // part of every key, so two throttles never share a count
  int max_hits;
  absl::Duration window;
};

inline constexpr Throttle kSignInThrottle{"sign-in failures", 10, absl::Minutes(15)};
inline constexpr Throttle kSignUpThrottle{"sign-up requests", 5, absl::Hours(1)};
inline constexpr Throttle kPasswordResetThrottle{"password-reset requests", 5, absl::Hours(1)};
// Hits older than this are swept as new ones arrive; longer than every window above.
inline constexpr absl::Duration kThrottleRetention = absl::Hours(2);

// The store key of `subject`'s hits under `throttle`.
std::string ThrottleKey(const ports::Crypto& crypto, const Throttle& throttle,
                        std::string_view subject);

// True when the key has had max_hits hits within the window ending at `now`.
absl::StatusOr<bool> ThrottleBlocked(ports::StoreTransaction& txn, const Throttle& throttle,
                                     std::string_view key, absl::Time now);

// Counts a hit at `now` unless the key is already blocked, and says whether it counted one;
// sweeps hits past kThrottleRetention. Needs a write transaction.
absl::StatusOr<bool> CountThrottleHit(ports::StoreTransaction& txn, const Throttle& throttle,
                                      std::string_view key, absl::Time now);

}  // namespace casedesk::app
