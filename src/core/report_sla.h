// Report aggregates (issue 7): SLA compliance per severity and clock, backlog by severity and
// age, first-contact resolution by partners, and the UTC months a report period spans. The store
// counts (indexed GROUP BY queries, see ports/report_records.h); these pure functions fold its
// rows into the tables a service review shows.
// Thread-safe: value types and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "core/hours_period.h"
#include "core/ids.h"
#include "core/severity.h"
#include "core/sla_policy.h"

namespace casedesk::core {

// One clock over a set of cases, counted as app/sla_reports.h counts it: breached if it ever
// breached; else without target for a named target ("next_release"); else met if achieved;
// else pending.
struct ClockCounts {
  int64_t met = 0;
  int64_t breached = 0;
  int64_t pending = 0;
  int64_t without_target = 0;
};

// What the store counts per (organisation, plan, severity) over the cases created in a period.
struct SlaCountRow {
  OrgId org_id = 0;
  std::string plan;
  Severity severity = Severity::kMinor;
  int64_t cases = 0;
  ClockCounts first_response;
  ClockCounts resolution;
  int64_t update_breaches = 0;  // next_update cycles that breached
};

// A line of the compliance table: one severity (nullopt: all) and one clock. For next_update
// only `breached` is known (cycles, not cases), so met/pending stay 0 and percent unset.
struct SlaComplianceLine {
  std::optional<Severity> severity;
  SlaClockKind clock = SlaClockKind::kFirstResponse;
  int64_t cases = 0;
  ClockCounts counts;
  std::optional<double> percent;  // 100 * met / (met + breached); unset when both are 0
};

// The clocks a compliance table shows, in order.
inline constexpr std::array<SlaClockKind, 3> kReportedClocks{
    SlaClockKind::kFirstResponse, SlaClockKind::kResolution, SlaClockKind::kNextUpdate};

// Folds rows (any organisations and plans) into lines by severity (critical first) then clock,
// followed by the all-severity lines per clock. Severities without cases are left out.
std::vector<SlaComplianceLine> SummariseSla(const std::vector<SlaCountRow>& rows);

// 100 * met / (met + breached), unset when nothing was decided.
std::optional<double> CompliancePercent(const ClockCounts& counts);

// ---- Backlog ----

// Age buckets of open cases: [0,1d), [1d,7d), [7d,30d), [30d,90d), [90d,...).
inline constexpr std::array<int, 4> kBacklogEdgeDays{1, 7, 30, 90};
inline constexpr size_t kBacklogBuckets = kBacklogEdgeDays.size() + 1;
std::string_view BacklogBucketLabel(size_t bucket);  // "< 1 day", "1-7 days", ...

// The creation-time lower bound of each bucket but the last, for the store's CASE: a case
// created at or after starts[i] (and not in an earlier bucket) is in bucket i.
std::vector<absl::Time> BacklogBucketStarts(absl::Time at);

// What the store counts: open cases per severity and bucket.
struct BacklogCountRow {
  Severity severity = Severity::kMinor;
  int bucket = 0;  // 0..kBacklogBuckets-1
  int64_t cases = 0;
};

struct BacklogLine {
  std::optional<Severity> severity;  // nullopt: the total line
  std::array<int64_t, kBacklogBuckets> buckets{};
  int64_t total = 0;
};

// A line per severity (all four, critical first, zeros included) and the total line last.
// Rows with a bucket out of range are ignored.
std::vector<BacklogLine> FoldBacklog(const std::vector<BacklogCountRow>& rows);

// ---- First-contact resolution by partners (seed 001: Level 1 resolves 70-80 %) ----

inline constexpr double kLevelOneGoalLowPercent = 70;
inline constexpr double kLevelOneGoalHighPercent = 80;

// What the store counts per partner over its customers' cases created in the period: resolved
// (solved or closed) without being handed to the provider, handed to the provider (a provider
// staff member's public reply or an escalation request), and the rest (open, not handed).
struct PartnerResolutionRow {
  OrgId partner_id = 0;
  int64_t cases = 0;
  int64_t resolved_by_partner = 0;
  int64_t handed_to_provider = 0;
};

enum class GoalStatus { kNoData, kBelow, kWithin, kAbove };
inline constexpr std::array<std::pair<GoalStatus, std::string_view>, 4> kGoalStatusNames{{
    {GoalStatus::kNoData, "no_data"},
    {GoalStatus::kBelow, "below"},
    {GoalStatus::kWithin, "within"},
    {GoalStatus::kAbove, "above"},
}};

struct PartnerResolutionLine {
  OrgId partner_id = 0;
  int64_t cases = 0;
  int64_t resolved_by_partner = 0;
  int64_t handed_to_provider = 0;
  int64_t open = 0;  // neither yet
  // 100 * resolved / (resolved + handed): the share of decided cases Level 1 kept.
  std::optional<double> percent;
  GoalStatus goal = GoalStatus::kNoData;
};

PartnerResolutionLine SummarisePartner(const PartnerResolutionRow& row);
GoalStatus LevelOneGoalStatus(std::optional<double> percent);

// ---- Periods ----

// A month of a report: the part of [from, to) inside one UTC calendar month.
struct ReportMonth {
  HoursPeriod month;
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfinitePast();
};

// The UTC months [from, to) touches, clipped to it, oldest first; empty when from >= to.
std::vector<ReportMonth> ReportMonths(absl::Time from, absl::Time to);

}  // namespace casedesk::core
