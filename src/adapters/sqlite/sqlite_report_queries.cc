// SqliteTransaction: the reports' aggregate queries (issue 7). SLA compliance and partner
// resolution add up the counter rows of migration 16 for the whole UTC days and months of the
// range (core/report_counters.h) and count case rows only for the part-days at its edges; the
// backlog is two range scans of the covering cases_backlog index. case_handoffs and the counters
// are kept by triggers (see migrations.cc).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "core/report_counters.h"

namespace casedesk::adapters::sqlite {
namespace {

// Microseconds for a range bound; the infinities become the integer extremes.
int64_t Bound(absl::Time time) {
  if (time == absl::InfinitePast()) return std::numeric_limits<int64_t>::min();
  if (time == absl::InfiniteFuture()) return std::numeric_limits<int64_t>::max();
  return absl::ToUnixMicros(time);
}

// Per clock: breached, without a duration target (named or none), met. A duration target is
// stored as decimal minutes; anything else is a named target.
std::string ClockSums(std::string_view clock) {
  const std::string c(clock);
  const std::string digits =
      absl::StrCat("(", c, "_target <> '' AND ", c, "_target NOT GLOB '*[^0-9]*')");
  return absl::StrCat("SUM(", c, "_breached_at IS NOT NULL), SUM(", c,
                      "_breached_at IS NULL AND NOT ", digits, "), SUM(", c,
                      "_breached_at IS NULL AND ", digits, " AND ", c, "_achieved_at IS NOT NULL)");
}

core::ClockCounts CountsFrom(const Statement& row, int first, int64_t cases) {
  core::ClockCounts counts;
  counts.breached = row.Int(first);
  counts.without_target = row.Int(first + 1);
  counts.met = row.Int(first + 2);
  counts.pending = cases - counts.breached - counts.without_target - counts.met;
  return counts;
}

absl::Status AppendSlaRows(Statement& query, std::vector<core::SlaCountRow>& rows) {
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return absl::OkStatus();
    core::SlaCountRow row;
    row.org_id = query.Int(0);
    row.plan = query.Text(1);
    if (!core::SeverityFromLevel(static_cast<int>(query.Int(2)), &row.severity)) {
      return absl::DataLossError("case_sla.severity: out of range");
    }
    row.cases = query.Int(3);
    row.first_response = CountsFrom(query, 4, row.cases);
    row.resolution = CountsFrom(query, 7, row.cases);
    row.update_breaches = query.Int(10);
    rows.push_back(std::move(row));
  }
}

}  // namespace

absl::StatusOr<std::vector<core::SlaCountRow>> SqliteTransaction::CountSlaCompliance(
    const ports::ReportRange& range) {
  const core::CounterReadPlan plan = core::PlanCounterRead(range.from, range.to);
  std::vector<core::SlaCountRow> rows;
  // One range of counter buckets per query (SQLite answers an OR of ranges with an index
  // probe per row), the rows as stored in key order: MergeSlaCounts adds up the buckets.
  for (const core::BucketRange& buckets : plan.buckets) {
    std::string sql =
        "SELECT org_id, plan, severity, cases, first_response_breached,"
        " first_response_untargeted, first_response_met, resolution_breached,"
        " resolution_untargeted, resolution_met, update_breaches FROM sla_counts"
        " WHERE bucket BETWEEN ?1 AND ?2";
    if (range.org_id) sql += " AND org_id = ?3";
    SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
    query.Bind(1, buckets.first).Bind(2, buckets.last);
    if (range.org_id) query.Bind(3, *range.org_id);
    SQLITE_STORE_RETURN_IF_ERROR(AppendSlaRows(query, rows));
  }
  for (const core::TimeSpan& span : plan.scans) {
    std::string sql = absl::StrCat(
        "SELECT org_id, plan, severity, COUNT(*), ", ClockSums("first_response"), ", ",
        ClockSums("resolution"),
        ", SUM(update_breaches) FROM case_sla WHERE created_at >= ?1 AND created_at < ?2");
    if (range.org_id) sql += " AND org_id = ?3";
    sql += " GROUP BY org_id, plan, severity";
    SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
    query.Bind(1, Bound(span.from)).Bind(2, Bound(span.to));
    if (range.org_id) query.Bind(3, *range.org_id);
    SQLITE_STORE_RETURN_IF_ERROR(AppendSlaRows(query, rows));
  }
  return core::MergeSlaCounts(std::move(rows));
}

