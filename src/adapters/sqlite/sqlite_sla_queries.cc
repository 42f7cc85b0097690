// SqliteTransaction: what the SLA and escalation engine keeps -- settings listing, durable
// timers, per-case SLA summaries and priority-abuse flags. (The outbox is in
// sqlite_mail_queries.cc.)
#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::sqlite {
namespace {

// Keys compared by prefix with substr(), so "_" and "%" in a prefix mean themselves.
constexpr char kPrefixMatch[] = "substr(key, 1, length(?1)) = ?1";

core::Severity SeverityFromLevel(int64_t level) {
  core::Severity severity = core::Severity::kMinor;
  core::SeverityFromLevel(static_cast<int>(level), &severity);
  return severity;
}

ports::Timer TimerFromRow(const Statement& row) {
  ports::Timer timer;
  timer.case_number = row.Int(0);
  timer.key = row.Text(1);
  timer.due_at = TimeFromColumn(row.OptionalInt(2));
  timer.fired_at = OptionalTimeFromColumn(row.OptionalInt(3));
  return timer;
}

constexpr char kCaseSlaColumns[] =
    "case_number, org_id, plan, severity, created_at, first_response_target,"
    " first_response_due_at, first_response_achieved_at, first_response_breached_at,"
    " resolution_target, resolution_due_at, resolution_achieved_at, resolution_breached_at,"
    " update_breaches, first_update_breach_at";

// A summary's first five columns (kCaseSlaColumns order) from parameter `first` on: what
// identifies it and places it in the indexes.
void BindSummaryKeys(Statement& statement, int first, const ports::CaseSlaRecord& record) {
  statement.Bind(first, record.case_number)
      .Bind(first + 1, record.org_id)
      .Bind(first + 2, record.plan)
      .Bind(first + 3, int64_t{core::SeverityLevel(record.severity)})
      .Bind(first + 4, TimeToColumn(record.created_at));
}

// Its other ten columns, the clocks, from parameter `first` on.
void BindSummaryClocks(Statement& statement, int first, const ports::CaseSlaRecord& record) {
  statement.Bind(first, record.first_response.target)
      .Bind(first + 1, OptionalTimeToColumn(record.first_response.due_at))
      .Bind(first + 2, OptionalTimeToColumn(record.first_response.achieved_at))
      .Bind(first + 3, OptionalTimeToColumn(record.first_response.breached_at))
      .Bind(first + 4, record.resolution.target)
      .Bind(first + 5, OptionalTimeToColumn(record.resolution.due_at))
      .Bind(first + 6, OptionalTimeToColumn(record.resolution.achieved_at))
      .Bind(first + 7, OptionalTimeToColumn(record.resolution.breached_at))
      .Bind(first + 8, int64_t{record.update_breaches})
      .Bind(first + 9, OptionalTimeToColumn(record.first_update_breach_at));
}

ports::CaseSlaRecord CaseSlaFromRow(const Statement& row) {
  ports::CaseSlaRecord record;
  record.case_number = row.Int(0);
  record.org_id = row.Int(1);
  record.plan = row.Text(2);
  record.severity = SeverityFromLevel(row.Int(3));
  record.created_at = TimeFromColumn(row.OptionalInt(4));
  record.first_response.target = row.Text(5);
  record.first_response.due_at = OptionalTimeFromColumn(row.OptionalInt(6));
  record.first_response.achieved_at = OptionalTimeFromColumn(row.OptionalInt(7));
  record.first_response.breached_at = OptionalTimeFromColumn(row.OptionalInt(8));
  record.resolution.target = row.Text(9);
  record.resolution.due_at = OptionalTimeFromColumn(row.OptionalInt(10));
  record.resolution.achieved_at = OptionalTimeFromColumn(row.OptionalInt(11));
  record.resolution.breached_at = OptionalTimeFromColumn(row.OptionalInt(12));
  record.update_breaches = static_cast<int>(row.Int(13));
  record.first_update_breach_at = OptionalTimeFromColumn(row.OptionalInt(14));
  return record;
}

constexpr char kSeverityFlagColumns[] =
    "id, case_number, org_id, requester_id, flagged_by, flagged_severity, reason, at";

ports::SeverityFlag SeverityFlagFromRow(const Statement& row) {
  ports::SeverityFlag flag;
  flag.id = row.Int(0);
  flag.case_number = row.Int(1);
  flag.org_id = row.Int(2);
  flag.requester_id = row.Int(3);
  flag.flagged_by = row.Int(4);
  flag.flagged_severity = SeverityFromLevel(row.Int(5));
  flag.reason = row.Text(6);
  flag.at = TimeFromColumn(row.OptionalInt(7));
  return flag;
}

// Period bounds as columns; an infinite bound is the extreme value, so it excludes nothing.
int64_t PeriodStart(absl::Time from) {
  return from == absl::InfinitePast() ? std::numeric_limits<int64_t>::min() : *TimeToColumn(from);
}
int64_t PeriodEnd(absl::Time to) {
  return to == absl::InfiniteFuture() ? std::numeric_limits<int64_t>::max() : *TimeToColumn(to);
}

}  // namespace

