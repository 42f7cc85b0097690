// PostgresTransaction: time entries and contract hours (issue 7). The period's usage row is an
// INSERT ... ON CONFLICT DO UPDATE ... RETURNING: under READ COMMITTED a concurrent writer of
// the same (org, kind, period) waits for the row lock and then adds to the committed total, so
// the usage each entry sees includes every entry committed before it (what threshold alerts
// rely on). Alerts are claimed with ON CONFLICT DO NOTHING.
#include <string>
#include <utility>

#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/hours_codec.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::postgres {
namespace {

using store_support::HoursKindName;

const std::string kEntryColumns =
    "id, org_id, case_number, author_id, worked_at, minutes, billable, note, activity, kind, "
    "period, day, created_at";

absl::StatusOr<std::vector<core::TimeEntry>> EntriesFromRows(const PgResult& rows) {
  std::vector<core::TimeEntry> entries;
  for (int row = 0; row < rows.rows(); ++row) {
    core::TimeEntry entry;
    entry.id = rows.Int(row, 0);
    entry.org_id = rows.Int(row, 1);
    entry.case_number = rows.OptionalInt(row, 2);
    entry.author_id = rows.Int(row, 3);
    entry.worked_at = TimeFromColumn(rows.OptionalInt(row, 4));
    entry.minutes = static_cast<int>(rows.Int(row, 5));
    entry.billable = rows.Bool(row, 6);
    entry.note = std::string(rows.Text(row, 7));
    PG_STORE_ASSIGN_OR_RETURN(
        entry.activity, store_support::ActivityFromColumn(
                            rows.IsNull(row, 8) ? "" : rows.Text(row, 8), "time_entries.activity"));
    PG_STORE_ASSIGN_OR_RETURN(
        entry.kind, store_support::HoursKindFromColumn(rows.Text(row, 9), "time_entries.kind"));
    entry.period = std::string(rows.Text(row, 10));
    entry.day = std::string(rows.Text(row, 11));
    entry.created_at = TimeFromColumn(rows.OptionalInt(row, 12));
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<std::vector<ports::HoursUsage>> UsageFromRows(const PgResult& rows) {
  std::vector<ports::HoursUsage> usage;
  for (int row = 0; row < rows.rows(); ++row) {
    ports::HoursUsage item;
    PG_STORE_ASSIGN_OR_RETURN(
        item.kind, store_support::HoursKindFromColumn(rows.Text(row, 0), "hours_usage.kind"));
    item.period = std::string(rows.Text(row, 1));
    item.billable_minutes = rows.Int(row, 2);
    item.other_minutes = rows.Int(row, 3);
    item.entries = rows.Int(row, 4);
    usage.push_back(std::move(item));
  }
  return usage;
}

std::string AddUsageSql(const std::string& table, const std::string& key) {
  return "INSERT INTO " + table + " AS u (org_id, kind, " + key +
         ", billable_minutes, other_minutes, entries) VALUES ($1, $2, $3, $4, $5, 1)"
         " ON CONFLICT (org_id, kind, " +
         key +
         ") DO UPDATE SET billable_minutes = u.billable_minutes + excluded.billable_minutes,"
         " other_minutes = u.other_minutes + excluded.other_minutes, entries = u.entries + 1"
         " RETURNING billable_minutes, other_minutes, entries";
}

}  // namespace

absl::StatusOr<ports::TimeEntryWrite> PostgresTransaction::InsertTimeEntry(
    const core::TimeEntry& entry) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (entry.period.empty() || entry.day.empty()) {
    return absl::InvalidArgumentError("period: a time entry needs its local period and day");
  }
  PgParams params;
  params.Add(entry.org_id)
      .Add(entry.case_number)
      .Add(entry.author_id)
      .Add(TimeToColumn(entry.worked_at))
      .Add(int64_t{entry.minutes})
      .Add(entry.billable)
      .Add(entry.note);
  if (entry.activity) {
    params.Add(core::NameOf<core::Activity>(core::kActivityNames, *entry.activity));
  } else {
    params.AddNull();
  }
  params.Add(HoursKindName(entry.kind))
      .Add(entry.period)
      .Add(entry.day)
      .Add(TimeToColumn(entry.created_at));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO time_entries (org_id, case_number, author_id, worked_at,"
                          " minutes, billable, note, activity, kind, period, day, created_at)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
                          " RETURNING id",
                          params));
  ports::TimeEntryWrite written;
  written.id = inserted.Int(0, 0);
  const int64_t billable = entry.billable ? entry.minutes : 0;
  const int64_t other = entry.billable ? 0 : entry.minutes;
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult period_row,
      connection_.Execute(AddUsageSql("hours_usage", "period"), PgParams()
                                                                    .Add(entry.org_id)
                                                                    .Add(HoursKindName(entry.kind))
                                                                    .Add(entry.period)
                                                                    .Add(billable)
                                                                    .Add(other)));
  written.period_usage = {entry.kind, entry.period, period_row.Int(0, 0), period_row.Int(0, 1),
                          period_row.Int(0, 2)};
  PG_STORE_ASSIGN_OR_RETURN(PgResult day_row,
                            connection_.Execute(AddUsageSql("hours_usage_daily", "day"),
                                                PgParams()
                                                    .Add(entry.org_id)
                                                    .Add(HoursKindName(entry.kind))
                                                    .Add(entry.day)
                                                    .Add(billable)
                                                    .Add(other)));
  return written;
}

