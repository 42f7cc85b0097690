// The SLA compliance report (GET /api/v1/reports/sla): for the cases created in a period, per
// (plan, severity) and in total, how many first-response and resolution clocks were achieved
// within target, breached or are still pending, the compliance percentage, update breaches,
// the mean and 90th percentile wall-clock time to first response, the list of breaches, and
// the priority-abuse flags raised in the period per organisation and contact.
//
// The aggregation (SlaReportAggregator) is pure and works on the SLA summaries the engine keeps
// per case (ports::CaseSlaRecord), one page at a time; BuildSlaReport reads the pages in one
// read snapshot. Provider staff only.
// Thread-safe: the aggregator is a value used by one thread; BuildSlaReport is a free function
// over the thread-safe context.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "core/ids.h"
#include "core/severity.h"
#include "core/sla_policy.h"
#include "ports/sla_records.h"

namespace casedesk::app {

inline constexpr absl::Duration kDefaultSlaReportPeriod = absl::Hours(24 * 30);
inline constexpr absl::Duration kMaxSlaReportPeriod = absl::Hours(24 * 400);

struct SlaReportRequest {
  std::optional<absl::Time> from;  // inclusive; default: `to` minus 30 days
  std::optional<absl::Time> to;    // exclusive; default: now
  std::string plan;                // empty: every plan
  std::optional<core::Severity> severity;
};

// One clock (first_response or resolution) over a set of cases. Each case counts once:
// breached if the clock ever breached (even if achieved later); else without target if its
// target is named ("next_release": there is nothing to be late for, so it counts neither way);
// else achieved within target if achieved; else pending (running, paused, or stopped before
// either happened).
struct ClockCompliance {
  int64_t achieved_within_target = 0;
  int64_t breached = 0;
  int64_t pending = 0;
  int64_t without_target = 0;
  // 100 * achieved / (achieved + breached); nullopt when both are 0.
  std::optional<double> compliance_percent;
};

struct SlaReportRow {
  std::string plan;                        // empty on the total row
  std::optional<core::Severity> severity;  // nullopt on the total row
  int64_t cases = 0;
  ClockCompliance first_response;
  ClockCompliance resolution;
  int64_t update_breaches = 0;  // next_update cycles that breached
  // Wall-clock minutes from creation to the first response, over the cases that have one;
  // nullopt when none has. p90 is the nearest-rank percentile (see NearestRankPercentile).
  std::optional<double> mean_first_response_minutes;
  std::optional<double> p90_first_response_minutes;
};

// A breached clock of a case: first_response and resolution, and the first next_update cycle
// that breached.
struct SlaBreach {
  core::CaseNumber case_number = 0;
  std::string plan;
  core::Severity severity = core::Severity::kMinor;
  core::SlaClockKind clock = core::SlaClockKind::kFirstResponse;
  absl::Time due_at = absl::InfinitePast();
  absl::Time breached_at = absl::InfinitePast();
};

struct SlaReport {
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  std::string plan;  // the filters applied
  std::optional<core::Severity> severity;
  std::vector<SlaReportRow> rows;  // by plan name, then severity level
  SlaReportRow total;
  std::vector<SlaBreach> breaches;  // by breached_at, then case number, then clock
  // Flags raised in [from, to) per (organisation, requester), most flagged first; not narrowed
  // by the plan and severity filters.
  std::vector<ports::SeverityFlagCount> severity_flags;
};

// The nearest-rank percentile: the smallest value such that at least `percent` % of the values
// are at or below it, i.e. the ceil(percent/100 * n)-th smallest (the smallest for percent 0).
// nullopt for no values.
std::optional<double> NearestRankPercentile(std::vector<double> values, double percent);

// Pure: folds SLA summaries into report rows, the total and the breach list.
class SlaReportAggregator {
 public:
  void Add(const ports::CaseSlaRecord& record);
  // Fills rows, total and breaches of `report` (the other members are left alone).
  void Finish(SlaReport& report) &&;

 private:
  struct Accumulator {
    SlaReportRow row;
    std::vector<double> first_response_minutes;
  };
  static void AddTo(Accumulator& accumulator, const ports::CaseSlaRecord& record);
  static SlaReportRow Complete(Accumulator accumulator);

  std::map<std::pair<std::string, int>, Accumulator> rows_;  // by (plan, severity level)
  Accumulator total_;
  std::vector<SlaBreach> breaches_;
};

// Convenience over SlaReportAggregator for a whole list of summaries.
SlaReport AggregateSlaRecords(const std::vector<ports::CaseSlaRecord>& records);

// Builds the report as of now. PermissionDenied unless the caller is provider staff;
// InvalidArgument when from >= to or the period is longer than 400 days. Breaches of cases the
// caller may not see (security incidents, for staff without clearance) are left out of the
// list, though they still count in the rows.
absl::StatusOr<SlaReport> BuildSlaReport(AppContext& context, const Caller& caller,
                                         const SlaReportRequest& request);

}  // namespace casedesk::app
