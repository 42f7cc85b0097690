// Reports and service reviews (issue 7): for one organisation (or every one, for provider
// staff) and a period [from, to):
//   SLA compliance      per severity and clock (met / breached / pending), and per UTC month
//   backlog             open cases by severity and age at the period's end (or now, if sooner)
//   partner resolution  of the cases of partners' customers, the share the partner resolved
//                       without handing them to the provider, against seed 001's 70-80 % goal
//   severity flags      severity-abuse flags raised in the period, per organisation and contact
//   service credits     breaches per organisation and month, priced by its plan's credit rules
//   hours               the organisation's packages per month (app/hours.h, GetOrgHours)
// Cases count in the period they were created in (as app/sla_reports.h does); credits are
// capped per UTC month.
//
// Who may read: provider staff any organisation or all; partner agents their partner and its
// customers; customers' organisation admins their own organisation. Any other organisation is
// NotFound (ids leak nothing); a customer who is not an organisation admin gets
// PermissionDenied for their own. Without an organisation, non-staff callers get their own.
// Everything is read in one read snapshot with aggregate queries (ports/report_records.h).
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/hours.h"
#include "core/organisation.h"
#include "core/report_credits.h"
#include "core/report_sla.h"

namespace casedesk::app {

inline constexpr absl::Duration kDefaultReportPeriod = absl::Hours(24 * 90);
inline constexpr absl::Duration kMaxReportPeriod = absl::Hours(24 * 400);

struct ReportRequest {
  std::optional<core::OrgId> org_id;  // unset: all (staff) or the caller's own organisation
  std::optional<absl::Time> from;     // inclusive; default: `to` minus 90 days
  std::optional<absl::Time> to;       // exclusive; default: now
};

struct ReportScope {
  std::optional<core::Organisation> org;  // unset: every organisation
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfinitePast();
  absl::Time generated_at = absl::InfinitePast();
};

struct MonthCompliance {
  core::HoursPeriod month;
  int64_t cases = 0;
  core::ClockCounts first_response;
  core::ClockCounts resolution;
  std::optional<double> first_response_percent;
  std::optional<double> resolution_percent;
};

struct SlaComplianceReport {
  ReportScope scope;
  std::vector<core::SlaComplianceLine> lines;  // core::SummariseSla
  std::vector<MonthCompliance> months;         // every UTC month of the period, oldest first
};

struct BacklogReport {
  ReportScope scope;
  absl::Time at = absl::InfinitePast();  // min(to, now)
  std::vector<core::BacklogLine> lines;  // core::FoldBacklog
};

struct PartnerResolution {
  core::PartnerResolutionLine line;
  std::string partner_name;
};

struct PartnerResolutionReport {
  ReportScope scope;
  std::vector<PartnerResolution> partners;  // by partner id
};

struct SeverityFlagLine {
  core::OrgId org_id = 0;
  std::string org_name;
  core::UserId requester_id = 0;
  std::string requester_name;
  int64_t flags = 0;
};

struct SeverityFlagReport {
  ReportScope scope;
  int64_t total = 0;
  std::vector<SeverityFlagLine> lines;  // most flagged first (at most 200 lines)
};

struct CreditLine {
  core::OrgId org_id = 0;
  std::string org_name;
  std::string plan;  // the organisation's plan, whose rules price the month
  core::HoursPeriod month;
  std::vector<core::BreachCount> breaches;
  int64_t breach_total = 0;
  core::CreditOwed owed;
  int64_t monthly_fee_cents = 0;
  std::string currency;
};

struct ServiceCreditReport {
  ReportScope scope;
  std::vector<CreditLine> lines;  // organisation-months with breaches, by org then month
  // Amounts owed per currency over the lines.
  std::vector<std::pair<std::string, int64_t>> totals_cents;
};

struct ServiceReview {
  ReportScope scope;
  SlaComplianceReport sla;
  BacklogReport backlog;
  PartnerResolutionReport partners;
  SeverityFlagReport flags;
  ServiceCreditReport credits;
  // The organisation's hours per package period the report touches (at most 14); empty for
  // all organisations and for the provider.
  std::vector<OrgHours> hours;
};

absl::StatusOr<SlaComplianceReport> BuildSlaComplianceReport(AppContext& context,
                                                             const Caller& caller,
                                                             const ReportRequest& request);
absl::StatusOr<BacklogReport> BuildBacklogReport(AppContext& context, const Caller& caller,
                                                 const ReportRequest& request);
absl::StatusOr<PartnerResolutionReport> BuildPartnerResolutionReport(AppContext& context,
                                                                     const Caller& caller,
                                                                     const ReportRequest& request);
absl::StatusOr<SeverityFlagReport> BuildSeverityFlagReport(AppContext& context,
                                                           const Caller& caller,
                                                           const ReportRequest& request);
absl::StatusOr<ServiceCreditReport> BuildServiceCreditReport(AppContext& context,
                                                             const Caller& caller,
                                                             const ReportRequest& request);
// Everything above (and hours, for one organisation).
absl::StatusOr<ServiceReview> BuildServiceReview(AppContext& context, const Caller& caller,
                                                 const ReportRequest& request);

}  // namespace casedesk::app
