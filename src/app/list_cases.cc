#include "app/list_cases.h"

#include <algorithm>
#include <utility>

#include "app/case_support.h"
#include "core/access.h"

namespace casedesk::app {

absl::StatusOr<ports::Page<core::Case>> ListCases(AppContext& context, const Caller& caller,
                                                  const ListCasesRequest& request) {
  ports::CaseFilter filter;
  filter.scope = core::ScopeFor(caller.viewer);
  filter.status = request.status;
  filter.severity = request.severity;
  filter.org_id = request.org_id;
  filter.assignee_id = request.assignee_id;
  filter.group_id = request.group_id;
  filter.text = request.text;
  filter.page = BoundedPage(context.limits, request.page);
  // Staff console queues (issue 5).
  const bool queue_filters = request.active_only || request.unassigned_only ||
                             !request.group_ids.empty() || !request.statuses.empty() ||
                             request.due_before.has_value();
  if (request.order == ports::CaseOrder::kNewest && queue_filters) {
    return absl::InvalidArgumentError("order: queue filters need the next-deadline order");
  }
  if (request.order == ports::CaseOrder::kNextDeadline && !request.text.empty()) {
    return absl::InvalidArgumentError("text: not supported with the next-deadline order");
  }
  filter.order = request.order;
  filter.active_only = request.active_only;
  filter.unassigned_only = request.unassigned_only;
  filter.group_ids = request.group_ids;
  filter.statuses = request.statuses;
  filter.due_before = request.due_before;

  absl::StatusOr<ports::Page<core::Case>> page = absl::InternalError("cases were not read");
  absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    page = txn.ListCases(filter);
    return page.status();
  });
  if (!read.ok()) return read;
  // The store applied the scope; checking each row again is pure and costs no query.
  std::erase_if(page->items,
                [&](const core::Case& c) { return !core::CanSeeCase(filter.scope, c); });
  for (core::Case& c : page->items) c.sealed_secrets.clear();
  return page;
}

}  // namespace casedesk::app
