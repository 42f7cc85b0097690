// PostgresTransaction: what the SLA and escalation engine keeps beside the cases: durable timers,
// per-case SLA summaries and severity-abuse flags (the outbox is in postgres_mail_queries.cc).
//
// Timers fire exactly once across nodes: MarkTimerFired is one conditional UPDATE (fired_at IS
// NULL), and under READ COMMITTED a second node's UPDATE waits for the first to commit, then
// re-checks the condition and changes nothing. ArmTimer never touches a fired row.
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::postgres {
namespace {

// A case's timers by key, checked, in microseconds; a key given twice: the last one wins, as
// with one ArmTimer after another.
absl::StatusOr<std::map<std::string, int64_t>> DueByKey(core::CaseNumber number,
                                                        const std::vector<ports::Timer>& timers) {
  std::map<std::string, int64_t> due_by_key;
  for (const ports::Timer& timer : timers) {
    if (timer.case_number != number) {
      return absl::InvalidArgumentError("a timer of another case");
    }
    if (timer.key.empty()) return absl::InvalidArgumentError("a timer needs a key");
    if (timer.due_at == absl::InfinitePast()) {
      return absl::InvalidArgumentError("a timer needs a due_at");
    }
    due_by_key[timer.key] = absl::ToUnixMicros(timer.due_at);
  }
  return due_by_key;
}

// "$n" for the parameter just added.
std::string Placeholder(const PgParams& params) { return "$" + std::to_string(params.size()); }

// A period bound as a column value; an infinite bound puts no condition on the period.
std::optional<int64_t> FiniteBound(absl::Time time) {
  if (time == absl::InfinitePast() || time == absl::InfiniteFuture()) return std::nullopt;
  return absl::ToUnixMicros(time);
}

// Adds "column >= from AND column < to" for the finite bounds of [from, to).
void AddPeriod(std::string_view column, absl::Time from, absl::Time to, PgParams& params,
               std::string& sql) {
  if (std::optional<int64_t> lower = FiniteBound(from); lower.has_value()) {
    params.Add(*lower);
    sql += " AND " + std::string(column) + " >= " + Placeholder(params);
  }
  if (std::optional<int64_t> upper = FiniteBound(to); upper.has_value()) {
    params.Add(*upper);
    sql += " AND " + std::string(column) + " < " + Placeholder(params);
  }
}

const std::string kTimerColumns = "case_number, key, due_at, fired_at";

// Timers armed by the batch (PostgresTransaction::WriteRows). The conflict branch's WHERE
// leaves a fired row exactly as it is.
const std::string kArmTimersSql =
    "INSERT INTO timers (" + kTimerColumns +
    ") SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::bigint[])"
    " ON CONFLICT (case_number, key) DO UPDATE SET due_at = EXCLUDED.due_at"
    " WHERE timers.fired_at IS NULL";
const PgRowsInsert kArmTimers{.sql = kArmTimersSql, .rank = 1, .key_columns = 2};

ports::Timer TimerFromRow(const PgResult& rows, int row) {
  ports::Timer timer;
  timer.case_number = rows.Int(row, 0);
  timer.key = std::string(rows.Text(row, 1));
  timer.due_at = TimeFromColumn(rows.OptionalInt(row, 2));
  timer.fired_at = OptionalTimeFromColumn(rows.OptionalInt(row, 3));
  return timer;
}

std::vector<ports::Timer> TimersFromRows(const PgResult& rows) {
  std::vector<ports::Timer> timers;
  timers.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) timers.push_back(TimerFromRow(rows, row));
  return timers;
}

const std::string kCaseSlaColumns =
    "case_number, org_id, plan, severity, created_at, first_response_due_at,"
    " first_response_achieved_at, first_response_breached_at, first_response_target,"
    " resolution_due_at, resolution_achieved_at, resolution_breached_at, resolution_target,"
    " update_breaches, first_update_breach_at";

// SLA summaries by the batch (PostgresTransaction::WriteRows), one row per case.
const std::string kUpsertCaseSlaSql =
    "INSERT INTO case_sla (" + kCaseSlaColumns +
    ") SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::integer[],"
    " $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::text[], $10::bigint[],"
    " $11::bigint[], $12::bigint[], $13::text[], $14::integer[], $15::bigint[])"
    " ON CONFLICT (case_number) DO UPDATE SET org_id = EXCLUDED.org_id,"
    " plan = EXCLUDED.plan, severity = EXCLUDED.severity,"
    " created_at = EXCLUDED.created_at,"
    " first_response_due_at = EXCLUDED.first_response_due_at,"
    " first_response_achieved_at = EXCLUDED.first_response_achieved_at,"
    " first_response_breached_at = EXCLUDED.first_response_breached_at,"
    " first_response_target = EXCLUDED.first_response_target,"
    " resolution_due_at = EXCLUDED.resolution_due_at,"
    " resolution_achieved_at = EXCLUDED.resolution_achieved_at,"
    " resolution_breached_at = EXCLUDED.resolution_breached_at,"
    " resolution_target = EXCLUDED.resolution_target,"
    " update_breaches = EXCLUDED.update_breaches,"
    " first_update_breach_at = EXCLUDED.first_update_breach_at";
const PgRowsInsert kUpsertCaseSla{.sql = kUpsertCaseSlaSql, .rank = 1, .key_columns = 1};

// A clock's four columns starting at `column`: due, achieved, breached, target.
ports::ClockSummary ClockFromRow(const PgResult& rows, int row, int column) {
  ports::ClockSummary clock;
  clock.due_at = OptionalTimeFromColumn(rows.OptionalInt(row, column));
  clock.achieved_at = OptionalTimeFromColumn(rows.OptionalInt(row, column + 1));
  clock.breached_at = OptionalTimeFromColumn(rows.OptionalInt(row, column + 2));
  clock.target = std::string(rows.Text(row, column + 3));
  return clock;
}

void AddClockValues(PgParams& params, const ports::ClockSummary& clock) {
  params.Add(OptionalTimeToColumn(clock.due_at))
      .Add(OptionalTimeToColumn(clock.achieved_at))
      .Add(OptionalTimeToColumn(clock.breached_at))
      .Add(clock.target);
}

ports::CaseSlaRecord CaseSlaFromRow(const PgResult& rows, int row) {
  ports::CaseSlaRecord record;
  record.case_number = rows.Int(row, 0);
  record.org_id = rows.Int(row, 1);
  record.plan = std::string(rows.Text(row, 2));
  record.severity = SeverityFromColumn(rows.Int(row, 3));
  record.created_at = TimeFromColumn(rows.OptionalInt(row, 4));
  record.first_response = ClockFromRow(rows, row, 5);
  record.resolution = ClockFromRow(rows, row, 9);
  record.update_breaches = static_cast<int>(rows.Int(row, 13));
  record.first_update_breach_at = OptionalTimeFromColumn(rows.OptionalInt(row, 14));
  return record;
}

const std::string kSeverityFlagColumns =
    "id, case_number, org_id, requester_id, flagged_by, flagged_severity, reason, at";

ports::SeverityFlag SeverityFlagFromRow(const PgResult& rows, int row) {
  ports::SeverityFlag flag;
  flag.id = rows.Int(row, 0);
  flag.case_number = rows.Int(row, 1);
  flag.org_id = rows.Int(row, 2);
  flag.requester_id = rows.Int(row, 3);
  flag.flagged_by = rows.Int(row, 4);
  flag.flagged_severity = SeverityFromColumn(rows.Int(row, 5));
  flag.reason = std::string(rows.Text(row, 6));
  flag.at = TimeFromColumn(rows.OptionalInt(row, 7));
  return flag;
}

}  // namespace

