// How the stores answer the reports' counts from pre-aggregated counters (issue 7: any report
// over 1,000,000 cases in under 2 s). Each store keeps, in the unit of work that changes a case
// or its SLA summary, counter rows per UTC month (bucket YYYYMM) and per UTC day (bucket
// YYYYMMDD). A count over [from, to) then adds up the month rows of the whole months inside it,
// the day rows of the other whole days, and reads case rows only for the part-days at its edges.
// Thread-safe: value types and pure functions.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/report_sla.h"

namespace casedesk::core {

// The counter buckets of a UTC month and a UTC day. Month buckets have six digits and day
// buckets eight (for years 1000-9999), so one integer column holds both without overlap.
int64_t MonthBucket(absl::CivilMonth month);
int64_t DayBucket(absl::CivilDay day);

struct BucketRange {
  int64_t first = 0;  // inclusive
  int64_t last = 0;   // inclusive
  friend bool operator==(const BucketRange&, const BucketRange&) = default;
};

struct TimeSpan {
  absl::Time from;  // inclusive
  absl::Time to;    // exclusive
  friend bool operator==(const TimeSpan&, const TimeSpan&) = default;
};

// What to read for a count over [from, to): counter buckets to add up (at most three ranges:
// the whole days before the first whole month, the whole months, the whole days after them) and
// the spans to count row by row (at most two part-days; the whole range when it holds no whole
// UTC day or either end is infinite). Empty when from >= to.
struct CounterReadPlan {
  std::vector<BucketRange> buckets;
  std::vector<TimeSpan> scans;
};
CounterReadPlan PlanCounterRead(absl::Time from, absl::Time to);

// Adds up rows with the same (organisation, plan, severity), drops those left without cases
// (counter rows may hold zeros after cases moved away) and sorts by that key.
std::vector<SlaCountRow> MergeSlaCounts(std::vector<SlaCountRow> rows);

// Adds up rows of the same partner, drops those without cases and sorts by partner.
std::vector<PartnerResolutionRow> MergePartnerResolution(std::vector<PartnerResolutionRow> rows);

}  // namespace casedesk::core
