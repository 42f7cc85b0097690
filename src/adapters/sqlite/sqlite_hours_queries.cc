// SqliteTransaction: time entries and contract hours (issue 7). An entry and its share of the
// pre-aggregated usage (per period and per local day) are written by consecutive statements of
// the same unit of work; the single writer serialises units, so the period total returned is
// exact. Alerts are claimed with INSERT OR IGNORE on their primary key.
#include <string>
#include <tuple>
#include <utility>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/hours_codec.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::sqlite {
namespace {

using store_support::HoursKindName;

constexpr char kEntryColumns[] =
    "id, org_id, case_number, author_id, worked_at, minutes, billable, note, activity, kind, "
    "period, day, created_at";

absl::StatusOr<core::TimeEntry> EntryFromRow(const Statement& row) {
  core::TimeEntry entry;
  entry.id = row.Int(0);
  entry.org_id = row.Int(1);
  entry.case_number = row.OptionalInt(2);
  entry.author_id = row.Int(3);
  entry.worked_at = TimeFromColumn(row.OptionalInt(4));
  entry.minutes = static_cast<int>(row.Int(5));
  entry.billable = row.Int(6) != 0;
  entry.note = row.Text(7);
  SQLITE_STORE_ASSIGN_OR_RETURN(
      entry.activity, store_support::ActivityFromColumn(row.Text(8), "time_entries.activity"));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      entry.kind, store_support::HoursKindFromColumn(row.Text(9), "time_entries.kind"));
  entry.period = row.Text(10);
  entry.day = row.Text(11);
  entry.created_at = TimeFromColumn(row.OptionalInt(12));
  return entry;
}

absl::StatusOr<std::vector<core::TimeEntry>> CollectEntries(Statement& query) {
  std::vector<core::TimeEntry> entries;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return entries;
    SQLITE_STORE_ASSIGN_OR_RETURN(core::TimeEntry entry, EntryFromRow(query));
    entries.push_back(std::move(entry));
  }
}

absl::StatusOr<std::vector<ports::HoursUsage>> CollectUsage(Statement& query) {
  std::vector<ports::HoursUsage> rows;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return rows;
    ports::HoursUsage usage;
    SQLITE_STORE_ASSIGN_OR_RETURN(
        usage.kind, store_support::HoursKindFromColumn(query.Text(0), "hours_usage.kind"));
    usage.period = query.Text(1);
    usage.billable_minutes = query.Int(2);
    usage.other_minutes = query.Int(3);
    usage.entries = query.Int(4);
    rows.push_back(std::move(usage));
  }
}

// The upsert both usage tables share; `key` is "period" or "day".
std::string AddUsageSql(std::string_view table, std::string_view key) {
  return "INSERT INTO " + std::string(table) + " (org_id, kind, " + std::string(key) +
         ", billable_minutes, other_minutes, entries) VALUES (?, ?, ?, ?, ?, 1)"
         " ON CONFLICT DO UPDATE SET billable_minutes = billable_minutes + "
         "excluded.billable_minutes, other_minutes = other_minutes + excluded.other_minutes,"
         " entries = entries + 1"
         " RETURNING billable_minutes, other_minutes, entries";
}

}  // namespace

absl::StatusOr<ports::TimeEntryWrite> SqliteTransaction::InsertTimeEntry(
    const core::TimeEntry& entry) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (entry.period.empty() || entry.day.empty()) {
    return absl::InvalidArgumentError("period: a time entry needs its local period and day");
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO time_entries (org_id, case_number, author_id, worked_at,"
                          " minutes, billable, note, activity, kind, period, day, created_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, entry.org_id)
      .Bind(2, entry.case_number)
      .Bind(3, entry.author_id)
      .Bind(4, TimeToColumn(entry.worked_at))
      .Bind(5, int64_t{entry.minutes})
      .Bind(6, int64_t{entry.billable ? 1 : 0})
      .Bind(7, entry.note);
  if (entry.activity) {
    insert.Bind(8, core::NameOf<core::Activity>(core::kActivityNames, *entry.activity));
  } else {
    insert.BindNull(8);
  }
  insert.Bind(9, HoursKindName(entry.kind))
      .Bind(10, entry.period)
      .Bind(11, entry.day)
      .Bind(12, TimeToColumn(entry.created_at));
  absl::Status inserted = insert.Run();
  if (!inserted.ok()) return ClassifyWriteError(inserted, insert, "time entry already exists");
  ports::TimeEntryWrite written;
  written.id = connection_.LastInsertRowId();
  const int64_t billable = entry.billable ? entry.minutes : 0;
  const int64_t other = entry.billable ? 0 : entry.minutes;
  for (const auto& [table, key, value] : {std::tuple{"hours_usage", "period", &entry.period},
                                          std::tuple{"hours_usage_daily", "day", &entry.day}}) {
    SQLITE_STORE_ASSIGN_OR_RETURN(Statement add, connection_.Prepare(AddUsageSql(table, key)));
    add.Bind(1, entry.org_id)
        .Bind(2, HoursKindName(entry.kind))
        .Bind(3, *value)
        .Bind(4, billable)
        .Bind(5, other);
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, add.Step());
    if (!has_row) return absl::InternalError("hours usage upsert returned no row");
    if (std::string_view(key) == "period") {
      written.period_usage = {entry.kind, entry.period, add.Int(0), add.Int(1), add.Int(2)};
    }
  }
  return written;
}

