#include "app/sign_in_throttle.h"

#include <iterator>

namespace casedesk::app {

void SignInThrottle::Expire(std::deque<absl::Time>& failures, absl::Time now) const {
  while (!failures.empty() && failures.front() <= now - window_) failures.pop_front();
}

bool SignInThrottle::Blocked(std::string_view email, absl::Time now) {
  std::lock_guard lock(mutex_);
  const auto it = failures_.find(std::string(email));
  if (it == failures_.end()) return false;
  Expire(it->second, now);
  if (it->second.empty()) {
    failures_.erase(it);
    return false;
  }
  return static_cast<int>(it->second.size()) >= max_failures_;
}

void SignInThrottle::RecordFailure(std::string_view email, absl::Time now) {
  std::lock_guard lock(mutex_);
  if (failures_.size() >= kMaxTrackedAddresses) PruneLocked(now);
  std::deque<absl::Time>& failures = failures_[std::string(email)];
  Expire(failures, now);
  failures.push_back(now);
  // Only the newest max_failures matter for the decision.
  while (static_cast<int>(failures.size()) > max_failures_) failures.pop_front();
}

void SignInThrottle::Clear(std::string_view email) {
  std::lock_guard lock(mutex_);
  failures_.erase(std::string(email));
}

void SignInThrottle::PruneLocked(absl::Time now) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    Expire(it->second, now);
    it = it->second.empty() ? failures_.erase(it) : std::next(it);
  }
  // Still full of addresses under attack: forget them all rather than grow without bound.
  if (failures_.size() >= kMaxTrackedAddresses) failures_.clear();
}

}  // namespace casedesk::app
