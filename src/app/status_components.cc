#include "app/status_components.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/status_page_settings.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxComponentDescriptionLength = 1000;

std::string StatusName(core::ComponentStatus status) {
  return std::string(core::NameOf(core::ComponentStatusNames(), status));
}

absl::Status NotFound(core::ComponentId id) {
  return absl::NotFoundError(absl::StrCat("status component ", id, " not found"));
}

absl::Status AdminOnly(const core::Viewer& viewer) {
  if (core::IsAdmin(viewer)) return absl::OkStatus();
  if (core::IsProviderStaff(viewer.role)) {
    return absl::PermissionDeniedError("only an admin may change status components");
  }
  return absl::NotFoundError("not found");
}

// The id of the group named `name`, created when missing; 0 for an empty name.
absl::StatusOr<core::ComponentId> GroupNamed(ports::StoreTransaction& txn, const std::string& name,
                                             absl::Time now, core::UserId actor) {
  if (name.empty()) return 0;
  absl::StatusOr<std::vector<core::StatusComponent>> all = txn.ListStatusComponents();
  if (!all.ok()) return all.status();
  int last_position = 0;
  for (const core::StatusComponent& component : *all) {
    if (component.is_group && component.name == name) return component.id;
    if (component.group_id == 0) last_position = std::max(last_position, component.position);
  }
  core::StatusComponent group;
  group.name = name;
  group.is_group = true;
  group.position = last_position + 1;
  group.created_at = now;
  group.updated_at = now;
  if (absl::Status valid = core::ValidateComponent(group); !valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("group: ", valid.message()));
  }
  absl::StatusOr<core::ComponentId> id = txn.InsertStatusComponent(group);
  if (!id.ok()) return id.status();
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "name", "", name);
  absl::StatusOr<core::EventId> event =
      txn.AppendEvent(MakeAuditEvent("status_component", absl::StrCat(*id), actor, now,
                                     "status_group.created", std::move(changes)));
  if (!event.ok()) return event.status();
  return *id;
}

int NextPosition(const std::vector<core::StatusComponent>& all, core::ComponentId group_id) {
  int last = 0;
  for (const core::StatusComponent& component : all) {
    if (!component.is_group && component.group_id == group_id) {
      last = std::max(last, component.position);
    }
  }
  return last + 1;
}

std::string GroupName(const std::vector<core::StatusComponent>& all, core::ComponentId id) {
  for (const core::StatusComponent& component : all) {
    if (component.id == id) return component.name;
  }
  return "";
}

}  // namespace

absl::Status MarkStatusPageChanged(ports::StoreTransaction& txn, AppContext& context) {
  return BumpStatusVersion(txn, context.crypto.RandomId());
}

absl::StatusOr<bool> SetComponentStatus(ports::StoreTransaction& txn,
                                        core::StatusComponent& component,
                                        core::ComponentStatus status, absl::Time now) {
  if (component.status == status) return false;
  component.status = status;
  component.updated_at = now;
  if (absl::Status updated = txn.UpdateStatusComponent(component); !updated.ok()) return updated;
  if (absl::Status recorded = txn.AppendComponentStatusChange({component.id, now, status});
      !recorded.ok()) {
    return recorded;
  }
  return true;
}

void CreateStatusComponent(AppContext& context, const core::Viewer& viewer,
                           NewStatusComponent request, Done<core::StatusComponent> done) {
  if (absl::Status admin = AdminOnly(viewer); !admin.ok()) return done(admin);
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::StatusComponent>(
      context.store,
      [request = std::move(request), now, actor,
       &context](ports::StoreTransaction& txn) -> absl::StatusOr<core::StatusComponent> {
        if (request.description.size() > kMaxComponentDescriptionLength) {
          return absl::InvalidArgumentError("description: must be at most 1000 characters");
        }
        core::StatusComponent component;
        component.name = request.name;
        component.description = request.description;
        component.status = request.status;
        component.only_show_if_degraded = request.only_show_if_degraded;
        component.created_at = now;
        component.updated_at = now;
        if (absl::Status valid = core::ValidateComponent(component); !valid.ok()) return valid;
        absl::StatusOr<core::ComponentId> group = GroupNamed(txn, request.group, now, actor);
        if (!group.ok()) return group.status();
        component.group_id = *group;
        absl::StatusOr<std::vector<core::StatusComponent>> all = txn.ListStatusComponents();
        if (!all.ok()) return all.status();
        component.position = request.position.value_or(NextPosition(*all, component.group_id));
        absl::StatusOr<core::ComponentId> id = txn.InsertStatusComponent(component);
        if (!id.ok()) return id.status();
        component.id = *id;
        if (absl::Status recorded = txn.AppendComponentStatusChange({*id, now, component.status});
            !recorded.ok()) {
          return recorded;
        }
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "name", "", component.name);
        core::RecordChange(changes, "group", "", request.group);
        core::RecordChange(changes, "status", "", StatusName(component.status));
        absl::StatusOr<core::EventId> event =
            txn.AppendEvent(MakeAuditEvent("status_component", absl::StrCat(*id), actor, now,
                                           "status_component.created", std::move(changes)));
        if (!event.ok()) return event.status();
        if (absl::Status marked = MarkStatusPageChanged(txn, context); !marked.ok()) {
          return marked;
        }
        return component;
      },
      AfterStatusChange(context, std::move(done)));
}