// ---- Timers ----

absl::Status PostgresTransaction::ArmTimer(const ports::Timer& timer) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (timer.key.empty()) return absl::InvalidArgumentError("a timer needs a key");
  if (timer.due_at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("a timer needs a due_at");
  }
  return WriteRow(kArmTimers, PgParams()
                                  .Add(timer.case_number)
                                  .Add(timer.key)
                                  .Add(TimeToColumn(timer.due_at))
                                  .Add(OptionalTimeToColumn(timer.fired_at)));
}

absl::Status PostgresTransaction::DisarmTimersExcept(core::CaseNumber number,
                                                     std::string_view key_prefix,
                                                     const std::vector<std::string>& keep_keys) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // starts_with takes the prefix literally; the keys to keep travel as one JSON array.
  return connection_
      .Execute(
          "DELETE FROM timers WHERE case_number = $1 AND fired_at IS NULL"
          " AND starts_with(key, $2)"
          " AND key NOT IN (SELECT jsonb_array_elements_text($3::jsonb))",
          PgParams().Add(number).Add(key_prefix).Add(StringsToJson(keep_keys)))
      .status();
}

// One statement instead of one per timer: the upsert and the delete run on the same snapshot,
// and the delete spares the armed keys, so they never touch the same row.
absl::Status PostgresTransaction::ArmCaseTimers(core::CaseNumber number,
                                                std::string_view key_prefix,
                                                const std::vector<ports::Timer>& timers) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(auto due_by_key, DueByKey(number, timers));
  nlohmann::json armed = nlohmann::json::array();
  for (const auto& [key, due_at] : due_by_key) armed.push_back({{"key", key}, {"due_at", due_at}});
  return ExecuteWrite(
      "WITH wanted AS (SELECT key, due_at FROM jsonb_to_recordset($3::jsonb)"
      " AS t(key text, due_at bigint)),"
      " armed AS (INSERT INTO timers (case_number, key, due_at, fired_at)"
      " SELECT $1, key, due_at, NULL FROM wanted ON CONFLICT (case_number, key) DO UPDATE"
      " SET due_at = EXCLUDED.due_at WHERE timers.fired_at IS NULL)"
      " DELETE FROM timers WHERE case_number = $1 AND fired_at IS NULL"
      " AND starts_with(key, $2) AND key NOT IN (SELECT key FROM wanted)",
      PgParams().Add(number).Add(key_prefix).Add(armed.dump()));
}