absl::StatusOr<std::vector<core::BacklogCountRow>> SqliteTransaction::CountBacklog(
    const ports::BacklogQuery& query) {
  // Parameters: ?1 the instant, ?2 the organisation, ?3.. the bucket starts.
  std::string bucket = "CASE";
  for (size_t i = 0; i < query.bucket_starts.size(); ++i) {
    absl::StrAppend(&bucket, " WHEN created_at >= ?", i + 3, " THEN ", i);
  }
  absl::StrAppend(&bucket, " ELSE ", query.bucket_starts.size(), " END");
  // Two range scans of the covering cases_backlog index (unsolved, and solved after the
  // instant) rather than one OR, which SQLite answers with a row lookup per case.
  const std::string org = query.org_id ? " AND org_id = ?2" : "";
  std::string sql = absl::StrCat(
      "SELECT severity, ", bucket,
      " AS bucket, COUNT(*) FROM (SELECT severity, created_at FROM cases"
      " WHERE solved_at IS NULL AND created_at < ?1",
      org,
      " UNION ALL SELECT severity, created_at FROM cases WHERE solved_at >= ?1 AND created_at < ?1",
      org, ") GROUP BY severity, bucket ORDER BY severity, bucket");
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement statement, connection_.Prepare(sql));
  statement.Bind(1, Bound(query.at));
  if (query.org_id) statement.Bind(2, *query.org_id);
  for (size_t i = 0; i < query.bucket_starts.size(); ++i) {
    statement.Bind(static_cast<int>(i + 3), Bound(query.bucket_starts[i]));
  }
  std::vector<core::BacklogCountRow> rows;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, statement.Step());
    if (!has_row) return rows;
    core::BacklogCountRow row;
    if (!core::SeverityFromLevel(static_cast<int>(statement.Int(0)), &row.severity)) {
      return absl::DataLossError("cases.severity: out of range");
    }
    row.bucket = static_cast<int>(statement.Int(1));
    row.cases = statement.Int(2);
    rows.push_back(row);
  }
}

absl::StatusOr<std::vector<core::PartnerResolutionRow>> SqliteTransaction::CountPartnerResolution(
    const ports::ReportRange& range) {
  const core::CounterReadPlan plan = core::PlanCounterRead(range.from, range.to);
  auto partner_row = [](const Statement& row) {
    return core::PartnerResolutionRow{.partner_id = row.Int(0),
                                      .cases = row.Int(1),
                                      .resolved_by_partner = row.Int(2),
                                      .handed_to_provider = row.Int(3)};
  };
  std::vector<core::PartnerResolutionRow> rows;
  // Per range of counter buckets: the organisations' sums first, then their partners.
  for (const core::BucketRange& buckets : plan.buckets) {
    std::string sql =
        "SELECT p.id, SUM(k.cases), SUM(k.solved - k.solved_handed), SUM(k.handed)"
        " FROM (SELECT org_id, SUM(cases) AS cases, SUM(solved) AS solved,"
        " SUM(handed) AS handed, SUM(solved_handed) AS solved_handed FROM case_counts"
        " WHERE bucket BETWEEN ?1 AND ?2";
    if (range.org_id) {
      sql += " AND org_id IN (SELECT id FROM organisations WHERE id = ?3 OR parent_id = ?3)";
    }
    sql +=
        " GROUP BY org_id) k CROSS JOIN organisations o ON o.id = k.org_id"
        " CROSS JOIN organisations p ON p.id = o.parent_id AND p.kind = 'partner' GROUP BY p.id";
    SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
    query.Bind(1, buckets.first).Bind(2, buckets.last);
    if (range.org_id) query.Bind(3, *range.org_id);
    SQLITE_STORE_ASSIGN_OR_RETURN(std::vector<core::PartnerResolutionRow> counted,
                                  CollectRows<core::PartnerResolutionRow>(query, partner_row));
    rows.insert(rows.end(), counted.begin(), counted.end());
  }
  for (const core::TimeSpan& span : plan.scans) {
    // CROSS JOIN keeps the cases of the span as the outer loop (SQLite's planner otherwise
    // walks every partner's customers' cases by organisation).
    std::string sql =
        "SELECT p.id, COUNT(*), SUM(h.case_number IS NULL AND c.solved_at IS NOT NULL),"
        " SUM(h.case_number IS NOT NULL)"
        " FROM cases c CROSS JOIN organisations o ON o.id = c.org_id"
        " CROSS JOIN organisations p ON p.id = o.parent_id AND p.kind = 'partner'"
        " LEFT JOIN case_handoffs h ON h.case_number = c.number"
        " WHERE c.created_at >= ?1 AND c.created_at < ?2";
    if (range.org_id) sql += " AND (c.org_id = ?3 OR o.parent_id = ?3)";
    sql += " GROUP BY p.id";
    SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
    query.Bind(1, Bound(span.from)).Bind(2, Bound(span.to));
    if (range.org_id) query.Bind(3, *range.org_id);
    SQLITE_STORE_ASSIGN_OR_RETURN(std::vector<core::PartnerResolutionRow> counted,
                                  CollectRows<core::PartnerResolutionRow>(query, partner_row));
    rows.insert(rows.end(), counted.begin(), counted.end());
  }
  return core::MergePartnerResolution(std::move(rows));
}

}  // namespace casedesk::adapters::sqlite
