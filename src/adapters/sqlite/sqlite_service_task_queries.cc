// SqliteTransaction: service tasks (issue 7). One row per service-task case; an update is a
// conditional UPDATE on the revision the caller read, so a stale write changes nothing.
#include <string>
#include <utility>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::sqlite {
namespace {

constexpr char kTaskColumns[] =
    "case_number, org_id, state, estimate_minutes, completion_date, start_date, decline_reason,"
    " estimate_count, requested_at, estimated_at, decided_at, started_at, done_at, updated_at,"
    " revision";

std::string StateName(core::ServiceTaskState state) {
  return std::string(core::NameOf<core::ServiceTaskState>(core::kServiceTaskStateNames, state));
}

absl::StatusOr<ports::ServiceTaskRecord> TaskFromRow(const Statement& row) {
  ports::ServiceTaskRecord task;
  task.case_number = row.Int(0);
  task.org_id = row.Int(1);
  const std::string state = row.Text(2);
  const auto parsed =
      core::EnumFromName<core::ServiceTaskState>(core::kServiceTaskStateNames, state);
  if (!parsed) {
    return absl::DataLossError("service_tasks.state: unknown state '" + state + "'");
  }
  task.state = *parsed;
  task.estimate_minutes = row.OptionalInt(3);
  task.completion_date = row.Text(4);
  task.start_date = row.Text(5);
  task.decline_reason = row.Text(6);
  task.estimate_count = static_cast<int>(row.Int(7));
  task.requested_at = TimeFromColumn(row.OptionalInt(8));
  task.estimated_at = OptionalTimeFromColumn(row.OptionalInt(9));
  task.decided_at = OptionalTimeFromColumn(row.OptionalInt(10));
  task.started_at = OptionalTimeFromColumn(row.OptionalInt(11));
  task.done_at = OptionalTimeFromColumn(row.OptionalInt(12));
  task.updated_at = TimeFromColumn(row.OptionalInt(13));
  task.revision = row.Int(14);
  return task;
}

// Binds the fields after case_number, from parameter `first` on (13 parameters plus revision).
void BindTaskFields(Statement& statement, int first, const ports::ServiceTaskRecord& task) {
  statement.Bind(first, task.org_id)
      .Bind(first + 1, StateName(task.state))
      .Bind(first + 2, task.estimate_minutes)
      .Bind(first + 3, task.completion_date)
      .Bind(first + 4, task.start_date)
      .Bind(first + 5, task.decline_reason)
      .Bind(first + 6, int64_t{task.estimate_count})
      .Bind(first + 7, TimeToColumn(task.requested_at))
      .Bind(first + 8, OptionalTimeToColumn(task.estimated_at))
      .Bind(first + 9, OptionalTimeToColumn(task.decided_at))
      .Bind(first + 10, OptionalTimeToColumn(task.started_at))
      .Bind(first + 11, OptionalTimeToColumn(task.done_at))
      .Bind(first + 12, TimeToColumn(task.updated_at))
      .Bind(first + 13, task.revision);
}

}  // namespace

absl::Status SqliteTransaction::InsertServiceTask(const ports::ServiceTaskRecord& task) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement exists,
                                connection_.Prepare("SELECT 1 FROM cases WHERE number = ?"));
  exists.Bind(1, task.case_number);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) {
    return absl::NotFoundError("case " + std::to_string(task.case_number) + " not found");
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(std::string("INSERT INTO service_tasks (") + kTaskColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, task.case_number);
  BindTaskFields(insert, 2, task);
  absl::Status inserted = insert.Run();
  if (!inserted.ok()) {
    return ClassifyWriteError(inserted, insert, "the case is already a service task");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ports::ServiceTaskRecord>> SqliteTransaction::GetServiceTask(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kTaskColumns +
                                                    " FROM service_tasks WHERE case_number = ?"));
  query.Bind(1, number);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::optional<ports::ServiceTaskRecord>();
  SQLITE_STORE_ASSIGN_OR_RETURN(ports::ServiceTaskRecord task, TaskFromRow(query));
  return std::optional<ports::ServiceTaskRecord>(std::move(task));
}

absl::StatusOr<ports::ServiceTaskWrite> SqliteTransaction::UpdateServiceTask(
    const ports::ServiceTaskRecord& task, int64_t expected_revision) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE service_tasks SET org_id = ?, state = ?, estimate_minutes = ?,"
                          " completion_date = ?, start_date = ?, decline_reason = ?,"
                          " estimate_count = ?, requested_at = ?, estimated_at = ?,"
                          " decided_at = ?, started_at = ?, done_at = ?, updated_at = ?,"
                          " revision = ? WHERE case_number = ? AND revision = ?"));
  BindTaskFields(update, 1, task);
  update.Bind(15, task.case_number).Bind(16, expected_revision);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() > 0) return ports::ServiceTaskWrite::kWritten;
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement exists, connection_.Prepare("SELECT 1 FROM service_tasks WHERE case_number = ?"));
  exists.Bind(1, task.case_number);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) {
    return absl::NotFoundError("case " + std::to_string(task.case_number) +
                               " is not a service task");
  }
  return ports::ServiceTaskWrite::kStale;
}

}  // namespace casedesk::adapters::sqlite
