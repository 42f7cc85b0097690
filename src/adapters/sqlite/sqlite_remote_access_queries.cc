// SqliteTransaction: remote access requests (issue 7). Every move is a conditional UPDATE on
// the stored status (`... WHERE id = ? AND status = ?`), so of two units of work that read the
// same request only the first to write moves it; the single writer makes that exact here, and
// the same statement is what makes it exact on PostgreSQL.
#include <string>
#include <utility>
#include <vector>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::sqlite {
namespace {

constexpr char kRequestColumns[] =
    "id, case_number, method, purpose, window_start, window_end, requested_by, requested_at, "
    "status, decided_by, decided_at, refusal_reason, ended_by, ended_at, credential_fields, "
    "updated_at";

std::string MethodName(core::RemoteAccessMethod method) {
  return std::string(
      core::NameOf<core::RemoteAccessMethod>(core::kRemoteAccessMethodNames, method));
}

std::string StatusName(core::RemoteAccessStatus status) {
  return std::string(
      core::NameOf<core::RemoteAccessStatus>(core::kRemoteAccessStatusNames, status));
}

absl::StatusOr<core::RemoteAccessRequest> RequestFromRow(const Statement& row) {
  core::RemoteAccessRequest request;
  request.id = row.Int(0);
  request.case_number = row.Int(1);
  const std::optional<core::RemoteAccessMethod> method =
      core::EnumFromName<core::RemoteAccessMethod>(core::kRemoteAccessMethodNames, row.Text(2));
  if (!method) {
    return absl::DataLossError("remote_access_requests.method: unknown value " + row.Text(2));
  }
  request.method = *method;
  request.purpose = row.Text(3);
  request.window_start = TimeFromColumn(row.OptionalInt(4));
  request.window_end = TimeFromColumn(row.OptionalInt(5));
  request.requested_by = row.Int(6);
  request.requested_at = TimeFromColumn(row.OptionalInt(7));
  const std::optional<core::RemoteAccessStatus> status =
      core::EnumFromName<core::RemoteAccessStatus>(core::kRemoteAccessStatusNames, row.Text(8));
  if (!status) {
    return absl::DataLossError("remote_access_requests.status: unknown value " + row.Text(8));
  }
  request.status = *status;
  request.decided_by = row.Int(9);
  request.decided_at = TimeFromColumn(row.OptionalInt(10));
  request.refusal_reason = row.Text(11);
  request.ended_by = row.Int(12);
  request.ended_at = TimeFromColumn(row.OptionalInt(13));
  request.credential_fields = StringsFromJson(row.Text(14));
  request.updated_at = TimeFromColumn(row.OptionalInt(15));
  return request;
}

absl::StatusOr<std::vector<core::RemoteAccessRequest>> CollectRequests(Statement& query) {
  std::vector<core::RemoteAccessRequest> requests;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return requests;
    SQLITE_STORE_ASSIGN_OR_RETURN(core::RemoteAccessRequest request, RequestFromRow(query));
    requests.push_back(std::move(request));
  }
}

}  // namespace

absl::StatusOr<core::RemoteAccessId> SqliteTransaction::InsertRemoteAccessRequest(
    const core::RemoteAccessRequest& request) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO remote_access_requests (case_number, method, purpose,"
                          " window_start, window_end, requested_by, requested_at, status,"
                          " decided_by, decided_at, refusal_reason, ended_by, ended_at,"
                          " credential_fields, updated_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, request.case_number)
      .Bind(2, MethodName(request.method))
      .Bind(3, request.purpose)
      .Bind(4, TimeToColumn(request.window_start))
      .Bind(5, TimeToColumn(request.window_end))
      .Bind(6, request.requested_by)
      .Bind(7, TimeToColumn(request.requested_at))
      .Bind(8, StatusName(request.status))
      .Bind(9, request.decided_by)
      .Bind(10, TimeToColumn(request.decided_at))
      .Bind(11, request.refusal_reason)
      .Bind(12, request.ended_by)
      .Bind(13, TimeToColumn(request.ended_at))
      .Bind(14, StringsToJson(request.credential_fields))
      .Bind(15, TimeToColumn(request.updated_at));
  absl::Status inserted = insert.Run();
  if (!inserted.ok()) return ClassifyWriteError(inserted, insert, "remote access request exists");
  NoteCaseChanged(request.case_number);
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::RemoteAccessRequest> SqliteTransaction::GetRemoteAccessRequest(
    core::RemoteAccessId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kRequestColumns +
                                                    " FROM remote_access_requests WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) {
    return absl::NotFoundError("remote access request " + std::to_string(id) + " not found");
  }
  return RequestFromRow(query);
}

absl::StatusOr<std::vector<core::RemoteAccessRequest>>
SqliteTransaction::ListCaseRemoteAccessRequests(core::CaseNumber number, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT ") + kRequestColumns +
                                           " FROM remote_access_requests WHERE case_number = ?"
                                           " ORDER BY id DESC LIMIT ?"));
  query.Bind(1, number).Bind(2, int64_t{ClampLimit(limit)});
  return CollectRequests(query);
}

absl::StatusOr<ports::RemoteAccessWrite> SqliteTransaction::UpdateRemoteAccessRequest(
    const core::RemoteAccessRequest& request, core::RemoteAccessStatus expected) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE remote_access_requests SET status = ?, decided_by = ?,"
                          " decided_at = ?, refusal_reason = ?, ended_by = ?, ended_at = ?,"
                          " credential_fields = ?, updated_at = ?"
                          " WHERE id = ? AND status = ?"));
  update.Bind(1, StatusName(request.status))
      .Bind(2, request.decided_by)
      .Bind(3, TimeToColumn(request.decided_at))
      .Bind(4, request.refusal_reason)
      .Bind(5, request.ended_by)
      .Bind(6, TimeToColumn(request.ended_at))
      .Bind(7, StringsToJson(request.credential_fields))
      .Bind(8, TimeToColumn(request.updated_at))
      .Bind(9, request.id)
      .Bind(10, StatusName(expected));
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() == 1) {
    NoteCaseChanged(request.case_number);
    return ports::RemoteAccessWrite::kWritten;
  }
  // Nothing moved: tell an unknown id from a request another unit of work moved first.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement exists, connection_.Prepare("SELECT 1 FROM remote_access_requests WHERE id = ?"));
  exists.Bind(1, request.id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) {
    return absl::NotFoundError("remote access request " + std::to_string(request.id) +
                               " not found");
  }
  return ports::RemoteAccessWrite::kStale;
}

absl::StatusOr<std::vector<core::RemoteAccessRequest>>
SqliteTransaction::ListEndedRemoteAccessRequests(absl::Time at, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kRequestColumns +
                          " FROM remote_access_requests"
                          " WHERE status IN ('requested', 'granted') AND window_end <= ?"
                          " ORDER BY window_end, id LIMIT ?"));
  query.Bind(1, TimeToColumn(at)).Bind(2, int64_t{ClampLimit(limit)});
  return CollectRequests(query);
}

}  // namespace casedesk::adapters::sqlite
