// Time entries: minutes an agent or a customer-success manager worked for an organisation, on a
// case or on account work that is not a case (service reviews, training, calls), billable or
// not, under seed 003's activity categories, drawn on the package of the entry's kind.
// Thread-safe: value types and pure functions.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/enum_names.h"
#include "core/ids.h"

namespace casedesk::core {

// Which package an entry draws on.
enum class HoursKind { kCustomerSuccess, kTraining };

inline constexpr std::array<std::pair<HoursKind, std::string_view>, 2> kHoursKindNames{{
    {HoursKind::kCustomerSuccess, "customer_success"},
    {HoursKind::kTraining, "training"},
}};

// The customer-success activity categories of seed 003.
enum class Activity {
  kRelationshipManagement,
  kIncidentProblemManagement,
  kConfigurationManagement,
  kServiceLevelManagement,
  kFinance,
};

inline constexpr std::array<std::pair<Activity, std::string_view>, 5> kActivityNames{{
    {Activity::kRelationshipManagement, "relationship_management"},
    {Activity::kIncidentProblemManagement, "incident_problem_management"},
    {Activity::kConfigurationManagement, "configuration_management"},
    {Activity::kServiceLevelManagement, "service_level_management"},
    {Activity::kFinance, "finance"},
}};

// What people read: "Relationship management", ...
std::string_view ActivityLabel(Activity activity);
std::string_view HoursKindLabel(HoursKind kind);

inline constexpr int kMaxEntryMinutes = 24 * 60;
inline constexpr size_t kMaxEntryNoteBytes = 4000;

struct TimeEntry {
  int64_t id = 0;
  OrgId org_id = 0;                       // whose package it draws on
  std::optional<CaseNumber> case_number;  // unset for account work
  UserId author_id = 0;
  absl::Time worked_at = absl::InfinitePast();
  int minutes = 0;  // 1..kMaxEntryMinutes
  bool billable = true;
  std::string note;
  std::optional<Activity> activity;
  HoursKind kind = HoursKind::kCustomerSuccess;
  // Local period ("2026-03") and day ("2026-03-29") of worked_at in the organisation's zone,
  // fixed when the entry is written.
  std::string period;
  std::string day;
  absl::Time created_at = absl::InfinitePast();
};

// InvalidArgument naming the field: minutes outside 1..1440, a note over 4000 bytes or with
// control characters other than line breaks and tabs, a missing worked_at, or worked_at more
// than a day after `now` (time is logged for work done, not planned).
absl::Status ValidateTimeEntry(const TimeEntry& entry, absl::Time now);

}  // namespace casedesk::core
