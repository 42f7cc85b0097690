// The case console's pages as rendered documents: sound structure (headings in order, unique
// ids, labelled fields, CSRF in every form, only the external script), everything escaped,
// public replies and internal notes told apart in words, refused forms shown again, SLA clocks
// with their explanation, and the queue's countdowns.
#include "adapters/web/console_case_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_html_checks.h"
#include "adapters/web/console_queue_page.h"
#include "adapters/web/console_script.h"
#include "adapters/web/stylesheet_parts.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kXss[] = "<script>alert(1)</script>\"'&";
constexpr char kScriptTag[] = "<script src=\"/static/console.js\" defer></script>";

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

// The document with its one external script removed, for the structural checks (which refuse
// every <script>), after checking that this script is the only one.
std::string WithoutScript(const std::string& html) {
  EXPECT_EQ(testing::CountOf(html, "<script"), 1u);
  std::string copy = html;
  const size_t at = copy.find(kScriptTag);
  EXPECT_NE(at, std::string::npos);
  if (at != std::string::npos) copy.erase(at, std::string(kScriptTag).size());
  return copy;
}

app::CommentView Comment(core::CommentId id, core::Visibility visibility, std::string body) {
  app::CommentView view;
  view.comment.id = id;
  view.comment.case_number = 100001;
  view.comment.author_id = 7;
  view.comment.body = std::move(body);
  view.comment.visibility = visibility;
  view.comment.created_at = kNow - absl::Hours(1);
  view.author_name = "Ada Agent";
  return view;
}

ConsoleCaseView CaseView() {
  ConsoleCaseView view;
  core::Case& c = view.view.record;
  c.number = 100001;
  c.org_id = 3;
  c.requester_id = 9;
  c.subject = std::string("Subject ") + kXss;
  c.description = std::string("Body ") + kXss;
  c.severity = core::Severity::kMajor;
  c.proposed_severity = core::Severity::kCritical;
  c.status = core::CaseStatus::kNew;
  c.created_at = kNow - absl::Hours(2);
  c.fields = {{"server_name", kXss}};
  view.org.id = 3;
  view.org.name = "Globex";
  view.org.plan = "gold";
  view.requester.id = 9;
  view.requester.name = "Carol Customer";
  view.requester.email = "carol@example.com";
  view.comments = {Comment(1, core::Visibility::kPublic, std::string("Reply ") + kXss),
                   Comment(2, core::Visibility::kInternal, "Only for us")};
  core::AuditEvent event;
  event.kind = "case.updated";
  event.actor_id = 7;
  event.at = kNow - absl::Minutes(30);
  event.changes = {{"status", "new", "open"}};
  event.reason = kXss;
  view.events = {event};
  view.earlier_events = 1960;
  view.names = {{7, "Ada Agent"}};
  view.staff = {{7, "Ada Agent"}, {8, "Bob Agent"}};
  core::Group triage;
  triage.id = 1;
  triage.name = "Triage";
  triage.triage = true;
  view.groups = {triage};
  view.viewer_id = 7;
  view.now = kNow;
  app::CaseSla sla;
  sla.plan = "gold";
  sla.clocks.first_response.kind = core::SlaClockKind::kFirstResponse;
  sla.clocks.first_response.state = core::SlaClockState::kRunning;
  sla.clocks.first_response.due_at = kNow - absl::Minutes(12);
  core::SlaStep due;
  due.kind = core::SlaStep::Kind::kDue;
  due.at = kNow - absl::Minutes(12);
  sla.clocks.first_response.explanation = {due};
  sla.clocks.next_update.kind = core::SlaClockKind::kNextUpdate;
  sla.clocks.resolution.kind = core::SlaClockKind::kResolution;
  sla.clocks.resolution.state = core::SlaClockState::kRunning;
  sla.clocks.resolution.due_at = kNow + absl::Hours(2) + absl::Minutes(5);
  view.view.sla = sla;
  return view;
}

TEST(ConsoleCasePage, IsASoundDocumentWithCsrfInEveryForm) {
  const std::string html = RenderConsoleCasePage(Frame(), CaseView());
  testing::ExpectSoundDocument(WithoutScript(html));
  testing::ExpectCsrfInEveryForm(html, "tok123");
  EXPECT_THAT(html, HasSubstr("<main id=\"main\""));
  EXPECT_THAT(html, HasSubstr("aria-current=\"page\">Cases</a>"));
}

TEST(ConsoleCasePage, ShowsTheOrganisationsRecentSeverityFlags) {
  ConsoleCaseView view = CaseView();
  EXPECT_THAT(RenderConsoleCasePage(Frame(), view),
              HasSubstr("Severity misuse flagged in the last 90 days: 0 for "));
  view.recent_flags = {.organisation = 3, .requester = 2};
  const std::string html = RenderConsoleCasePage(Frame(), view);
  EXPECT_THAT(html, HasSubstr("cc-flag-history cc-tag-alert"));
  EXPECT_THAT(html, HasSubstr("in the last 90 days: 3 for "));
  EXPECT_THAT(html, HasSubstr(", 2 for "));
}

