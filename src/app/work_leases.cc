#include "app/work_leases.h"

#include <string>

namespace casedesk::app {

absl::StatusOr<bool> ClaimWorkLease(AppContext& context, std::string_view name,
                                    std::string_view holder, absl::Duration term) {
  const absl::Time now = context.clock.Now();
  bool held = false;
  const absl::Status status =
      context.store.WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
        absl::StatusOr<bool> claimed = txn.ClaimLease(name, holder, now, now + term);
        if (!claimed.ok()) return claimed.status();
        held = *claimed;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return held;
}

absl::Status ReleaseWorkLease(AppContext& context, std::string_view name, std::string_view holder) {
  return context.store.WriteAndWait(
      [&](ports::StoreTransaction& txn) { return txn.ReleaseLease(name, holder); });
}

}  // namespace casedesk::app
