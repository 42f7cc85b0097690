// SLA policies: for one support plan, the first-response target, the update cadence and the
// resolution target of each severity, the business calendar each runs on, the statuses that
// pause the clocks, the warning fraction, and the after-hours rule of seed 004 -- all data, so
// an admin can change them without code. Also the validation run when a policy is saved and the
// shipped defaults of issue 3. Thread-safe: value types and pure functions.
//
// Default decisions (issue 3 fixes the numbers; a later check relies on them exactly):
//  * Targets are business minutes on the target's calendar. "1 h" is 60 business minutes,
//    "24 h" 1440, and so on; "8 h (one business day)" and "24 h (three business days)" use the
//    hours, not the day counts, since the seed's business day (08:00-01:00) is 17 h long.
//  * "Daily" updates for severity 2 are every 1440 business minutes (24 business hours), the
//    same reading of "24 h" as the resolution targets. One business day (1020 minutes on the
//    08:00-01:00 calendar) would make the cadence depend on the calendar's day length.
//  * Developer has the same targets as Professional, on the business calendar, without the
//    after-hours rule: the seeds publish one response table, and plans differ in coverage
//    (after hours, 24x7 for critical) rather than in the numbers.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "core/business_calendar.h"
#include "core/case.h"
#include "core/enum_names.h"
#include "core/severity.h"

namespace casedesk::core {

// The clocks an SLA policy can run on a case. kTriage and kStatusNotification exist only when
// the after-hours rule applies; kEstimate only on service tasks (issue 7), from the request to
// the first estimate.
enum class SlaClockKind {
  kFirstResponse,
  kNextUpdate,
  kResolution,
  kTriage,
  kStatusNotification,
  kEstimate,
};

inline constexpr std::array<std::pair<SlaClockKind, std::string_view>, 6> kSlaClockKindNames{{
    {SlaClockKind::kFirstResponse, "first_response"},
    {SlaClockKind::kNextUpdate, "next_update"},
    {SlaClockKind::kResolution, "resolution"},
    {SlaClockKind::kTriage, "triage"},
    {SlaClockKind::kStatusNotification, "status_notification"},
    {SlaClockKind::kEstimate, "estimate"},
}};

// Names of the shipped calendars (see DefaultCalendarSpecs).
inline constexpr std::string_view kBusinessGmtCalendar = "business-gmt";
inline constexpr std::string_view kAlwaysCalendar = "always";
// Seed 001: "Service task estimation and duties are performed during business hours, Monday
// through Friday, 9 am - 5 pm Pacific" -- in America/Los_Angeles, so the window follows DST.
inline constexpr std::string_view kServiceTaskCalendar = "service-tasks-pacific";
// Names of the shipped non-clock targets.
inline constexpr std::string_view kNextReleaseTarget = "next_release";
inline constexpr std::string_view kToBeDecidedTarget = "to_be_decided";
// The name an on-milestone update cadence shows as its target.
inline constexpr std::string_view kOnMilestoneTarget = "on_milestone";

// A target: either a duration in business minutes or a named target without a clock ("next
// release"). A named target still names a calendar: business time keeps being counted on it, so
// that a later severity change to a timed target knows how much time has been used.
struct SlaTarget {
  enum class Kind { kDuration, kNamed };

  Kind kind = Kind::kDuration;
  int64_t minutes = 0;   // business minutes, for kDuration
  std::string name;      // for kNamed, e.g. "next_release"
  std::string calendar;  // empty: the policy's business_calendar

  static SlaTarget Minutes(int64_t minutes, std::string calendar = {});
  static SlaTarget Named(std::string name, std::string calendar = {});
  bool is_named() const { return kind == Kind::kNamed; }
  bool operator==(const SlaTarget&) const = default;
};

// How often the provider owes the customer a public update once the first response is given:
// every N business minutes after the last public staff update, or on milestones only (no clock).
struct UpdateCadence {
  enum class Kind { kEvery, kOnMilestone };

  Kind kind = Kind::kOnMilestone;
  int64_t minutes = 0;   // for kEvery
  std::string calendar;  // empty: the policy's business_calendar

