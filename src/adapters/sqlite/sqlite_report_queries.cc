// SqliteTransaction: the reports' aggregate queries (issue 7). Each is one GROUP BY over an
// index added by migration 14 (case_sla by organisation and creation, cases by solved_at for
// the backlog, cases by creation for partner resolution), returning a few rows whatever the
// number of cases; case_handoffs is kept by triggers (see migrations.cc).
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"

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

}  // namespace

absl::StatusOr<std::vector<core::SlaCountRow>> SqliteTransaction::CountSlaCompliance(
    const ports::ReportRange& range) {
  std::string sql = absl::StrCat(
      "SELECT org_id, plan, severity, COUNT(*), ", ClockSums("first_response"), ", ",
      ClockSums("resolution"),
      ", SUM(update_breaches) FROM case_sla WHERE created_at >= ?1 AND created_at < ?2");
  if (range.org_id) sql += " AND org_id = ?3";
  sql += " GROUP BY org_id, plan, severity ORDER BY org_id, plan, severity";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  query.Bind(1, Bound(range.from)).Bind(2, Bound(range.to));
  if (range.org_id) query.Bind(3, *range.org_id);
  std::vector<core::SlaCountRow> rows;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return rows;
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

absl::StatusOr<std::vector<core::BacklogCountRow>> SqliteTransaction::CountBacklog(
    const ports::BacklogQuery& query) {
  // Parameters: ?1 the instant, ?2 the organisation, ?3.. the bucket starts.
  std::string bucket = "CASE";
  for (size_t i = 0; i < query.bucket_starts.size(); ++i) {
    absl::StrAppend(&bucket, " WHEN created_at >= ?", i + 3, " THEN ", i);
  }
  absl::StrAppend(&bucket, " ELSE ", query.bucket_starts.size(), " END");
  std::string sql = absl::StrCat("SELECT severity, ", bucket,
                                 " AS bucket, COUNT(*) FROM cases"
                                 " WHERE (solved_at IS NULL OR solved_at >= ?1)"
                                 " AND created_at < ?1");
  if (query.org_id) sql += " AND org_id = ?2";
  sql += " GROUP BY severity, bucket ORDER BY severity, bucket";
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
  std::string sql =
      "SELECT p.id, COUNT(*), SUM(h.case_number IS NULL AND c.solved_at IS NOT NULL),"
      " SUM(h.case_number IS NOT NULL)"
      " FROM cases c JOIN organisations o ON o.id = c.org_id"
      " JOIN organisations p ON p.id = o.parent_id AND p.kind = 'partner'"
      " LEFT JOIN case_handoffs h ON h.case_number = c.number"
      " WHERE c.created_at >= ?1 AND c.created_at < ?2";
  if (range.org_id) sql += " AND (c.org_id = ?3 OR o.parent_id = ?3)";
  sql += " GROUP BY p.id ORDER BY p.id";
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query, connection_.Prepare(sql));
  query.Bind(1, Bound(range.from)).Bind(2, Bound(range.to));
  if (range.org_id) query.Bind(3, *range.org_id);
  return CollectRows<core::PartnerResolutionRow>(query, [](const Statement& row) {
    return core::PartnerResolutionRow{.partner_id = row.Int(0),
                                      .cases = row.Int(1),
                                      .resolved_by_partner = row.Int(2),
                                      .handed_to_provider = row.Int(3)};
  });
}

}  // namespace casedesk::adapters::sqlite
