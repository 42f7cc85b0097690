// PostgresTransaction: the staff console's queues (issue 5). Each case row carries its next SLA
// deadline (`next_deadline`, microseconds, the largest bigint for "none"), written by the SLA
// engine; ListCases with CaseOrder::kNextDeadline pages active cases by (next_deadline, number)
// with a row-value keyset, driven by the partial indexes of migration 8 (kActiveCases, and
// "status IN ('pending', 'on_hold')" for the held queue).
#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::postgres {
namespace {

// The partial indexes' condition (migration 8).
constexpr char kActiveCases[] = "status IN ('new', 'open', 'pending', 'on_hold')";

struct QueuePosition {
  int64_t deadline = 0;
  core::CaseNumber number = 0;
};

std::string EncodeQueueCursor(const QueuePosition& position) {
  return absl::StrCat("q", position.deadline, ".", position.number);
}

absl::StatusOr<std::optional<QueuePosition>> DecodeQueueCursor(std::string_view cursor) {
  if (cursor.empty()) return std::nullopt;
  const std::vector<std::string> parts =
      absl::StrSplit(std::string(cursor.substr(cursor.starts_with('q') ? 1 : cursor.size())), '.');
  QueuePosition position;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &position.deadline) ||
      !absl::SimpleAtoi(parts[1], &position.number)) {
    return absl::InvalidArgumentError("cursor: malformed; use the next_cursor of a page");
  }
  return position;
}

// The WHERE terms and their parameters ($1.. in order).
struct Where {
  std::vector<std::string> terms;
  PgParams params;
  int count = 0;

  std::string Next() { return absl::StrCat("$", ++count); }
  std::string Number(int64_t value) {
    params.Add(value);
    return Next();
  }
  std::string Text(const std::string& value) {
    params.Add(value);
    return Next();
  }
  std::string Sql() const {
    std::string sql;
    for (const std::string& term : terms) absl::StrAppend(&sql, sql.empty() ? "" : " AND ", term);
    return sql.empty() ? "true" : sql;
  }
};

std::string StatusName(core::CaseStatus status) {
  return EnumName<core::CaseStatus>(core::kCaseStatusNames, status);
}

void AddScope(const core::CaseScope& scope, Where& where) {
  if (scope.hide_security_incidents) where.terms.push_back("NOT security_incident");
  if (scope.all) return;
  std::vector<std::string> alternatives;
  if (!scope.org_ids.empty()) {
    alternatives.push_back("org_id = ANY(" + where.Text(IdArray(scope.org_ids)) + "::bigint[])");
  }
  if (scope.participant.has_value()) {
    const std::string participant = where.Number(*scope.participant);
    alternatives.push_back("requester_id = " + participant);
    alternatives.push_back("EXISTS (SELECT 1 FROM case_followers f WHERE f.user_id = " +
                           participant + " AND f.case_number = c.number)");
  }
  if (alternatives.empty()) {
    where.terms.push_back("false");  // an empty scope sees nothing
    return;
  }
  std::string predicate;
  for (const std::string& alternative : alternatives) {
    absl::StrAppend(&predicate, predicate.empty() ? "(" : " OR ", alternative);
  }
  where.terms.push_back(predicate + ")");
}

}  // namespace

absl::Status PostgresTransaction::SetCaseNextDeadline(core::CaseNumber number,
                                                      std::optional<absl::Time> due_at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  const int64_t deadline = due_at ? absl::ToUnixMicros(*due_at) : kNoNextDeadline;
  // Only a changed value is written: an unchanged row costs no new tuple.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult result, connection_.Execute("UPDATE cases SET next_deadline = $1 WHERE number = $2"
                                           " AND next_deadline <> $1",
                                           PgParams().Add(deadline).Add(number)));
  if (result.affected() > 0) return absl::OkStatus();
  return GetCaseNextDeadline(number).status();
}

absl::StatusOr<std::optional<absl::Time>> PostgresTransaction::GetCaseNextDeadline(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT next_deadline FROM cases WHERE number = $1",
                                                PgParams().Add(number)));
  if (rows.rows() == 0) return absl::NotFoundError(absl::StrCat("case ", number, ": not found"));
  const int64_t deadline = rows.Int(0, 0);
  if (deadline == kNoNextDeadline) return std::nullopt;
  return absl::FromUnixMicros(deadline);
}

absl::StatusOr<ports::Page<core::Case>> PostgresTransaction::ListCasesByNextDeadline(
    const ports::CaseFilter& filter) {
  if (!filter.text.empty()) {
    return absl::InvalidArgumentError("text: not supported with the next-deadline order");
  }
  PG_STORE_ASSIGN_OR_RETURN(std::optional<QueuePosition> after,
                            DecodeQueueCursor(filter.page.cursor));
  const int limit = ClampLimit(filter.page.limit);
  Where where;
  if (filter.active_only) where.terms.push_back(kActiveCases);
  if (filter.unassigned_only) where.terms.push_back("assignee_id IS NULL");
  if (filter.assignee_id)
    where.terms.push_back("assignee_id = " + where.Number(*filter.assignee_id));
  if (filter.group_id) where.terms.push_back("group_id = " + where.Number(*filter.group_id));
  if (!filter.group_ids.empty()) {
    where.terms.push_back("group_id = ANY(" + where.Text(IdArray(filter.group_ids)) +
                          "::bigint[])");
  }
  if (filter.status) where.terms.push_back("status = " + where.Text(StatusName(*filter.status)));
  if (!filter.statuses.empty()) {
    // Literals (names from the enum table, never input), so the held queue's condition is
    // kHeldCases itself and the planner may use that partial index with any plan.
    std::string list;
    for (const auto& [status, name] : core::kCaseStatusNames) {
      if (std::find(filter.statuses.begin(), filter.statuses.end(), status) ==
          filter.statuses.end()) {
        continue;
      }
      absl::StrAppend(&list, list.empty() ? "" : ", ", "'", std::string(name), "'");
    }
    where.terms.push_back("status IN (" + list + ")");
  }
  if (filter.severity) {
    where.terms.push_back("severity = " +
                          where.Number(int64_t{core::SeverityLevel(*filter.severity)}));
  }
  if (filter.org_id) where.terms.push_back("org_id = " + where.Number(*filter.org_id));
  if (filter.due_before) {
    where.terms.push_back("next_deadline < " +
                          where.Number(absl::ToUnixMicros(*filter.due_before)));
  }
  if (after) {
    const std::string deadline = where.Number(after->deadline);
    where.terms.push_back("(next_deadline, number) > (" + deadline + ", " +
                          where.Number(after->number) + ")");
  }
  AddScope(filter.scope, where);
  const std::string limit_param = where.Number(limit + 1);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT number, next_deadline FROM cases c WHERE " + where.Sql() +
                              " ORDER BY next_deadline, number LIMIT " + limit_param,
                          where.params));
  std::vector<QueuePosition> positions;
  for (int row = 0; row < rows.rows(); ++row) {
    positions.push_back({.deadline = rows.Int(row, 1), .number = rows.Int(row, 0)});
  }
  ports::Page<core::Case> page;
  if (static_cast<int>(positions.size()) > limit) {
    positions.resize(limit);
    page.next_cursor = EncodeQueueCursor(positions.back());
  }
  for (const QueuePosition& position : positions) {
    PG_STORE_ASSIGN_OR_RETURN(core::Case c, GetCase(position.number));
    page.items.push_back(std::move(c));
  }
  return page;
}

}  // namespace casedesk::adapters::postgres
