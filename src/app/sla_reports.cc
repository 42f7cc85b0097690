#include "app/sla_reports.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

constexpr int kSummaryPage = 1000;

// Summaries carry a duration target as decimal minutes and a named one by its name.
bool HasClockTarget(const ports::ClockSummary& clock) {
  return !clock.target.empty() && std::all_of(clock.target.begin(), clock.target.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

void Count(ClockCompliance& compliance, const ports::ClockSummary& clock) {
  if (clock.breached_at) {
    ++compliance.breached;
  } else if (!HasClockTarget(clock)) {
    ++compliance.without_target;
  } else if (clock.achieved_at) {
    ++compliance.achieved_within_target;
  } else {
    ++compliance.pending;
  }
}

void FinishCompliance(ClockCompliance& compliance) {
  const int64_t decided = compliance.achieved_within_target + compliance.breached;
  if (decided > 0) {
    compliance.compliance_percent =
        100.0 * static_cast<double>(compliance.achieved_within_target) / decided;
  }
}

// A breach is recorded at the instant the clock fell due, so a clock whose due instant the
// summary no longer holds (it was achieved late) was due when it breached.
SlaBreach BreachOf(const ports::CaseSlaRecord& record, core::SlaClockKind clock,
                   std::optional<absl::Time> due_at, absl::Time breached_at) {
  return SlaBreach{.case_number = record.case_number,
                   .plan = record.plan,
                   .severity = record.severity,
                   .clock = clock,
                   .due_at = due_at.value_or(breached_at),
                   .breached_at = breached_at};
}

}  // namespace

std::optional<double> NearestRankPercentile(std::vector<double> values, double percent) {
  if (values.empty()) return std::nullopt;
  std::sort(values.begin(), values.end());
  const double n = static_cast<double>(values.size());
  const double rank = std::ceil(std::clamp(percent, 0.0, 100.0) / 100.0 * n);
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return values[std::min(index, values.size() - 1)];
}

void SlaReportAggregator::AddTo(Accumulator& accumulator, const ports::CaseSlaRecord& record) {
  SlaReportRow& row = accumulator.row;
  ++row.cases;
  Count(row.first_response, record.first_response);
  Count(row.resolution, record.resolution);
  row.update_breaches += record.update_breaches;
  if (record.first_response.achieved_at) {
    const absl::Duration waited = *record.first_response.achieved_at - record.created_at;
    accumulator.first_response_minutes.push_back(std::max(0.0, absl::ToDoubleMinutes(waited)));
  }
}

SlaReportRow SlaReportAggregator::Complete(Accumulator accumulator) {
  SlaReportRow row = std::move(accumulator.row);
  FinishCompliance(row.first_response);
  FinishCompliance(row.resolution);
  const std::vector<double>& minutes = accumulator.first_response_minutes;
  if (!minutes.empty()) {
    row.mean_first_response_minutes =
        std::accumulate(minutes.begin(), minutes.end(), 0.0) / static_cast<double>(minutes.size());
  }
  row.p90_first_response_minutes = NearestRankPercentile(std::move(minutes), 90);
  return row;
}

void SlaReportAggregator::Add(const ports::CaseSlaRecord& record) {
  Accumulator& accumulator = rows_[{record.plan, core::SeverityLevel(record.severity)}];
  if (accumulator.row.cases == 0) {
    accumulator.row.plan = record.plan;
    accumulator.row.severity = record.severity;
  }
  AddTo(accumulator, record);
  AddTo(total_, record);
  if (record.first_response.breached_at) {
    breaches_.push_back(BreachOf(record, core::SlaClockKind::kFirstResponse,
                                 record.first_response.due_at, *record.first_response.breached_at));
  }
  if (record.resolution.breached_at) {
    breaches_.push_back(BreachOf(record, core::SlaClockKind::kResolution, record.resolution.due_at,
                                 *record.resolution.breached_at));
  }
  if (record.first_update_breach_at) {
    breaches_.push_back(BreachOf(record, core::SlaClockKind::kNextUpdate, std::nullopt,
                                 *record.first_update_breach_at));
  }
}

void SlaReportAggregator::Finish(SlaReport& report) && {
  report.rows.clear();
  for (auto& [key, accumulator] : rows_) report.rows.push_back(Complete(std::move(accumulator)));
  report.total = Complete(std::move(total_));
  report.total.plan.clear();
  report.total.severity.reset();
  std::sort(breaches_.begin(), breaches_.end(), [](const SlaBreach& a, const SlaBreach& b) {
    return std::tuple(a.breached_at, a.case_number, static_cast<int>(a.clock)) <
           std::tuple(b.breached_at, b.case_number, static_cast<int>(b.clock));
  });
  report.breaches = std::move(breaches_);
}

SlaReport AggregateSlaRecords(const std::vector<ports::CaseSlaRecord>& records) {
  SlaReportAggregator aggregator;
  for (const ports::CaseSlaRecord& record : records) aggregator.Add(record);
  SlaReport report;
  std::move(aggregator).Finish(report);
  return report;
}

absl::StatusOr<SlaReport> BuildSlaReport(AppContext& context, const Caller& caller,
                                         const SlaReportRequest& request) {
  if (!core::IsProviderStaff(caller.viewer.role)) {
    return absl::PermissionDeniedError("only provider staff may read SLA reports");
  }
  const absl::Time to = request.to.value_or(context.clock.Now());
  const absl::Time from = request.from.value_or(to - kDefaultSlaReportPeriod);
  if (from >= to) {
    return absl::InvalidArgumentError("query parameter 'from' must be before 'to'");
  }
  if (to - from > kMaxSlaReportPeriod) {
    return absl::InvalidArgumentError(
        "the period from 'from' to 'to' must be at most 400 days long");
  }
  const core::CaseScope scope = core::ScopeFor(caller.viewer);
  return ReadValue<SlaReport>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<SlaReport> {
        SlaReport report;
        report.from = from;
        report.to = to;
        report.plan = request.plan;
        report.severity = request.severity;
        SlaReportAggregator aggregator;
        ports::CaseSlaFilter filter{.created_from = from,
                                    .created_to = to,
                                    .plan = request.plan,
                                    .severity = request.severity,
                                    .after_case = 0,
                                    .limit = kSummaryPage};
        while (true) {
          absl::StatusOr<std::vector<ports::CaseSlaRecord>> page = txn.ListCaseSla(filter);
          if (!page.ok()) return page.status();
          for (const ports::CaseSlaRecord& record : *page) aggregator.Add(record);
          if (static_cast<int>(page->size()) < filter.limit) break;
          filter.after_case = page->back().case_number;
        }
        std::move(aggregator).Finish(report);
        if (!scope.all || scope.hide_security_incidents) {
          // Only cases the caller may open are named; counts above stay whole.
          std::set<core::CaseNumber> hidden;
          std::set<core::CaseNumber> checked;
          for (const SlaBreach& breach : report.breaches) {
            if (!checked.insert(breach.case_number).second) continue;
            absl::StatusOr<core::Case> record = txn.GetCase(breach.case_number);
            if (!record.ok() && !absl::IsNotFound(record.status())) return record.status();
            if (!record.ok() || !core::CanSeeCase(scope, *record)) {
              hidden.insert(breach.case_number);
            }
          }
          std::erase_if(report.breaches,
                        [&](const SlaBreach& b) { return hidden.count(b.case_number) > 0; });
        }
        absl::StatusOr<std::vector<ports::SeverityFlagCount>> flags =
            txn.CountSeverityFlags(from, to, std::nullopt);
        if (!flags.ok()) return flags.status();
        report.severity_flags = *std::move(flags);
        return report;
      });
}

}  // namespace casedesk::app
