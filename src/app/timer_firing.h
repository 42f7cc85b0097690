// Firing durable timers: each due timer is claimed (marked fired) in its own unit of work,
// together with everything it causes -- the SLA warning or breach event, the notification of
// the assignee, the escalations the policies attach to it, the case's refreshed SLA summary --
// so a timer fires exactly once whatever crashes or restarts, and on several nodes.
// Thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "ports/store.h"

namespace casedesk::app {

// Fires up to `limit` timers due at `now`, earliest first; returns how many this call fired
// (timers another node claimed first are not counted).
absl::StatusOr<int> FireDueTimers(AppContext& context, absl::Time now, int limit);

}  // namespace casedesk::app
