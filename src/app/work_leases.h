// Leases on work only one node of a desk should do at a time, such as polling one mailbox: the
// node that holds a lease renews it each time it does the work; when it stops it gives the
// lease up, and when it dies the lease runs out and another node takes the work over.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"

namespace casedesk::app {

// Claims or renews `name` for `holder` (a node's random id) for `term` from now; true when
// `holder` holds it now. Waits for the commit, so call it from a worker thread.
absl::StatusOr<bool> ClaimWorkLease(AppContext& context, std::string_view name,
                                    std::string_view holder, absl::Duration term);

// Gives `name` up when `holder` holds it.
absl::Status ReleaseWorkLease(AppContext& context, std::string_view name, std::string_view holder);

}  // namespace casedesk::app
