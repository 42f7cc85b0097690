// Threshold alerts for contract hours: after a billable entry is written, the thresholds its
// period's usage has reached are claimed in the store (once per organisation, kind, period and
// threshold) and each claimed one queues the "hours.threshold" mail to the organisation's active
// admins, inside the entry's unit of work. Thread-safe: stateless.
#pragma once

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "core/organisation.h"
#include "core/time_entry.h"
#include "ports/store.h"

namespace casedesk::app {

// Returns how many thresholds were newly alerted.
absl::StatusOr<int> AlertReachedThresholds(AppContext& context, ports::StoreTransaction& txn,
                                           const core::Organisation& org,
                                           const core::TimeEntry& entry, absl::Time now);

}  // namespace casedesk::app
