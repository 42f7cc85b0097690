// The REST routes of the reports (issue 7):
//   GET /api/v1/reports/sla-compliance       per severity and clock, and per UTC month
//   GET /api/v1/reports/backlog              open cases by severity and age at the period end
//   GET /api/v1/reports/partner-resolution   partners' Level-1 resolution share
//   GET /api/v1/reports/severity-flags       severity-abuse flags per organisation and contact
//   GET /api/v1/reports/service-credits      breaches and credits owed per organisation-month
//   GET /api/v1/reports/credit-rules         every plan's credit rules (provider staff)
//   PUT /api/v1/reports/credit-rules/{plan}  replace a plan's rules (provider admins)
// Reports take ?org=&from=&to= and answer JSON, or CSV for ?format=csv or Accept: text/csv.
// Another tenant's organisation is 404 (app/reports.h decides). Thread-safe once registered.
#include "adapters/http/api_reports.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "adapters/http/api_handlers.h"
#include "adapters/http/api_support.h"
#include "adapters/http/problem.h"
#include "adapters/system/calendar_file.h"
#include "app/reports_credit_rules.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json Optional(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json SeverityJson(const std::optional<core::Severity>& severity) {
  if (!severity) return nullptr;
  return core::NameOf<core::Severity>(core::kSeverityNames, *severity);
}

json CountsJson(const core::ClockCounts& counts, const std::optional<double>& percent) {
  return {{"met", counts.met},
          {"breached", counts.breached},
          {"pending", counts.pending},
          {"without_target", counts.without_target},
          {"compliance_percent", Optional(percent)}};
}

json ScopeJson(const app::ReportScope& scope) {
  return {{"org_id", scope.org ? json(scope.org->id) : json(nullptr)},
          {"organisation", scope.org ? json(scope.org->name) : json(nullptr)},
          {"from", http::FormatTime(scope.from)},
          {"to", http::FormatTime(scope.to)},
          {"generated_at", http::FormatTime(scope.generated_at)}};
}

json SlaJson(const app::SlaComplianceReport& report) {
  json out = ScopeJson(report.scope);
  json lines = json::array();
  for (const core::SlaComplianceLine& line : report.lines) {
    json item = CountsJson(line.counts, line.percent);
    item["severity"] = SeverityJson(line.severity);
    item["clock"] = core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, line.clock);
    item["cases"] = line.cases;
    lines.push_back(std::move(item));
  }
  json months = json::array();
  for (const app::MonthCompliance& month : report.months) {
    months.push_back(
        {{"month", core::PeriodName(month.month)},
         {"cases", month.cases},
         {"first_response", CountsJson(month.first_response, month.first_response_percent)},
         {"resolution", CountsJson(month.resolution, month.resolution_percent)}});
  }
  out["lines"] = std::move(lines);
  out["months"] = std::move(months);
  return out;
}

json BacklogJson(const app::BacklogReport& report) {
  json out = ScopeJson(report.scope);
  out["at"] = http::FormatTime(report.at);
  json buckets = json::array();
  for (size_t i = 0; i < core::kBacklogBuckets; ++i) {
    buckets.push_back(std::string(core::BacklogBucketLabel(i)));
  }
  out["buckets"] = std::move(buckets);
  json lines = json::array();
  for (const core::BacklogLine& line : report.lines) {
    lines.push_back({{"severity", SeverityJson(line.severity)},
                     {"buckets", line.buckets},
                     {"total", line.total}});
  }
  out["lines"] = std::move(lines);
  return out;
}

json PartnersJson(const app::PartnerResolutionReport& report) {
  json out = ScopeJson(report.scope);
  out["goal_percent"] = {{"low", core::kLevelOneGoalLowPercent},
                         {"high", core::kLevelOneGoalHighPercent}};
  json partners = json::array();
  for (const app::PartnerResolution& partner : report.partners) {
    const core::PartnerResolutionLine& line = partner.line;
    partners.push_back(
        {{"partner_id", line.partner_id},
         {"partner", partner.partner_name},
         {"cases", line.cases},
         {"resolved_by_partner", line.resolved_by_partner},
         {"handed_to_provider", line.handed_to_provider},
         {"open", line.open},
         {"resolved_percent", Optional(line.percent)},
         {"goal", core::NameOf<core::GoalStatus>(core::kGoalStatusNames, line.goal)}});
  }
  out["partners"] = std::move(partners);
  return out;
}

