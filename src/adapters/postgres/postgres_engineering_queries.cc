// PostgresTransaction: engineering links and problems (issue 7). Duplicates never fail a
// statement (a failed statement would abort the whole unit): links and problem links use
// ON CONFLICT DO NOTHING and read the outcome from RETURNING. Incident trends read
// cases_opened_for_trends (created_at, component, org_id) as an index-only range scan.
#include <string>
#include <utility>

#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::postgres {
namespace {

const std::string kLinkColumns =
    "id, case_number, tracker, issue_key, url, state, title, pending_update, created_by, "
    "created_at, updated_by, updated_at";

std::vector<core::EngineeringLink> LinksFromRows(const PgResult& rows) {
  std::vector<core::EngineeringLink> links;
  for (int row = 0; row < rows.rows(); ++row) {
    core::EngineeringLink link;
    link.id = rows.Int(row, 0);
    link.case_number = rows.Int(row, 1);
    link.tracker = std::string(rows.Text(row, 2));
    link.issue_key = std::string(rows.Text(row, 3));
    link.url = std::string(rows.Text(row, 4));
    link.state = std::string(rows.Text(row, 5));
    link.title = std::string(rows.Text(row, 6));
    link.pending_update = std::string(rows.Text(row, 7));
    link.created_by = rows.Int(row, 8);
    link.created_at = TimeFromColumn(rows.OptionalInt(row, 9));
    link.updated_by = rows.Int(row, 10);
    link.updated_at = TimeFromColumn(rows.OptionalInt(row, 11));
    links.push_back(std::move(link));
  }
  return links;
}

const std::string kProblemColumns =
    "p.id, p.title, p.status, p.component, p.root_cause, p.created_by, p.created_at, "
    "p.updated_at, p.resolved_at, (SELECT count(*) FROM problem_cases pc WHERE pc.problem_id = "
    "p.id)";

absl::StatusOr<std::vector<core::Problem>> ProblemsFromRows(const PgResult& rows) {
  std::vector<core::Problem> problems;
  for (int row = 0; row < rows.rows(); ++row) {
    core::Problem problem;
    problem.id = rows.Int(row, 0);
    problem.title = std::string(rows.Text(row, 1));
    const std::optional<core::ProblemStatus> status =
        core::EnumFromName<core::ProblemStatus>(core::kProblemStatusNames, rows.Text(row, 2));
    if (!status) {
      return absl::DataLossError("problems.status: unknown value " +
                                 std::string(rows.Text(row, 2)));
    }
    problem.status = *status;
    problem.component = std::string(rows.Text(row, 3));
    problem.root_cause = std::string(rows.Text(row, 4));
    problem.created_by = rows.Int(row, 5);
    problem.created_at = TimeFromColumn(rows.OptionalInt(row, 6));
    problem.updated_at = TimeFromColumn(rows.OptionalInt(row, 7));
    problem.resolved_at = TimeFromColumn(rows.OptionalInt(row, 8));
    problem.case_count = rows.Int(row, 9);
    problems.push_back(std::move(problem));
  }
  return problems;
}

std::string StatusName(core::ProblemStatus status) {
  return std::string(core::NameOf<core::ProblemStatus>(core::kProblemStatusNames, status));
}

}  // namespace

absl::StatusOr<core::EngineeringLinkId> PostgresTransaction::InsertEngineeringLink(
    const core::EngineeringLink& link) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PgParams params;
  params.Add(link.case_number)
      .Add(link.tracker)
      .Add(link.issue_key)
      .Add(link.url)
      .Add(link.state)
      .Add(link.title)
      .Add(link.pending_update)
      .Add(link.created_by)
      .Add(TimeToColumn(link.created_at))
      .Add(link.updated_by)
      .Add(TimeToColumn(link.updated_at));
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO engineering_links (case_number, tracker, issue_key, url,"
                          " state, title, pending_update, created_by, created_at, updated_by,"
                          " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                          " ON CONFLICT (case_number, tracker, issue_key) DO NOTHING RETURNING id",
                          params));
  if (inserted.rows() == 0) {
    return absl::AlreadyExistsError("key: the case already links " + link.tracker + " " +
                                    link.issue_key);
  }
  NoteCaseChanged(link.case_number);
  return inserted.Int(0, 0);
}

absl::StatusOr<core::EngineeringLink> PostgresTransaction::GetEngineeringLink(
    core::EngineeringLinkId id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kLinkColumns + ", xmin FROM engineering_links WHERE id = $1",
                          PgParams().Add(id)));
  if (rows.rows() == 0) {
    return absl::NotFoundError("engineering link " + std::to_string(id) + " not found");
  }
  NoteVersionOfRow("link:" + std::to_string(id), rows);
  return LinksFromRows(rows).front();
}

