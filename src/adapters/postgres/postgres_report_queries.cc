// PostgresTransaction: the reports' aggregate queries (issue 7). Each is one GROUP BY with
// FILTERed counts over an index added by migration 14 (case_sla by organisation and creation,
// cases by solved_at for the backlog, cases by creation for partner resolution), returning a
// few rows whatever the number of cases; case_handoffs is kept by triggers (migrations.cc).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"

namespace casedesk::adapters::postgres {
namespace {

// Microseconds for a range bound; the infinities become the integer extremes.
int64_t Bound(absl::Time time) {
  if (time == absl::InfinitePast()) return std::numeric_limits<int64_t>::min();
  if (time == absl::InfiniteFuture()) return std::numeric_limits<int64_t>::max();
  return absl::ToUnixMicros(time);
}

// Per clock: breached, without a duration target (named or none), met. A duration target is
// stored as decimal minutes; anything else is a named target.
std::string ClockCounts(std::string_view clock) {
  const std::string c(clock);
  const std::string digits = absl::StrCat("(", c, "_target ~ '^[0-9]+$')");
  return absl::StrCat("count(*) FILTER (WHERE ", c, "_breached_at IS NOT NULL), ",
                      "count(*) FILTER (WHERE ", c, "_breached_at IS NULL AND NOT ", digits,
                      "), count(*) FILTER (WHERE ", c, "_breached_at IS NULL AND ", digits, " AND ",
                      c, "_achieved_at IS NOT NULL)");
}

core::ClockCounts CountsFrom(const PgResult& rows, int row, int first, int64_t cases) {
  core::ClockCounts counts;
  counts.breached = rows.Int(row, first);
  counts.without_target = rows.Int(row, first + 1);
  counts.met = rows.Int(row, first + 2);
  counts.pending = cases - counts.breached - counts.without_target - counts.met;
  return counts;
}

}  // namespace

absl::StatusOr<std::vector<core::SlaCountRow>> PostgresTransaction::CountSlaCompliance(
    const ports::ReportRange& range) {
  std::string sql = absl::StrCat("SELECT org_id, plan, severity, count(*), ",
                                 ClockCounts("first_response"), ", ", ClockCounts("resolution"),
                                 ", COALESCE(SUM(update_breaches), 0)::bigint FROM case_sla"
                                 " WHERE created_at >= $1 AND created_at < $2");
  PgParams params;
  params.Add(Bound(range.from)).Add(Bound(range.to));
  if (range.org_id) {
    sql += " AND org_id = $3";
    params.Add(*range.org_id);
  }
  sql += " GROUP BY org_id, plan, severity ORDER BY org_id, plan COLLATE \"C\", severity";
  PG_STORE_ASSIGN_OR_RETURN(PgResult result, connection_.Execute(sql, params));
  std::vector<core::SlaCountRow> rows;
  for (int i = 0; i < result.rows(); ++i) {
    core::SlaCountRow row;
    row.org_id = result.Int(i, 0);
    row.plan = std::string(result.Text(i, 1));
    if (!core::SeverityFromLevel(static_cast<int>(result.Int(i, 2)), &row.severity)) {
      return absl::DataLossError("case_sla.severity: out of range");
    }
    row.cases = result.Int(i, 3);
    row.first_response = CountsFrom(result, i, 4, row.cases);
    row.resolution = CountsFrom(result, i, 7, row.cases);
    row.update_breaches = result.Int(i, 10);
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::StatusOr<std::vector<core::BacklogCountRow>> PostgresTransaction::CountBacklog(
    const ports::BacklogQuery& query) {
  // Parameters: $1 the instant, $2 the organisation (when set), then the bucket starts.
  PgParams params;
  params.Add(Bound(query.at));
  int next = 2;
  std::string org_clause;
  if (query.org_id) {
    org_clause = " AND org_id = $2";
    params.Add(*query.org_id);
    next = 3;
  }
  std::string bucket = "CASE";
  for (size_t i = 0; i < query.bucket_starts.size(); ++i) {
    absl::StrAppend(&bucket, " WHEN created_at >= $", next + static_cast<int>(i), " THEN ", i);
    params.Add(Bound(query.bucket_starts[i]));
  }
  absl::StrAppend(&bucket, " ELSE ", query.bucket_starts.size(), " END");
  const std::string sql =
      absl::StrCat("SELECT severity, ", bucket,
                   " AS bucket, count(*) FROM cases WHERE (solved_at IS NULL OR solved_at >= $1)"
                   " AND created_at < $1",
                   org_clause, " GROUP BY 1, 2 ORDER BY 1, 2");
  PG_STORE_ASSIGN_OR_RETURN(PgResult result, connection_.Execute(sql, params));
  std::vector<core::BacklogCountRow> rows;
  for (int i = 0; i < result.rows(); ++i) {
    core::BacklogCountRow row;
    if (!core::SeverityFromLevel(static_cast<int>(result.Int(i, 0)), &row.severity)) {
      return absl::DataLossError("cases.severity: out of range");
    }
    row.bucket = static_cast<int>(result.Int(i, 1));
    row.cases = result.Int(i, 2);
    rows.push_back(row);
  }
  return rows;
}

absl::StatusOr<std::vector<core::PartnerResolutionRow>> PostgresTransaction::CountPartnerResolution(
    const ports::ReportRange& range) {
  std::string sql =
      "SELECT p.id, count(*),"
      " count(*) FILTER (WHERE h.case_number IS NULL AND c.solved_at IS NOT NULL),"
      " count(*) FILTER (WHERE h.case_number IS NOT NULL)"
      " FROM cases c JOIN organisations o ON o.id = c.org_id"
      " JOIN organisations p ON p.id = o.parent_id AND p.kind = 'partner'"
      " LEFT JOIN case_handoffs h ON h.case_number = c.number"
      " WHERE c.created_at >= $1 AND c.created_at < $2";
  PgParams params;
  params.Add(Bound(range.from)).Add(Bound(range.to));
  if (range.org_id) {
    sql += " AND (c.org_id = $3 OR o.parent_id = $3)";
    params.Add(*range.org_id);
  }
  sql += " GROUP BY p.id ORDER BY p.id";
  PG_STORE_ASSIGN_OR_RETURN(PgResult result, connection_.Execute(sql, params));
  std::vector<core::PartnerResolutionRow> rows;
  for (int i = 0; i < result.rows(); ++i) {
    rows.push_back({.partner_id = result.Int(i, 0),
                    .cases = result.Int(i, 1),
                    .resolved_by_partner = result.Int(i, 2),
                    .handed_to_provider = result.Int(i, 3)});
  }
  return rows;
}

}  // namespace casedesk::adapters::postgres
