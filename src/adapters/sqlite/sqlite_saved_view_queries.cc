// SqliteTransaction: saved queue views (issue 5). A duplicate name is found with ON CONFLICT DO
// NOTHING, the same statement shape as on PostgreSQL, where a failed statement would abort the
// whole transaction.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::sqlite {

absl::StatusOr<core::SavedViewId> SqliteTransaction::InsertSavedView(const core::SavedView& view) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO saved_views (user_id, name, filter, created_at)"
                          " VALUES (?, ?, ?, ?) ON CONFLICT (user_id, name) DO NOTHING"));
  insert.Bind(1, view.user_id)
      .Bind(2, view.name)
      .Bind(3, core::EncodeQueueViewFilter(view.filter))
      .Bind(4, TimeToColumn(view.created_at));
  absl::Status inserted = insert.Run();
  if (!inserted.ok()) return ClassifyWriteError(inserted, insert, "name: already saved");
  if (connection_.Changes() == 0) {
    return absl::AlreadyExistsError("name: you already have a view of this name");
  }
  return connection_.LastInsertRowId();
}

absl::StatusOr<std::vector<core::SavedView>> SqliteTransaction::ListSavedViews(
    core::UserId user_id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare("SELECT id, name, filter, created_at FROM saved_views"
                                           " WHERE user_id = ? ORDER BY name, id"));
  query.Bind(1, user_id);
  std::vector<core::SavedView> views;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return views;
    absl::StatusOr<core::QueueViewFilter> filter = core::DecodeQueueViewFilter(query.Text(2));
    if (!filter.ok()) {
      return absl::DataLossError(absl::StrCat("saved_views.filter of view ", query.Int(0), ": ",
                                              filter.status().message()));
    }
    views.push_back({.id = query.Int(0),
                     .user_id = user_id,
                     .name = query.Text(1),
                     .filter = *filter,
                     .created_at = TimeFromColumn(query.OptionalInt(3))});
  }
}

absl::Status SqliteTransaction::DeleteSavedView(core::UserId user_id, core::SavedViewId id) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement remove,
      connection_.Prepare("DELETE FROM saved_views WHERE id = ? AND user_id = ?"));
  remove.Bind(1, id).Bind(2, user_id);
  SQLITE_STORE_RETURN_IF_ERROR(remove.Run());
  if (connection_.Changes() == 0) {
    return absl::NotFoundError(absl::StrCat("saved view ", id, " not found"));
  }
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::sqlite
