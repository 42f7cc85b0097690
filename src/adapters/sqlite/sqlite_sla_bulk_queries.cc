// SqliteTransaction: bulk SLA recomputation (issue 3). The range reads walk a primary key or
// the (case_number, id) event index over a range of case numbers, so a thousand cases cost
// three statements rather than a few thousand; the queue deadlines of many cases are written
// with one statement.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::sqlite {
namespace {

}  // namespace

absl::StatusOr<std::vector<ports::CaseClockInputs>> SqliteTransaction::ListCaseClockInputs(
    core::CaseNumber first, core::CaseNumber last) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT number, org_id, severity, status, created_at, next_deadline"
                          " FROM cases WHERE number BETWEEN ? AND ?"
                          " AND status NOT IN ('solved', 'closed') ORDER BY number"));
  query.Bind(1, first).Bind(2, last);
  return CollectRows<ports::CaseClockInputs>(query, [](const Statement& row) {
    ports::CaseClockInputs inputs;
    inputs.number = row.Int(0);
    inputs.org_id = row.Int(1);
    core::SeverityFromLevel(static_cast<int>(row.Int(2)), &inputs.severity);
    inputs.status = EnumFromColumn<core::CaseStatus>(core::kCaseStatusNames, row.Text(3),
                                                     core::CaseStatus::kOpen);
    inputs.created_at = TimeFromColumn(row.OptionalInt(4));
    const int64_t deadline = row.Int(5);
    if (deadline != kNoNextDeadline) inputs.next_deadline = TimeFromColumn(deadline);
    return inputs;
  });
}

absl::StatusOr<std::vector<core::AuditEvent>> SqliteTransaction::ListEventsOfCases(
    core::CaseNumber first, core::CaseNumber last, const std::vector<std::string>& kinds) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT id, entity, entity_id, case_number, actor_id, at, kind, changes,"
                          " reason FROM events WHERE case_number BETWEEN ? AND ?"
                          " AND kind IN (SELECT value FROM json_each(?))"
                          " ORDER BY case_number, id"));
  query.Bind(1, first).Bind(2, last).Bind(3, StringsToJson(kinds));
  return CollectRows<core::AuditEvent>(query, [](const Statement& row) {
    core::AuditEvent event;
    event.id = row.Int(0);
    event.entity = row.Text(1);
    event.entity_id = row.Text(2);
    event.case_number = row.Int(3);
    event.actor_id = row.Int(4);
    event.at = TimeFromColumn(row.OptionalInt(5));
    event.kind = row.Text(6);
    event.changes = ChangesFromJson(row.Text(7));
    event.reason = row.Text(8);
    return event;
  });
}

absl::StatusOr<std::vector<ports::Timer>> SqliteTransaction::ListUnfiredTimersOfCases(
    core::CaseNumber first, core::CaseNumber last, std::string_view key_prefix) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT case_number, key, due_at FROM timers"
                          " WHERE case_number BETWEEN ?1 AND ?2 AND fired_at IS NULL"
                          " AND substr(key, 1, length(?3)) = ?3 ORDER BY case_number, key"));
  query.Bind(1, first).Bind(2, last).Bind(3, key_prefix);
  return CollectRows<ports::Timer>(query, [](const Statement& row) {
    ports::Timer timer;
    timer.case_number = row.Int(0);
    timer.key = row.Text(1);
    timer.due_at = TimeFromColumn(row.OptionalInt(2));
    return timer;
  });
}

absl::Status SqliteTransaction::SetCaseNextDeadlines(
    const std::vector<std::pair<core::CaseNumber, std::optional<absl::Time>>>& deadlines) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (deadlines.empty()) return absl::OkStatus();
  // One statement for all: the queue indexes' conditions ("status IN (...)", migration 8) are
  // evaluated through lists SQLite builds once per statement, so per-case UPDATEs pay for
  // building them again for every case.
  std::string pairs = "[";
  for (const auto& [number, due_at] : deadlines) {
    if (pairs.size() > 1) pairs += ",";
    absl::StrAppend(&pairs, "[", number, ",",
                    due_at ? absl::ToUnixMicros(*due_at) : kNoNextDeadline, "]");
  }
  pairs += "]";
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE cases SET next_deadline = wanted.deadline"
                          " FROM (SELECT value ->> 0 AS number, value ->> 1 AS deadline"
                          " FROM json_each(?)) AS wanted"
                          " WHERE cases.number = wanted.number"
                          " AND cases.next_deadline <> wanted.deadline"));
  update.Bind(1, pairs);
  return update.Run();
}

}  // namespace casedesk::adapters::sqlite
