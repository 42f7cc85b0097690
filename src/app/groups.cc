#include "app/groups.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/store_calls.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxDescriptionLength = 2000;

absl::Status GroupNotFound(core::GroupId id) {
  return absl::NotFoundError(absl::StrCat("group ", id, " not found"));
}

std::vector<core::UserId> Deduplicated(const std::vector<core::UserId>& ids) {
  std::vector<core::UserId> unique;
  for (core::UserId id : ids) {
    if (std::find(unique.begin(), unique.end(), id) == unique.end()) unique.push_back(id);
  }
  return unique;
}

absl::Status Validate(const core::Group& group) {
  if (absl::Status valid = core::ValidateGroup(group); !valid.ok()) return valid;
  if (group.description.size() > kMaxDescriptionLength) {
    return absl::InvalidArgumentError("description must be at most 2000 characters");
  }
  return absl::OkStatus();
}

absl::Status CheckMembersAreStaff(ports::StoreTransaction& txn,
                                  const std::vector<core::UserId>& members) {
  for (core::UserId id : members) {
    absl::StatusOr<core::User> user = txn.GetUser(id);
    if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
    if (!user.ok() || !core::IsProviderStaff(user->role)) {
      return absl::InvalidArgumentError(
          absl::StrCat("member ", id, " is not a member of the provider's staff"));
    }
  }
  return absl::OkStatus();
}

// Another group (not `self`) with the same name, or that is already the triage queue.
absl::Status CheckUnique(ports::StoreTransaction& txn, const core::Group& group) {
  ports::PageRequest page;
  page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::Group>> groups = txn.ListGroups(page);
    if (!groups.ok()) return groups.status();
    for (const core::Group& other : groups->items) {
      if (other.id == group.id) continue;
      if (other.name == group.name) {
        return absl::AlreadyExistsError("a group named '" + group.name + "' already exists");
      }
      if (group.triage && other.triage) {
        return absl::AlreadyExistsError("group '" + other.name +
                                        "' is already the triage queue");
      }
    }
    if (groups->next_cursor.empty()) return absl::OkStatus();
    page.cursor = groups->next_cursor;
  }
}

std::string MembersText(const std::vector<core::UserId>& members) {
  return absl::StrJoin(members, ",");
}

absl::Status StaffOnly(const core::Viewer& viewer) {
  if (core::IsProviderStaff(viewer.role)) return absl::OkStatus();
  return absl::PermissionDeniedError("groups are visible to support staff only");
}

}  // namespace

absl::StatusOr<core::Group> InsertGroupWithEvent(ports::StoreTransaction& txn, core::Group group,
                                                 core::UserId actor, absl::Time now) {
  group.id = 0;
  group.members = Deduplicated(group.members);
  group.created_at = now;
  if (absl::Status valid = Validate(group); !valid.ok()) return valid;
  if (absl::Status unique = CheckUnique(txn, group); !unique.ok()) return unique;
  if (absl::Status staff = CheckMembersAreStaff(txn, group.members); !staff.ok()) return staff;
  absl::StatusOr<core::GroupId> id = txn.InsertGroup(group);
  if (!id.ok()) return id.status();
  group.id = *id;
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "name", "", group.name);
  core::RecordChange(changes, "description", "", group.description);
  core::RecordChange(changes, "triage", "", BoolText(group.triage));
  core::RecordChange(changes, "members", "", MembersText(group.members));
  absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
      "group", absl::StrCat(group.id), actor, now, "group.created", std::move(changes)));
  if (!event.ok()) return event.status();
  return group;
}

void CreateGroup(AppContext& context, const core::Viewer& viewer, NewGroup request,
                 std::function<void(absl::StatusOr<core::Group>)> done) {
  if (!core::IsAdmin(viewer)) {
    return done(absl::PermissionDeniedError("only an admin may create groups"));
  }
  core::Group group;
  group.name = std::move(request.name);
  group.description = std::move(request.description);
  group.triage = request.triage;
  group.members = std::move(request.members);
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::Group>(
      context.store,
      [group = std::move(group), actor, now](ports::StoreTransaction& txn) {
        return InsertGroupWithEvent(txn, group, actor, now);
      },
      std::move(done));
}

absl::StatusOr<core::Group> GetGroup(AppContext& context, const core::Viewer& viewer,
                                     core::GroupId id) {
  if (absl::Status staff = StaffOnly(viewer); !staff.ok()) return staff;
  absl::StatusOr<core::Group> group = ReadValue<core::Group>(
      context.store, [id](ports::StoreTransaction& txn) { return txn.GetGroup(id); });
  if (absl::IsNotFound(group.status())) return GroupNotFound(id);
  return group;
}

absl::StatusOr<ports::Page<core::Group>> ListGroups(AppContext& context,
                                                    const core::Viewer& viewer,
                                                    const ports::PageRequest& page) {
  if (absl::Status staff = StaffOnly(viewer); !staff.ok()) return staff;
  return ReadValue<ports::Page<core::Group>>(
      context.store, [&page](ports::StoreTransaction& txn) { return txn.ListGroups(page); });
}

void UpdateGroup(AppContext& context, const core::Viewer& viewer, core::GroupId id,
                 GroupPatch patch, std::function<void(absl::StatusOr<core::Group>)> done) {
  if (!core::IsAdmin(viewer)) {
    if (absl::Status staff = StaffOnly(viewer); !staff.ok()) return done(staff);
    return done(absl::PermissionDeniedError("only an admin may change groups"));
  }
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::Group>(
      context.store,
      [id, patch = std::move(patch), actor,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<core::Group> {
        absl::StatusOr<core::Group> before = txn.GetGroup(id);
        if (absl::IsNotFound(before.status())) return GroupNotFound(id);
        if (!before.ok()) return before.status();
        core::Group after = *before;
        if (patch.name) after.name = *patch.name;
        if (patch.description) after.description = *patch.description;
        if (patch.triage) after.triage = *patch.triage;
        if (patch.members) after.members = Deduplicated(*patch.members);
        if (absl::Status valid = Validate(after); !valid.ok()) return valid;
        if (after.name != before->name || (after.triage && !before->triage)) {
          if (absl::Status unique = CheckUnique(txn, after); !unique.ok()) return unique;
        }
        if (patch.members) {
          if (absl::Status staff = CheckMembersAreStaff(txn, after.members); !staff.ok()) {
            return staff;
          }
        }
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "name", before->name, after.name);
        core::RecordChange(changes, "description", before->description, after.description);
        core::RecordChange(changes, "triage", BoolText(before->triage),
                           BoolText(after.triage));
        core::RecordChange(changes, "members", MembersText(before->members),
                           MembersText(after.members));
        if (changes.empty()) return after;
        if (absl::Status update = txn.UpdateGroup(after); !update.ok()) return update;
        absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
            "group", absl::StrCat(id), actor, now, "group.updated", std::move(changes)));
        if (!event.ok()) return event.status();
        return after;
      },
      std::move(done));
}

}  // namespace casedesk::app
