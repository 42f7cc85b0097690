// The console's report pages (issue 7), provider staff only (others get the console's 404):
//   GET /console/reports                  every organisation's tables and charts for a period
//   GET /console/reports/service-review   one organisation's service review (?org= required)
//   GET /console/reports/{table}.csv      one table as a CSV download (?org= optional)
// Each takes ?from=&to= (dates or RFC 3339 instants; default the last 90 days). A bad
// parameter re-renders the page with the error and the default period.
// Thread-safe once registered.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_reports.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_report_page.h"
#include "adapters/web/console_report_tables.h"
#include "app/organisations.h"

namespace casedesk::adapters::http {
namespace {

constexpr int kOrgChoices = 200;

std::string Day(absl::Time at) { return absl::FormatTime("%Y-%m-%d", at, absl::UTCTimeZone()); }

// The query string that reproduces the scope, for the CSV links.
std::string ScopeQuery(const app::ReportScope& scope) {
  std::string query;
  if (scope.org) absl::StrAppend(&query, "org=", scope.org->id, "&");
  absl::StrAppend(&query, "from=", http::FormatTime(scope.from),
                  "&to=", http::FormatTime(scope.to));
  // RFC 3339 instants carry ':' and '+'/'Z'; ':' is fine in a query, '+' must be escaped.
  std::string escaped;
  for (char c : query) {
    if (c == '+') {
      escaped += "%2B";
    } else {
      escaped += c;
    }
  }
  return escaped;
}

std::vector<web::ReportOrgOption> OrgChoices(app::AppContext& context, const WebCaller& web,
                                             const app::ReportScope& scope) {
  std::vector<web::ReportOrgOption> choices;
  app::OrganisationListRequest request;
  request.page.limit = kOrgChoices;
  absl::StatusOr<ports::Page<core::Organisation>> page =
      app::ListOrganisations(context, web.caller.viewer, request);
  bool has_selected = !scope.org;
  if (page.ok()) {
    for (const core::Organisation& org : page->items) {
      if (org.kind == core::OrgKind::kProvider) continue;
      choices.push_back({.id = org.id, .name = org.name});
      if (scope.org && scope.org->id == org.id) has_selected = true;
    }
  }
  if (!has_selected)
    choices.insert(choices.begin(), {.id = scope.org->id, .name = scope.org->name});
  return choices;
}

HttpResponse ReportPage(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                        bool service_review) {
  const std::string title = service_review ? "Service review" : "Reports";
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "reports", title);
  absl::StatusOr<app::ReportRequest> parsed = ReportRequestFromQuery(request);
  int status = 200;
  app::ReportRequest report_request;
  if (parsed.ok()) {
    report_request = *parsed;
  } else {
    frame.error = absl::StrCat(parsed.status().message(), "; showing the last 90 days");
    status = 400;
  }
  if (service_review && !report_request.org_id) {
    if (parsed.ok()) {
      frame.error = "org: choose an organisation for its service review";
      status = 400;
    }
    service_review = false;
    frame.title = "Reports";
  }
  if (!service_review) report_request.org_id.reset();
  absl::StatusOr<app::ServiceReview> review =
      app::BuildServiceReview(context, web.caller, report_request);
  if (!review.ok() && absl::IsInvalidArgument(review.status())) {
    frame.error = std::string(review.status().message());
    status = 400;
    report_request.from.reset();
    report_request.to.reset();
    review = app::BuildServiceReview(context, web.caller, report_request);
  }
  if (!review.ok()) {
    if (absl::IsNotFound(review.status())) return ConsoleNotFound();
    const int code = HttpStatusFor(review.status());
    return HtmlPage(code, web::RenderConsoleMessagePage(frame, RefusalText(review.status())));
  }
  if (service_review) frame.title = absl::StrCat("Service review: ", review->scope.org->name);
  web::ConsoleReportView view{.review = *review,
                              .service_review = service_review,
                              .query = ScopeQuery(review->scope),
                              .orgs = OrgChoices(context, web, review->scope),
                              .from_value = Day(review->scope.from),
                              .to_value = Day(review->scope.to)};
  HttpResponse response = HtmlPage(status, web::RenderConsoleReportPage(frame, view));
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

HttpResponse CsvFile(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                     std::string_view table_id) {
  absl::StatusOr<app::ReportRequest> parsed = ReportRequestFromQuery(request);
  if (!parsed.ok()) return ProblemResponse(parsed.status());
  absl::StatusOr<app::ServiceReview> review = app::BuildServiceReview(context, web.caller, *parsed);
  if (!review.ok()) {
    if (absl::IsNotFound(review.status())) return ConsoleNotFound();
    return ProblemResponse(review.status());
  }
  for (const web::ReportTable& table : web::ServiceReviewTables(*review)) {
    if (table.id == table_id) return CsvDownload(review->scope, table);
  }
  return ConsoleNotFound();
}

}  // namespace

void RegisterConsoleReportRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/console/reports",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               respond(ReportPage(context, request, web, false));
             }));
  router.Add("GET", "/console/reports/{name}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               const auto found = request.path_params.find("name");
               const std::string name = found == request.path_params.end() ? "" : found->second;
               if (name == "service-review")
                 return respond(ReportPage(context, request, web, true));
               if (absl::EndsWith(name, ".csv")) {
                 return respond(CsvFile(context, request, web,
                                        std::string_view(name).substr(0, name.size() - 4)));
               }
               respond(ConsoleNotFound());
             }));
}

}  // namespace casedesk::adapters::http
