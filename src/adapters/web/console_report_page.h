// The console's report pages (issue 7): /console/reports (every organisation's tables) and
// /console/reports/service-review (one organisation's service review, for a customer-success
// manager to present). Both show a period form (GET, works without JavaScript), charts as
// inline SVG (cases by severity, SLA compliance by month, and for one organisation the hours
// burn-down of the latest period), each a labelled image with its numbers in a table beside
// it, and every report table with a link to its CSV download. All text is escaped.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <vector>

#include "adapters/web/console_layout.h"
#include "app/reports.h"

namespace casedesk::adapters::web {

struct ReportOrgOption {
  core::OrgId id = 0;
  std::string name;
};

struct ConsoleReportView {
  app::ServiceReview review;
  bool service_review = false;        // false: the all-organisation index
  std::string query;                  // "org=12&from=...&to=..." for the CSV links
  std::vector<ReportOrgOption> orgs;  // the organisation picker's choices
  std::string from_value;             // the form's values (YYYY-MM-DD)
  std::string to_value;
};

std::string RenderConsoleReportPage(const ConsoleFrame& frame, const ConsoleReportView& view);

// The charts alone (the page embeds them; exposed for tests).
std::vector<std::string> ReportChartsSvg(const app::ServiceReview& review);

}  // namespace casedesk::adapters::web
