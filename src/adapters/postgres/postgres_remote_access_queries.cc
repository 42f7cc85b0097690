// PostgresTransaction: remote access requests (issue 7). Every move is a conditional UPDATE on
// the stored status (`... WHERE id = $ AND status = $`). Writes run in READ COMMITTED: a second
// writer of the same row waits for the first to commit, then re-checks the condition against
// the committed row and updates nothing, so a move (a grant, a revocation, the expiry sweep on
// several nodes) happens exactly once without a failed statement.
#include <string>
#include <utility>
#include <vector>

#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::postgres {
namespace {

const std::string kRequestColumns =
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

absl::StatusOr<std::vector<core::RemoteAccessRequest>> RequestsFromRows(const PgResult& rows) {
  std::vector<core::RemoteAccessRequest> requests;
  for (int row = 0; row < rows.rows(); ++row) {
    core::RemoteAccessRequest request;
    request.id = rows.Int(row, 0);
    request.case_number = rows.Int(row, 1);
    const std::string method_name(rows.Text(row, 2));
    const std::optional<core::RemoteAccessMethod> method =
        core::EnumFromName<core::RemoteAccessMethod>(core::kRemoteAccessMethodNames, method_name);
    if (!method) {
      return absl::DataLossError("remote_access_requests.method: unknown value " + method_name);
    }
    request.method = *method;
    request.purpose = std::string(rows.Text(row, 3));
    request.window_start = TimeFromColumn(rows.OptionalInt(row, 4));
    request.window_end = TimeFromColumn(rows.OptionalInt(row, 5));
    request.requested_by = rows.Int(row, 6);
    request.requested_at = TimeFromColumn(rows.OptionalInt(row, 7));
    const std::string status_name(rows.Text(row, 8));
    const std::optional<core::RemoteAccessStatus> status =
        core::EnumFromName<core::RemoteAccessStatus>(core::kRemoteAccessStatusNames, status_name);
    if (!status) {
      return absl::DataLossError("remote_access_requests.status: unknown value " + status_name);
    }
    request.status = *status;
    request.decided_by = rows.Int(row, 9);
    request.decided_at = TimeFromColumn(rows.OptionalInt(row, 10));
    request.refusal_reason = std::string(rows.Text(row, 11));
    request.ended_by = rows.Int(row, 12);
    request.ended_at = TimeFromColumn(rows.OptionalInt(row, 13));
    request.credential_fields = StringsFromJson(rows.Text(row, 14));
    request.updated_at = TimeFromColumn(rows.OptionalInt(row, 15));
    requests.push_back(std::move(request));
  }
  return requests;
}

}  // namespace

absl::StatusOr<core::RemoteAccessId> PostgresTransaction::InsertRemoteAccessRequest(
    const core::RemoteAccessRequest& request) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PgParams params;
  params.Add(request.case_number)
      .Add(MethodName(request.method))
      .Add(request.purpose)
      .Add(TimeToColumn(request.window_start))
      .Add(TimeToColumn(request.window_end))
      .Add(request.requested_by)
      .Add(TimeToColumn(request.requested_at))
      .Add(StatusName(request.status))
      .Add(request.decided_by)
      .Add(TimeToColumn(request.decided_at))
      .Add(request.refusal_reason)
      .Add(request.ended_by)
      .Add(TimeToColumn(request.ended_at))
      .Add(StringsToJson(request.credential_fields))
      .Add(TimeToColumn(request.updated_at));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO remote_access_requests (case_number, method, purpose,"
                          " window_start, window_end, requested_by, requested_at, status,"
                          " decided_by, decided_at, refusal_reason, ended_by, ended_at,"
                          " credential_fields, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
                          " $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
                          params));
  NoteCaseChanged(request.case_number);
  return inserted.Int(0, 0);
}

absl::StatusOr<core::RemoteAccessRequest> PostgresTransaction::GetRemoteAccessRequest(
    core::RemoteAccessId id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute(
                         "SELECT " + kRequestColumns + " FROM remote_access_requests WHERE id = $1",
                         PgParams().Add(id)));
  PG_STORE_ASSIGN_OR_RETURN(std::vector<core::RemoteAccessRequest> requests,
                            RequestsFromRows(rows));
  if (requests.empty()) {
    return absl::NotFoundError("remote access request " + std::to_string(id) + " not found");
  }
  return std::move(requests.front());
}

absl::StatusOr<std::vector<core::RemoteAccessRequest>>
PostgresTransaction::ListCaseRemoteAccessRequests(core::CaseNumber number, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT " + kRequestColumns +
                                             " FROM remote_access_requests WHERE case_number = $1"
                                             " ORDER BY id DESC LIMIT $2",
                                         PgParams().Add(number).Add(int64_t{ClampLimit(limit)})));
  return RequestsFromRows(rows);
}

absl::StatusOr<ports::RemoteAccessWrite> PostgresTransaction::UpdateRemoteAccessRequest(
    const core::RemoteAccessRequest& request, core::RemoteAccessStatus expected) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PgParams params;
  params.Add(StatusName(request.status))
      .Add(request.decided_by)
      .Add(TimeToColumn(request.decided_at))
      .Add(request.refusal_reason)
      .Add(request.ended_by)
      .Add(TimeToColumn(request.ended_at))
      .Add(StringsToJson(request.credential_fields))
      .Add(TimeToColumn(request.updated_at))
      .Add(request.id)
      .Add(StatusName(expected));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute("UPDATE remote_access_requests SET status = $1, decided_by = $2,"
                          " decided_at = $3, refusal_reason = $4, ended_by = $5, ended_at = $6,"
                          " credential_fields = $7, updated_at = $8"
                          " WHERE id = $9 AND status = $10",
                          params));
  if (updated.affected() == 1) {
    NoteCaseChanged(request.case_number);
    return ports::RemoteAccessWrite::kWritten;
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult exists, connection_.Execute("SELECT 1 FROM remote_access_requests WHERE id = $1",
                                           PgParams().Add(request.id)));
  if (exists.rows() == 0) {
    return absl::NotFoundError("remote access request " + std::to_string(request.id) +
                               " not found");
  }
  return ports::RemoteAccessWrite::kStale;
}

absl::StatusOr<std::vector<core::RemoteAccessRequest>>
PostgresTransaction::ListEndedRemoteAccessRequests(absl::Time at, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kRequestColumns +
                              " FROM remote_access_requests"
                              " WHERE status IN ('requested', 'granted') AND window_end <= $1"
                              " ORDER BY window_end, id LIMIT $2",
                          PgParams().Add(TimeToColumn(at)).Add(int64_t{ClampLimit(limit)})));
  return RequestsFromRows(rows);
}

}  // namespace casedesk::adapters::postgres
