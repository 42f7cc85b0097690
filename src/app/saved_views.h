// Use cases for saved queue views (issue 5): provider staff save the console views they use
// (a queue narrowed by severity, group and organisation; core/queue_view.h) under names of
// their own, list them and delete them. Views are private to the person who saved them: another
// person's view id is NotFound, as an unknown one is.
// Thread-safe: free functions over the thread-safe context.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/queue_view.h"

namespace casedesk::app {

// Saves `filter` as the caller's view `name`. PermissionDenied unless provider staff;
// InvalidArgument for a bad name, a group or organisation that does not exist, or when the
// caller already has core::kMaxSavedViewsPerUser views; AlreadyExists for a name they use.
void SaveView(AppContext& context, const Caller& caller, std::string name,
              core::QueueViewFilter filter, Done<core::SavedView> done);

// The caller's views, by name. PermissionDenied unless provider staff.
absl::StatusOr<std::vector<core::SavedView>> ListSavedViews(AppContext& context,
                                                            const Caller& caller);

// Deletes the caller's view `id`. PermissionDenied unless provider staff; NotFound for an
// unknown id or another person's view.
void DeleteSavedView(AppContext& context, const Caller& caller, core::SavedViewId id,
                     Done<bool> done);

}  // namespace casedesk::app
