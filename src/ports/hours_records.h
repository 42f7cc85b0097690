// Records the contract-hours feature keeps beside the time entries themselves: an
// organisation's own packages (replacing its plan's defaults), the pre-aggregated usage per
// (organisation, kind, period) and per day, written in the same unit of work as each entry so
// reading hours never scans entries, and which thresholds were alerted in which period.
// Thread-safe: values only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/hours_package.h"
#include "core/ids.h"
#include "core/time_entry.h"

namespace casedesk::ports {

// An organisation's own packages, replacing its plan's defaults (an empty list: none at all).
struct OrgHoursPackages {
  core::OrgId org_id = 0;
  std::vector<core::HoursPackage> packages;
  std::string starts_period;  // "2026-03": carry-over folds forward from here
  absl::Time updated_at = absl::InfinitePast();
  core::UserId updated_by = 0;
};

// Minutes logged for one organisation and kind in one period ("2026-03") or on one local day
// ("2026-03-29"): billable minutes draw on the package, the others are only counted.
struct HoursUsage {
  core::HoursKind kind = core::HoursKind::kCustomerSuccess;
  std::string period;  // a period name, or a day name in daily rows
  int64_t billable_minutes = 0;
  int64_t other_minutes = 0;
  int64_t entries = 0;
};

// What InsertTimeEntry returns: the entry's id and its period's usage including it.
struct TimeEntryWrite {
  int64_t id = 0;
  HoursUsage period_usage;
};

}  // namespace casedesk::ports