absl::Status PostgresTransaction::ArmNewCaseTimers(core::CaseNumber number,
                                                   std::string_view /*key_prefix*/,
                                                   const std::vector<ports::Timer>& timers) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(auto due_by_key, DueByKey(number, timers));
  if (due_by_key.empty()) return absl::OkStatus();
  // A plain insert of the rows (queued with the batch's other timers); the upsert keeps it
  // right should the case have timers after all.
  std::vector<PgParams> rows;
  for (const auto& [key, due_at] : due_by_key) {
    rows.push_back(PgParams().Add(number).Add(key).Add(due_at).AddNull());
  }
  return WriteRows(kArmTimers, std::move(rows));
}

absl::StatusOr<std::vector<ports::Timer>> PostgresTransaction::ListDueTimers(absl::Time now,
                                                                             int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kTimerColumns +
                              " FROM timers WHERE fired_at IS NULL AND due_at <= $1"
                              " ORDER BY due_at, case_number, key LIMIT $2",
                          PgParams().Add(absl::ToUnixMicros(now)).Add(int64_t{ClampLimit(limit)})));
  return TimersFromRows(rows);
}

absl::StatusOr<std::optional<absl::Time>> PostgresTransaction::NextTimerDue() {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT min(due_at) FROM timers WHERE fired_at IS NULL"));
  return OptionalTimeFromColumn(rows.OptionalInt(0, 0));
}

absl::StatusOr<bool> PostgresTransaction::MarkTimerFired(core::CaseNumber number,
                                                         std::string_view key, absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // An unset instant would store NULL and leave the timer unfired.
  if (at == absl::InfinitePast()) return absl::InvalidArgumentError("fired_at must be set");
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute("UPDATE timers SET fired_at = $3"
                          " WHERE case_number = $1 AND key = $2 AND fired_at IS NULL",
                          PgParams().Add(number).Add(key).Add(TimeToColumn(at))));
  return updated.affected() > 0;
}