TEST(ConsoleCasePage, EscapesEverythingTheCustomerWrote) {
  const std::string html = RenderConsoleCasePage(Frame(), CaseView());
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_EQ(testing::CountOf(html, "<script"), 1u);
}

TEST(ConsoleCasePage, TellsRepliesAndNotesApartInWords) {
  const std::string html = RenderConsoleCasePage(Frame(), CaseView());
  EXPECT_THAT(html, HasSubstr("class=\"cc-comment cc-public\" id=\"comment-1\""));
  EXPECT_THAT(html, HasSubstr("class=\"cc-comment cc-internal\" id=\"comment-2\""));
  EXPECT_THAT(html, HasSubstr("aria-label=\"Public reply by Ada Agent\""));
  EXPECT_THAT(html, HasSubstr("aria-label=\"Internal note by Ada Agent\""));
  EXPECT_THAT(html, HasSubstr("staff only; the customer never sees it"));
}

TEST(ConsoleCasePage, OffersEveryTriageActionWithItsForm) {
  const std::string html = RenderConsoleCasePage(Frame(), CaseView());
  for (const char* action :
       {"reply", "note", "status", "severity", "assignee", "group", "escalate", "flag"}) {
    EXPECT_THAT(html, HasSubstr(std::string("action=\"/console/cases/100001/") + action + "\""))
        << action;
  }
  EXPECT_THAT(html, HasSubstr("Take this case"));
  EXPECT_THAT(html, HasSubstr("Confirm or change severity"));
  EXPECT_THAT(html, HasSubstr("unconfirmed; customer chose 1 · Critical"));
  // Only the moves the lifecycle allows from "new" are offered, the current one selected.
  EXPECT_THAT(html, HasSubstr("<option value=\"new\" selected>New</option>"));
  EXPECT_THAT(html, HasSubstr("<option value=\"open\">Open</option>"));
  EXPECT_THAT(html, Not(HasSubstr("<option value=\"closed\">")));
}

TEST(ConsoleCasePage, HidesTakeForTheAssigneeAndFormsOnClosedCases) {
  ConsoleCaseView view = CaseView();
  view.view.record.assignee_id = 7;
  view.view.record.status = core::CaseStatus::kClosed;
  const std::string html = RenderConsoleCasePage(Frame(), view);
  EXPECT_THAT(html, Not(HasSubstr("Take this case")));
  EXPECT_THAT(html, Not(HasSubstr("/console/cases/100001/reply")));
  EXPECT_THAT(html, Not(HasSubstr("/console/cases/100001/status")));
  EXPECT_THAT(html, HasSubstr("This case is closed"));
}

TEST(ConsoleCasePage, ShowsARefusedFormAgainWithItsErrorAndText) {
  ConsoleCaseView view = CaseView();
  view.form.name = "severity";
  view.form.fields = {{"severity", "4"}, {"reason_code", "impact_changed"}, {"reason", "<b>x"}};
  view.form.error = "severity_reason: explain the severity";
  const std::string html = RenderConsoleCasePage(Frame(), view);
  testing::ExpectSoundDocument(WithoutScript(html));
  EXPECT_THAT(html, HasSubstr("id=\"cc-severity-error\" role=\"alert\""));
  EXPECT_THAT(html, HasSubstr("severity_reason: explain the severity"));
  EXPECT_THAT(html, HasSubstr("aria-invalid=\"true\" aria-describedby=\"cc-severity-error\">"
                              "&lt;b&gt;x</textarea>"));
  EXPECT_THAT(html, HasSubstr("<option value=\"4\" selected>4 · Other</option>"));
  EXPECT_THAT(html, HasSubstr("<option value=\"impact_changed\" selected>"));
  // Other forms show no error.
  EXPECT_EQ(testing::CountOf(html, "role=\"alert\""), 1u);
}

TEST(ConsoleCasePage, ExplainsClocksAndCountsDown) {
  const std::string html = RenderConsoleCasePage(Frame(), CaseView());
  EXPECT_THAT(html, HasSubstr("First response <span class=\"cc-tag\">Running</span>"));
  EXPECT_THAT(html, HasSubstr("overdue by 12 min"));
  EXPECT_THAT(html, HasSubstr("in 2 h 5 min"));
  EXPECT_THAT(html, HasSubstr("Why this due time"));
  EXPECT_THAT(html, HasSubstr("data-countdown"));
}