absl::StatusOr<std::vector<core::TimeEntry>> PostgresTransaction::ListCaseTimeEntries(
    core::CaseNumber number, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT " + kEntryColumns +
                                             " FROM time_entries WHERE case_number = $1"
                                             " ORDER BY worked_at, id LIMIT $2",
                                         PgParams().Add(number).Add(int64_t{ClampLimit(limit)})));
  return EntriesFromRows(rows);
}

absl::StatusOr<std::vector<core::TimeEntry>> PostgresTransaction::ListOrgTimeEntries(
    core::OrgId org_id, std::string_view period, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kEntryColumns +
                              " FROM time_entries WHERE org_id = $1 AND period = $2"
                              " ORDER BY worked_at, id LIMIT $3",
                          PgParams().Add(org_id).Add(period).Add(int64_t{ClampLimit(limit)})));
  return EntriesFromRows(rows);
}

absl::StatusOr<std::vector<ports::HoursUsage>> PostgresTransaction::ListHoursUsage(
    core::OrgId org_id, std::string_view from_period) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT kind, period, billable_minutes, other_minutes, entries"
                          " FROM hours_usage WHERE org_id = $1 AND period >= $2"
                          " ORDER BY kind, period",
                          PgParams().Add(org_id).Add(from_period)));
  return UsageFromRows(rows);
}

absl::StatusOr<std::vector<ports::HoursUsage>> PostgresTransaction::ListHoursDailyUsage(
    core::OrgId org_id, core::HoursKind kind, std::string_view period) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT kind, day, billable_minutes, other_minutes, entries"
                          " FROM hours_usage_daily WHERE org_id = $1 AND kind = $2"
                          " AND day >= $3 AND day <= $4 ORDER BY day",
                          PgParams()
                              .Add(org_id)
                              .Add(HoursKindName(kind))
                              .Add(std::string(period) + "-00")
                              .Add(std::string(period) + "-99")));
  return UsageFromRows(rows);
}

absl::StatusOr<std::optional<ports::OrgHoursPackages>> PostgresTransaction::GetOrgHoursPackages(
    core::OrgId org_id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT packages, starts_period, updated_at, updated_by"
                                         " FROM hours_packages WHERE org_id = $1",
                                         PgParams().Add(org_id)));
  if (rows.rows() == 0) return std::nullopt;
  ports::OrgHoursPackages packages;
  packages.org_id = org_id;
  PG_STORE_ASSIGN_OR_RETURN(packages.packages, store_support::PackagesFromJson(
                                                   rows.Text(0, 0), "hours_packages.packages"));
  packages.starts_period = std::string(rows.Text(0, 1));
  packages.updated_at = TimeFromColumn(rows.OptionalInt(0, 2));
  packages.updated_by = rows.Int(0, 3);
  return packages;
}

absl::Status PostgresTransaction::PutOrgHoursPackages(const ports::OrgHoursPackages& packages) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // Checked first: a foreign-key error would abort the whole transaction.
  PG_STORE_ASSIGN_OR_RETURN(PgResult exists,
                            connection_.Execute("SELECT 1 FROM organisations WHERE id = $1",
                                                PgParams().Add(packages.org_id)));
  if (exists.rows() == 0) {
    return absl::NotFoundError("organisation " + std::to_string(packages.org_id) + " not found");
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult upserted,
      connection_.Execute("INSERT INTO hours_packages (org_id, packages, starts_period,"
                          " updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)"
                          " ON CONFLICT (org_id) DO UPDATE SET packages = excluded.packages,"
                          " starts_period = excluded.starts_period,"
                          " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                          PgParams()
                              .Add(packages.org_id)
                              .Add(store_support::PackagesToJson(packages.packages))
                              .Add(packages.starts_period)
                              .Add(TimeToColumn(packages.updated_at))
                              .Add(packages.updated_by)));
  return absl::OkStatus();
}

absl::StatusOr<bool> PostgresTransaction::ClaimHoursAlert(core::OrgId org_id, core::HoursKind kind,
                                                          std::string_view period, int threshold,
                                                          absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO hours_alerts (org_id, kind, period, threshold, alerted_at)"
                          " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                          PgParams()
                              .Add(org_id)
                              .Add(HoursKindName(kind))
                              .Add(period)
                              .Add(int64_t{threshold})
                              .Add(TimeToColumn(at))));
  return inserted.affected() == 1;
}

absl::StatusOr<std::vector<int>> PostgresTransaction::ListHoursAlerts(core::OrgId org_id,
                                                                      core::HoursKind kind,
                                                                      std::string_view period) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT threshold FROM hours_alerts WHERE org_id = $1 AND kind = $2"
                          " AND period = $3 ORDER BY threshold",
                          PgParams().Add(org_id).Add(HoursKindName(kind)).Add(period)));
  std::vector<int> thresholds;
  for (int row = 0; row < rows.rows(); ++row) {
    thresholds.push_back(static_cast<int>(rows.Int(row, 0)));
  }
  return thresholds;
}

}  // namespace casedesk::adapters::postgres
