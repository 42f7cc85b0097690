#include "adapters/web/console_report_tables.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/enum_names.h"
#include "core/time_entry.h"

namespace casedesk::adapters::web {
namespace {

std::string Count(int64_t value) { return std::to_string(value); }

std::string SeverityKey(const std::optional<core::Severity>& severity) {
  if (!severity) return "all";
  return std::string(core::NameOf<core::Severity>(core::kSeverityNames, *severity));
}

std::string ClockKey(core::SlaClockKind clock) {
  return std::string(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, clock));
}

std::string ReportDay(absl::Time at) {
  return absl::FormatTime("%Y-%m-%d", at, absl::UTCTimeZone());
}

}  // namespace

std::string ReportPercentText(const std::optional<double>& percent) {
  return percent ? absl::StrFormat("%.1f", *percent) : "";
}

std::string ReportHoursText(int64_t minutes) {
  return absl::StrFormat("%.1f", static_cast<double>(minutes) / 60.0);
}

std::string ReportMoneyText(int64_t cents) {
  return absl::StrFormat("%s%d.%02d", cents < 0 ? "-" : "", std::llabs(cents) / 100,
                         std::llabs(cents) % 100);
}

ReportTable SlaComplianceTable(const app::SlaComplianceReport& report) {
  ReportTable t{.id = "sla-compliance", .title = "SLA compliance by severity and clock"};
  t.table.header = {"severity", "clock",   "cases",          "met",
                    "breached", "pending", "without_target", "compliance_percent"};
  for (const core::SlaComplianceLine& line : report.lines) {
    const bool updates = line.clock == core::SlaClockKind::kNextUpdate;
    t.table.rows.push_back({SeverityKey(line.severity), ClockKey(line.clock), Count(line.cases),
                            updates ? "" : Count(line.counts.met), Count(line.counts.breached),
                            updates ? "" : Count(line.counts.pending),
                            updates ? "" : Count(line.counts.without_target),
                            ReportPercentText(line.percent)});
  }
  return t;
}

ReportTable SlaByMonthTable(const app::SlaComplianceReport& report) {
  ReportTable t{.id = "sla-by-month", .title = "SLA compliance by month (UTC)"};
  t.table.header = {"month",
                    "cases",
                    "first_response_met",
                    "first_response_breached",
                    "first_response_percent",
                    "resolution_met",
                    "resolution_breached",
                    "resolution_percent"};
  for (const app::MonthCompliance& month : report.months) {
    t.table.rows.push_back({core::PeriodName(month.month), Count(month.cases),
                            Count(month.first_response.met), Count(month.first_response.breached),
                            ReportPercentText(month.first_response_percent),
                            Count(month.resolution.met), Count(month.resolution.breached),
                            ReportPercentText(month.resolution_percent)});
  }
  return t;
}

ReportTable BacklogTable(const app::BacklogReport& report) {
  ReportTable t{.id = "backlog",
                .title = absl::StrCat(
                    "Open backlog by severity and age at ",
                    absl::FormatTime("%Y-%m-%d %H:%M UTC", report.at, absl::UTCTimeZone()))};
  t.table.header = {"severity"};
  for (size_t i = 0; i < core::kBacklogBuckets; ++i) {
    t.table.header.emplace_back(core::BacklogBucketLabel(i));
  }
  t.table.header.emplace_back("total");
  for (const core::BacklogLine& line : report.lines) {
    std::vector<std::string> row{SeverityKey(line.severity)};
    for (int64_t cases : line.buckets) row.push_back(Count(cases));
    row.push_back(Count(line.total));
    t.table.rows.push_back(std::move(row));
  }
  return t;
}

