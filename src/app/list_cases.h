// Use case: list the cases a caller may see, newest first, with optional filters. The caller's
// scope is always part of the store query (keyset paging, one query per page); secret fields
// are never part of a list. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/authenticate.h"
#include "core/case.h"
#include "ports/store.h"

namespace casedesk::app {

struct ListCasesRequest {
  std::optional<core::CaseStatus> status;
  std::optional<core::Severity> severity;
  std::optional<core::OrgId> org_id;
  std::optional<core::UserId> assignee_id;
  std::optional<core::GroupId> group_id;
  std::string text;  // words matched against subject, description and public comments
  ports::PageRequest page;

  // Staff console queues (issue 5): the order, and the filters only the next-deadline order
  // takes (see ports::CaseFilter). InvalidArgument for queue filters with the newest-first order
  // or for text with the next-deadline order.
  ports::CaseOrder order = ports::CaseOrder::kNewest;
  bool active_only = false;
  bool unassigned_only = false;
  std::vector<core::GroupId> group_ids;
  std::vector<core::CaseStatus> statuses;
  std::optional<absl::Time> due_before;
};

absl::StatusOr<ports::Page<core::Case>> ListCases(AppContext& context, const Caller& caller,
                                                  const ListCasesRequest& request);

}  // namespace casedesk::app
