#include "app/saved_views.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

absl::Status RequireViewsStaff(const Caller& caller) {
  if (core::IsProviderStaff(caller.viewer.role)) return absl::OkStatus();
  return absl::PermissionDeniedError("saved views are for support staff");
}

// The filter's group and organisation must exist (a view of nothing is a mistake).
absl::Status CheckViewReferences(ports::StoreTransaction& txn, const core::QueueViewFilter& filter) {
  if (filter.group_id) {
    absl::StatusOr<core::Group> group = txn.GetGroup(*filter.group_id);
    if (absl::IsNotFound(group.status())) {
      return absl::InvalidArgumentError(absl::StrCat("group: no group ", *filter.group_id));
    }
    if (!group.ok()) return group.status();
  }
  if (filter.org_id) {
    absl::StatusOr<core::Organisation> org = txn.GetOrganisation(*filter.org_id);
    if (absl::IsNotFound(org.status())) {
      return absl::InvalidArgumentError(absl::StrCat("org: no organisation ", *filter.org_id));
    }
    if (!org.ok()) return org.status();
  }
  return absl::OkStatus();
}

}  // namespace

void SaveView(AppContext& context, const Caller& caller, std::string name,
              core::QueueViewFilter filter, Done<core::SavedView> done) {
  if (absl::Status staff = RequireViewsStaff(caller); !staff.ok()) return done(staff);
  absl::StatusOr<std::string> checked = core::CheckViewName(name);
  if (!checked.ok()) return done(checked.status());
  core::SavedView view{.user_id = caller.viewer.user_id,
                       .name = *std::move(checked),
                       .filter = filter,
                       .created_at = context.clock.Now()};
  WriteValue<core::SavedView>(
      context.store,
      [view](ports::StoreTransaction& txn) -> absl::StatusOr<core::SavedView> {
        if (absl::Status references = CheckViewReferences(txn, view.filter); !references.ok()) {
          return references;
        }
        absl::StatusOr<std::vector<core::SavedView>> existing = txn.ListSavedViews(view.user_id);
        if (!existing.ok()) return existing.status();
        if (static_cast<int>(existing->size()) >= core::kMaxSavedViewsPerUser) {
          return absl::InvalidArgumentError(
              absl::StrCat("name: you have ", core::kMaxSavedViewsPerUser,
                           " saved views, the most a person may keep; delete one to save another"));
        }
        absl::StatusOr<core::SavedViewId> id = txn.InsertSavedView(view);
        if (!id.ok()) return id.status();
        core::SavedView saved = view;
        saved.id = *id;
        return saved;
      },
      std::move(done));
}

absl::StatusOr<std::vector<core::SavedView>> ListSavedViews(AppContext& context,
                                                            const Caller& caller) {
  if (absl::Status staff = RequireViewsStaff(caller); !staff.ok()) return staff;
  return ReadValue<std::vector<core::SavedView>>(context.store, [&](ports::StoreTransaction& txn) {
    return txn.ListSavedViews(caller.viewer.user_id);
  });
}

void DeleteSavedView(AppContext& context, const Caller& caller, core::SavedViewId id,
                     Done<bool> done) {
  if (absl::Status staff = RequireViewsStaff(caller); !staff.ok()) return done(staff);
  WriteValue<bool>(
      context.store,
      [user_id = caller.viewer.user_id, id](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
        absl::Status deleted = txn.DeleteSavedView(user_id, id);
        if (!deleted.ok()) return deleted;
        return true;
      },
      std::move(done));
}

}  // namespace casedesk::app