absl::Status PostgresTransaction::UpdateEngineeringLink(const core::EngineeringLink& link) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PgParams params;
  params.Add(link.url)
      .Add(link.state)
      .Add(link.title)
      .Add(link.pending_update)
      .Add(link.updated_by)
      .Add(TimeToColumn(link.updated_at))
      .Add(link.id);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      UpdateReadRow(
          "link:" + std::to_string(link.id),
          "UPDATE engineering_links SET url = $1, state = $2, title = $3, pending_update = $4,"
          " updated_by = $5, updated_at = $6 WHERE id = $7",
          std::move(params), "the engineering link", " RETURNING case_number"));
  if (rows.rows() == 0) {
    return absl::NotFoundError("engineering link " + std::to_string(link.id) + " not found");
  }
  NoteCaseChanged(rows.Int(0, 0));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::EngineeringLink>> PostgresTransaction::ListCaseEngineeringLinks(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kLinkColumns +
                                                    " FROM engineering_links WHERE case_number = "
                                                    "$1 ORDER BY id",
                                                PgParams().Add(number)));
  return LinksFromRows(rows);
}

absl::StatusOr<std::vector<core::EngineeringLink>> PostgresTransaction::ListEngineeringLinksByKey(
    std::string_view tracker, std::string_view issue_key, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kLinkColumns +
                              " FROM engineering_links WHERE tracker = $1 AND issue_key = $2"
                              " ORDER BY case_number LIMIT $3",
                          PgParams().Add(tracker).Add(issue_key).Add(int64_t{ClampLimit(limit)})));
  return LinksFromRows(rows);
}

absl::StatusOr<core::ProblemId> PostgresTransaction::InsertProblem(const core::Problem& problem) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO problems (title, status, component, root_cause,"
                          " created_by, created_at, updated_at, resolved_at)"
                          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                          PgParams()
                              .Add(problem.title)
                              .Add(StatusName(problem.status))
                              .Add(problem.component)
                              .Add(problem.root_cause)
                              .Add(problem.created_by)
                              .Add(TimeToColumn(problem.created_at))
                              .Add(TimeToColumn(problem.updated_at))
                              .Add(TimeToColumn(problem.resolved_at))));
  return inserted.Int(0, 0);
}

absl::StatusOr<core::Problem> PostgresTransaction::GetProblem(core::ProblemId id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kProblemColumns + ", p.xmin FROM problems p WHERE p.id = $1",
                          PgParams().Add(id)));
  if (rows.rows() == 0) return absl::NotFoundError("problem " + std::to_string(id) + " not found");
  NoteVersionOfRow("problem:" + std::to_string(id), rows);
  PG_STORE_ASSIGN_OR_RETURN(std::vector<core::Problem> problems, ProblemsFromRows(rows));
  return problems.front();
}

absl::Status PostgresTransaction::UpdateProblem(const core::Problem& problem) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PgParams params;
  params.Add(problem.title)
      .Add(StatusName(problem.status))
      .Add(problem.component)
      .Add(problem.root_cause)
      .Add(TimeToColumn(problem.updated_at))
      .Add(TimeToColumn(problem.resolved_at))
      .Add(problem.id);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      UpdateReadRow("problem:" + std::to_string(problem.id),
                    "UPDATE problems SET title = $1, status = $2, component = $3, root_cause = $4,"
                    " updated_at = $5, resolved_at = $6 WHERE id = $7",
                    std::move(params), "the problem"));
  if (rows.affected() == 0) {
    return absl::NotFoundError("problem " + std::to_string(problem.id) + " not found");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<core::Problem>> PostgresTransaction::ListProblems(
    const ports::ProblemFilter& filter) {
  PgParams params;
  params.Add(filter.before_id.value_or(INT64_MAX));
  std::string sql = "SELECT " + kProblemColumns + " FROM problems p WHERE p.id < $1";
  if (filter.status) {
    params.Add(StatusName(*filter.status));
    sql += " AND p.status = $2";
  }
  params.Add(int64_t{ClampLimit(filter.limit)});
  sql += " ORDER BY p.id DESC LIMIT $" + std::to_string(params.size());
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  return ProblemsFromRows(rows);
}

absl::StatusOr<bool> PostgresTransaction::LinkProblemCase(core::ProblemId problem_id,
                                                          core::CaseNumber number, core::UserId by,
                                                          absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO problem_cases (problem_id, case_number, linked_by,"
                          " linked_at) SELECT p.id, c.number, $3, $4 FROM problems p, cases c"
                          " WHERE p.id = $1 AND c.number = $2"
                          " ON CONFLICT (problem_id, case_number) DO NOTHING RETURNING case_number",
                          PgParams().Add(problem_id).Add(number).Add(by).Add(TimeToColumn(at))));
  if (inserted.rows() == 1) {
    NoteCaseChanged(number);
    return true;
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult exists, connection_.Execute("SELECT (SELECT count(*) FROM problems WHERE id = $1),"
                                           " (SELECT count(*) FROM cases WHERE number = $2)",
                                           PgParams().Add(problem_id).Add(number)));
  if (exists.Int(0, 0) == 0) {
    return absl::InvalidArgumentError("problem " + std::to_string(problem_id) + " not found");
  }
  if (exists.Int(0, 1) == 0) {
    return absl::InvalidArgumentError("case_number: case " + std::to_string(number) + " not found");
  }
  return false;
}

