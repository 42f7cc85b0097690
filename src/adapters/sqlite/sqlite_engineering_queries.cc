// SqliteTransaction: engineering links and problems (issue 7). A duplicate link (case, tracker,
// key) is caught by INSERT OR IGNORE and answered AlreadyExists without a failed statement;
// problem links likewise. Incident trends read cases_opened_for_trends (created_at, component,
// org_id), a covering index: one range scan per period whatever the number of cases stored.
#include <string>
#include <utility>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::sqlite {
namespace {

constexpr char kLinkColumns[] =
    "id, case_number, tracker, issue_key, url, state, title, pending_update, created_by, "
    "created_at, updated_by, updated_at";

core::EngineeringLink LinkFromRow(const Statement& row) {
  core::EngineeringLink link;
  link.id = row.Int(0);
  link.case_number = row.Int(1);
  link.tracker = row.Text(2);
  link.issue_key = row.Text(3);
  link.url = row.Text(4);
  link.state = row.Text(5);
  link.title = row.Text(6);
  link.pending_update = row.Text(7);
  link.created_by = row.Int(8);
  link.created_at = TimeFromColumn(row.OptionalInt(9));
  link.updated_by = row.Int(10);
  link.updated_at = TimeFromColumn(row.OptionalInt(11));
  return link;
}

// The problem columns, then its case count, as `p.` columns.
constexpr char kProblemColumns[] =
    "p.id, p.title, p.status, p.component, p.root_cause, p.created_by, p.created_at, "
    "p.updated_at, p.resolved_at, (SELECT count(*) FROM problem_cases pc WHERE pc.problem_id = "
    "p.id)";

absl::StatusOr<core::Problem> ProblemFromRow(const Statement& row) {
  core::Problem problem;
  problem.id = row.Int(0);
  problem.title = row.Text(1);
  const std::optional<core::ProblemStatus> status =
      core::EnumFromName<core::ProblemStatus>(core::kProblemStatusNames, row.Text(2));
  if (!status) return absl::DataLossError("problems.status: unknown value " + row.Text(2));
  problem.status = *status;
  problem.component = row.Text(3);
  problem.root_cause = row.Text(4);
  problem.created_by = row.Int(5);
  problem.created_at = TimeFromColumn(row.OptionalInt(6));
  problem.updated_at = TimeFromColumn(row.OptionalInt(7));
  problem.resolved_at = TimeFromColumn(row.OptionalInt(8));
  problem.case_count = row.Int(9);
  return problem;
}

absl::StatusOr<std::vector<core::Problem>> CollectProblems(Statement& query) {
  std::vector<core::Problem> problems;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return problems;
    SQLITE_STORE_ASSIGN_OR_RETURN(core::Problem problem, ProblemFromRow(query));
    problems.push_back(std::move(problem));
  }
}

std::string StatusName(core::ProblemStatus status) {
  return std::string(core::NameOf<core::ProblemStatus>(core::kProblemStatusNames, status));
}

}  // namespace

absl::StatusOr<core::EngineeringLinkId> SqliteTransaction::InsertEngineeringLink(
    const core::EngineeringLink& link) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT OR IGNORE INTO engineering_links (case_number, tracker,"
                          " issue_key, url, state, title, pending_update, created_by, created_at,"
                          " updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, link.case_number)
      .Bind(2, link.tracker)
      .Bind(3, link.issue_key)
      .Bind(4, link.url)
      .Bind(5, link.state)
      .Bind(6, link.title)
      .Bind(7, link.pending_update)
      .Bind(8, link.created_by)
      .Bind(9, TimeToColumn(link.created_at))
      .Bind(10, link.updated_by)
      .Bind(11, TimeToColumn(link.updated_at));
  absl::Status inserted = insert.Run();
  if (!inserted.ok()) return ClassifyWriteError(inserted, insert, "engineering link exists");
  if (connection_.Changes() == 0) {
    return absl::AlreadyExistsError("key: the case already links " + link.tracker + " " +
                                    link.issue_key);
  }
  NoteCaseChanged(link.case_number);
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::EngineeringLink> SqliteTransaction::GetEngineeringLink(
    core::EngineeringLinkId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kLinkColumns +
                                                    " FROM engineering_links WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("engineering link " + std::to_string(id) + " not found");
  return LinkFromRow(query);
}

absl::Status SqliteTransaction::UpdateEngineeringLink(const core::EngineeringLink& link) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE engineering_links SET url = ?, state = ?, title = ?,"
                          " pending_update = ?, updated_by = ?, updated_at = ? WHERE id = ?"
                          " RETURNING case_number"));
  update.Bind(1, link.url)
      .Bind(2, link.state)
      .Bind(3, link.title)
      .Bind(4, link.pending_update)
      .Bind(5, link.updated_by)
      .Bind(6, TimeToColumn(link.updated_at))
      .Bind(7, link.id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, update.Step());
  if (!found) {
    return absl::NotFoundError("engineering link " + std::to_string(link.id) + " not found");
  }
  NoteCaseChanged(update.Int(0));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::EngineeringLink>> SqliteTransaction::ListCaseEngineeringLinks(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kLinkColumns +
                          " FROM engineering_links WHERE case_number = ? ORDER BY id"));
  query.Bind(1, number);
  return CollectRows<core::EngineeringLink>(query, LinkFromRow);
}

