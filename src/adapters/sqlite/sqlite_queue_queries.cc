// SqliteTransaction: the staff console's queues (issue 5). Each case row carries its next SLA
// deadline (`next_deadline`, microseconds, the largest integer for "none"), written by the SLA
// engine; ListCases with CaseOrder::kNextDeadline pages active cases by (next_deadline, number)
// with a row-value keyset, driven by the partial indexes of migration 8, whose conditions
// kActiveCases and kHeldCases the queries repeat term for term. Each queue names the index it
// walks (INDEXED BY): without statistics SQLite may otherwise prefer an index that needs every
// matching row sorted, and a schema change that drops the index fails loudly.
#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::sqlite {
namespace {

// The partial indexes' conditions (migration 8); SQLite matches them textually.
constexpr char kActiveCases[] = "status IN ('new', 'open', 'pending', 'on_hold')";
constexpr char kHeldCases[] = "status IN ('pending', 'on_hold')";

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

// One placeholder value of the queue query.
struct Value {
  bool is_text = false;
  int64_t number = 0;
  std::string text;
};

struct Where {
  std::vector<std::string> terms;
  std::vector<Value> values;

  void Add(std::string term) { terms.push_back(std::move(term)); }
  void Add(std::string term, int64_t number) {
    terms.push_back(std::move(term));
    values.push_back({.number = number});
  }
  void Add(std::string term, std::string text) {
    terms.push_back(std::move(term));
    values.push_back({.is_text = true, .text = std::move(text)});
  }
  std::string Sql() const {
    std::string sql;
    for (const std::string& term : terms) absl::StrAppend(&sql, sql.empty() ? "" : " AND ", term);
    return sql.empty() ? "1" : sql;
  }
};

std::string StatusName(core::CaseStatus status) {
  return EnumName<core::CaseStatus>(core::kCaseStatusNames, status);
}

// Whether the scope can see any case at all.
bool SeesSomething(const core::CaseScope& scope) {
  return scope.all || !scope.org_ids.empty() || scope.participant.has_value();
}

// The scope as a residual predicate (staff see every case; the unary + keeps these terms from
// driving the query, which the queue order does). The scope must see something.
void AddScope(const core::CaseScope& scope, Where& where) {
  if (scope.hide_security_incidents) where.Add("+security_incident = 0");
  if (scope.all) return;
  std::vector<std::string> alternatives;
  std::vector<Value> values;
  if (!scope.org_ids.empty()) {
    alternatives.push_back("+org_id IN (SELECT value FROM json_each(?))");
    values.push_back({.is_text = true, .text = IdsToJson(scope.org_ids)});
  }
  if (scope.participant.has_value()) {
    alternatives.push_back("+requester_id = ?");
    values.push_back({.number = *scope.participant});
    alternatives.push_back(
        "EXISTS (SELECT 1 FROM case_followers f WHERE f.user_id = ? AND f.case_number = number)");
    values.push_back({.number = *scope.participant});
  }
  std::string predicate;
  for (const std::string& alternative : alternatives) {
    absl::StrAppend(&predicate, predicate.empty() ? "(" : " OR ", alternative);
  }
  where.Add(predicate + ")");
  for (Value& value : values) where.values.push_back(std::move(value));
}

// "status IN ('pending', 'on_hold')": the statuses as literals (names from the enum table, never
// input), in the table's order, so the held queue repeats kHeldCases exactly.
std::string StatusList(const std::vector<core::CaseStatus>& statuses) {
  std::string list;
  for (const auto& [status, name] : core::kCaseStatusNames) {
    if (std::find(statuses.begin(), statuses.end(), status) == statuses.end()) continue;
    absl::StrAppend(&list, list.empty() ? "" : ", ", "'", std::string(name), "'");
  }
  return "status IN (" + list + ")";
}

// The partial index a queue walks in (next_deadline, number) order, or "" to let SQLite choose
// (a filter without an index of its own). Only with active_only, whose condition the indexes
// on active cases require.
std::string QueueIndex(const ports::CaseFilter& filter, const std::string& statuses) {
  if (filter.org_id) {
    // A view narrowed to one organisation walks that organisation's active cases in deadline
    // order rather than a whole queue to find theirs; one person's cases are fewer still.
    if (!filter.active_only) return "cases_by_org";
    return filter.assignee_id ? "cases_queue_by_assignee" : "cases_queue_by_org";
  }
  if (statuses == kHeldCases) return "cases_queue_held";
  if (!filter.active_only) return "";
  if (filter.assignee_id) return "cases_queue_by_assignee";
  if (filter.unassigned_only) return "cases_queue_unassigned";
  if (filter.group_id || !filter.group_ids.empty()) return "cases_queue_by_group";
  if (filter.severity) return "cases_queue_by_severity";
  return "cases_queue";
}

std::string IndexedBy(const ports::CaseFilter& filter, const std::string& statuses) {
  const std::string index = QueueIndex(filter, statuses);
  return index.empty() ? "" : " INDEXED BY " + index;
}

}  // namespace

