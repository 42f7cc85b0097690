// Registration of the reports routes (issue 7): the REST API (api_reports.cc) and the console's
// report pages with their CSV downloads (console_reports.cc). Also what both share: reading a
// report request from the query string and answering a table as a CSV download.
// Thread-safe once registered.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "adapters/web/console_report_tables.h"
#include "app/app_context.h"
#include "app/reports.h"

namespace casedesk::adapters::http {

// Everything below.
void RegisterReportRoutes(Router& router, app::AppContext& context);

// GET /api/v1/reports/{sla-compliance|backlog|partner-resolution|severity-flags|service-credits}
// (JSON, or CSV with ?format=csv or Accept: text/csv), GET /api/v1/reports/credit-rules and
// PUT /api/v1/reports/credit-rules/{plan}.
void RegisterReportApiRoutes(Router& router, app::AppContext& context);
// GET /console/reports, /console/reports/service-review and /console/reports/{table}.csv.
void RegisterConsoleReportRoutes(Router& router, app::AppContext& context);

// ?org= (a positive whole number), ?from= and ?to= (RFC 3339 instants, or YYYY-MM-DD for UTC
// midnight); empty values count as absent. InvalidArgument naming the parameter otherwise.
absl::StatusOr<app::ReportRequest> ReportRequestFromQuery(const HttpRequest& request);

// 200 text/csv (UTF-8) with Content-Disposition: attachment and a safe file name.
HttpResponse CsvDownload(const app::ReportScope& scope, const web::ReportTable& table);

}  // namespace casedesk::adapters::http
