// The console's engineering pieces as rendered documents: the case page's Engineering section
// (links with their state, the URL as a safe link, a waiting suggestion with its one-click form,
// the problems, the "Link an issue" form keeping what was typed after a refusal) and the problem
// pages (list with filters and the new-problem form, the problem page with its cases, link and
// edit forms and history), everything escaped and every form carrying the CSRF token.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "adapters/web/console_case_page.h"
#include "adapters/web/console_html_checks.h"
#include "adapters/web/console_problem_pages.h"

namespace casedesk::adapters::web {
namespace {

using testing::ExpectSoundDocument;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kXss[] = "<script>alert(1)</script>\"'&";
const absl::Time kNow = absl::FromUnixSeconds(1795000000);

ConsoleFrame Frame() {
  ConsoleFrame frame;
  frame.desk_name = "Desk";
  frame.user_name = "Ada Agent";
  frame.csrf_token = "csrf-token-value";
  frame.title = "Page";
  return frame;
}

ConsoleCaseView CaseView() {
  ConsoleCaseView view;
  view.view.record.number = 100001;
  view.view.record.subject = "Export fails";
  view.view.record.created_at = kNow - absl::Hours(2);
  view.org.name = "Globex";
  view.requester.name = "Carol";
  view.names = {{7, "Ada Agent"}};
  view.viewer_id = 7;
  view.now = kNow;
  return view;
}

core::EngineeringLink Link() {
  core::EngineeringLink link;
  link.id = 5;
  link.case_number = 100001;
  link.tracker = "jira";
  link.issue_key = "PROJ-7";
  link.url = "https://jira.example.com/browse/PROJ-7?a=1&b=2";
  link.state = "released";
  link.title = std::string("Title ") + kXss;
  link.pending_update = std::string("The fix is released ") + kXss;
  link.created_by = 7;
  link.created_at = kNow - absl::Hours(1);
  link.updated_at = kNow;
  return link;
}

TEST(ConsoleEngineeringSectionTest, ListsLinksWithTheSuggestionAndItsOneClickForm) {
  ConsoleCaseView view = CaseView();
  view.engineering.links = {Link()};
  core::Problem problem;
  problem.id = 3;
  problem.title = std::string("Problem ") + kXss;
  problem.status = core::ProblemStatus::kKnownError;
  view.engineering.problems = {problem};
  const std::string html = RenderConsoleCasePage(Frame(), view);
  EXPECT_THAT(html, HasSubstr("id=\"cc-engineering\""));
  EXPECT_THAT(html, HasSubstr("href=\"https://jira.example.com/browse/PROJ-7?a=1&amp;b=2\" "
                              "rel=\"noopener noreferrer\""));
  EXPECT_THAT(html, HasSubstr("data-state=\"released\""));
  EXPECT_THAT(html, HasSubstr("Linked by Ada Agent"));
  EXPECT_THAT(html, HasSubstr("action=\"/console/cases/100001/engineering/5/send\""));
  EXPECT_THAT(html, HasSubstr("The fix is released &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/problems/3\">Problem &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("(Known error)"));
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
  // Sound apart from the page's one external script (console.js).
  std::string without_script = html;
  const std::string script = "<script src=\"/static/console.js\" defer></script>";
  without_script.erase(without_script.find(script), script.size());
  ExpectSoundDocument(without_script);
  // The add form is closed once the case has links.
  EXPECT_THAT(html, HasSubstr("<details class=\"cc-eg-add\">"));
}

TEST(ConsoleEngineeringSectionTest, RefusedLinkFormKeepsWhatWasTypedBesideTheError) {
  ConsoleCaseView view = CaseView();
  view.form.name = "engineering";
  view.form.fields = {{"tracker", "jira"}, {"key", std::string("BAD ") + kXss}, {"state", "open"}};
  view.form.error = "key: no spaces or control characters";
  const std::string html = RenderConsoleCasePage(Frame(), view);
  EXPECT_THAT(html, HasSubstr("No engineering issue is linked"));
  EXPECT_THAT(html, HasSubstr("<details class=\"cc-eg-add\" open>"));
  EXPECT_THAT(html, HasSubstr("key: no spaces or control characters"));
  EXPECT_THAT(html, HasSubstr("value=\"BAD &lt;script&gt;alert(1)&lt;/script&gt;&quot;"));
  EXPECT_THAT(html, HasSubstr("aria-invalid=\"true\" aria-describedby=\"cc-eg-form-error\""));
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
}

app::ProblemDetail Detail() {
  app::ProblemDetail detail;
  detail.problem.id = 3;
  detail.problem.title = std::string("Exports ") + kXss;
  detail.problem.status = core::ProblemStatus::kInvestigating;
  detail.problem.component = "export";
  detail.problem.root_cause = std::string("Cause\nline two ") + kXss;
  detail.problem.case_count = 1;
  detail.problem.created_by = 7;
  detail.problem.created_at = kNow;
  ports::ProblemCase linked;
  linked.problem_id = 3;
  linked.case_number = 100001;
  linked.org_id = 4;
  linked.subject = std::string("Case ") + kXss;
  linked.status = "open";
  linked.opened_at = kNow;
  detail.cases = {linked};
  detail.org_names = {{4, "Globex"}};
  detail.names = {{7, "Ada Agent"}};
  core::AuditEvent event;
  event.kind = "problem.case_linked";
  event.actor_id = 7;
  event.at = kNow;
  event.changes = {{"case_number", "", "100001"}};
  detail.events = {event};
  return detail;
}

TEST(ConsoleProblemPagesTest, ProblemPageShowsCasesFormsAndHistoryEscaped) {
  const std::string html = RenderProblemPage(Frame(), ProblemPageView{Detail(), {}});
  EXPECT_THAT(html, HasSubstr("<h1>Exports &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/cases/100001\">#100001</a>"));
  EXPECT_THAT(html, HasSubstr("action=\"/console/problems/3/cases/100001/unlink\""));
  EXPECT_THAT(html, HasSubstr("action=\"/console/problems/3/cases\""));
  EXPECT_THAT(html, HasSubstr("<option value=\"investigating\" selected"));
  EXPECT_THAT(html, HasSubstr("Case linked"));
  EXPECT_THAT(html, HasSubstr("Globex"));
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
  // Every form carries the CSRF token.
  size_t forms = 0;
  for (size_t at = html.find("<form"); at != std::string::npos; at = html.find("<form", at + 1)) {
    ++forms;
    const size_t end = html.find("</form>", at);
    EXPECT_NE(html.substr(at, end - at).find("csrf-token-value"), std::string::npos);
  }
  EXPECT_GE(forms, 3u);
  ExpectSoundDocument(html);
}

TEST(ConsoleProblemPagesTest, ListFiltersByStatusAndKeepsARefusedNewProblem) {
  ProblemListView view;
  view.problems = {Detail().problem};
  view.status_filter = "known_error";
  view.form.name = "new-problem";
  view.form.fields = {{"title", ""}, {"component", std::string("c ") + kXss}};
  view.form.error = "title: required";
  const std::string html = RenderProblemListPage(Frame(), view);
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/problems?status=known_error\" "
                              "aria-current=\"page\">Known error</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/problems/3\">Exports &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("title: required"));
  EXPECT_THAT(html, HasSubstr("value=\"c &lt;script&gt;"));
  EXPECT_THAT(html, Not(HasSubstr("<script>alert(1)")));
  ExpectSoundDocument(html);
}

}  // namespace
}  // namespace casedesk::adapters::web
