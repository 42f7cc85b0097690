// Group (queue) use cases. Groups hold provider staff only; admins create and change them and
// every provider staff member may read them (customers and partners never see queues). Names
// are unique and at most one group is the shared triage queue. Every change writes its audit
// event in the same transaction. Thread-safe: functions over the thread-safe ports.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "core/access.h"
#include "core/group.h"
#include "ports/store.h"

namespace casedesk::app {

struct NewGroup {
  std::string name;
  std::string description;
  bool triage = false;
  std::vector<core::UserId> members;
};

// Unset fields stay; `members` replaces the whole list.
struct GroupPatch {
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> triage;
  std::optional<std::vector<core::UserId>> members;
};

void CreateGroup(AppContext& context, const core::Viewer& viewer, NewGroup request,
                 std::function<void(absl::StatusOr<core::Group>)> done);

absl::StatusOr<core::Group> GetGroup(AppContext& context, const core::Viewer& viewer,
                                     core::GroupId id);

absl::StatusOr<ports::Page<core::Group>> ListGroups(AppContext& context,
                                                    const core::Viewer& viewer,
                                                    const ports::PageRequest& page);

void UpdateGroup(AppContext& context, const core::Viewer& viewer, core::GroupId id,
                 GroupPatch patch, std::function<void(absl::StatusOr<core::Group>)> done);

// Inside a transaction: the group creation that InitDesk and CreateGroup share (validation,
// uniqueness, members, insert, audit event). Returns the stored group.
absl::StatusOr<core::Group> InsertGroupWithEvent(ports::StoreTransaction& txn, core::Group group,
                                                 core::UserId actor, absl::Time now);

}  // namespace casedesk::app
