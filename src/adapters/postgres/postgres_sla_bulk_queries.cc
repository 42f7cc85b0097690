// PostgresTransaction: bulk SLA recomputation (issue 3). The range reads walk a primary key or
// the (case_number, id) event index over a range of case numbers, so a thousand cases cost
// three round trips rather than a few thousand; the queue deadlines of many cases are written
// with one statement.
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::postgres {
namespace {

}  // namespace

absl::StatusOr<std::vector<ports::CaseClockInputs>> PostgresTransaction::ListCaseClockInputs(
    core::CaseNumber first, core::CaseNumber last) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT number, org_id, severity, status, created_at, next_deadline"
                          " FROM cases WHERE number BETWEEN $1 AND $2"
                          " AND status NOT IN ('solved', 'closed') ORDER BY number",
                          PgParams().Add(first).Add(last)));
  std::vector<ports::CaseClockInputs> cases;
  cases.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    ports::CaseClockInputs inputs;
    inputs.number = rows.Int(row, 0);
    inputs.org_id = rows.Int(row, 1);
    core::SeverityFromLevel(static_cast<int>(rows.Int(row, 2)), &inputs.severity);
    inputs.status = EnumFromColumn<core::CaseStatus>(core::kCaseStatusNames, rows.Text(row, 3),
                                                     core::CaseStatus::kOpen);
    inputs.created_at = TimeFromColumn(rows.OptionalInt(row, 4));
    const int64_t deadline = rows.Int(row, 5);
    if (deadline != kNoNextDeadline) inputs.next_deadline = TimeFromColumn(deadline);
    cases.push_back(inputs);
  }
  return cases;
}

absl::StatusOr<std::vector<core::AuditEvent>> PostgresTransaction::ListEventsOfCases(
    core::CaseNumber first, core::CaseNumber last, const std::vector<std::string>& kinds) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute(
          "SELECT id, entity, entity_id, case_number, actor_id, at, kind, changes, reason"
          " FROM events WHERE case_number BETWEEN $1 AND $2"
          " AND kind IN (SELECT jsonb_array_elements_text($3::jsonb))"
          " ORDER BY case_number, id",
          PgParams().Add(first).Add(last).Add(StringsToJson(kinds))));
  std::vector<core::AuditEvent> events;
  events.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    core::AuditEvent event;
    event.id = rows.Int(row, 0);
    event.entity = std::string(rows.Text(row, 1));
    event.entity_id = std::string(rows.Text(row, 2));
    event.case_number = rows.Int(row, 3);
    event.actor_id = rows.Int(row, 4);
    event.at = TimeFromColumn(rows.OptionalInt(row, 5));
    event.kind = std::string(rows.Text(row, 6));
    event.changes = ChangesFromJson(rows.Text(row, 7));
    event.reason = std::string(rows.Text(row, 8));
    events.push_back(std::move(event));
  }
  return events;
}

absl::StatusOr<std::vector<ports::Timer>> PostgresTransaction::ListUnfiredTimersOfCases(
    core::CaseNumber first, core::CaseNumber last, std::string_view key_prefix) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT case_number, key, due_at FROM timers"
                                         " WHERE case_number BETWEEN $1 AND $2 AND fired_at IS NULL"
                                         " AND starts_with(key, $3) ORDER BY case_number, key",
                                         PgParams().Add(first).Add(last).Add(key_prefix)));
  std::vector<ports::Timer> timers;
  timers.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    ports::Timer timer;
    timer.case_number = rows.Int(row, 0);
    timer.key = std::string(rows.Text(row, 1));
    timer.due_at = TimeFromColumn(rows.OptionalInt(row, 2));
    timers.push_back(std::move(timer));
  }
  return timers;
}

absl::Status PostgresTransaction::SetCaseNextDeadlines(
    const std::vector<std::pair<core::CaseNumber, std::optional<absl::Time>>>& deadlines) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (deadlines.empty()) return absl::OkStatus();
  // One round trip for all; only changed rows get a new tuple.
  std::string pairs = "[";
  for (const auto& [number, due_at] : deadlines) {
    if (pairs.size() > 1) pairs += ",";
    absl::StrAppend(&pairs, "[", number, ",",
                    due_at ? absl::ToUnixMicros(*due_at) : kNoNextDeadline, "]");
  }
  pairs += "]";
  return connection_
      .Execute(
          "UPDATE cases SET next_deadline = wanted.deadline"
          " FROM (SELECT (value ->> 0)::bigint AS number, (value ->> 1)::bigint AS deadline"
          " FROM jsonb_array_elements($1::jsonb)) AS wanted"
          " WHERE cases.number = wanted.number AND cases.next_deadline <> wanted.deadline",
          PgParams().Add(pairs))
      .status();
}

}  // namespace casedesk::adapters::postgres
