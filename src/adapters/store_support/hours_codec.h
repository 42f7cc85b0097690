// Column codecs for contract hours that both stores share: an organisation's packages as one
// JSON column, and the enum columns of time entries. Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/hours_package.h"
#include "core/time_entry.h"

namespace casedesk::adapters::store_support {

// [{"kind": "training", "included_minutes": 240, "carry_over": "capped",
//   "carry_over_cap_minutes": 1440, "thresholds_percent": [80, 100]}, ...]
std::string PackagesToJson(const std::vector<core::HoursPackage>& packages);
// DataLoss naming `column` for text that is not such a list.
absl::StatusOr<std::vector<core::HoursPackage>> PackagesFromJson(std::string_view json,
                                                                 std::string_view column);

std::string HoursKindName(core::HoursKind kind);
// DataLoss naming `column` for an unknown name.
absl::StatusOr<core::HoursKind> HoursKindFromColumn(std::string_view name, std::string_view column);
// Empty text is no activity.
absl::StatusOr<std::optional<core::Activity>> ActivityFromColumn(std::string_view name,
                                                                 std::string_view column);

}  // namespace casedesk::adapters::store_support
