// Use cases for priority abuse (seed 001): provider staff flag a case's customer-chosen
// severity as misused, with a reason, and read a case's flags. A flag records the case's
// organisation and requester (flags are counted per organisation and contact in the SLA
// report), who flagged it, the severity the customer chose and why; it is written together with
// a "case.severity_flagged" audit event on the case.
// Thread-safe: free functions over the thread-safe context.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/ids.h"
#include "ports/sla_records.h"

namespace casedesk::app {

// Flags the case's proposed (customer-chosen) severity. NotFound when the caller cannot see the
// case, PermissionDenied when they can but are not provider staff, InvalidArgument for a bad
// reason (1..2000 characters), AlreadyExists when that same proposed severity is already
// flagged on the case (one misuse is counted once; a later re-proposal can be flagged again).
// Closed cases may be flagged: abuse is often noticed afterwards.
void FlagSeverity(AppContext& context, const Caller& caller, core::CaseNumber number,
                  std::string reason, Done<ports::SeverityFlag> done);

// The case's flags, oldest first; the same access rules as FlagSeverity.
absl::StatusOr<std::vector<ports::SeverityFlag>> ListSeverityFlags(AppContext& context,
                                                                   const Caller& caller,
                                                                   core::CaseNumber number);

// How often the case's organisation and requester had a severity flagged in the
// kRecentFlagWindow before `now`: the abuse context beside a case. Same access rules as
// FlagSeverity.
inline constexpr absl::Duration kRecentFlagWindow = absl::Hours(24 * 90);
struct RecentSeverityFlags {
  int64_t organisation = 0;
  int64_t requester = 0;
};
absl::StatusOr<RecentSeverityFlags> CountRecentSeverityFlags(AppContext& context,
                                                             const Caller& caller,
                                                             core::CaseNumber number,
                                                             absl::Time now);

}  // namespace casedesk::app