absl::Status SqliteTransaction::SetCaseNextDeadline(core::CaseNumber number,
                                                    std::optional<absl::Time> due_at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update, connection_.Prepare("UPDATE cases SET next_deadline = ? WHERE number = ?"
                                            " AND next_deadline <> ?1"));
  const int64_t deadline = due_at ? absl::ToUnixMicros(*due_at) : kNoNextDeadline;
  update.Bind(1, deadline).Bind(2, number);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() > 0) return absl::OkStatus();
  // Nothing changed: the value was already stored, or there is no such case.
  return GetCaseNextDeadline(number).status();
}

absl::StatusOr<std::optional<absl::Time>> SqliteTransaction::GetCaseNextDeadline(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare("SELECT next_deadline FROM cases WHERE number = ?"));
  query.Bind(1, number);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError(absl::StrCat("case ", number, ": not found"));
  const int64_t deadline = query.Int(0);
  if (deadline == kNoNextDeadline) return std::nullopt;
  return absl::FromUnixMicros(deadline);
}

absl::StatusOr<ports::Page<core::Case>> SqliteTransaction::ListCasesByNextDeadline(
    const ports::CaseFilter& filter) {
  if (!filter.text.empty()) {
    return absl::InvalidArgumentError("text: not supported with the next-deadline order");
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(std::optional<QueuePosition> after,
                                DecodeQueueCursor(filter.page.cursor));
  const int limit = ClampLimit(filter.page.limit);
  // An empty scope sees nothing (and a constant-false WHERE would leave INDEXED BY no plan).
  if (!SeesSomething(filter.scope)) return ports::Page<core::Case>();
  Where where;
  if (filter.active_only) where.Add(kActiveCases);
  if (filter.unassigned_only) where.Add("assignee_id IS NULL");
  if (filter.assignee_id) where.Add("assignee_id = ?", *filter.assignee_id);
  if (filter.group_id) where.Add("group_id = ?", *filter.group_id);
  if (!filter.group_ids.empty()) {
    // Implied by the IN, but said outright so the partial index's condition is seen to hold.
    where.Add("group_id IS NOT NULL");
    where.Add("group_id IN (" + Placeholders(filter.group_ids.size()) + ")");
    for (core::GroupId id : filter.group_ids) where.values.push_back({.number = id});
  }
  if (filter.status) where.Add("status = ?", StatusName(*filter.status));
  const std::string statuses = filter.statuses.empty() ? "" : StatusList(filter.statuses);
  if (!statuses.empty()) where.Add(statuses);
  if (filter.severity) {
    where.Add("severity = ?", int64_t{core::SeverityLevel(*filter.severity)});
  }
  if (filter.org_id) where.Add("org_id = ?", *filter.org_id);
  if (filter.due_before) where.Add("next_deadline < ?", absl::ToUnixMicros(*filter.due_before));
  if (after) {
    where.Add("(next_deadline, number) > (?, ?)");
    where.values.push_back({.number = after->deadline});
    where.values.push_back({.number = after->number});
  }
  AddScope(filter.scope, where);
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT number, next_deadline FROM cases" + IndexedBy(filter, statuses) +
                          " WHERE " + where.Sql() + " ORDER BY next_deadline, number LIMIT ?"));
  int index = 1;
  for (const Value& value : where.values) {
    if (value.is_text) {
      query.Bind(index++, value.text);
    } else {
      query.Bind(index++, value.number);
    }
  }
  query.Bind(index, int64_t{limit + 1});
  std::vector<QueuePosition> positions;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) break;
    positions.push_back({.deadline = query.Int(1), .number = query.Int(0)});
  }
  ports::Page<core::Case> page;
  if (static_cast<int>(positions.size()) > limit) {
    positions.resize(limit);
    page.next_cursor = EncodeQueueCursor(positions.back());
  }
  for (const QueuePosition& position : positions) {
    SQLITE_STORE_ASSIGN_OR_RETURN(core::Case c, GetCase(position.number));
    page.items.push_back(std::move(c));
  }
  return page;
}

}  // namespace casedesk::adapters::sqlite