absl::StatusOr<std::vector<core::TimeEntry>> SqliteTransaction::ListCaseTimeEntries(
    core::CaseNumber number, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kEntryColumns +
                                                    " FROM time_entries WHERE case_number = ?"
                                                    " ORDER BY worked_at, id LIMIT ?"));
  query.Bind(1, number).Bind(2, int64_t{ClampLimit(limit)});
  return CollectEntries(query);
}

absl::StatusOr<std::vector<core::TimeEntry>> SqliteTransaction::ListOrgTimeEntries(
    core::OrgId org_id, std::string_view period, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT ") + kEntryColumns +
                                           " FROM time_entries WHERE org_id = ? AND period = ?"
                                           " ORDER BY worked_at, id LIMIT ?"));
  query.Bind(1, org_id).Bind(2, period).Bind(3, int64_t{ClampLimit(limit)});
  return CollectEntries(query);
}

absl::StatusOr<std::vector<ports::HoursUsage>> SqliteTransaction::ListHoursUsage(
    core::OrgId org_id, std::string_view from_period) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT kind, period, billable_minutes, other_minutes, entries"
                          " FROM hours_usage WHERE org_id = ? AND period >= ?"
                          " ORDER BY kind, period"));
  query.Bind(1, org_id).Bind(2, from_period);
  return CollectUsage(query);
}

absl::StatusOr<std::vector<ports::HoursUsage>> SqliteTransaction::ListHoursDailyUsage(
    core::OrgId org_id, core::HoursKind kind, std::string_view period) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT kind, day, billable_minutes, other_minutes, entries"
                          " FROM hours_usage_daily WHERE org_id = ? AND kind = ?"
                          " AND day >= ? AND day <= ? ORDER BY day"));
  // Day names of the period sort between "YYYY-MM-00" and "YYYY-MM-99".
  query.Bind(1, org_id)
      .Bind(2, HoursKindName(kind))
      .Bind(3, std::string(period) + "-00")
      .Bind(4, std::string(period) + "-99");
  return CollectUsage(query);
}

absl::StatusOr<std::optional<ports::OrgHoursPackages>> SqliteTransaction::GetOrgHoursPackages(
    core::OrgId org_id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare("SELECT packages, starts_period, updated_at, updated_by"
                                           " FROM hours_packages WHERE org_id = ?"));
  query.Bind(1, org_id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::nullopt;
  ports::OrgHoursPackages packages;
  packages.org_id = org_id;
  SQLITE_STORE_ASSIGN_OR_RETURN(
      packages.packages, store_support::PackagesFromJson(query.Text(0), "hours_packages.packages"));
  packages.starts_period = query.Text(1);
  packages.updated_at = TimeFromColumn(query.OptionalInt(2));
  packages.updated_by = query.Int(3);
  return packages;
}

absl::Status SqliteTransaction::PutOrgHoursPackages(const ports::OrgHoursPackages& packages) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement exists,
                                connection_.Prepare("SELECT 1 FROM organisations WHERE id = ?"));
  exists.Bind(1, packages.org_id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, exists.Step());
  if (!found) {
    return absl::NotFoundError("organisation " + std::to_string(packages.org_id) + " not found");
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare("INSERT INTO hours_packages (org_id, packages, starts_period,"
                          " updated_at, updated_by) VALUES (?, ?, ?, ?, ?)"
                          " ON CONFLICT (org_id) DO UPDATE SET packages = excluded.packages,"
                          " starts_period = excluded.starts_period,"
                          " updated_at = excluded.updated_at, updated_by = excluded.updated_by"));
  upsert.Bind(1, packages.org_id)
      .Bind(2, store_support::PackagesToJson(packages.packages))
      .Bind(3, packages.starts_period)
      .Bind(4, TimeToColumn(packages.updated_at))
      .Bind(5, packages.updated_by);
  return upsert.Run();
}

absl::StatusOr<bool> SqliteTransaction::ClaimHoursAlert(core::OrgId org_id, core::HoursKind kind,
                                                        std::string_view period, int threshold,
                                                        absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT OR IGNORE INTO hours_alerts (org_id, kind, period, threshold,"
                          " alerted_at) VALUES (?, ?, ?, ?, ?)"));
  insert.Bind(1, org_id)
      .Bind(2, HoursKindName(kind))
      .Bind(3, period)
      .Bind(4, int64_t{threshold})
      .Bind(5, TimeToColumn(at));
  absl::Status status = insert.Run();
  if (!status.ok()) return ClassifyWriteError(status, insert, "alert already claimed");
  return connection_.Changes() == 1;
}

absl::StatusOr<std::vector<int>> SqliteTransaction::ListHoursAlerts(core::OrgId org_id,
                                                                    core::HoursKind kind,
                                                                    std::string_view period) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT threshold FROM hours_alerts WHERE org_id = ? AND kind = ?"
                          " AND period = ? ORDER BY threshold"));
  query.Bind(1, org_id).Bind(2, HoursKindName(kind)).Bind(3, period);
  return CollectRows<int>(query, [](const Statement& row) { return static_cast<int>(row.Int(0)); });
}

}  // namespace casedesk::adapters::sqlite
