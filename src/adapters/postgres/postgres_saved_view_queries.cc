// PostgresTransaction: saved queue views (issue 5). A duplicate name is found with ON CONFLICT
// DO NOTHING: a failed statement would abort the whole transaction.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::postgres {

absl::StatusOr<core::SavedViewId> PostgresTransaction::InsertSavedView(
    const core::SavedView& view) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO saved_views (user_id, name, filter, created_at)"
                          " VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, name) DO NOTHING"
                          " RETURNING id",
                          PgParams()
                              .Add(view.user_id)
                              .Add(view.name)
                              .Add(core::EncodeQueueViewFilter(view.filter))
                              .Add(TimeToColumn(view.created_at))));
  if (inserted.rows() == 0) {
    return absl::AlreadyExistsError("name: you already have a view of this name");
  }
  return inserted.Int(0, 0);
}

absl::StatusOr<std::vector<core::SavedView>> PostgresTransaction::ListSavedViews(
    core::UserId user_id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT id, name, filter, created_at FROM saved_views"
                                         " WHERE user_id = $1 ORDER BY name, id",
                                         PgParams().Add(user_id)));
  std::vector<core::SavedView> views;
  for (int row = 0; row < rows.rows(); ++row) {
    absl::StatusOr<core::QueueViewFilter> filter = core::DecodeQueueViewFilter(rows.Text(row, 2));
    if (!filter.ok()) {
      return absl::DataLossError(absl::StrCat("saved_views.filter of view ", rows.Int(row, 0), ": ",
                                              filter.status().message()));
    }
    views.push_back({.id = rows.Int(row, 0),
                     .user_id = user_id,
                     .name = std::string(rows.Text(row, 1)),
                     .filter = *filter,
                     .created_at = TimeFromColumn(rows.OptionalInt(row, 3))});
  }
  return views;
}

absl::Status PostgresTransaction::DeleteSavedView(core::UserId user_id, core::SavedViewId id) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult removed,
      connection_.Execute("DELETE FROM saved_views WHERE id = $1 AND user_id = $2",
                          PgParams().Add(id).Add(user_id)));
  if (removed.affected() == 0) {
    return absl::NotFoundError(absl::StrCat("saved view ", id, " not found"));
  }
  return absl::OkStatus();
}

}  // namespace casedesk::adapters::postgres