void UpdateStatusComponent(AppContext& context, const core::Viewer& viewer, core::ComponentId id,
                           StatusComponentPatch patch, Done<core::StatusComponent> done) {
  if (absl::Status admin = AdminOnly(viewer); !admin.ok()) return done(admin);
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::StatusComponent>(
      context.store,
      [id, patch = std::move(patch), now, actor,
       &context](ports::StoreTransaction& txn) -> absl::StatusOr<core::StatusComponent> {
        absl::StatusOr<core::StatusComponent> before = txn.GetStatusComponent(id);
        if (absl::IsNotFound(before.status())) return NotFound(id);
        if (!before.ok()) return before.status();
        if (patch.description && patch.description->size() > kMaxComponentDescriptionLength) {
          return absl::InvalidArgumentError("description: must be at most 1000 characters");
        }
        absl::StatusOr<std::vector<core::StatusComponent>> all = txn.ListStatusComponents();
        if (!all.ok()) return all.status();
        core::StatusComponent after = *before;
        if (patch.name) after.name = *patch.name;
        if (patch.description) after.description = *patch.description;
        if (patch.position) after.position = *patch.position;
        if (patch.only_show_if_degraded) after.only_show_if_degraded = *patch.only_show_if_degraded;
        if (patch.group) {
          if (before->is_group) {
            return absl::InvalidArgumentError("group: a group cannot belong to a group");
          }
          absl::StatusOr<core::ComponentId> group = GroupNamed(txn, *patch.group, now, actor);
          if (!group.ok()) return group.status();
          after.group_id = *group;
        }
        if (patch.status && before->is_group) {
          return absl::InvalidArgumentError(
              "status: a group's status is the worst of its components'");
        }
        if (absl::Status valid = core::ValidateComponent(after); !valid.ok()) return valid;
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "name", before->name, after.name);
        core::RecordChange(changes, "description", before->description, after.description);
        core::RecordChange(changes, "position", absl::StrCat(before->position),
                           absl::StrCat(after.position));
        core::RecordChange(changes, "group", GroupName(*all, before->group_id),
                           patch.group ? *patch.group : GroupName(*all, after.group_id));
        core::RecordChange(changes, "only_show_if_degraded",
                           BoolText(before->only_show_if_degraded),
                           BoolText(after.only_show_if_degraded));
        if (!changes.empty()) {
          after.updated_at = now;
          if (absl::Status updated = txn.UpdateStatusComponent(after); !updated.ok()) {
            return updated;
          }
        }
        if (patch.status) {
          absl::StatusOr<bool> changed = SetComponentStatus(txn, after, *patch.status, now);
          if (!changed.ok()) return changed.status();
          core::RecordChange(changes, "status", StatusName(before->status),
                             StatusName(after.status));
        }
        if (changes.empty()) return after;
        absl::StatusOr<core::EventId> event =
            txn.AppendEvent(MakeAuditEvent("status_component", absl::StrCat(id), actor, now,
                                           "status_component.updated", std::move(changes)));
        if (!event.ok()) return event.status();
        if (absl::Status marked = MarkStatusPageChanged(txn, context); !marked.ok()) {
          return marked;
        }
        return after;
      },
      AfterStatusChange(context, std::move(done)));
}

absl::StatusOr<std::vector<core::StatusComponent>> ListStatusComponents(
    AppContext& context, const core::Viewer& viewer) {
  if (!core::IsProviderStaff(viewer.role)) return absl::NotFoundError("not found");
  return ReadValue<std::vector<core::StatusComponent>>(
      context.store, [](ports::StoreTransaction& txn) { return txn.ListStatusComponents(); });
}

}  // namespace casedesk::app
