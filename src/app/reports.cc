#include "app/reports.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/reports_credit_rules.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxFlagLines = 200;
constexpr size_t kMaxHoursPeriods = 14;

absl::Status ReportOrgNotFound(core::OrgId id) {
  return absl::NotFoundError(absl::StrCat("organisation ", id, " not found"));
}

// May the viewer read reports of `org`? NotFound or PermissionDenied as the header says.
absl::Status CheckOrgAccess(const core::Viewer& viewer, const core::Organisation& org) {
  if (core::IsProviderStaff(viewer.role)) return absl::OkStatus();
  if (viewer.role == core::Role::kPartnerAgent) {
    if (org.id == viewer.org_id) return absl::OkStatus();
    if (std::find(viewer.child_org_ids.begin(), viewer.child_org_ids.end(), org.id) !=
        viewer.child_org_ids.end()) {
      return absl::OkStatus();
    }
    return ReportOrgNotFound(org.id);
  }
  if (org.id != viewer.org_id) return ReportOrgNotFound(org.id);
  if (!viewer.org_admin) {
    return absl::PermissionDeniedError(
        "only your organisation's admins may read its service reports");
  }
  return absl::OkStatus();
}

absl::StatusOr<ReportScope> ResolveScope(ports::StoreTransaction& txn, const Caller& caller,
                                         const ReportRequest& request, absl::Time now) {
  ReportScope scope;
  scope.generated_at = now;
  scope.to = request.to.value_or(now);
  scope.from = request.from.value_or(scope.to - kDefaultReportPeriod);
  if (scope.from >= scope.to) {
    return absl::InvalidArgumentError("from: must be before 'to'");
  }
  if (scope.to - scope.from > kMaxReportPeriod) {
    return absl::InvalidArgumentError("from: the period must be at most 400 days long");
  }
  std::optional<core::OrgId> org_id = request.org_id;
  if (!org_id && !core::IsProviderStaff(caller.viewer.role)) org_id = caller.viewer.org_id;
  if (org_id) {
    absl::StatusOr<core::Organisation> org = txn.GetOrganisation(*org_id);
    if (!org.ok())
      return absl::IsNotFound(org.status()) ? ReportOrgNotFound(*org_id) : org.status();
    if (absl::Status allowed = CheckOrgAccess(caller.viewer, *org); !allowed.ok()) return allowed;
    scope.org = *std::move(org);
  }
  return scope;
}

std::optional<core::OrgId> OrgIdOf(const ReportScope& scope) {
  if (!scope.org) return std::nullopt;
  return scope.org->id;
}

// Names of organisations and users, each read once per report.
class Names {
 public:
  explicit Names(ports::StoreTransaction& txn) : txn_(txn) {}
  absl::StatusOr<core::Organisation> Org(core::OrgId id) {
    if (auto it = orgs_.find(id); it != orgs_.end()) return it->second;
    absl::StatusOr<core::Organisation> org = txn_.GetOrganisation(id);
    if (!org.ok() && !absl::IsNotFound(org.status())) return org.status();
    core::Organisation value;
    if (org.ok()) {
      value = *std::move(org);
    } else {
      value.id = id;
      value.name = absl::StrCat("organisation ", id);
    }
    return orgs_.emplace(id, std::move(value)).first->second;
  }
  absl::StatusOr<std::string> User(core::UserId id) {
    if (auto it = users_.find(id); it != users_.end()) return it->second;
    absl::StatusOr<core::User> user = txn_.GetUser(id);
    if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
    return users_.emplace(id, user.ok() ? user->name : absl::StrCat("user ", id)).first->second;
  }

 private:
  ports::StoreTransaction& txn_;
  std::map<core::OrgId, core::Organisation> orgs_;
  std::map<core::UserId, std::string> users_;
};

struct MonthRows {
  core::ReportMonth month;
  std::vector<core::SlaCountRow> rows;
};

absl::StatusOr<std::vector<MonthRows>> CountByMonth(ports::StoreTransaction& txn,
                                                    const ReportScope& scope) {
  std::vector<MonthRows> months;
  for (const core::ReportMonth& month : core::ReportMonths(scope.from, scope.to)) {
    absl::StatusOr<std::vector<core::SlaCountRow>> rows =
        txn.CountSlaCompliance({.org_id = OrgIdOf(scope), .from = month.from, .to = month.to});
    if (!rows.ok()) return rows.status();
    months.push_back({.month = month, .rows = *std::move(rows)});
  }
  return months;
}

SlaComplianceReport SlaFrom(const ReportScope& scope, const std::vector<MonthRows>& months) {
  SlaComplianceReport report{.scope = scope};
  std::vector<core::SlaCountRow> all;
  for (const MonthRows& month : months) {
    MonthCompliance line{.month = month.month.month};
    for (const core::SlaCountRow& row : month.rows) {
      all.push_back(row);
      line.cases += row.cases;
      for (auto [into, from] : {std::pair{&line.first_response, &row.first_response},
                                std::pair{&line.resolution, &row.resolution}}) {
        into->met += from->met;
        into->breached += from->breached;
        into->pending += from->pending;
        into->without_target += from->without_target;
      }
    }
    line.first_response_percent = core::CompliancePercent(line.first_response);
    line.resolution_percent = core::CompliancePercent(line.resolution);
    report.months.push_back(line);
  }
  report.lines = core::SummariseSla(all);
  return report;
}