absl::StatusOr<std::vector<core::EngineeringLink>> SqliteTransaction::ListEngineeringLinksByKey(
    std::string_view tracker, std::string_view issue_key, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT ") + kLinkColumns +
                                           " FROM engineering_links WHERE tracker = ?"
                                           " AND issue_key = ? ORDER BY case_number LIMIT ?"));
  query.Bind(1, tracker).Bind(2, issue_key).Bind(3, int64_t{ClampLimit(limit)});
  return CollectRows<core::EngineeringLink>(query, LinkFromRow);
}

absl::StatusOr<core::ProblemId> SqliteTransaction::InsertProblem(const core::Problem& problem) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO problems (title, status, component, root_cause,"
                          " created_by, created_at, updated_at, resolved_at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
  insert.Bind(1, problem.title)
      .Bind(2, StatusName(problem.status))
      .Bind(3, problem.component)
      .Bind(4, problem.root_cause)
      .Bind(5, problem.created_by)
      .Bind(6, TimeToColumn(problem.created_at))
      .Bind(7, TimeToColumn(problem.updated_at))
      .Bind(8, TimeToColumn(problem.resolved_at));
  absl::Status inserted = insert.Run();
  if (!inserted.ok()) return ClassifyWriteError(inserted, insert, "problem exists");
  return connection_.LastInsertRowId();
}

absl::StatusOr<core::Problem> SqliteTransaction::GetProblem(core::ProblemId id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kProblemColumns +
                                                    " FROM problems p WHERE p.id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return absl::NotFoundError("problem " + std::to_string(id) + " not found");
  return ProblemFromRow(query);
}

absl::Status SqliteTransaction::UpdateProblem(const core::Problem& problem) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE problems SET title = ?, status = ?, component = ?,"
                          " root_cause = ?, updated_at = ?, resolved_at = ? WHERE id = ?"));
  update.Bind(1, problem.title)
      .Bind(2, StatusName(problem.status))
      .Bind(3, problem.component)
      .Bind(4, problem.root_cause)
      .Bind(5, TimeToColumn(problem.updated_at))
      .Bind(6, TimeToColumn(problem.resolved_at))
      .Bind(7, problem.id);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() == 0) {
    return absl::NotFoundError("problem " + std::to_string(problem.id) + " not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::Problem>> SqliteTransaction::ListProblems(
    const ports::ProblemFilter& filter) {
  std::string sql = std::string("SELECT ") + kProblemColumns + " FROM problems p WHERE p.id < ?";
  if (filter.status) sql += " AND p.status = ?";
  sql += " ORDER BY p.id DESC LIMIT ?";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  int index = 1;
  query.Bind(index++, filter.before_id.value_or(INT64_MAX));
  if (filter.status) query.Bind(index++, StatusName(*filter.status));
  query.Bind(index, int64_t{ClampLimit(filter.limit)});
  return CollectProblems(query);
}

absl::StatusOr<bool> SqliteTransaction::LinkProblemCase(core::ProblemId problem_id,
                                                        core::CaseNumber number, core::UserId by,
                                                        absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT OR IGNORE INTO problem_cases (problem_id, case_number,"
                          " linked_by, linked_at) SELECT p.id, c.number, ?, ? FROM problems p,"
                          " cases c WHERE p.id = ? AND c.number = ?"));
  insert.Bind(1, by).Bind(2, TimeToColumn(at)).Bind(3, problem_id).Bind(4, number);
  absl::Status inserted = insert.Run();
  if (!inserted.ok()) return ClassifyWriteError(inserted, insert, "case already linked");
  if (connection_.Changes() == 1) {
    NoteCaseChanged(number);
    return true;
  }
  // Nothing inserted: already linked, or the problem or the case does not exist.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement exists, connection_.Prepare("SELECT (SELECT count(*) FROM problems WHERE id = ?),"
                                            " (SELECT count(*) FROM cases WHERE number = ?)"));
  exists.Bind(1, problem_id).Bind(2, number);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool row, exists.Step());
  if (!row || exists.Int(0) == 0) {
    return absl::InvalidArgumentError("problem " + std::to_string(problem_id) + " not found");
  }
  if (exists.Int(1) == 0) {
    return absl::InvalidArgumentError("case_number: case " + std::to_string(number) + " not found");
  }
  return false;
}

