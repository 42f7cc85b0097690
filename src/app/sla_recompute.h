// Recomputing the SLA clocks of open cases after their policy or a calendar changed: every case
// not yet solved or closed whose organisation holds the plan gets its timers re-armed, its queue
// deadline and its summary rewritten, with the same result as SlaEngine::Refresh on each case.
// (A timer armed under the old policy would also notice at firing time that it is stale; this
// moves deadlines that came earlier.)
//
// In bulk: the cases are taken in ranges of case numbers, one unit of work per range, several
// units in flight (so group commit shares the commits). A unit reads its range's cases, their
// SLA-relevant events, unfired SLA timers and summaries with one query each, computes every
// case's clocks with the plan's prepared evaluator, and writes only what changed. Because
// reading, computing and writing happen in the same transaction, a case changed meanwhile is
// simply seen as it now is. Thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"

namespace casedesk::app {

// `plan` empty: every plan (a calendar changed). Returns how many cases were recomputed.
absl::StatusOr<int64_t> RecomputeOpenCases(AppContext& context, const std::string& plan,
                                           absl::Time now);

}  // namespace casedesk::app