absl::StatusOr<ServiceCreditReport> CreditsFrom(ports::StoreTransaction& txn,
                                                const ReportScope& scope,
                                                const std::vector<MonthRows>& months) {
  ServiceCreditReport report{.scope = scope};
  Names names(txn);
  std::map<std::string, PlanCreditRules> rules_by_plan;
  // (org, month index) -> rows
  std::map<std::pair<core::OrgId, size_t>, std::vector<core::SlaCountRow>> grouped;
  for (size_t m = 0; m < months.size(); ++m) {
    for (const core::SlaCountRow& row : months[m].rows) grouped[{row.org_id, m}].push_back(row);
  }
  std::map<std::string, int64_t> totals;
  for (const auto& [key, rows] : grouped) {
    std::vector<core::BreachCount> breaches = core::BreachesOf(rows);
    if (breaches.empty()) continue;
    absl::StatusOr<core::Organisation> org = names.Org(key.first);
    if (!org.ok()) return org.status();
    auto found = rules_by_plan.find(org->plan);
    if (found == rules_by_plan.end()) {
      absl::StatusOr<PlanCreditRules> loaded = LoadCreditRules(txn, org->plan);
      if (!loaded.ok()) return loaded.status();
      found = rules_by_plan.emplace(org->plan, *std::move(loaded)).first;
    }
    const core::CreditRules& rules = found->second.rules;
    CreditLine line{.org_id = org->id,
                    .org_name = org->name,
                    .plan = org->plan,
                    .month = months[key.second].month.month,
                    .breaches = breaches,
                    .owed = core::ComputeCredit(rules, breaches),
                    .monthly_fee_cents = rules.monthly_fee_cents,
                    .currency = rules.currency};
    for (const core::BreachCount& breach : breaches) line.breach_total += breach.breaches;
    totals[line.currency] += line.owed.amount_cents;
    report.lines.push_back(std::move(line));
  }
  report.totals_cents.assign(totals.begin(), totals.end());
  return report;
}

absl::StatusOr<BacklogReport> BacklogFrom(ports::StoreTransaction& txn, const ReportScope& scope) {
  BacklogReport report{.scope = scope, .at = std::min(scope.to, scope.generated_at)};
  absl::StatusOr<std::vector<core::BacklogCountRow>> rows =
      txn.CountBacklog({.org_id = OrgIdOf(scope),
                        .at = report.at,
                        .bucket_starts = core::BacklogBucketStarts(report.at)});
  if (!rows.ok()) return rows.status();
  report.lines = core::FoldBacklog(*rows);
  return report;
}

absl::StatusOr<PartnerResolutionReport> PartnersFrom(ports::StoreTransaction& txn,
                                                     const ReportScope& scope) {
  PartnerResolutionReport report{.scope = scope};
  absl::StatusOr<std::vector<core::PartnerResolutionRow>> rows =
      txn.CountPartnerResolution({.org_id = OrgIdOf(scope), .from = scope.from, .to = scope.to});
  if (!rows.ok()) return rows.status();
  Names names(txn);
  for (const core::PartnerResolutionRow& row : *rows) {
    absl::StatusOr<core::Organisation> partner = names.Org(row.partner_id);
    if (!partner.ok()) return partner.status();
    report.partners.push_back({.line = core::SummarisePartner(row), .partner_name = partner->name});
  }
  return report;
}

absl::StatusOr<SeverityFlagReport> FlagsFrom(ports::StoreTransaction& txn,
                                             const ReportScope& scope) {
  SeverityFlagReport report{.scope = scope};
  absl::StatusOr<std::vector<ports::SeverityFlagCount>> counts =
      txn.CountSeverityFlags(scope.from, scope.to, std::nullopt);
  if (!counts.ok()) return counts.status();
  std::vector<ports::SeverityFlagCount> kept;
  for (const ports::SeverityFlagCount& count : *counts) {
    if (scope.org && count.org_id != scope.org->id) continue;
    report.total += count.flags;
    kept.push_back(count);
  }
  std::stable_sort(kept.begin(), kept.end(),
                   [](const auto& a, const auto& b) { return a.flags > b.flags; });
  if (kept.size() > kMaxFlagLines) kept.resize(kMaxFlagLines);
  Names names(txn);
  for (const ports::SeverityFlagCount& count : kept) {
    absl::StatusOr<core::Organisation> org = names.Org(count.org_id);
    if (!org.ok()) return org.status();
    absl::StatusOr<std::string> requester = names.User(count.requester_id);
    if (!requester.ok()) return requester.status();
    report.lines.push_back({.org_id = count.org_id,
                            .org_name = org->name,
                            .requester_id = count.requester_id,
                            .requester_name = *requester,
                            .flags = count.flags});
  }
  return report;
}

