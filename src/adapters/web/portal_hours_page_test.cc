// The portal's Hours page: figures, the SVG burn-down with its title, description and table,
// the labelled month form, and escaping.
#include "adapters/web/portal_hours_page.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

PortalFrame Frame() {
  PortalFrame frame;
  frame.brand_name = "Support";
  frame.org_name = "Acme <b>";
  frame.user_name = "Alice";
  frame.csrf_token = "token";
  frame.active = "hours";
  frame.title = "Hours";
  return frame;
}

PortalHoursView View() {
  PortalHoursView view;
  view.org_name = "Acme <script>x</script>";
  view.period = "2026-03";
  view.period_label = "March 2026";
  view.periods = {{"2026-03", "March 2026", true}, {"2026-02", "February 2026", false}};
  PortalHoursPackage package;
  package.kind = "customer_success";
  package.kind_label = "Customer-success hours";
  package.included_minutes = 600;
  package.available_minutes = 600;
  package.used_minutes = 660;
  package.remaining_minutes = 0;
  package.overrun_minutes = 60;
  package.percent_used = 110;
  package.thresholds = "80 % and 100 %";
  package.alerted = "80 % and 100 %";
  package.days_in_period = 31;
  package.through_day = 10;
  package.days = {{2, 300}, {9, 360}};
  view.packages.push_back(package);
  return view;
}

TEST(PortalHoursPageTest, ShowsFiguresChartAndTable) {
  const std::string html = RenderPortalHoursPage(Frame(), View());
  EXPECT_THAT(html, HasSubstr("<label for=\"hr-period\">Month</label>"));
  EXPECT_THAT(html, HasSubstr("<option value=\"2026-03\" selected>March 2026</option>"));
  EXPECT_THAT(html, HasSubstr("role=\"img\""));
  EXPECT_THAT(html, HasSubstr("<title id=\"hr-title-customer_success\">Burn-down of "
                              "Customer-success hours, March 2026</title>"));
  EXPECT_THAT(html, HasSubstr("10 h available; 11 h used (110 %), 0 h remaining."));
  EXPECT_THAT(html, HasSubstr("Beyond the package"));
  EXPECT_THAT(html, HasSubstr("<td data-label=\"Used that day\">5 h</td>"));
  EXPECT_THAT(html, HasSubstr("<td data-label=\"Remaining after it\">1 h over</td>"));
  EXPECT_THAT(html, HasSubstr("hr-meter-100"));
  EXPECT_THAT(html, HasSubstr("Acme &lt;script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>x")));
  // The line runs from the start through day 10 only: 11 points.
  const size_t start = html.find("class=\"hr-actual\" points=\"");
  ASSERT_NE(start, std::string::npos);
  const size_t end = html.find('"', start + 26);
  const std::string points = html.substr(start + 26, end - start - 26);
  EXPECT_EQ(std::count(points.begin(), points.end(), ' '), 10) << points;
}

TEST(PortalHoursPageTest, SaysSoWhenThePlanIncludesNoHours) {
  PortalHoursView view = View();
  view.packages.clear();
  EXPECT_THAT(RenderPortalHoursPage(Frame(), view), HasSubstr("includes no contract hours"));
}

TEST(PortalHoursPageTest, HoursTextReadsNaturally) {
  EXPECT_EQ(HoursText(0), "0 h");
  EXPECT_EQ(HoursText(45), "45 min");
  EXPECT_EQ(HoursText(120), "2 h");
  EXPECT_EQ(HoursText(90), "1 h 30 min");
}

}  // namespace
}  // namespace casedesk::adapters::web
