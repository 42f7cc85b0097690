// Time entries and contract hours (issue 7): logging time on a case or on an organisation's
// account work, reading a case's entries and an organisation's hours for a period, and setting
// an organisation's own packages.
//
// Who may do what:
//   log time on a case      provider staff, and partner agents on their customers' cases;
//                           customers never (PermissionDenied when they can see the case)
//   log account work        provider staff (customer-success managers, agents, admins)
//   read a case's entries   provider staff and partner agents who can see the case
//   read an org's hours     provider staff, the organisation's own contacts, and its partner's
//                           agents; NotFound for anyone else (ids leak nothing)
//   set an org's packages   provider admins
//
// Logging is one unit of work: the entry, its usage rows (the store keeps them in step), the
// audit event, and for a billable entry the thresholds its period's usage has now reached: each
// is claimed in the store (once per organisation, kind, period and threshold) and a claimed one
// queues the "hours.threshold" mail to the organisation's admins through the outbox. So each
// alert goes out exactly once, also when entries arrive concurrently.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/hours_package.h"
#include "core/hours_period.h"
#include "core/organisation.h"
#include "core/time_entry.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kTimeLogged = "time.logged";
inline constexpr std::string_view kHoursPackagesSet = "hours.packages_set";
inline constexpr std::string_view kHoursThresholdReached = "hours.threshold_reached";

// What a person enters; validated by core::ValidateTimeEntry (errors name the field).
struct TimeEntryInput {
  int64_t minutes = 0;
  bool billable = true;
  std::string note;
  std::optional<core::Activity> activity;
  core::HoursKind kind = core::HoursKind::kCustomerSuccess;
  std::optional<absl::Time> worked_at;  // unset: now
};

void LogCaseTime(AppContext& context, const Caller& caller, core::CaseNumber number,
                 TimeEntryInput input, Done<core::TimeEntry> done);
void LogOrgTime(AppContext& context, const Caller& caller, core::OrgId org_id, TimeEntryInput input,
                Done<core::TimeEntry> done);

// A case's entries, oldest work first (at most 500).
absl::StatusOr<std::vector<core::TimeEntry>> ListCaseTime(AppContext& context, const Caller& caller,
                                                          core::CaseNumber number);

struct PackageHours {
  core::HoursPackage package;  // included 0 and no thresholds for a kind without a package
  bool has_package = true;
  core::PeriodBalance balance;
  int64_t non_billable_minutes = 0;
  int64_t entries = 0;
  std::vector<int> alerted_thresholds;
  std::vector<ports::HoursUsage> daily;  // the period's days with usage, by day
};

struct OrgHours {
  core::Organisation org;
  core::HoursPeriod period;
  absl::Time starts_at = absl::InfinitePast();  // the period's first instant
  absl::Time ends_at = absl::InfinitePast();    // exclusive
  bool own_packages = false;                    // false: the plan's defaults
  std::vector<PackageHours> packages;           // by kind
};

// The organisation's hours in `period` ("YYYY-MM"; unset: the current one in its time zone).
// InvalidArgument "period: ..." for a malformed period.
absl::StatusOr<OrgHours> GetOrgHours(AppContext& context, const Caller& caller, core::OrgId org_id,
                                     std::optional<std::string> period);

// Replaces the organisation's packages (validated; they apply from the current period).
void SetOrgPackages(AppContext& context, const Caller& caller, core::OrgId org_id,
                    std::vector<core::HoursPackage> packages, Done<ports::OrgHoursPackages> done);

// The packages in force for `org` (its own, else its plan's defaults) and the period carry-over
// folds from; used by GetOrgHours and by the threshold check.
struct EffectivePackages {
  std::vector<core::HoursPackage> packages;
  core::HoursPeriod starts;
  bool own = false;
};
absl::StatusOr<EffectivePackages> LoadEffectivePackages(ports::StoreTransaction& txn,
                                                        const core::Organisation& org,
                                                        const absl::TimeZone& zone);

// May the viewer read this organisation's hours?
bool CanReadOrgHours(const core::Viewer& viewer, const core::Organisation& org);

// The organisation's zone (UTC when the stored name does not load).
absl::TimeZone OrgZone(const core::Organisation& org);

}  // namespace casedesk::app