json FlagsJson(const app::SeverityFlagReport& report) {
  json out = ScopeJson(report.scope);
  out["total"] = report.total;
  json lines = json::array();
  for (const app::SeverityFlagLine& line : report.lines) {
    lines.push_back({{"org_id", line.org_id},
                     {"organisation", line.org_name},
                     {"requester_id", line.requester_id},
                     {"requester", line.requester_name},
                     {"flags", line.flags}});
  }
  out["lines"] = std::move(lines);
  return out;
}

json CreditsJson(const app::ServiceCreditReport& report) {
  json out = ScopeJson(report.scope);
  json lines = json::array();
  for (const app::CreditLine& line : report.lines) {
    json breaches = json::array();
    for (const core::BreachCount& breach : line.breaches) {
      breaches.push_back(
          {{"severity", core::NameOf<core::Severity>(core::kSeverityNames, breach.severity)},
           {"clock", core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, breach.clock)},
           {"count", breach.breaches}});
    }
    lines.push_back({{"org_id", line.org_id},
                     {"organisation", line.org_name},
                     {"plan", line.plan},
                     {"month", core::PeriodName(line.month)},
                     {"breaches", std::move(breaches)},
                     {"breach_total", line.breach_total},
                     {"credited_breaches", line.owed.breaches},
                     {"percent_uncapped", line.owed.uncapped_percent},
                     {"percent", line.owed.percent},
                     {"capped", line.owed.capped},
                     {"monthly_fee_cents", line.monthly_fee_cents},
                     {"credit_cents", line.owed.amount_cents},
                     {"currency", line.currency}});
  }
  json totals = json::array();
  for (const auto& [currency, cents] : report.totals_cents) {
    totals.push_back({{"currency", currency}, {"credit_cents", cents}});
  }
  out["lines"] = std::move(lines);
  out["totals"] = std::move(totals);
  return out;
}

json RulesJson(const app::PlanCreditRules& rules) {
  json out = app::CreditRulesToJson(rules.rules);
  out["plan"] = rules.rules.plan;
  out["shipped"] = rules.shipped;
  return out;
}

absl::StatusOr<std::optional<absl::Time>> InstantParameter(const HttpRequest& request,
                                                           std::string_view name) {
  const std::optional<std::string_view> text = request.Query(name);
  if (!text || text->empty()) return std::nullopt;
  absl::CivilDay day;
  if (text->size() == 10 &&
      absl::ParseCivilTime(absl::string_view(text->data(), text->size()), &day)) {
    return std::optional<absl::Time>(absl::FromCivil(day, absl::UTCTimeZone()));
  }
  absl::StatusOr<absl::Time> instant = adapters::ParseRfc3339Instant(*text);
  if (!instant.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter '", std::string(name),
                     "' must be a date (2026-03-09) or an RFC 3339 instant"));
  }
  return std::optional<absl::Time>(*instant);
}

// Does the request ask for CSV? InvalidArgument for a format other than json or csv.
absl::StatusOr<bool> WantsCsv(const HttpRequest& request) {
  const std::string_view format = request.Query("format").value_or("");
  if (format == "csv") return true;
  if (format == "json") return false;
  if (!format.empty()) {
    return absl::InvalidArgumentError("query parameter 'format' must be json or csv");
  }
  const std::string accept =
      absl::AsciiStrToLower(std::string(request.Header("accept").value_or("")));
  return absl::StrContains(accept, "text/csv");
}