absl::StatusOr<bool> PostgresTransaction::UnlinkProblemCase(core::ProblemId problem_id,
                                                            core::CaseNumber number) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult removed,
      connection_.Execute("DELETE FROM problem_cases WHERE problem_id = $1 AND case_number = $2",
                          PgParams().Add(problem_id).Add(number)));
  if (removed.affected() == 0) return false;
  NoteCaseChanged(number);
  return true;
}

absl::StatusOr<std::vector<ports::ProblemCase>> PostgresTransaction::ListProblemCases(
    core::ProblemId problem_id, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT pc.problem_id, pc.case_number, c.org_id, c.subject, c.status,"
                          " c.created_at, pc.linked_by, pc.linked_at FROM problem_cases pc"
                          " JOIN cases c ON c.number = pc.case_number WHERE pc.problem_id = $1"
                          " ORDER BY pc.case_number DESC LIMIT $2",
                          PgParams().Add(problem_id).Add(int64_t{ClampLimit(limit)})));
  std::vector<ports::ProblemCase> cases;
  for (int row = 0; row < rows.rows(); ++row) {
    ports::ProblemCase linked;
    linked.problem_id = rows.Int(row, 0);
    linked.case_number = rows.Int(row, 1);
    linked.org_id = rows.Int(row, 2);
    linked.subject = std::string(rows.Text(row, 3));
    linked.status = std::string(rows.Text(row, 4));
    linked.opened_at = TimeFromColumn(rows.OptionalInt(row, 5));
    linked.linked_by = rows.Int(row, 6);
    linked.linked_at = TimeFromColumn(rows.OptionalInt(row, 7));
    cases.push_back(std::move(linked));
  }
  return cases;
}

absl::StatusOr<std::vector<core::Problem>> PostgresTransaction::ListCaseProblems(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kProblemColumns +
                              " FROM problem_cases l JOIN problems p ON p.id = l.problem_id"
                              " WHERE l.case_number = $1 ORDER BY p.id",
                          PgParams().Add(number)));
  return ProblemsFromRows(rows);
}

absl::StatusOr<ports::IncidentTrend> PostgresTransaction::CountIncidents(absl::Time from,
                                                                         absl::Time to) {
  ports::IncidentTrend trend;
  const int64_t low = TimeToColumn(from).value_or(INT64_MIN);
  const int64_t high = TimeToColumn(to).value_or(INT64_MIN);
  const PgParams range = PgParams().Add(low).Add(high);
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult components,
      connection_.Execute("SELECT component, count(*) FROM cases WHERE created_at >= $1"
                          " AND created_at < $2 GROUP BY component ORDER BY 2 DESC,"
                          " component COLLATE \"C\"",
                          range));
  for (int row = 0; row < components.rows(); ++row) {
    trend.by_component.emplace_back(std::string(components.Text(row, 0)), components.Int(row, 1));
    trend.total += components.Int(row, 1);
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult orgs, connection_.Execute("SELECT org_id, count(*) FROM cases WHERE created_at >= $1"
                                         " AND created_at < $2 GROUP BY org_id ORDER BY 2 DESC, 1",
                                         range));
  for (int row = 0; row < orgs.rows(); ++row) {
    trend.by_org.emplace_back(orgs.Int(row, 0), orgs.Int(row, 1));
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult problems,
      connection_.Execute("SELECT pc.problem_id, count(*) FROM cases c JOIN problem_cases pc"
                          " ON pc.case_number = c.number WHERE c.created_at >= $1"
                          " AND c.created_at < $2 GROUP BY pc.problem_id ORDER BY 2 DESC, 1",
                          range));
  for (int row = 0; row < problems.rows(); ++row) {
    trend.by_problem.emplace_back(problems.Int(row, 0), problems.Int(row, 1));
  }
  return trend;
}

}  // namespace casedesk::adapters::postgres