// Resolves the scope and computes one report in one read snapshot.
template <typename T>
absl::StatusOr<T> InSnapshot(
    AppContext& context, const Caller& caller, const ReportRequest& request,
    const std::function<absl::StatusOr<T>(ports::StoreTransaction&, const ReportScope&)>& build) {
  const absl::Time now = context.clock.Now();
  return ReadValue<T>(context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<T> {
    absl::StatusOr<ReportScope> scope = ResolveScope(txn, caller, request, now);
    if (!scope.ok()) return scope.status();
    return build(txn, *scope);
  });
}

absl::StatusOr<std::vector<OrgHours>> HoursOf(AppContext& context, const Caller& caller,
                                              const ReportScope& scope) {
  std::vector<OrgHours> hours;
  if (!scope.org || scope.org->kind == core::OrgKind::kProvider) return hours;
  const absl::TimeZone zone = OrgZone(*scope.org);
  const core::HoursPeriod last = core::PeriodOf(scope.to - absl::Microseconds(1), zone);
  for (core::HoursPeriod period = core::PeriodOf(scope.from, zone);
       period <= last && hours.size() < kMaxHoursPeriods; period = core::NextPeriod(period)) {
    absl::StatusOr<OrgHours> month =
        GetOrgHours(context, caller, scope.org->id, core::PeriodName(period));
    if (!month.ok()) return month.status();
    hours.push_back(*std::move(month));
  }
  return hours;
}

}  // namespace

absl::StatusOr<SlaComplianceReport> BuildSlaComplianceReport(AppContext& context,
                                                             const Caller& caller,
                                                             const ReportRequest& request) {
  return InSnapshot<SlaComplianceReport>(
      context, caller, request,
      [](ports::StoreTransaction& txn,
         const ReportScope& scope) -> absl::StatusOr<SlaComplianceReport> {
        absl::StatusOr<std::vector<MonthRows>> months = CountByMonth(txn, scope);
        if (!months.ok()) return months.status();
        return SlaFrom(scope, *months);
      });
}

absl::StatusOr<BacklogReport> BuildBacklogReport(AppContext& context, const Caller& caller,
                                                 const ReportRequest& request) {
  return InSnapshot<BacklogReport>(context, caller, request, BacklogFrom);
}

absl::StatusOr<PartnerResolutionReport> BuildPartnerResolutionReport(AppContext& context,
                                                                     const Caller& caller,
                                                                     const ReportRequest& request) {
  return InSnapshot<PartnerResolutionReport>(context, caller, request, PartnersFrom);
}

absl::StatusOr<SeverityFlagReport> BuildSeverityFlagReport(AppContext& context,
                                                           const Caller& caller,
                                                           const ReportRequest& request) {
  return InSnapshot<SeverityFlagReport>(context, caller, request, FlagsFrom);
}

absl::StatusOr<ServiceCreditReport> BuildServiceCreditReport(AppContext& context,
                                                             const Caller& caller,
                                                             const ReportRequest& request) {
  return InSnapshot<ServiceCreditReport>(
      context, caller, request,
      [](ports::StoreTransaction& txn,
         const ReportScope& scope) -> absl::StatusOr<ServiceCreditReport> {
        absl::StatusOr<std::vector<MonthRows>> months = CountByMonth(txn, scope);
        if (!months.ok()) return months.status();
        return CreditsFrom(txn, scope, *months);
      });
}

absl::StatusOr<ServiceReview> BuildServiceReview(AppContext& context, const Caller& caller,
                                                 const ReportRequest& request) {
  absl::StatusOr<ServiceReview> review = InSnapshot<ServiceReview>(
      context, caller, request,
      [](ports::StoreTransaction& txn, const ReportScope& scope) -> absl::StatusOr<ServiceReview> {
        ServiceReview review{.scope = scope};
        absl::StatusOr<std::vector<MonthRows>> months = CountByMonth(txn, scope);
        if (!months.ok()) return months.status();
        review.sla = SlaFrom(scope, *months);
        absl::StatusOr<ServiceCreditReport> credits = CreditsFrom(txn, scope, *months);
        if (!credits.ok()) return credits.status();
        review.credits = *std::move(credits);
        absl::StatusOr<BacklogReport> backlog = BacklogFrom(txn, scope);
        if (!backlog.ok()) return backlog.status();
        review.backlog = *std::move(backlog);
        absl::StatusOr<PartnerResolutionReport> partners = PartnersFrom(txn, scope);
        if (!partners.ok()) return partners.status();
        review.partners = *std::move(partners);
        absl::StatusOr<SeverityFlagReport> flags = FlagsFrom(txn, scope);
        if (!flags.ok()) return flags.status();
        review.flags = *std::move(flags);
        return review;
      });
  if (!review.ok()) return review;
  absl::StatusOr<std::vector<OrgHours>> hours = HoursOf(context, caller, review->scope);
  if (!hours.ok()) return hours.status();
  review->hours = *std::move(hours);
  return review;
}

}  // namespace casedesk::app
