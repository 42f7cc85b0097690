// What the reports (issue 7) ask the store: indexed aggregate queries that count, so a report
// reads a few rows whatever the number of cases. The row types live in core/report_sla.h (the
// pure folding works on them); here are the filters.
// Thread-safe: values only.
#pragma once

#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "core/ids.h"
#include "core/report_sla.h"

namespace casedesk::ports {

// Which cases a report counts: those created in [from, to) of one organisation, or of every
// organisation when org_id is unset. For partner resolution, org_id names either the partner
// (all its customers) or one of its customers.
struct ReportRange {
  std::optional<core::OrgId> org_id;
  absl::Time from = absl::InfinitePast();  // inclusive
  absl::Time to = absl::InfiniteFuture();  // exclusive
};

// The open backlog at `at`: cases created before it and not solved at it (solved_at unset or
// later), of one organisation or all, each in the first age bucket whose start (see
// core::BacklogBucketStarts, newest first) its creation is at or after; older cases fall in the
// last bucket.
struct BacklogQuery {
  std::optional<core::OrgId> org_id;
  absl::Time at = absl::InfiniteFuture();
  std::vector<absl::Time> bucket_starts;
};

}  // namespace casedesk::ports