// ---- Settings ----

absl::Status SqliteTransaction::DeleteSetting(std::string_view key) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement remove,
                                connection_.Prepare("DELETE FROM settings WHERE key = ?"));
  remove.Bind(1, key);
  SQLITE_STORE_RETURN_IF_ERROR(remove.Run());
  if (connection_.Changes() == 0) return absl::NotFoundError("no such setting");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> SqliteTransaction::ListSettings(
    std::string_view prefix) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT key, value FROM settings WHERE ") +
                                           kPrefixMatch + " ORDER BY key"));
  query.Bind(1, prefix);
  return CollectRows<std::pair<std::string, std::string>>(
      query, [](const Statement& row) { return std::pair(row.Text(0), row.Text(1)); });
}

// ---- Timers ----

absl::Status SqliteTransaction::ArmTimer(const ports::Timer& timer) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare("INSERT INTO timers (case_number, key, due_at, fired_at)"
                          " VALUES (?, ?, ?, ?)"
                          " ON CONFLICT (case_number, key) DO UPDATE SET due_at = excluded.due_at"
                          " WHERE fired_at IS NULL"));
  upsert.Bind(1, timer.case_number)
      .Bind(2, timer.key)
      .Bind(3, TimeToColumn(timer.due_at))
      .Bind(4, OptionalTimeToColumn(timer.fired_at));
  absl::Status status = upsert.Run();
  if (!status.ok()) return ClassifyWriteError(status, upsert, "duplicate timer");
  return absl::OkStatus();
}

absl::Status SqliteTransaction::DisarmTimersExcept(core::CaseNumber number,
                                                   std::string_view key_prefix,
                                                   const std::vector<std::string>& keep_keys) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement remove,
      connection_.Prepare("DELETE FROM timers WHERE case_number = ?2 AND fired_at IS NULL AND " +
                          std::string(kPrefixMatch) +
                          " AND key NOT IN (SELECT value FROM json_each(?3))"));
  remove.Bind(1, key_prefix).Bind(2, number).Bind(3, StringsToJson(keep_keys));
  return remove.Run();
}

absl::StatusOr<std::vector<ports::Timer>> SqliteTransaction::ListDueTimers(absl::Time now,
                                                                           int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare("SELECT case_number, key, due_at, fired_at FROM timers"
                                           " WHERE fired_at IS NULL AND due_at <= ?"
                                           " ORDER BY due_at, case_number, key LIMIT ?"));
  query.Bind(1, TimeToColumn(now)).Bind(2, int64_t{ClampLimit(limit)});
  return CollectRows<ports::Timer>(query, TimerFromRow);
}

absl::StatusOr<std::optional<absl::Time>> SqliteTransaction::NextTimerDue() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT min(due_at) FROM timers WHERE fired_at IS NULL"));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return std::optional<absl::Time>();
  return OptionalTimeFromColumn(query.OptionalInt(0));
}

absl::StatusOr<bool> SqliteTransaction::MarkTimerFired(core::CaseNumber number,
                                                       std::string_view key, absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE timers SET fired_at = ? WHERE case_number = ? AND key = ?"
                          " AND fired_at IS NULL"));
  update.Bind(1, TimeToColumn(at)).Bind(2, number).Bind(3, key);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  return connection_.Changes() > 0;
}

absl::StatusOr<std::vector<ports::Timer>> SqliteTransaction::ListCaseTimers(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare("SELECT case_number, key, due_at, fired_at FROM timers"
                                           " WHERE case_number = ? ORDER BY due_at, key"));
  query.Bind(1, number);
  return CollectRows<ports::Timer>(query, TimerFromRow);
}

absl::StatusOr<int64_t> SqliteTransaction::CountUnfiredTimers() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare("SELECT count(*) FROM timers WHERE fired_at IS NULL"));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  return has_row ? query.Int(0) : 0;
}

// ---- SLA summaries ----

absl::Status SqliteTransaction::UpsertCaseSla(const ports::CaseSlaRecord& record) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  // Usually the summary exists and only its clocks move. An UPDATE that does not assign the
  // indexed columns (case, organisation, creation) leaves the summary's index entries where
  // they are; the upsert below assigns every column, so SQLite rewrites those entries too.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update_clocks,
      connection_.Prepare(
          "UPDATE case_sla SET first_response_target = ?, first_response_due_at = ?,"
          " first_response_achieved_at = ?, first_response_breached_at = ?,"
          " resolution_target = ?, resolution_due_at = ?, resolution_achieved_at = ?,"
          " resolution_breached_at = ?, update_breaches = ?, first_update_breach_at = ?"
          " WHERE case_number = ? AND org_id = ? AND plan = ? AND severity = ?"
          " AND created_at IS ?"));
  BindSummaryClocks(update_clocks, 1, record);
  BindSummaryKeys(update_clocks, 11, record);
  if (absl::Status updated = update_clocks.Run(); !updated.ok()) {
    return ClassifyWriteError(updated, update_clocks, "SLA summary");
  }
  if (connection_.Changes() == 1) return absl::OkStatus();
  return InsertNewCaseSla(record);
}