ReportTable PartnerResolutionTable(const app::PartnerResolutionReport& report) {
  ReportTable t{.id = "partner-resolution",
                .title = "First-contact resolution by partners (Level-1 goal: 70-80 %)"};
  t.table.header = {
      "partner_id", "partner",          "cases", "resolved_by_partner", "handed_to_provider",
      "open",       "resolved_percent", "goal"};
  for (const app::PartnerResolution& partner : report.partners) {
    const core::PartnerResolutionLine& line = partner.line;
    t.table.rows.push_back(
        {Count(line.partner_id), partner.partner_name, Count(line.cases),
         Count(line.resolved_by_partner), Count(line.handed_to_provider), Count(line.open),
         ReportPercentText(line.percent),
         std::string(core::NameOf<core::GoalStatus>(core::kGoalStatusNames, line.goal))});
  }
  return t;
}

ReportTable SeverityFlagTable(const app::SeverityFlagReport& report) {
  ReportTable t{.id = "severity-flags",
                .title = absl::StrCat("Severity-abuse flags (", report.total, " in the period)")};
  t.table.header = {"org_id", "organisation", "requester_id", "requester", "flags"};
  for (const app::SeverityFlagLine& line : report.lines) {
    t.table.rows.push_back({Count(line.org_id), line.org_name, Count(line.requester_id),
                            line.requester_name, Count(line.flags)});
  }
  return t;
}

ReportTable ServiceCreditTable(const app::ServiceCreditReport& report) {
  ReportTable t{.id = "service-credits", .title = "Service credits owed"};
  t.table.header = {
      "org_id",           "organisation", "plan",   "month",       "breaches", "credited_breaches",
      "percent_uncapped", "percent",      "capped", "monthly_fee", "credit",   "currency"};
  for (const app::CreditLine& line : report.lines) {
    t.table.rows.push_back(
        {Count(line.org_id), line.org_name, line.plan, core::PeriodName(line.month),
         Count(line.breach_total), Count(line.owed.breaches),
         absl::StrFormat("%.1f", line.owed.uncapped_percent),
         absl::StrFormat("%.1f", line.owed.percent), line.owed.capped ? "yes" : "no",
         ReportMoneyText(line.monthly_fee_cents), ReportMoneyText(line.owed.amount_cents),
         line.currency});
  }
  return t;
}

ReportTable HoursTable(const std::vector<app::OrgHours>& hours) {
  ReportTable t{.id = "hours", .title = "Hours used against packages"};
  t.table.header = {"period",          "kind",
                    "included_hours",  "carried_in_hours",
                    "available_hours", "used_hours",
                    "remaining_hours", "overrun_hours",
                    "percent_used",    "non_billable_hours"};
  for (const app::OrgHours& month : hours) {
    for (const app::PackageHours& package : month.packages) {
      const core::PeriodBalance& b = package.balance;
      t.table.rows.push_back(
          {core::PeriodName(month.period), std::string(core::HoursKindLabel(package.package.kind)),
           ReportHoursText(b.included_minutes), ReportHoursText(b.carried_in_minutes),
           ReportHoursText(b.available_minutes), ReportHoursText(b.used_minutes),
           ReportHoursText(b.remaining_minutes), ReportHoursText(b.overrun_minutes),
           Count(b.percent_used), ReportHoursText(package.non_billable_minutes)});
    }
  }
  return t;
}

std::vector<ReportTable> ServiceReviewTables(const app::ServiceReview& review) {
  std::vector<ReportTable> tables = {
      SlaComplianceTable(review.sla),  SlaByMonthTable(review.sla),
      BacklogTable(review.backlog),    PartnerResolutionTable(review.partners),
      SeverityFlagTable(review.flags), ServiceCreditTable(review.credits)};
  if (!review.hours.empty()) tables.push_back(HoursTable(review.hours));
  return tables;
}

std::string ReportCsvFileName(const app::ReportScope& scope, std::string_view table_id) {
  std::string safe;
  for (char c : table_id) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') safe += c;
  }
  return absl::StrCat("casedesk-", safe, "-",
                      scope.org ? absl::StrCat("org", scope.org->id) : std::string("all"), "-",
                      ReportDay(scope.from), "-", ReportDay(scope.to), ".csv");
}

}  // namespace casedesk::adapters::web
