#include "app/throttle.h"

#include "absl/strings/str_cat.h"

namespace casedesk::app {
namespace {

// A hit counts while it is within the window: at or after now - window, less one microsecond
// so that a hit exactly one window old has fallen out.
absl::Time WindowStart(const Throttle& throttle, absl::Time now) {
  return now - throttle.window + absl::Microseconds(1);
}

}  // namespace

std::string ThrottleKey(const ports::Crypto& crypto, const Throttle& throttle,
                        std::string_view subject) {
  // The name cannot contain a NUL, so no two (name, subject) pairs share an input.
  return crypto.Digest(
      absl::StrCat(std::string(throttle.name), std::string(1, '\0'), std::string(subject)));
}

absl::StatusOr<bool> ThrottleBlocked(ports::StoreTransaction& txn, const Throttle& throttle,
                                     std::string_view key, absl::Time now) {
  absl::StatusOr<int> hits = txn.CountThrottleHits(key, WindowStart(throttle, now));
  if (!hits.ok()) return hits.status();
  return *hits >= throttle.max_hits;
}

absl::StatusOr<bool> CountThrottleHit(ports::StoreTransaction& txn, const Throttle& throttle,
                                      std::string_view key, absl::Time now) {
  if (absl::StatusOr<int64_t> swept = txn.DeleteThrottleHitsBefore(now - kThrottleRetention);
      !swept.ok()) {
    return swept.status();
  }
  return txn.AdmitThrottleHit(key, now, WindowStart(throttle, now), throttle.max_hits);
}

}  // namespace casedesk::app
