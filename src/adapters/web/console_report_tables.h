// The tables of the reports (issue 7) as plain rows of text: one definition per table, which
// the service-review page renders as HTML and the API and the page's ".csv" links export as
// CSV (core/report_csv.h), so the numbers in both are the same. Percentages carry one decimal,
// money two (in the rules' currency), hours one.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/reports.h"
#include "core/report_csv.h"

namespace casedesk::adapters::web {

struct ReportTable {
  std::string id;     // "sla-compliance", ...: the CSV link's name and the HTML table's anchor
  std::string title;  // the caption
  core::CsvTable table;
};

ReportTable SlaComplianceTable(const app::SlaComplianceReport& report);
ReportTable SlaByMonthTable(const app::SlaComplianceReport& report);
ReportTable BacklogTable(const app::BacklogReport& report);
ReportTable PartnerResolutionTable(const app::PartnerResolutionReport& report);
ReportTable SeverityFlagTable(const app::SeverityFlagReport& report);
ReportTable ServiceCreditTable(const app::ServiceCreditReport& report);
ReportTable HoursTable(const std::vector<app::OrgHours>& hours);

// Every table of a service review, in the page's order (hours only when there are any).
std::vector<ReportTable> ServiceReviewTables(const app::ServiceReview& review);

// "casedesk-<table>-<org id or all>-<from day>-<to day>.csv": a safe download name.
std::string ReportCsvFileName(const app::ReportScope& scope, std::string_view table_id);

// Text for one value: "66.7", "" for unset; minutes as hours "12.5"; cents as "1234.56".
std::string ReportPercentText(const std::optional<double>& percent);
std::string ReportHoursText(int64_t minutes);
std::string ReportMoneyText(int64_t cents);

}  // namespace casedesk::adapters::web