  static UpdateCadence Every(int64_t minutes, std::string calendar = {});
  static UpdateCadence OnMilestone(std::string calendar = {});
  // The cadence as a target: Minutes(N) or Named("on_milestone"), on the same calendar.
  SlaTarget AsTarget() const;
  bool operator==(const UpdateCadence&) const = default;
};

struct SeverityTargets {
  SlaTarget first_response;
  UpdateCadence next_update;
  SlaTarget resolution;
  bool operator==(const SeverityTargets&) const = default;
};

// Seed 004: outside business hours only critical cases are worked; for plans with after-hours
// coverage such a case gets extra clocks of its own. The rule triggers (at most once per case)
// at the first instant the case is, or becomes, one of `severities` while that instant is
// outside the business hours of `hours_calendar`; its clocks start at that instant.
struct AfterHoursRule {
  std::vector<Severity> severities = {Severity::kCritical};
  std::string hours_calendar;  // what "business hours" means; empty: the policy's calendar
  // Only kTriage and kStatusNotification, each with a duration target.
  std::map<SlaClockKind, SlaTarget> clocks;
  bool operator==(const AfterHoursRule&) const = default;
};

struct SlaPolicy {
  std::map<Severity, SeverityTargets> targets;  // all four severities
  std::optional<AfterHoursRule> after_hours;
  double warning_fraction = 0.75;  // warn when this fraction of a target is used
  // While the case is in one of these statuses its clocks do not run, until the customer
  // replies or the status changes. Solved and closed stop the clocks instead (not allowed here).
  std::vector<CaseStatus> pause_statuses = {CaseStatus::kPending};
  std::string business_calendar;  // the plan's business hours; the default for targets
  // Seed 001: a severity 1 chosen by the customer pages no one until provider staff confirm it
  // in triage (escalations triggered by the case's creation wait for the confirmation).
  bool confirm_critical_before_paging = false;
  // Service tasks (issue 7): the time from the request to the estimate, a duration on its own
  // calendar (empty calendar: business_calendar). None: service tasks under this plan have no
  // estimate clock. Ordinary cases never have one.
  std::optional<SlaTarget> estimate;
  bool operator==(const SlaPolicy&) const = default;
};

// Checks a policy before it is saved. InvalidArgument naming the place, for: a missing
// severity, non-positive minutes, an empty or malformed target name, a calendar not in
// `known_calendars` (or an empty business_calendar), a warning fraction outside (0, 1), solved
// or closed among the pause statuses, and an after-hours rule without severities or clocks,
// with a clock other than triage/status_notification, or with a named target; and an estimate
// target that is named or not positive.
absl::Status ValidateSlaPolicy(const SlaPolicy& policy,
                               const std::set<std::string>& known_calendars);

// Every calendar name the policy refers to (targets with an empty calendar resolve to the
// policy's business_calendar and are not listed separately).
std::set<std::string> CalendarsUsedBy(const SlaPolicy& policy);

// The after-hours rule of seed 004: severity 1, triage in 15 and status notification in 60
// minutes on the 24x7 calendar "always", "after hours" meaning outside "business-gmt".
AfterHoursRule DefaultAfterHoursRule();

// Seed 001: "within one business day, we'll reply with an estimate": 480 business minutes (one
// 09:00-17:00 day) on kServiceTaskCalendar.
SlaTarget DefaultEstimateTarget();

// The shipped policies keyed by plan name ("developer", "professional", "enterprise", as in
// DefaultSupportPlans()), exactly as issue 3 fixes them:
//   severity  first response  updates        resolution
//   1         60              every 240      1440
//   2         240             every 1440     2880
//   3         480             on milestone   next_release
//   4         1440            on milestone   to_be_decided
// all on "business-gmt", except Enterprise severity 1 (all three) on "always"; Enterprise has
// DefaultAfterHoursRule(). Warning at 75 %, pending pauses. Every plan has
// DefaultEstimateTarget() for service tasks.
std::map<std::string, SlaPolicy> DefaultSlaPolicies();

// The calendars the defaults use: "business-gmt" (Monday-Friday 08:00-01:00 in "GMT", Friday's
// window running to 01:00 Saturday), "always" (24x7 in "UTC") and "service-tasks-pacific"
// (Monday-Friday 09:00-17:00 in "America/Los_Angeles"). The caller loads the zones
// and builds them with BusinessCalendar::Create once.
std::map<std::string, CalendarSpec> DefaultCalendarSpecs();

}  // namespace casedesk::core
