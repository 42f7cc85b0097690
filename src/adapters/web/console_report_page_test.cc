#include "adapters/web/console_report_page.h"

#include <string>

#include "adapters/web/console_report_tables.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

absl::Time Utc(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d), absl::UTCTimeZone());
}

app::ServiceReview Review() {
  app::ServiceReview review;
  core::Organisation org;
  org.id = 12;
  org.name = "Acme <script>alert(1)</script>";
  review.scope = {.org = org, .from = Utc(2026, 9, 1), .to = Utc(2026, 11, 1)};
  const std::vector<core::SlaCountRow> rows = {{.org_id = 12,
                                                .plan = "enterprise",
                                                .severity = core::Severity::kCritical,
                                                .cases = 2,
                                                .first_response = {.met = 1, .breached = 1},
                                                .resolution = {.pending = 2}}};
  review.sla.scope = review.scope;
  review.sla.lines = core::SummariseSla(rows);
  review.sla.months = {{.month = {2026, 9},
                        .cases = 2,
                        .first_response = {.met = 1, .breached = 1},
                        .first_response_percent = 50.0},
                       {.month = {2026, 10}}};
  review.backlog.at = Utc(2026, 11, 1);
  review.backlog.lines = core::FoldBacklog({{core::Severity::kCritical, 0, 2}});
  review.flags.lines = {{.org_id = 12,
                         .org_name = "Acme, \"the\" best",
                         .requester_id = 5,
                         .requester_name = "=cmd|calc",
                         .flags = 2}};
  review.flags.total = 2;
  review.credits.lines = {
      {.org_id = 12,
       .org_name = "Acme",
       .plan = "enterprise",
       .month = {2026, 9},
       .breach_total = 1,
       .owed = {.breaches = 1, .uncapped_percent = 10, .percent = 10, .amount_cents = 12345},
       .monthly_fee_cents = 123450,
       .currency = "USD"}};
  return review;
}

TEST(ConsoleReportTablesTest, TablesCarryTheNumbersAndCsvQuotesText) {
  const app::ServiceReview review = Review();
  const ReportTable sla = SlaComplianceTable(review.sla);
  ASSERT_EQ(sla.table.rows.size(), 6u);
  EXPECT_THAT(sla.table.rows[0], ::testing::ElementsAre("critical", "first_response", "2", "1", "1",
                                                        "0", "0", "50.0"));
  EXPECT_THAT(sla.table.rows[2][1], "next_update");
  EXPECT_EQ(sla.table.rows[2][3], "");  // met is not known for update cycles
  const ReportTable credits = ServiceCreditTable(review.credits);
  EXPECT_EQ(credits.table.rows[0][10], "123.45");
  EXPECT_EQ(credits.table.rows[0][9], "1234.50");
  const std::string csv = core::ToCsv(SeverityFlagTable(review.flags).table);
  EXPECT_THAT(csv, HasSubstr("12,\"Acme, \"\"the\"\" best\",5,'=cmd|calc,2\r\n"));
  EXPECT_EQ(ReportCsvFileName(review.scope, "sla-compliance"),
            "casedesk-sla-compliance-org12-2026-09-01-2026-11-01.csv");
  EXPECT_EQ(ReportMoneyText(-5), "-0.05");
  EXPECT_EQ(ReportHoursText(90), "1.5");
}

TEST(ConsoleReportPageTest, RendersChartsTablesAndCsvLinksEscaped) {
  ConsoleFrame frame{.desk_name = "Desk",
                     .user_name = "Ada",
                     .active = "reports",
                     .title = "Service review: Acme"};
  ConsoleReportView view{.review = Review(),
                         .service_review = true,
                         .query = "org=12&from=2026-09-01T00:00:00Z&to=2026-11-01T00:00:00Z",
                         .orgs = {{12, "Acme <b>"}},
                         .from_value = "2026-09-01",
                         .to_value = "2026-11-01"};
  const std::string html = RenderConsoleReportPage(frame, view);
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
  EXPECT_THAT(html, HasSubstr("Acme &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cc-chart\""));
  EXPECT_THAT(html, HasSubstr("<title id=\"cc-chart-severity-title\">Cases by severity</title>"));
  EXPECT_THAT(html, HasSubstr("<td>first_response</td>"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">compliance_percent</th>"));
  EXPECT_THAT(html, HasSubstr("href=\"/console/reports/sla-compliance.csv?org=12&amp;from="));
  EXPECT_THAT(html, HasSubstr("<option value=\"12\" selected>Acme &lt;b&gt;</option>"));
  EXPECT_THAT(html, HasSubstr("value=\"2026-09-01\""));
  EXPECT_EQ(ReportChartsSvg(view.review).size(), 2u);  // no hours: no burn-down
}

}  // namespace
}  // namespace casedesk::adapters::web
