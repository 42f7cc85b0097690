#include "core/report_sla.h"

#include <algorithm>
#include <map>

namespace casedesk::core {
namespace {

void AddCounts(ClockCounts& into, const ClockCounts& from) {
  into.met += from.met;
  into.breached += from.breached;
  into.pending += from.pending;
  into.without_target += from.without_target;
}

struct SeverityTotals {
  int64_t cases = 0;
  ClockCounts first_response;
  ClockCounts resolution;
  int64_t update_breaches = 0;
};

void AddLines(std::optional<Severity> severity, const SeverityTotals& totals,
              std::vector<SlaComplianceLine>& lines) {
  for (SlaClockKind clock : kReportedClocks) {
    SlaComplianceLine line{.severity = severity, .clock = clock, .cases = totals.cases};
    if (clock == SlaClockKind::kFirstResponse) line.counts = totals.first_response;
    if (clock == SlaClockKind::kResolution) line.counts = totals.resolution;
    if (clock == SlaClockKind::kNextUpdate) line.counts.breached = totals.update_breaches;
    if (clock != SlaClockKind::kNextUpdate) line.percent = CompliancePercent(line.counts);
    lines.push_back(line);
  }
}

}  // namespace

std::optional<double> CompliancePercent(const ClockCounts& counts) {
  const int64_t decided = counts.met + counts.breached;
  if (decided <= 0) return std::nullopt;
  return 100.0 * static_cast<double>(counts.met) / static_cast<double>(decided);
}

std::vector<SlaComplianceLine> SummariseSla(const std::vector<SlaCountRow>& rows) {
  std::map<int, SeverityTotals> by_level;
  SeverityTotals all;
  for (const SlaCountRow& row : rows) {
    for (SeverityTotals* totals : {&by_level[SeverityLevel(row.severity)], &all}) {
      totals->cases += row.cases;
      AddCounts(totals->first_response, row.first_response);
      AddCounts(totals->resolution, row.resolution);
      totals->update_breaches += row.update_breaches;
    }
  }
  std::vector<SlaComplianceLine> lines;
  for (const auto& [level, totals] : by_level) {
    Severity severity;
    if (totals.cases == 0 || !SeverityFromLevel(level, &severity)) continue;
    AddLines(severity, totals, lines);
  }
  AddLines(std::nullopt, all, lines);
  return lines;
}

std::string_view BacklogBucketLabel(size_t bucket) {
  static constexpr std::array<std::string_view, kBacklogBuckets> kLabels{
      "< 1 day", "1-7 days", "7-30 days", "30-90 days", "90+ days"};
  return bucket < kLabels.size() ? kLabels[bucket] : "";
}

std::vector<absl::Time> BacklogBucketStarts(absl::Time at) {
  std::vector<absl::Time> starts;
  for (int days : kBacklogEdgeDays) starts.push_back(at - absl::Hours(24) * days);
  return starts;
}

std::vector<BacklogLine> FoldBacklog(const std::vector<BacklogCountRow>& rows) {
  std::vector<BacklogLine> lines;
  for (const auto& [severity, name] : kSeverityNames) lines.push_back({.severity = severity});
  lines.push_back({});
  BacklogLine& total = lines.back();
  for (const BacklogCountRow& row : rows) {
    const int level = SeverityLevel(row.severity);
    if (row.bucket < 0 || static_cast<size_t>(row.bucket) >= kBacklogBuckets) continue;
    if (level < 1 || level > static_cast<int>(kSeverityNames.size())) continue;
    BacklogLine& line = lines[level - 1];
    line.buckets[row.bucket] += row.cases;
    line.total += row.cases;
    total.buckets[row.bucket] += row.cases;
    total.total += row.cases;
  }
  return lines;
}

GoalStatus LevelOneGoalStatus(std::optional<double> percent) {
  if (!percent) return GoalStatus::kNoData;
  if (*percent < kLevelOneGoalLowPercent) return GoalStatus::kBelow;
  if (*percent > kLevelOneGoalHighPercent) return GoalStatus::kAbove;
  return GoalStatus::kWithin;
}

PartnerResolutionLine SummarisePartner(const PartnerResolutionRow& row) {
  PartnerResolutionLine line{.partner_id = row.partner_id,
                             .cases = row.cases,
                             .resolved_by_partner = row.resolved_by_partner,
                             .handed_to_provider = row.handed_to_provider};
  line.open = std::max<int64_t>(0, row.cases - row.resolved_by_partner - row.handed_to_provider);
  const int64_t decided = row.resolved_by_partner + row.handed_to_provider;
  if (decided > 0) {
    line.percent = 100.0 * static_cast<double>(row.resolved_by_partner) / decided;
  }
  line.goal = LevelOneGoalStatus(line.percent);
  return line;
}

std::vector<ReportMonth> ReportMonths(absl::Time from, absl::Time to) {
  std::vector<ReportMonth> months;
  if (from >= to) return months;
  const absl::TimeZone utc = absl::UTCTimeZone();
  for (HoursPeriod month = PeriodOf(from, utc); PeriodStart(month, utc) < to;
       month = NextPeriod(month)) {
    months.push_back({.month = month,
                      .from = std::max(from, PeriodStart(month, utc)),
                      .to = std::min(to, PeriodEnd(month, utc))});
  }
  return months;
}

}  // namespace casedesk::core