template <typename Report>
void AddReport(Router& router, app::AppContext& context, std::string name,
               std::function<absl::StatusOr<Report>(app::AppContext&, const app::Caller&,
                                                    const app::ReportRequest&)>
                   build,
               std::function<json(const Report&)> to_json,
               std::function<web::ReportTable(const Report&)> to_table) {
  router.Add("GET", "/api/v1/reports/" + name,
             Authenticated(context, [&context, build, to_json, to_table](
                                        const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
               absl::StatusOr<app::ReportRequest> parsed = ReportRequestFromQuery(request);
               if (!parsed.ok()) return respond(ProblemResponse(parsed.status()));
               absl::StatusOr<bool> csv = WantsCsv(request);
               if (!csv.ok()) return respond(ProblemResponse(csv.status()));
               absl::StatusOr<Report> report = build(context, caller, *parsed);
               if (!report.ok()) return respond(ProblemResponse(report.status()));
               if (*csv) return respond(CsvDownload(report->scope, to_table(*report)));
               respond(JsonResponse(200, to_json(*report)));
             }));
}

}  // namespace

absl::StatusOr<app::ReportRequest> ReportRequestFromQuery(const HttpRequest& request) {
  app::ReportRequest parsed;
  if (const std::optional<std::string_view> org = request.Query("org"); org && !org->empty()) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(absl::string_view(org->data(), org->size()), &id) || id <= 0) {
      return absl::InvalidArgumentError("query parameter 'org' must be an organisation id");
    }
    parsed.org_id = id;
  }
  absl::StatusOr<std::optional<absl::Time>> from = InstantParameter(request, "from");
  if (!from.ok()) return from.status();
  absl::StatusOr<std::optional<absl::Time>> to = InstantParameter(request, "to");
  if (!to.ok()) return to.status();
  parsed.from = *from;
  parsed.to = *to;
  return parsed;
}

HttpResponse CsvDownload(const app::ReportScope& scope, const web::ReportTable& table) {
  HttpResponse response;
  response.status = 200;
  response.content_type = "text/csv; charset=utf-8";
  response.body = core::ToCsv(table.table);
  response.headers.emplace_back(
      "Content-Disposition",
      absl::StrCat("attachment; filename=\"", web::ReportCsvFileName(scope, table.id), "\""));
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

void RegisterReportApiRoutes(Router& router, app::AppContext& context) {
  AddReport<app::SlaComplianceReport>(router, context, "sla-compliance",
                                      app::BuildSlaComplianceReport, SlaJson,
                                      web::SlaComplianceTable);
  AddReport<app::BacklogReport>(router, context, "backlog", app::BuildBacklogReport, BacklogJson,
                                web::BacklogTable);
  AddReport<app::PartnerResolutionReport>(router, context, "partner-resolution",
                                          app::BuildPartnerResolutionReport, PartnersJson,
                                          web::PartnerResolutionTable);
  AddReport<app::SeverityFlagReport>(router, context, "severity-flags",
                                     app::BuildSeverityFlagReport, FlagsJson,
                                     web::SeverityFlagTable);
  AddReport<app::ServiceCreditReport>(router, context, "service-credits",
                                      app::BuildServiceCreditReport, CreditsJson,
                                      web::ServiceCreditTable);

  router.Add("GET", "/api/v1/reports/credit-rules",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::ListCreditRules(context, caller),
                      [](const std::vector<app::PlanCreditRules>& all) {
                        json items = json::array();
                        for (const app::PlanCreditRules& rules : all) {
                          items.push_back(RulesJson(rules));
                        }
                        return json{{"items", std::move(items)}};
                      });
             }));

  router.Add("PUT", "/api/v1/reports/credit-rules/{plan}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               const auto found = request.path_params.find("plan");
               const std::string plan = found == request.path_params.end() ? "" : found->second;
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes,
                                   {"monthly_fee_cents", "currency", "cap_percent", "rules"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<core::CreditRules> rules = app::CreditRulesFromJson(*body, plan);
               if (!rules.ok()) return respond(ProblemResponse(rules.status()));
               app::PutCreditRules(
                   context, caller, plan, *std::move(rules),
                   AnswerWith<app::PlanCreditRules>(std::move(respond), 200, RulesJson));
             }));
}

void RegisterReportRoutes(Router& router, app::AppContext& context) {
  RegisterReportApiRoutes(router, context);
  RegisterConsoleReportRoutes(router, context);
}

}  // namespace casedesk::adapters::http
