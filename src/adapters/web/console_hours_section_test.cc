// The console case page's Time section: the entries with their total, the "Log time" form with
// labelled fields and CSRF, a refused form shown again with its error beside the field and what
// was typed, and escaping.
#include "adapters/web/console_hours_section.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "adapters/web/console_case_page.h"
#include "adapters/web/console_html_checks.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kXss[] = "<script>alert(1)</script>";
const absl::Time kNow = absl::FromUnixSeconds(1795000000);

ConsoleFrame Frame() {
  ConsoleFrame frame;
  frame.desk_name = "Acme Support";
  frame.user_name = "Ada Agent";
  frame.csrf_token = "tok123";
  frame.active = "cases";
  frame.title = "Case";
  return frame;
}

ConsoleCaseView View() {
  ConsoleCaseView view;
  view.view.record.number = 100001;
  view.view.record.subject = "Disk full";
  view.view.record.created_at = kNow - absl::Hours(3);
  view.org.name = "Globex";
  view.now = kNow;
  view.names = {{7, "Ada Agent"}};
  core::TimeEntry billable;
  billable.author_id = 7;
  billable.worked_at = kNow - absl::Hours(2);
  billable.minutes = 90;
  billable.note = std::string("Checked ") + kXss;
  billable.activity = core::Activity::kConfigurationManagement;
  core::TimeEntry other = billable;
  other.minutes = 15;
  other.billable = false;
  other.activity.reset();
  other.kind = core::HoursKind::kTraining;
  view.time_entries = {billable, other};
  return view;
}

std::string Section(const std::string& html) {
  const size_t start = html.find("<section class=\"cc-section hr-console\"");
  EXPECT_NE(start, std::string::npos);
  const size_t end = html.find("</section>", start);
  return html.substr(start, end - start);
}

TEST(ConsoleHoursSection, ListsEntriesWithTheirTotalAndEscapes) {
  const std::string html = RenderConsoleCasePage(Frame(), View());
  testing::ExpectCsrfInEveryForm(html, "tok123");
  const std::string section = Section(html);
  EXPECT_THAT(section, HasSubstr("1 h 30 min"));
  EXPECT_THAT(section, HasSubstr("15 min <span class=\"cd-note\">(not billable)</span>"));
  EXPECT_THAT(section, HasSubstr("Configuration management"));
  EXPECT_THAT(section, HasSubstr("Training hours"));
  EXPECT_THAT(section, HasSubstr("Total 1 h 45 min, of which 1 h 30 min billable."));
  EXPECT_THAT(section, HasSubstr("Checked &lt;script&gt;"));
  EXPECT_THAT(section, Not(HasSubstr(kXss)));
  EXPECT_THAT(section, HasSubstr("action=\"/console/cases/100001/time\""));
  for (const char* id : {"cc-time-minutes", "cc-time-kind", "cc-time-activity", "cc-time-billable",
                         "cc-time-note"}) {
    EXPECT_THAT(section, HasSubstr(std::string("<label for=\"") + id + "\"")) << id;
  }
  EXPECT_THAT(section, HasSubstr("name=\"billable\" type=\"checkbox\" value=\"1\" checked"));
}

TEST(ConsoleHoursSection, ARefusedFormComesBackWithItsErrorAndWhatWasTyped) {
  ConsoleCaseView view = View();
  view.time_entries.clear();
  view.form.name = "time";
  view.form.fields = {{"minutes", "2000"}, {"kind", "training"}, {"activity", "finance"},
                      {"note", kXss}};
  view.form.error = "minutes: must be a whole number from 1 to 1440";
  const std::string section = Section(RenderConsoleCasePage(Frame(), view));
  EXPECT_THAT(section, HasSubstr("No time logged yet."));
  EXPECT_THAT(section, HasSubstr("minutes: must be a whole number from 1 to 1440"));
  EXPECT_THAT(section, HasSubstr("value=\"2000\" aria-invalid=\"true\" "
                                 "aria-describedby=\"cc-time-error\""));
  EXPECT_THAT(section, HasSubstr("<option value=\"training\" selected>"));
  EXPECT_THAT(section, HasSubstr("<option value=\"finance\" selected>"));
  EXPECT_THAT(section, Not(HasSubstr("type=\"checkbox\" value=\"1\" checked")));
  EXPECT_THAT(section, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;</textarea>"));
}

}  // namespace
}  // namespace casedesk::adapters::web