absl::StatusOr<std::vector<ports::Timer>> PostgresTransaction::ListCaseTimers(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute(
          "SELECT " + kTimerColumns + " FROM timers WHERE case_number = $1 ORDER BY due_at, key",
          PgParams().Add(number)));
  return TimersFromRows(rows);
}

absl::StatusOr<int64_t> PostgresTransaction::CountUnfiredTimers() {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT count(*) FROM timers WHERE fired_at IS NULL"));
  return rows.Int(0, 0);
}

// ---- SLA summaries ----

absl::Status PostgresTransaction::UpsertCaseSla(const ports::CaseSlaRecord& record) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PgParams params;
  params.Add(record.case_number)
      .Add(record.org_id)
      .Add(record.plan)
      .Add(int64_t{core::SeverityLevel(record.severity)})
      .Add(TimeToColumn(record.created_at));
  AddClockValues(params, record.first_response);
  AddClockValues(params, record.resolution);
  params.Add(int64_t{record.update_breaches})
      .Add(OptionalTimeToColumn(record.first_update_breach_at));
  return WriteRow(kUpsertCaseSla, std::move(params));
}

absl::StatusOr<std::vector<ports::CaseSlaRecord>> PostgresTransaction::ListCaseSla(
    const ports::CaseSlaFilter& filter) {
  PgParams params;
  params.Add(filter.after_case);
  std::string sql = "SELECT " + kCaseSlaColumns + " FROM case_sla WHERE case_number > $1";
  AddPeriod("created_at", filter.created_from, filter.created_to, params, sql);
  if (!filter.plan.empty()) {
    params.Add(filter.plan);
    sql += " AND plan = " + Placeholder(params);
  }
  if (filter.severity.has_value()) {
    params.Add(int64_t{core::SeverityLevel(*filter.severity)});
    sql += " AND severity = " + Placeholder(params) + "::integer";
  }
  params.Add(int64_t{ClampLimit(filter.limit)});
  sql += " ORDER BY case_number LIMIT " + Placeholder(params);
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  std::vector<ports::CaseSlaRecord> records;
  records.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) records.push_back(CaseSlaFromRow(rows, row));
  return records;
}

// ---- Severity flags ----

absl::StatusOr<int64_t> PostgresTransaction::InsertSeverityFlag(const ports::SeverityFlag& flag) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO severity_flags (case_number, org_id, requester_id,"
                          " flagged_by, flagged_severity, reason, at)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                          PgParams()
                              .Add(flag.case_number)
                              .Add(flag.org_id)
                              .Add(flag.requester_id)
                              .Add(flag.flagged_by)
                              .Add(int64_t{core::SeverityLevel(flag.flagged_severity)})
                              .Add(flag.reason)
                              .Add(TimeToColumn(flag.at))));
  return inserted.Int(0, 0);
}

absl::StatusOr<std::vector<ports::SeverityFlag>> PostgresTransaction::ListCaseSeverityFlags(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kSeverityFlagColumns +
                              " FROM severity_flags WHERE case_number = $1 ORDER BY id",
                          PgParams().Add(number)));
  std::vector<ports::SeverityFlag> flags;
  flags.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) flags.push_back(SeverityFlagFromRow(rows, row));
  return flags;
}

absl::StatusOr<std::vector<ports::SeverityFlagCount>> PostgresTransaction::CountSeverityFlags(
    absl::Time from, absl::Time to, std::optional<core::OrgId> org) {
  PgParams params;
  std::string sql = "SELECT org_id, requester_id, count(*) FROM severity_flags WHERE true";
  AddPeriod("at", from, to, params, sql);
  if (org) {
    params.Add(*org);
    absl::StrAppend(&sql, " AND org_id = $", params.size());
  }
  sql += " GROUP BY org_id, requester_id ORDER BY count(*) DESC, org_id, requester_id";
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  std::vector<ports::SeverityFlagCount> counts;
  counts.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    counts.push_back(
        ports::SeverityFlagCount{rows.Int(row, 0), rows.Int(row, 1), rows.Int(row, 2)});
  }
  return counts;
}

}  // namespace casedesk::adapters::postgres