TEST(ConsoleCasePage, LinksTheHistoryItLeavesOut) {
  const std::string html = RenderConsoleCasePage(Frame(), CaseView());
  EXPECT_THAT(html, HasSubstr("1960 earlier events are not shown."));
  EXPECT_THAT(html, HasSubstr("href=\"/console/cases/100001/history\""));
  EXPECT_THAT(html, HasSubstr("status: new &rarr; open"));
}

ConsoleQueueView QueueView() {
  ConsoleQueueView view;
  view.tabs = {{"untriaged", "Untriaged", "/console/cases?queue=untriaged", true},
               {"mine", "Mine", "/console/cases?queue=mine", false}};
  view.heading = "Untriaged cases";
  view.description = "Open cases nobody has taken yet.";
  view.now = kNow;
  ConsoleQueueRow overdue;
  overdue.record.number = 100002;
  overdue.record.subject = kXss;
  overdue.record.severity = core::Severity::kCritical;
  overdue.org_name = "Globex";
  overdue.next_deadline = kNow - absl::Minutes(5);
  ConsoleQueueRow later;
  later.record.number = 100003;
  later.record.subject = "Later";
  later.record.severity_confirmed = true;
  later.assignee_name = "Bob Agent";
  later.org_name = "Initech";
  ConsoleQueueRow none = later;
  none.record.number = 100004;
  view.rows = {overdue, later};
  view.rows[1].next_deadline = kNow + absl::Hours(26);
  view.rows.push_back(none);
  view.next_href = "/console/cases?queue=untriaged&cursor=q1.2";
  return view;
}

TEST(ConsoleQueuePage, ListsCasesWithCountdownsAndPaging) {
  ConsoleFrame frame = Frame();
  frame.title = "Untriaged cases";
  const std::string html = RenderConsoleQueuePage(frame, QueueView());
  testing::ExpectSoundDocument(WithoutScript(html));
  EXPECT_THAT(html, Not(HasSubstr("<script>alert")));
  EXPECT_THAT(html, HasSubstr("href=\"/console/cases/100002\">#100002 &lt;script&gt;"));
  EXPECT_THAT(html, HasSubstr("overdue by 5 min"));
  EXPECT_THAT(html, HasSubstr("in 1 d 2 h"));
  EXPECT_THAT(html, HasSubstr("No running clock"));
  EXPECT_THAT(html, HasSubstr("<span class=\"cc-tag\">unconfirmed</span>"));
  EXPECT_THAT(html, HasSubstr("Unassigned"));
  EXPECT_THAT(html, HasSubstr("aria-current=\"page\">Untriaged</a>"));
  EXPECT_THAT(html,
              HasSubstr("href=\"/console/cases?queue=untriaged&amp;cursor=q1.2\" rel=\"next\""));
  EXPECT_THAT(html, HasSubstr("id=\"cq-live\""));
  EXPECT_THAT(html, HasSubstr("<kbd>j</kbd>"));
}

TEST(ConsoleQueuePage, SaysWhenAQueueIsEmpty) {
  ConsoleQueueView view = QueueView();
  view.rows.clear();
  view.next_href.clear();
  view.filter.severity_level = 2;
  const std::string html = RenderConsoleQueuePage(Frame(), view);
  testing::ExpectSoundDocument(WithoutScript(html));
  EXPECT_THAT(html, HasSubstr("No cases in this queue."));
  EXPECT_THAT(html, HasSubstr("<option value=\"2\" selected>2 · Major</option>"));
  EXPECT_THAT(html, Not(HasSubstr("rel=\"next\"")));
}

TEST(ConsoleQueuePage, ShowsTheViewsNarrowingAndSavedViews) {
  ConsoleQueueView view = QueueView();
  view.filter = {.queue = core::CaseQueue::kMine, .group_id = 4, .org_id = 9};
  view.groups = {{.id = 3, .name = "Network"}, {.id = 4, .name = "<b>Storage</b>"}};
  view.org_name = "Globex & Co";
  view.without_org_href = "/console/cases?queue=mine&group=4";
  view.saved_views = {{.id = 11,
                       .name = "Storage <i>fires</i>",
                       .href = "/console/cases?queue=mine&group=4&org=9",
                       .active = true}};
  view.rows[0].org_href = "/console/cases?queue=mine&group=4&org=21";
  const std::string html = RenderConsoleQueuePage(Frame(), view);
  testing::ExpectSoundDocument(WithoutScript(html));
  EXPECT_THAT(html, HasSubstr("<option value=\"4\" selected>&lt;b&gt;Storage&lt;/b&gt;</option>"));
  EXPECT_THAT(html, HasSubstr("<option value=\"\">Any severity</option>"));
  EXPECT_THAT(html, HasSubstr("<input type=\"hidden\" name=\"org\" value=\"9\">"));
  EXPECT_THAT(html, HasSubstr("Organisation: <strong>Globex &amp; Co</strong>"));
  EXPECT_THAT(html, HasSubstr("href=\"/console/cases?queue=mine&amp;group=4&amp;org=21\""));
  EXPECT_THAT(html, HasSubstr("aria-current=\"page\">Storage &lt;i&gt;fires&lt;/i&gt;</a>"));
  EXPECT_THAT(html, HasSubstr("name=\"filter\" value=\"queue=mine&amp;group=4&amp;org=9\""));
  EXPECT_THAT(html, HasSubstr("action=\"/console/views/11/delete\""));
  EXPECT_THAT(html, Not(HasSubstr("<details class=\"cq-save\" open>")));
}

