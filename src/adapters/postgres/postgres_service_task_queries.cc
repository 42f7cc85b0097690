// PostgresTransaction: service tasks (issue 7). The insert uses ON CONFLICT DO NOTHING (a
// unique violation would abort the whole transaction); an update is conditional on the
// revision the caller read -- under READ COMMITTED a concurrent writer waits for the row lock
// and then sees the new revision, so exactly one of two racing steps is written.
#include <string>
#include <utility>

#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::postgres {
namespace {

const std::string kTaskColumns =
    "case_number, org_id, state, estimate_minutes, completion_date, start_date, decline_reason,"
    " estimate_count, requested_at, estimated_at, decided_at, started_at, done_at, updated_at,"
    " revision";

std::string StateName(core::ServiceTaskState state) {
  return std::string(core::NameOf<core::ServiceTaskState>(core::kServiceTaskStateNames, state));
}

absl::StatusOr<ports::ServiceTaskRecord> TaskFromRow(const PgResult& rows, int row) {
  ports::ServiceTaskRecord task;
  task.case_number = rows.Int(row, 0);
  task.org_id = rows.Int(row, 1);
  const std::string state(rows.Text(row, 2));
  const auto parsed =
      core::EnumFromName<core::ServiceTaskState>(core::kServiceTaskStateNames, state);
  if (!parsed) {
    return absl::DataLossError("service_tasks.state: unknown state '" + state + "'");
  }
  task.state = *parsed;
  task.estimate_minutes = rows.OptionalInt(row, 3);
  task.completion_date = std::string(rows.Text(row, 4));
  task.start_date = std::string(rows.Text(row, 5));
  task.decline_reason = std::string(rows.Text(row, 6));
  task.estimate_count = static_cast<int>(rows.Int(row, 7));
  task.requested_at = TimeFromColumn(rows.OptionalInt(row, 8));
  task.estimated_at = OptionalTimeFromColumn(rows.OptionalInt(row, 9));
  task.decided_at = OptionalTimeFromColumn(rows.OptionalInt(row, 10));
  task.started_at = OptionalTimeFromColumn(rows.OptionalInt(row, 11));
  task.done_at = OptionalTimeFromColumn(rows.OptionalInt(row, 12));
  task.updated_at = TimeFromColumn(rows.OptionalInt(row, 13));
  task.revision = rows.Int(row, 14);
  return task;
}

// The fields after case_number, in column order (14 parameters).
void AddTaskFields(PgParams& params, const ports::ServiceTaskRecord& task) {
  params.Add(task.org_id)
      .Add(StateName(task.state))
      .Add(task.estimate_minutes)
      .Add(task.completion_date)
      .Add(task.start_date)
      .Add(task.decline_reason)
      .Add(int64_t{task.estimate_count})
      .Add(TimeToColumn(task.requested_at))
      .Add(OptionalTimeToColumn(task.estimated_at))
      .Add(OptionalTimeToColumn(task.decided_at))
      .Add(OptionalTimeToColumn(task.started_at))
      .Add(OptionalTimeToColumn(task.done_at))
      .Add(TimeToColumn(task.updated_at))
      .Add(task.revision);
}

}  // namespace

absl::Status PostgresTransaction::InsertServiceTask(const ports::ServiceTaskRecord& task) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // Checked first: a foreign-key error would abort the whole transaction.
  PG_STORE_ASSIGN_OR_RETURN(PgResult exists,
                            connection_.Execute("SELECT 1 FROM cases WHERE number = $1",
                                                PgParams().Add(task.case_number)));
  if (exists.rows() == 0) {
    return absl::NotFoundError("case " + std::to_string(task.case_number) + " not found");
  }
  PgParams params;
  params.Add(task.case_number);
  AddTaskFields(params, task);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO service_tasks (" + kTaskColumns +
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
                              " $14, $15) ON CONFLICT (case_number) DO NOTHING",
                          params));
  if (inserted.affected() != 1) {
    return absl::AlreadyExistsError("the case is already a service task");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ports::ServiceTaskRecord>> PostgresTransaction::GetServiceTask(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kTaskColumns + " FROM service_tasks WHERE case_number = $1",
                          PgParams().Add(number)));
  if (rows.rows() == 0) return std::optional<ports::ServiceTaskRecord>();
  PG_STORE_ASSIGN_OR_RETURN(ports::ServiceTaskRecord task, TaskFromRow(rows, 0));
  return std::optional<ports::ServiceTaskRecord>(std::move(task));
}

absl::StatusOr<ports::ServiceTaskWrite> PostgresTransaction::UpdateServiceTask(
    const ports::ServiceTaskRecord& task, int64_t expected_revision) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PgParams params;
  AddTaskFields(params, task);
  params.Add(task.case_number).Add(expected_revision);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute("UPDATE service_tasks SET org_id = $1, state = $2,"
                          " estimate_minutes = $3, completion_date = $4, start_date = $5,"
                          " decline_reason = $6, estimate_count = $7, requested_at = $8,"
                          " estimated_at = $9, decided_at = $10, started_at = $11, done_at = $12,"
                          " updated_at = $13, revision = $14"
                          " WHERE case_number = $15 AND revision = $16",
                          params));
  if (updated.affected() > 0) return ports::ServiceTaskWrite::kWritten;
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult exists, connection_.Execute("SELECT 1 FROM service_tasks WHERE case_number = $1",
                                           PgParams().Add(task.case_number)));
  if (exists.rows() == 0) {
    return absl::NotFoundError("case " + std::to_string(task.case_number) +
                               " is not a service task");
  }
  return ports::ServiceTaskWrite::kStale;
}

}  // namespace casedesk::adapters::postgres