absl::StatusOr<bool> SqliteTransaction::UnlinkProblemCase(core::ProblemId problem_id,
                                                          core::CaseNumber number) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement remove,
      connection_.Prepare("DELETE FROM problem_cases WHERE problem_id = ? AND case_number = ?"));
  remove.Bind(1, problem_id).Bind(2, number);
  SQLITE_STORE_RETURN_IF_ERROR(remove.Run());
  if (connection_.Changes() == 0) return false;
  NoteCaseChanged(number);
  return true;
}

absl::StatusOr<std::vector<ports::ProblemCase>> SqliteTransaction::ListProblemCases(
    core::ProblemId problem_id, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT pc.problem_id, pc.case_number, c.org_id, c.subject, c.status,"
                          " c.created_at, pc.linked_by, pc.linked_at FROM problem_cases pc"
                          " JOIN cases c ON c.number = pc.case_number WHERE pc.problem_id = ?"
                          " ORDER BY pc.case_number DESC LIMIT ?"));
  query.Bind(1, problem_id).Bind(2, int64_t{ClampLimit(limit)});
  return CollectRows<ports::ProblemCase>(query, [](const Statement& row) {
    ports::ProblemCase linked;
    linked.problem_id = row.Int(0);
    linked.case_number = row.Int(1);
    linked.org_id = row.Int(2);
    linked.subject = row.Text(3);
    linked.status = row.Text(4);
    linked.opened_at = TimeFromColumn(row.OptionalInt(5));
    linked.linked_by = row.Int(6);
    linked.linked_at = TimeFromColumn(row.OptionalInt(7));
    return linked;
  });
}

absl::StatusOr<std::vector<core::Problem>> SqliteTransaction::ListCaseProblems(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kProblemColumns +
                          " FROM problem_cases l JOIN problems p ON p.id = l.problem_id"
                          " WHERE l.case_number = ? ORDER BY p.id"));
  query.Bind(1, number);
  return CollectProblems(query);
}

absl::StatusOr<ports::IncidentTrend> SqliteTransaction::CountIncidents(absl::Time from,
                                                                       absl::Time to) {
  ports::IncidentTrend trend;
  const std::optional<int64_t> from_column = TimeToColumn(from);
  const std::optional<int64_t> to_column = TimeToColumn(to);
  const int64_t low = from_column.value_or(INT64_MIN);
  const int64_t high = to_column.value_or(INT64_MIN);
  // Component and organisation from the covering index alone, one pass.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement by_component,
      connection_.Prepare("SELECT component, count(*) FROM cases INDEXED BY"
                          " cases_opened_for_trends WHERE created_at >= ? AND created_at < ?"
                          " GROUP BY component ORDER BY 2 DESC, 1"));
  by_component.Bind(1, low).Bind(2, high);
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, by_component.Step());
    if (!has_row) break;
    trend.by_component.emplace_back(by_component.Text(0), by_component.Int(1));
    trend.total += by_component.Int(1);
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement by_org,
      connection_.Prepare("SELECT org_id, count(*) FROM cases INDEXED BY cases_opened_for_trends"
                          " WHERE created_at >= ? AND created_at < ?"
                          " GROUP BY org_id ORDER BY 2 DESC, 1"));
  by_org.Bind(1, low).Bind(2, high);
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, by_org.Step());
    if (!has_row) break;
    trend.by_org.emplace_back(by_org.Int(0), by_org.Int(1));
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement by_problem,
      connection_.Prepare("SELECT pc.problem_id, count(*) FROM cases c"
                          " JOIN problem_cases pc ON pc.case_number = c.number"
                          " WHERE c.created_at >= ? AND c.created_at < ?"
                          " GROUP BY pc.problem_id ORDER BY 2 DESC, 1"));
  by_problem.Bind(1, low).Bind(2, high);
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, by_problem.Step());
    if (!has_row) break;
    trend.by_problem.emplace_back(by_problem.Int(0), by_problem.Int(1));
  }
  return trend;
}

}  // namespace casedesk::adapters::sqlite
