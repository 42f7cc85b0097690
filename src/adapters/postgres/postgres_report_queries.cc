// PostgresTransaction: the reports' aggregate queries (issue 7). SLA compliance and partner
// resolution add up the counter rows of migration 16 for the whole UTC days and months of the
// range (core/report_counters.h) and count case rows (GROUP BY with FILTERed counts) only for
// the part-days at its edges; the backlog is one GROUP BY over the cases_backlog index.
// case_handoffs and the counters are kept by triggers (migrations.cc).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "core/report_counters.h"

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

// " (bucket BETWEEN $a AND $b OR ...)" for the plan's bucket ranges, added to `params`.
std::string PgBucketFilter(const core::CounterReadPlan& plan, PgParams& params) {
  std::string filter = " (";
  for (size_t i = 0; i < plan.buckets.size(); ++i) {
    const size_t at = params.size() + 1;
    absl::StrAppend(&filter, i == 0 ? "" : " OR ", "bucket BETWEEN $", at, " AND $", at + 1);
    params.Add(plan.buckets[i].first).Add(plan.buckets[i].last);
  }
  return filter + ")";
}

absl::Status AppendSlaCountRows(const PgResult& result, std::vector<core::SlaCountRow>& rows) {
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
  return absl::OkStatus();
}

void AppendPartnerRows(const PgResult& result, std::vector<core::PartnerResolutionRow>& rows) {
  for (int i = 0; i < result.rows(); ++i) {
    rows.push_back({.partner_id = result.Int(i, 0),
                    .cases = result.Int(i, 1),
                    .resolved_by_partner = result.Int(i, 2),
                    .handed_to_provider = result.Int(i, 3)});
  }
}

}  // namespace

absl::StatusOr<std::vector<core::SlaCountRow>> PostgresTransaction::CountSlaCompliance(
    const ports::ReportRange& range) {
  const core::CounterReadPlan plan = core::PlanCounterRead(range.from, range.to);
  std::vector<core::SlaCountRow> rows;
  if (!plan.buckets.empty()) {
    PgParams params;
    std::string sql =
        "SELECT org_id, plan, severity, SUM(cases)::bigint, SUM(first_response_breached)::bigint,"
        " SUM(first_response_untargeted)::bigint, SUM(first_response_met)::bigint,"
        " SUM(resolution_breached)::bigint, SUM(resolution_untargeted)::bigint,"
        " SUM(resolution_met)::bigint, SUM(update_breaches)::bigint FROM sla_counts WHERE";
    sql += PgBucketFilter(plan, params);
    if (range.org_id) {
      absl::StrAppend(&sql, " AND org_id = $", params.size() + 1);
      params.Add(*range.org_id);
    }
    sql += " GROUP BY org_id, plan, severity";
    PG_STORE_ASSIGN_OR_RETURN(PgResult result, connection_.Execute(sql, params));
    PG_STORE_RETURN_IF_ERROR(AppendSlaCountRows(result, rows));
  }
  for (const core::TimeSpan& span : plan.scans) {
    std::string sql = absl::StrCat("SELECT org_id, plan, severity, count(*), ",
                                   ClockCounts("first_response"), ", ", ClockCounts("resolution"),
                                   ", COALESCE(SUM(update_breaches), 0)::bigint FROM case_sla"
                                   " WHERE created_at >= $1 AND created_at < $2");
    PgParams params;
    params.Add(Bound(span.from)).Add(Bound(span.to));
    if (range.org_id) {
      sql += " AND org_id = $3";
      params.Add(*range.org_id);
    }
    sql += " GROUP BY org_id, plan, severity";
    PG_STORE_ASSIGN_OR_RETURN(PgResult result, connection_.Execute(sql, params));
    PG_STORE_RETURN_IF_ERROR(AppendSlaCountRows(result, rows));
  }
  return core::MergeSlaCounts(std::move(rows));
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
  const core::CounterReadPlan plan = core::PlanCounterRead(range.from, range.to);
  std::vector<core::PartnerResolutionRow> rows;
  if (!plan.buckets.empty()) {
    PgParams params;
    std::string sql =
        "SELECT p.id, SUM(k.cases)::bigint, SUM(k.solved - k.solved_handed)::bigint,"
        " SUM(k.handed)::bigint FROM case_counts k JOIN organisations o ON o.id = k.org_id"
        " JOIN organisations p ON p.id = o.parent_id AND p.kind = 'partner' WHERE";
    sql += PgBucketFilter(plan, params);
    if (range.org_id) {
      absl::StrAppend(&sql, " AND (k.org_id = $", params.size() + 1, " OR o.parent_id = $",
                      params.size() + 1, ")");
      params.Add(*range.org_id);
    }
    sql += " GROUP BY p.id";
    PG_STORE_ASSIGN_OR_RETURN(PgResult result, connection_.Execute(sql, params));
    AppendPartnerRows(result, rows);
  }
  for (const core::TimeSpan& span : plan.scans) {
    std::string sql =
        "SELECT p.id, count(*),"
        " count(*) FILTER (WHERE h.case_number IS NULL AND c.solved_at IS NOT NULL),"
        " count(*) FILTER (WHERE h.case_number IS NOT NULL)"
        " FROM cases c JOIN organisations o ON o.id = c.org_id"
        " JOIN organisations p ON p.id = o.parent_id AND p.kind = 'partner'"
        " LEFT JOIN case_handoffs h ON h.case_number = c.number"
        " WHERE c.created_at >= $1 AND c.created_at < $2";
    PgParams params;
    params.Add(Bound(span.from)).Add(Bound(span.to));
    if (range.org_id) {
      sql += " AND (c.org_id = $3 OR o.parent_id = $3)";
      params.Add(*range.org_id);
    }
    sql += " GROUP BY p.id";
    PG_STORE_ASSIGN_OR_RETURN(PgResult result, connection_.Execute(sql, params));
    AppendPartnerRows(result, rows);
  }
  return core::MergePartnerResolution(std::move(rows));
}

}  // namespace casedesk::adapters::postgres