TEST(ConsoleQueuePage, ARefusedSaveKeepsTheNameAndShowsWhy) {
  ConsoleQueueView view = QueueView();
  view.save_form = {.name = "save-view",
                    .fields = {{"name", "Mine <now>"}},
                    .error = "name: you already have a view of this name"};
  const std::string html = RenderConsoleQueuePage(Frame(), view);
  testing::ExpectSoundDocument(WithoutScript(html));
  EXPECT_THAT(html, HasSubstr("<details class=\"cq-save\" open>"));
  EXPECT_THAT(html, HasSubstr("value=\"Mine &lt;now&gt;\" aria-invalid=\"true\""));
  EXPECT_THAT(html, HasSubstr("role=\"alert\""));
  EXPECT_THAT(html, HasSubstr("you already have a view of this name"));
}

TEST(ConsoleCaseLabels, CountdownText) {
  struct Case {
    absl::Duration left;
    const char* text;
  };
  for (const Case& c :
       {Case{absl::Hours(2) + absl::Minutes(5), "in 2 h 5 min"},
        Case{absl::Minutes(59), "in 59 min"}, Case{absl::Hours(3), "in 3 h"},
        Case{absl::Hours(49), "in 2 d 1 h"}, Case{absl::Seconds(30), "due now"},
        Case{-absl::Seconds(30), "due now"}, Case{-absl::Minutes(12), "overdue by 12 min"},
        Case{-absl::Hours(24), "overdue by 1 d"}}) {
    EXPECT_EQ(CountdownText(kNow + c.left, kNow), c.text);
  }
}

TEST(ConsoleCaseLabels, Words) {
  EXPECT_EQ(CaseStatusText(core::CaseStatus::kOnHold), "On hold");
  EXPECT_EQ(SeverityText(core::Severity::kCritical), "1 · Critical");
  EXPECT_EQ(EventKindText("note.added"), "Internal note");
  EXPECT_EQ(EventKindText("something.else"), "something.else");
  EXPECT_EQ(IsoTime(absl::FromUnixSeconds(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(ShortTime(absl::FromUnixSeconds(0)), "1970-01-01 00:00 UTC");
}

TEST(ConsoleScript, PollsTicksAndTakesShortcuts) {
  const std::string js(ConsoleScript());
  for (const char* piece :
       {"headers['If-None-Match'] = etag", "'[data-live][id]'", "time[data-countdown]",
        "event.key === 'j'", "event.key === 'k'", "focusField('cc-reply')", "focusField('cc-note')",
        "event.key === '?'", "if (typing(event.target))"}) {
    EXPECT_THAT(js, HasSubstr(piece)) << piece;
  }
  EXPECT_THAT(js, Not(HasSubstr("eval(")));
}

TEST(CaseConsoleStylesheet, RulesCarryTheConsolePrefixes) {
  const std::string css(CaseConsoleStylesheet());
  EXPECT_THAT(css, HasSubstr(".cc-internal {"));
  EXPECT_THAT(css, HasSubstr(".cc-public {"));
  EXPECT_THAT(css, HasSubstr("@media (max-width: 640px)"));
  // Every rule's first selector is one of ours (or scoped under one of ours).
  size_t start = 0;
  int rules = 0;
  for (size_t brace = css.find('{'); brace != std::string::npos; brace = css.find('{', start)) {
    std::string selector = css.substr(start, brace - start);
    const size_t comment = selector.rfind("*/");
    if (comment != std::string::npos) selector = selector.substr(comment + 2);
    selector.erase(0, selector.find_first_not_of(" \n}"));
    ++rules;
    if (!selector.starts_with("@media")) {
      EXPECT_TRUE(selector.starts_with(".cq-") || selector.starts_with(".cc-") ||
                  selector.starts_with("#main "))
          << selector;
    }
    start = css.find('}', brace) + 1;
    // A @media block's inner rules follow its opening brace.
    if (selector.starts_with("@media")) start = brace + 1;
  }
  EXPECT_GT(rules, 40);
}

}  // namespace
}  // namespace casedesk::adapters::web
