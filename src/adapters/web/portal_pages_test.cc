// The portal's documents: the frame (brand, organisation, navigation per role, the incidents
// banner, no provider link for a partner's customers), the case list, the category step and
// intake form (required markers, severity definitions with examples, the secret never echoed),
// the case page (conversation, downloads, forms for partner agents), the promise wording, and
// for every page: a sound document, CSRF in every POST form, and hostile text shown as text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/web/console_html_checks.h"
#include "adapters/web/portal_case_list_page.h"
#include "adapters/web/portal_case_page.h"
#include "adapters/web/portal_layout.h"
#include "adapters/web/portal_new_case_page.h"
#include "adapters/web/portal_text.h"
#include "adapters/web/status_test_snapshot.h"

namespace casedesk::adapters::web {
namespace {

using testing::CountOf;
using testing::ExpectCsrfInEveryForm;
using testing::ExpectSoundDocument;
using testing::Forms;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Utc;

constexpr char kToken[] = "tok3n-AbC_123";
constexpr char kHostile[] = "<script>alert(\"x\")</script>&'";
constexpr char kHostileEscaped[] = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&apos;";

PortalFrame Frame(std::string title = "My cases") {
  PortalFrame frame;
  frame.brand_name = "Example <Cloud>";
  frame.org_name = "Acme & Co";
  frame.user_name = "Ada \"the customer\"";
  frame.csrf_token = kToken;
  frame.active = "cases";
  frame.title = std::move(title);
  return frame;
}

// Only the POST forms must carry the token; the filters and the category step are GET forms.
void ExpectCsrfInPostForms(const std::string& html) {
  for (const std::string& form : Forms(html)) {
    if (form.find("method=\"post\"") == std::string::npos) continue;
    EXPECT_THAT(form, HasSubstr(std::string("<input type=\"hidden\" name=\"csrf_token\" value=\"") +
                                kToken + "\">"));
  }
}

TEST(PortalLayoutTest, FrameNavigationAndBanner) {
  PortalFrame frame = Frame();
  frame.incidents = {{"API errors <b>", "Investigating", "major", "/status/incidents/7"},
                     {"Storage upgrade", "In progress", "maintenance", ""}};
  const std::string html = RenderPortalMessagePage(frame, "Hello");
  ExpectSoundDocument(html);
  ExpectCsrfInEveryForm(html, kToken);
  EXPECT_THAT(html, HasSubstr("<title>My cases · Example &lt;Cloud&gt;</title>"));
  EXPECT_THAT(html, HasSubstr("Acme &amp; Co"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/portal\" aria-current=\"page\">My cases</a>"));
  EXPECT_THAT(html, HasSubstr("href=\"/portal/cases/new\""));
  EXPECT_THAT(html, HasSubstr("href=\"/status\""));
  EXPECT_THAT(html, Not(HasSubstr("/portal/contacts")));  // only organisation admins
  EXPECT_THAT(html, HasSubstr("role=\"region\" aria-label=\"Active platform incidents\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"/status/incidents/7\">API errors &lt;b&gt;</a>"));
  EXPECT_THAT(html, HasSubstr("Storage upgrade <span class=\"pt-incident-status\">(In progress)"));
  EXPECT_THAT(html, HasSubstr("href=\"#main\""));
  EXPECT_THAT(html, HasSubstr("action=\"/logout\""));

  frame.org_admin = true;
  frame.show_status_link = false;
  frame.incidents.clear();
  const std::string admin = RenderPortalMessagePage(frame, "Hello");
  EXPECT_THAT(admin, HasSubstr("<a href=\"/portal/contacts\">Contacts</a>"));
  EXPECT_THAT(admin, Not(HasSubstr("href=\"/status\"")));
  EXPECT_THAT(admin, Not(HasSubstr("Active platform incidents")));
}

TEST(PortalLayoutTest, BannerFromTheStatusSnapshot) {
  app::StatusPageSnapshot snapshot;
  core::Incident open;
  open.id = 3;
  open.name = "Network";
  open.status = core::IncidentStatus::kIdentified;
  open.impact = core::IncidentImpact::kCritical;
  core::Incident resolved = open;
  resolved.id = 4;
  resolved.status = core::IncidentStatus::kResolved;
  core::Incident maintenance;
  maintenance.id = 5;
  maintenance.kind = core::IncidentKind::kMaintenance;
  maintenance.name = "Upgrade";
  maintenance.status = core::IncidentStatus::kInProgress;
  maintenance.impact = core::IncidentImpact::kMaintenance;
  core::Incident scheduled = maintenance;
  scheduled.id = 6;
  scheduled.status = core::IncidentStatus::kScheduled;
  snapshot.incidents = {open, resolved};
  snapshot.maintenances = {maintenance, scheduled};
  std::vector<PortalIncident> banner = PortalIncidentsFrom(snapshot, true);
  ASSERT_EQ(banner.size(), 2u);
  EXPECT_EQ(banner[0].name, "Network");
  EXPECT_EQ(banner[0].impact, "critical");
  EXPECT_EQ(banner[0].status, "Identified");
  EXPECT_EQ(banner[0].href, "/status/incidents/3");
  EXPECT_EQ(banner[1].impact, "maintenance");
  // A partner's customers get no link to the provider's status page.
  EXPECT_EQ(PortalIncidentsFrom(snapshot, false)[0].href, "");
}

TEST(PortalTextTest, PromiseWordsInTheCustomersZone) {
  const absl::TimeZone berlin = absl::FixedTimeZone(3600);
  const absl::Time now = Utc(2026, 11, 24, 9, 0);  // 10:00 in the zone
  struct Case {
    app::PortalPromise promise;
    std::string text;
  };
  const std::vector<Case> cases = {
      {{app::PromiseKind::kFirstReply, Utc(2026, 11, 24, 13, 0), false},
       "We will reply by 14:00 your time."},
      {{app::PromiseKind::kFirstReply, Utc(2026, 11, 24, 8, 0), true},
       "Our reply was due by 09:00 your time; it is late and we are on it."},
      {{app::PromiseKind::kNextUpdate, Utc(2026, 11, 25, 8, 30), false},
       "Next update by Wed 25 Nov, 09:30 your time."},
      {{app::PromiseKind::kNextUpdate, Utc(2027, 1, 4, 8, 30), false},
       "Next update by Mon 4 Jan 2027, 09:30 your time."},
      {{app::PromiseKind::kWaitingOnYou, std::nullopt, false}, "We are waiting for your reply."},
      {{app::PromiseKind::kSolved, std::nullopt, false}, "Solved: no reply is due."},
      {{app::PromiseKind::kNone, std::nullopt, false}, "We will reply as soon as we can."},
  };
  for (const Case& c : cases) EXPECT_EQ(PromiseText(c.promise, now, berlin), c.text);
  EXPECT_EQ(FileSizeText(512), "512 bytes");
  EXPECT_EQ(FileSizeText(12 * 1024), "12 KB");
  EXPECT_EQ(FileSizeText(25 * 1024 * 1024), "25 MB");
  EXPECT_EQ(FileSizeText(3 * 1024 * 1024 + 400 * 1024), "3.4 MB");
  EXPECT_EQ(PortalStatusText(core::CaseStatus::kPending), "Waiting for you");
}

TEST(PortalCaseListTest, RowsFiltersAndPaging) {
  PortalCaseListView view;
  view.show_scope = true;
  view.scope = "mine";
  view.show_org = true;
  view.rows.push_back({"100001", kHostile, "Open", "open", "2 Major", "Globex", "14:00",
                       "We will reply by 14:00 your time.", false});
  view.rows.push_back({"100002", "Late one", "New", "new", "1 Critical", "Globex", "09:00",
                       "Our reply was due by 09:00 your time; it is late and we are on it.", true});
  view.next_href = "/portal?state=open&scope=mine&cursor=abc";
  const std::string html = RenderPortalCaseListPage(Frame(), view);
  ExpectSoundDocument(html);
  ExpectCsrfInPostForms(html);
  EXPECT_THAT(html, HasSubstr(kHostileEscaped));
  EXPECT_THAT(html, Not(HasSubstr(kHostile)));
  EXPECT_THAT(html, HasSubstr("<a href=\"/portal/cases/100001\">#100001</a>"));
  EXPECT_THAT(html, HasSubstr("We will reply by 14:00 your time."));
  EXPECT_THAT(html, HasSubstr("<option value=\"mine\" selected>Mine</option>"));
  EXPECT_THAT(html, HasSubstr("<th scope=\"col\">Organisation</th>"));
  // Lateness is said with a sign and words, not colour alone.
  EXPECT_THAT(html, HasSubstr("class=\"pt-late\"><span class=\"sp-icon\" aria-hidden=\"true\">!"));
  EXPECT_THAT(html, HasSubstr("href=\"/portal?state=open&amp;scope=mine&amp;cursor=abc\""));

  const std::string empty = RenderPortalCaseListPage(Frame(), PortalCaseListView{});
  ExpectSoundDocument(empty);
  EXPECT_THAT(empty, HasSubstr("No cases to show."));
  EXPECT_THAT(empty, Not(HasSubstr("id=\"pt-scope\"")));
}

std::vector<core::SeverityDefinition> Severities() {
  std::vector<core::SeverityDefinition> definitions;
  for (int level = 1; level <= 4; ++level) {
    core::SeverityDefinition definition;
    core::SeverityFromLevel(level, &definition.level);
    definition.name = "Level" + std::to_string(level);
    definition.summary = "Summary " + std::to_string(level);
    definition.description = "Qualifies when " + std::to_string(level);
    if (level == 1) definition.examples = {"Platform down <all>", "Data loss"};
    definitions.push_back(definition);
  }
  return definitions;
}

TEST(PortalNewCaseTest, CategoryStep) {
  PortalCategoryStep step;
  step.categories = {{"incident", "Incident", "Something is broken.", true},
                     {"question", "Question", "Ask how.", false}};
  step.customers = {{"4", "Partner (your own)", "", false}, {"7", "Customer <7>", "", true}};
  const std::string html = RenderPortalCategoryStep(Frame("Open a case"), step);
  ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("method=\"get\" action=\"/portal/cases/new\""));
  EXPECT_THAT(html, HasSubstr("value=\"incident\" checked"));
  EXPECT_THAT(html, HasSubstr("<option value=\"7\" selected>Customer &lt;7&gt;</option>"));
}

TEST(PortalNewCaseTest, IntakeFormMarksRequiredFieldsAndExplainsSeverities) {
  PortalIntakeForm form;
  form.category = "incident";
  form.category_label = "Incident";
  form.subject = {"subject", "Subject", "One line.", kHostile};
  form.subject.required = true;
  form.description = {"description", "Description", "", "It broke"};
  form.description.multiline = true;
  form.severities = Severities();
  form.severity = "2";
  form.fields = {{"server_name", "Server name", "", "WA1", "Server name: required", true},
                 {"external_ip", "External IP address", "", "", "", false},
                 {"cc", "People to CC", "Addresses.", "", "", false}};
  form.credentials_required = true;
  form.credentials_error = "Credentials: required for incidents";
  form.resubmitted = true;
  const std::string html = RenderPortalIntakeForm(Frame("Open a case"), form);
  // The subject's article suggestions load the knowledge base's one external script (kb.js);
  // the structural checks refuse every <script>, so they see the page without it.
  const std::string kb_script = "<script src=\"/static/kb.js\" defer></script>";
  ASSERT_NE(html.find(kb_script), std::string::npos);
  EXPECT_THAT(html, HasSubstr("data-kb-suggest=\"pt-f-subject\""));
  std::string without_script = html;
  without_script.erase(without_script.find(kb_script), kb_script.size());
  ExpectSoundDocument(without_script);
  ExpectCsrfInEveryForm(html, kToken);
  EXPECT_THAT(html, HasSubstr("enctype=\"multipart/form-data\""));
  EXPECT_THAT(html, HasSubstr("value=\"" + std::string(kHostileEscaped) + "\""));
  EXPECT_THAT(html, HasSubstr("<input type=\"radio\" id=\"pt-severity-2\" name=\"severity\" "
                              "value=\"2\" checked"));
  EXPECT_THAT(html, HasSubstr("Qualifies when 1"));
  EXPECT_THAT(html, HasSubstr("<li>Platform down &lt;all&gt;</li>"));
  EXPECT_THAT(html, HasSubstr("<label for=\"pt-f-server_name\">Server name <span "
                              "class=\"pt-required\">(required)</span>"));
  EXPECT_THAT(html, HasSubstr("aria-invalid=\"true\" aria-describedby=\"pt-f-server_name-error\""));
  EXPECT_THAT(html, HasSubstr("<label for=\"pt-f-external_ip\">External IP address <span "
                              "class=\"cd-optional\">(optional)</span>"));
  EXPECT_THAT(html, HasSubstr("type=\"file\" id=\"pt-attachments\" name=\"attachments\" multiple"));
  // The secret is never written back into the page.
  EXPECT_THAT(html, HasSubstr("name=\"credentials\" rows=\"3\" autocomplete=\"off\""));
  EXPECT_THAT(html, HasSubstr("></textarea>\n</div>\n<button"));
  EXPECT_THAT(html, HasSubstr("please add them again"));
  EXPECT_THAT(html, HasSubstr("id=\"pt-credentials-error\""));
}

PortalCasePageView CaseView() {
  PortalCasePageView view;
  view.number = "100001";
  view.subject = kHostile;
  view.status = "Open";
  view.status_class = "open";
  view.severity = "2 Major";
  view.category = "Incident";
  view.opened = "09:00";
  view.promise = "Next update by 14:00 your time.";
  view.description = std::string(kHostile) + "\nsecond line";
  view.facts = {{"Server name", "WA1"}};
  view.files = {{"screen.png", "/portal/files/abc", "12 KB"}};
  PortalCommentEntry reply;
  reply.author = "Sam";
  reply.side = "Example Cloud";
  reply.support = true;
  reply.time = "10:00";
  reply.time_iso = "2026-11-24T09:00:00Z";
  reply.body = "<img src=x onerror=alert(1)>";
  reply.files = {{"fix.txt", "/portal/files/def", "1 KB"}};
  view.comments = {reply};
  return view;
}

TEST(PortalCasePageTest, ConversationFilesAndForms) {
  const std::string html = RenderPortalCasePage(Frame("Case #100001"), CaseView());
  ExpectSoundDocument(html);
  // The person's organisation in the header is not the case's organisation.
  EXPECT_THAT(html, HasSubstr("<span class=\"pt-org\">, Acme &amp; Co</span>"));
  EXPECT_THAT(html, Not(HasSubstr("<dt>Organisation</dt>")));
  ExpectCsrfInEveryForm(html, kToken);
  EXPECT_THAT(html, Not(HasSubstr("<img src=x")));
  EXPECT_THAT(html, HasSubstr("&lt;img src=x onerror=alert(1)&gt;"));
  EXPECT_THAT(html, HasSubstr(kHostileEscaped));
  EXPECT_THAT(html, HasSubstr("<a href=\"/portal/files/abc\" download>screen.png</a>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/portal/files/def\" download>fix.txt</a>"));
  EXPECT_THAT(html,
              HasSubstr("<strong>Sam</strong> <span class=\"pt-side\">(Example Cloud)</span>"));
  EXPECT_THAT(html, HasSubstr("Next update by 14:00 your time."));
  EXPECT_THAT(html, HasSubstr("action=\"/portal/cases/100001/replies\" "
                              "enctype=\"multipart/form-data\""));
  EXPECT_THAT(html, HasSubstr("action=\"/portal/cases/100001/escalations\""));
  EXPECT_THAT(html, HasSubstr("Ask for an escalation"));
  EXPECT_THAT(html, Not(HasSubstr("/reference\"")));
  EXPECT_EQ(CountOf(html, "<form"), 3u);  // sign out, reply, escalation

  PortalCasePageView partner = CaseView();
  partner.partner_agent = true;
  partner.provider_name = "Example Cloud";
  partner.partner_reference = "PT-<9>";
  partner.reply_error = "Write a reply or attach a file";
  const std::string as_partner = RenderPortalCasePage(Frame("Case #100001"), partner);
  ExpectSoundDocument(as_partner);
  ExpectCsrfInEveryForm(as_partner, kToken);
  EXPECT_THAT(as_partner, HasSubstr("Escalate to Example Cloud"));
  EXPECT_THAT(as_partner, HasSubstr("action=\"/portal/cases/100001/reference\""));
  EXPECT_THAT(as_partner, HasSubstr("value=\"PT-&lt;9&gt;\""));
  EXPECT_THAT(as_partner, HasSubstr("id=\"pt-reply-error\""));

  PortalCasePageView closed = CaseView();
  closed.closed = true;
  const std::string done = RenderPortalCasePage(Frame("Case #100001"), closed);
  ExpectSoundDocument(done);
  EXPECT_EQ(CountOf(done, "<form"), 1u);  // only sign out
  EXPECT_THAT(done, HasSubstr("This case is closed."));
}

TEST(PortalCasePageTest, StaysSmall) {
  PortalCasePageView view = CaseView();
  for (int i = 0; i < 60; ++i) view.comments.push_back(view.comments.front());
  EXPECT_LT(RenderPortalCasePage(Frame(), view).size(), 100u * 1024u);
}

}  // namespace
}  // namespace casedesk::adapters::web
