// Recomputing the SLA clocks of open cases after their policy or a calendar changed: every case
// not yet solved or closed whose organisation holds the plan gets its timers re-armed and its
// summary rewritten, in units of work of a few hundred cases. (A timer armed under the old
// policy would also notice at firing time that it is stale; this moves deadlines that came
// earlier.) Thread-safe.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"

namespace casedesk::app {

// `plan` empty: every plan (a calendar changed). Returns how many cases were recomputed.
absl::StatusOr<int64_t> RecomputeOpenCases(AppContext& context, const std::string& plan,
                                           absl::Time now);

}  // namespace casedesk::app
