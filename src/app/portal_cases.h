// Use case: the portal's list of cases: the cases the person may see (their own; their
// organisation's when it shares cases; a partner agent's customers'), newest first, filtered
// by state (open or solved) and by whose they are (mine: requested or followed by the person),
// each with its SLA promise. The person's scope is always part of the store query.
//
// Paging: the store pages by case number; the state filter is applied to each store page, so
// a portal page holds between `limit` and 2 * limit - 1 cases (fewer only on the last page, or
// when 20 store pages in a row held too few matches, in which case next_cursor continues).
// Thread-safe: a free function over the thread-safe context.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/portal_promise.h"
#include "core/case.h"
#include "ports/store.h"

namespace casedesk::app {

enum class PortalCaseState { kOpen, kSolved, kAll };  // open: neither solved nor closed

struct PortalCaseQuery {
  PortalCaseState state = PortalCaseState::kOpen;
  bool mine_only = false;  // only cases the person requested or follows
  ports::PageRequest page;
};

struct PortalCaseRow {
  core::Case record;  // without secrets
  PortalPromise promise;
};

// Whether `status` belongs to `state`.
bool InPortalState(PortalCaseState state, core::CaseStatus status);

// PermissionDenied for provider staff (they use the console).
absl::StatusOr<ports::Page<PortalCaseRow>> ListPortalCases(AppContext& context,
                                                           const Caller& caller,
                                                           const PortalCaseQuery& query);

}  // namespace casedesk::app