absl::Status SqliteTransaction::InsertNewCaseSla(const ports::CaseSlaRecord& record) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement upsert,
      // An UPDATE on conflict (not OR REPLACE, whose delete fires no trigger) so that the
      // report counters' triggers see the old row leave (migration 16).
      connection_.Prepare(
          std::string("INSERT INTO case_sla (") + kCaseSlaColumns +
          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          " ON CONFLICT (case_number) DO UPDATE SET org_id = excluded.org_id,"
          " plan = excluded.plan, severity = excluded.severity, created_at = excluded.created_at,"
          " first_response_target = excluded.first_response_target,"
          " first_response_due_at = excluded.first_response_due_at,"
          " first_response_achieved_at = excluded.first_response_achieved_at,"
          " first_response_breached_at = excluded.first_response_breached_at,"
          " resolution_target = excluded.resolution_target,"
          " resolution_due_at = excluded.resolution_due_at,"
          " resolution_achieved_at = excluded.resolution_achieved_at,"
          " resolution_breached_at = excluded.resolution_breached_at,"
          " update_breaches = excluded.update_breaches,"
          " first_update_breach_at = excluded.first_update_breach_at"));
  BindSummaryKeys(upsert, 1, record);
  BindSummaryClocks(upsert, 6, record);
  absl::Status status = upsert.Run();
  if (!status.ok()) return ClassifyWriteError(status, upsert, "duplicate SLA summary");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ports::CaseSlaRecord>> SqliteTransaction::ListCaseSla(
    const ports::CaseSlaFilter& filter) {
  std::string sql = std::string("SELECT ") + kCaseSlaColumns +
                    " FROM case_sla WHERE created_at >= ?1 AND created_at < ?2"
                    " AND case_number > ?3 AND (?4 = '' OR plan = ?4)"
                    " AND (?5 = 0 OR severity = ?5) ORDER BY case_number LIMIT ?6";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  query.Bind(1, PeriodStart(filter.created_from))
      .Bind(2, PeriodEnd(filter.created_to))
      .Bind(3, filter.after_case)
      .Bind(4, filter.plan)
      .Bind(5, int64_t{filter.severity ? core::SeverityLevel(*filter.severity) : 0})
      .Bind(6, int64_t{std::max(1, filter.limit)});
  return CollectRows<ports::CaseSlaRecord>(query, CaseSlaFromRow);
}

// ---- Priority-abuse flags ----

absl::StatusOr<int64_t> SqliteTransaction::InsertSeverityFlag(const ports::SeverityFlag& flag) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          "INSERT INTO severity_flags (case_number, org_id, requester_id,"
          " flagged_by, flagged_severity, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, flag.case_number)
      .Bind(2, flag.org_id)
      .Bind(3, flag.requester_id)
      .Bind(4, flag.flagged_by)
      .Bind(5, int64_t{core::SeverityLevel(flag.flagged_severity)})
      .Bind(6, flag.reason)
      .Bind(7, TimeToColumn(flag.at));
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "duplicate flag");
  return connection_.LastInsertRowId();
}

absl::StatusOr<std::vector<ports::SeverityFlag>> SqliteTransaction::ListCaseSeverityFlags(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kSeverityFlagColumns +
                          " FROM severity_flags WHERE case_number = ? ORDER BY id"));
  query.Bind(1, number);
  return CollectRows<ports::SeverityFlag>(query, SeverityFlagFromRow);
}

absl::StatusOr<std::vector<ports::SeverityFlagCount>> SqliteTransaction::CountSeverityFlags(
    absl::Time from, absl::Time to, std::optional<core::OrgId> org) {
  // One organisation's flags are read through severity_flags_by_org; a condition that also
  // allowed "every organisation" would keep SQLite on the by-time index.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(absl::StrCat(
          "SELECT org_id, requester_id, count(*) AS flags FROM severity_flags"
          " WHERE at >= ?1 AND at < ?2", org ? " AND org_id = ?3" : "",
          " GROUP BY org_id, requester_id ORDER BY flags DESC, org_id, requester_id")));
  query.Bind(1, PeriodStart(from)).Bind(2, PeriodEnd(to));
  if (org) query.Bind(3, *org);
  return CollectRows<ports::SeverityFlagCount>(query, [](const Statement& row) {
    return ports::SeverityFlagCount{row.Int(0), row.Int(1), row.Int(2)};
  });
}

}  // namespace casedesk::adapters::sqlite
