#include "core/report_counters.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "absl/container/flat_hash_map.h"

namespace casedesk::core {
namespace {

void AddClock(ClockCounts& into, const ClockCounts& counts) {
  into.met += counts.met;
  into.breached += counts.breached;
  into.pending += counts.pending;
  into.without_target += counts.without_target;
}

}  // namespace

int64_t MonthBucket(absl::CivilMonth month) { return month.year() * 100 + month.month(); }

int64_t DayBucket(absl::CivilDay day) { return day.year() * 10000 + day.month() * 100 + day.day(); }

CounterReadPlan PlanCounterRead(absl::Time from, absl::Time to) {
  CounterReadPlan plan;
  if (from >= to) return plan;
  if (from == absl::InfinitePast() || to == absl::InfiniteFuture()) {
    plan.scans.push_back({from, to});
    return plan;
  }
  const absl::TimeZone utc = absl::UTCTimeZone();
  absl::CivilDay first_day = absl::ToCivilDay(from, utc);
  if (absl::FromCivil(first_day, utc) < from) ++first_day;
  const absl::CivilDay end_day = absl::ToCivilDay(to, utc);  // whole days end before it
  if (first_day >= end_day) {
    plan.scans.push_back({from, to});
    return plan;
  }
  if (absl::FromCivil(first_day, utc) > from) {
    plan.scans.push_back({from, absl::FromCivil(first_day, utc)});
  }
  absl::CivilMonth first_month(first_day);
  if (absl::CivilDay(first_month) < first_day) ++first_month;
  const absl::CivilMonth end_month(end_day);  // whole months end before it
  auto add_days = [&plan](absl::CivilDay first, absl::CivilDay end) {
    if (first < end) plan.buckets.push_back({DayBucket(first), DayBucket(end - 1)});
  };
  if (first_month < end_month) {
    add_days(first_day, absl::CivilDay(first_month));
    plan.buckets.push_back({MonthBucket(first_month), MonthBucket(end_month - 1)});
    add_days(absl::CivilDay(end_month), end_day);
  } else {
    add_days(first_day, end_day);
  }
  if (absl::FromCivil(end_day, utc) < to) {
    plan.scans.push_back({absl::FromCivil(end_day, utc), to});
  }
  return plan;
}

std::vector<SlaCountRow> MergeSlaCounts(std::vector<SlaCountRow> rows) {
  // A report month reads thousands of rows (one per organisation, plan and severity per bucket):
  // a hash map, then one sort of what is left.
  absl::flat_hash_map<std::tuple<OrgId, std::string, int>, size_t> index;
  std::vector<SlaCountRow> merged;
  for (SlaCountRow& row : rows) {
    auto [it, inserted] =
        index.try_emplace({row.org_id, row.plan, SeverityLevel(row.severity)}, merged.size());
    if (inserted) {
      merged.push_back(std::move(row));
      continue;
    }
    SlaCountRow& into = merged[it->second];
    into.cases += row.cases;
    AddClock(into.first_response, row.first_response);
    AddClock(into.resolution, row.resolution);
    into.update_breaches += row.update_breaches;
  }
  std::erase_if(merged, [](const SlaCountRow& row) { return row.cases <= 0; });
  std::sort(merged.begin(), merged.end(), [](const SlaCountRow& a, const SlaCountRow& b) {
    return std::tie(a.org_id, a.plan, a.severity) < std::tie(b.org_id, b.plan, b.severity);
  });
  return merged;
}

std::vector<PartnerResolutionRow> MergePartnerResolution(std::vector<PartnerResolutionRow> rows) {
  std::map<OrgId, PartnerResolutionRow> merged;
  for (const PartnerResolutionRow& row : rows) {
    auto [it, inserted] = merged.try_emplace(row.partner_id, row);
    if (inserted) continue;
    it->second.cases += row.cases;
    it->second.resolved_by_partner += row.resolved_by_partner;
    it->second.handed_to_provider += row.handed_to_provider;
  }
  std::vector<PartnerResolutionRow> result;
  for (const auto& [partner, row] : merged) {
    if (row.cases > 0) result.push_back(row);
  }
  return result;
}

}  // namespace casedesk::core
