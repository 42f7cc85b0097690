#include "adapters/web/console_status_page.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/web/console_html_checks.h"
#include "adapters/web/status_test_snapshot.h"

namespace casedesk::adapters::web {
namespace {

using testing::Attribute;
using testing::CountOf;
using testing::ExpectCsrfInEveryForm;
using testing::ExpectSoundDocument;
using testing::Forms;
using ::testing::HasSubstr;
using testing::MakeComponent;
using testing::MakeUpdate;
using ::testing::Not;
using testing::StartTags;
using testing::Utc;

using core::ComponentStatus;
using core::IncidentStatus;

constexpr char kToken[] = "tok3n-AbC_123";
constexpr char kHostile[] = "<script>alert(\"x\")</script>&'";
constexpr char kHostileEscaped[] = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&apos;";

ConsoleFrame Frame(std::string title = "Status page") {
  ConsoleFrame frame;
  frame.desk_name = "Example <Cloud>";
  frame.user_name = "Ada \"the admin\"";
  frame.csrf_token = kToken;
  frame.active = "status";
  frame.title = std::move(title);
  return frame;
}

app::StatusPageInfo Page() {
  app::StatusPageInfo page;
  page.name = "Example Status";
  page.time_zone = "America/Denver";
  return page;
}

core::Incident MakeIncident(core::IncidentId id, std::string name, IncidentStatus status) {
  core::Incident incident;
  incident.id = id;
  incident.name = std::move(name);
  incident.status = status;
  incident.impact = core::IncidentImpact::kMajor;
  incident.created_at = Utc(2026, 11, 22, 20, 0);
  incident.updated_at = Utc(2026, 11, 22, 21, 5);
  incident.component_ids = {3};
  core::IncidentUpdate update =
      MakeUpdate(7, id, status, "First line\nsecond <b>line</b>", Utc(2026, 11, 22, 21, 5));
  update.affected_components = {
      {3, "API", ComponentStatus::kOperational, ComponentStatus::kMajorOutage}};
  incident.updates = {update};
  return incident;
}

core::Incident MakeMaintenance(core::IncidentId id) {
  core::Incident maintenance = MakeIncident(id, "Database upgrade", IncidentStatus::kScheduled);
  maintenance.kind = core::IncidentKind::kMaintenance;
  maintenance.impact = core::IncidentImpact::kMaintenance;
  maintenance.scheduled_for = Utc(2026, 11, 25, 6, 0);
  maintenance.scheduled_until = Utc(2026, 11, 25, 8, 0);
  return maintenance;
}

ConsoleStatusView Overview() {
  ConsoleStatusView view;
  view.page = Page();
  view.components = {
      MakeComponent(1, "Platform", 0, true, 0, ComponentStatus::kOperational),
      MakeComponent(3, "API", 1, false, 0, ComponentStatus::kMajorOutage),
      MakeComponent(4, "Web app", 1, false, 1, ComponentStatus::kOperational),
      MakeComponent(5, "Mail", 0, false, 1, ComponentStatus::kDegradedPerformance),
  };
  view.open_events = {MakeIncident(11, "API errors", IncidentStatus::kInvestigating),
                      MakeMaintenance(12)};
  core::Incident closed = MakeIncident(9, "Old outage", IncidentStatus::kResolved);
  closed.resolved_at = Utc(2026, 11, 20, 10, 0);
  view.recent_closed = {closed};
  return view;
}

ConsoleIncidentView IncidentPage(core::Incident incident, std::vector<core::CaseNumber> cases) {
  ConsoleIncidentView view;
  view.page = Page();
  view.components = Overview().components;
  view.event.incident = std::move(incident);
  view.event.cases = std::move(cases);
  return view;
}

// The form whose action is `action`, or "".
std::string FormWithAction(const std::string& html, const std::string& action) {
  for (const std::string& form : Forms(html)) {
    if (form.find("action=\"" + action + "\"") != std::string::npos) return form;
  }
  return "";
}

TEST(ConsoleStatusPageTest, OverviewIsSoundAndEveryFormCarriesTheToken) {
  const std::string html = RenderConsoleStatusPage(Frame(), Overview());
  ExpectSoundDocument(html);
  ExpectCsrfInEveryForm(html, kToken);
  // Sign-out, add component, three component status forms, incident, maintenance.
  EXPECT_EQ(Forms(html).size(), 7u);
  for (const std::string& form : Forms(html)) EXPECT_THAT(form, HasSubstr("method=\"post\""));
}

TEST(ConsoleStatusPageTest, FrameHasLandmarksNavigationAndSignOut) {
  const std::string html = RenderConsoleStatusPage(Frame(), Overview());
  EXPECT_THAT(html, HasSubstr("<a class=\"sp-skip\" href=\"#main\">"));
  EXPECT_THAT(html, HasSubstr("<header class=\"cd-header\">"));
  EXPECT_THAT(html, HasSubstr("<nav class=\"cd-nav\" aria-label=\"Console\">"));
  EXPECT_THAT(html, HasSubstr("<main id=\"main\""));
  EXPECT_THAT(html, HasSubstr("<a href=\"/console/status\" aria-current=\"page\">Status page</a>"));
  EXPECT_THAT(html, HasSubstr("Example &lt;Cloud&gt;"));
  EXPECT_THAT(html, HasSubstr("Ada &quot;the admin&quot;"));
  const std::string sign_out = FormWithAction(html, "/logout");
  EXPECT_THAT(sign_out, HasSubstr("Sign out</button>"));
  EXPECT_THAT(html, HasSubstr("<title>Status page · Example &lt;Cloud&gt;</title>"));
}

TEST(ConsoleStatusPageTest, ComponentsAreGroupedWithAStatusFormEach) {
  const std::string html = RenderConsoleStatusPage(Frame(), Overview());
  EXPECT_THAT(html, HasSubstr("<h3 class=\"cd-component-name\">Platform</h3>"));
  EXPECT_THAT(html, HasSubstr("<h4 class=\"cd-component-name\">API</h4>"));
  EXPECT_THAT(html, HasSubstr("<h3 class=\"cd-component-name\">Mail</h3>"));
  const std::string api = FormWithAction(html, "/console/status/components/3");
  ASSERT_FALSE(api.empty());
  for (const char* word : {"Operational", "Degraded performance", "Partial outage", "Major outage",
                           "Under maintenance"}) {
    EXPECT_THAT(api, HasSubstr(std::string(">") + word + "</option>"));
  }
  EXPECT_THAT(api, HasSubstr("<option value=\"major_outage\" selected>Major outage</option>"));
  EXPECT_EQ(CountOf(api, " selected"), 1u);
  EXPECT_THAT(api, HasSubstr("Save<span class=\"sp-vh\"> the status of API</span>"));
  // Groups have no form: their status follows their members.
  EXPECT_TRUE(FormWithAction(html, "/console/status/components/1").empty());
  // The group shows its worst member's status.
  EXPECT_THAT(html, HasSubstr("sp-status-major_outage"));
}

TEST(ConsoleStatusPageTest, ListsOpenAndClosedEventsWithLinksToTheirPages) {
  const std::string html = RenderConsoleStatusPage(Frame(), Overview());
  EXPECT_THAT(html, HasSubstr("<a class=\"cd-event-name\" href=\"/console/status/incidents/11\">"
                              "API errors</a>"));
  EXPECT_THAT(html, HasSubstr("href=\"/console/status/incidents/12\">Database upgrade</a>"));
  EXPECT_THAT(html, HasSubstr("href=\"/console/status/incidents/9\">Old outage</a>"));
  EXPECT_THAT(html, HasSubstr("Resolved <time datetime=\"2026-11-20T10:00:00Z\">"));
  EXPECT_THAT(html, HasSubstr("<time datetime=\"2026-11-25T06:00:00Z\">Nov 24, 23:00 MST</time>"));
  // The indicator: a major outage of a component and a major incident.
  EXPECT_THAT(html, HasSubstr("sp-indicator-critical"));
}

TEST(ConsoleStatusPageTest, NewIncidentFormHasItsFieldsAndNotifiesByDefault) {
  const std::string html = RenderConsoleStatusPage(Frame(), Overview());
  const std::string form = FormWithAction(html, "/console/status/incidents");
  ASSERT_FALSE(form.empty());
  EXPECT_THAT(form, HasSubstr("name=\"name\""));
  EXPECT_THAT(form, HasSubstr("<select id=\"incident-impact\" name=\"impact\">"));
  EXPECT_THAT(form, Not(HasSubstr(">Maintenance</option>")));
  EXPECT_THAT(form, HasSubstr("<input type=\"checkbox\" id=\"incident-component-3\" "
                              "name=\"component_id\" value=\"3\">"));
  EXPECT_THAT(form, HasSubstr("Platform \u2013 API</label>"));
  // Groups are not offered: their status follows their members.
  EXPECT_THAT(form, Not(HasSubstr("value=\"1\">")));
  EXPECT_THAT(form, HasSubstr("<option value=\"\" selected>Leave unchanged</option>"));
  EXPECT_THAT(form, HasSubstr("<textarea id=\"incident-body\" name=\"body\""));
  EXPECT_THAT(form, HasSubstr("name=\"notify\" value=\"1\" checked>"));
}

TEST(ConsoleStatusPageTest, MaintenanceFormReadsTimesInThePagesZone) {
  const std::string html = RenderConsoleStatusPage(Frame(), Overview());
  const std::string form = FormWithAction(html, "/console/status/maintenances");
  ASSERT_FALSE(form.empty());
  EXPECT_EQ(CountOf(form, "type=\"datetime-local\""), 2u);
  EXPECT_THAT(form, HasSubstr("name=\"scheduled_for\""));
  EXPECT_THAT(form, HasSubstr("name=\"scheduled_until\""));
  EXPECT_THAT(form, HasSubstr("id=\"maintenance-zone-note\">Start and end are in the status "
                              "page's time zone, America/Denver.</p>"));
  for (const std::string& input : StartTags(form, "input")) {
    if (Attribute(input, "type") != "datetime-local") continue;
    EXPECT_EQ(Attribute(input, "aria-describedby"), "maintenance-zone-note");
  }
}

TEST(ConsoleStatusPageTest, HostileNamesAreEscapedEverywhere) {
  ConsoleStatusView view = Overview();
  view.components[0].name = kHostile;
  view.components[1].name = kHostile;
  view.open_events[0].name = kHostile;
  view.recent_closed[0].name = kHostile;
  ConsoleFrame frame = Frame();
  frame.desk_name = kHostile;
  frame.user_name = kHostile;
  frame.notice = kHostile;
  const std::string html = RenderConsoleStatusPage(frame, view);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_THAT(html, Not(HasSubstr("alert(\"x\")")));
  EXPECT_GE(CountOf(html, kHostileEscaped), 6u);
  ExpectSoundDocument(html);
}

TEST(ConsoleStatusPageTest, RefusedIncidentFormKeepsWhatWasTypedAndShowsTheError) {
  ConsoleStatusView view = Overview();
  view.form.name = "incident";
  view.form.fields = {{"csrf_token", kToken},
                      {"name", "Slow <API>"},
                      {"impact", "critical"},
                      {"component_id", "4"},
                      {"component_status", "partial_outage"},
                      {"body", "We <look>"}};
  view.form.error = "name: must not contain <markup>";
  const std::string html = RenderConsoleStatusPage(Frame(), view);
  ExpectSoundDocument(html);
  const std::string form = FormWithAction(html, "/console/status/incidents");
  EXPECT_THAT(form, HasSubstr("<p class=\"cd-form-error\" id=\"incident-error\" role=\"alert\">"));
  EXPECT_THAT(form, HasSubstr("name: must not contain &lt;markup&gt;"));
  EXPECT_THAT(form, HasSubstr("value=\"Slow &lt;API&gt;\" aria-invalid=\"true\" "
                              "aria-describedby=\"incident-error\">"));
  EXPECT_THAT(form, HasSubstr("<option value=\"critical\" selected>Critical</option>"));
  EXPECT_THAT(form, HasSubstr("value=\"4\" checked>"));
  EXPECT_THAT(form, Not(HasSubstr("value=\"3\" checked>")));
  EXPECT_THAT(form, HasSubstr("<option value=\"partial_outage\" selected>"));
  EXPECT_THAT(form, HasSubstr(">We &lt;look&gt;</textarea>"));
  // Not ticked when it was sent: stays unticked.
  EXPECT_THAT(form, HasSubstr("name=\"notify\" value=\"1\">"));
  // The error is next to its own form only.
  EXPECT_EQ(CountOf(html, "role=\"alert\""), 1u);
  EXPECT_THAT(FormWithAction(html, "/console/status/maintenances"), Not(HasSubstr("Slow")));
}

TEST(ConsoleStatusPageTest, RefusedComponentChangeShowsTheUseCasesErrorAtThatComponent) {
  ConsoleStatusView view = Overview();
  view.form.name = "component-4";
  view.form.fields = {{"status", "partial_outage"}};
  view.form.error = "only an admin may change status components";
  const std::string html = RenderConsoleStatusPage(Frame(), view);
  ExpectSoundDocument(html);
  const std::string form = FormWithAction(html, "/console/status/components/4");
  EXPECT_THAT(form, HasSubstr("<option value=\"partial_outage\" selected>"));
  EXPECT_THAT(form, HasSubstr("aria-describedby=\"component-4-error\""));
  EXPECT_THAT(html, HasSubstr("id=\"component-4-error\" role=\"alert\">"));
  EXPECT_THAT(FormWithAction(html, "/console/status/components/3"), Not(HasSubstr("aria-invalid")));
}

TEST(ConsoleStatusPageTest, ErrorOfAFormNotOnThePageGoesToTheTop) {
  ConsoleStatusView view = Overview();
  view.form.name = "component-99";
  view.form.error = "status component 99 not found";
  const std::string html = RenderConsoleStatusPage(Frame(), view);
  EXPECT_THAT(html, HasSubstr("sp-flash-error\" role=\"alert\"><span class=\"sp-icon\" "
                              "aria-hidden=\"true\">!</span> status component 99 not found"));
}

TEST(ConsoleStatusPageTest, EmptyDeskSaysSo) {
  ConsoleStatusView view;
  view.page = Page();
  const std::string html = RenderConsoleStatusPage(Frame(), view);
  ExpectSoundDocument(html);
  EXPECT_THAT(html, HasSubstr("No components yet"));
  EXPECT_THAT(html, HasSubstr("Nothing is open."));
  EXPECT_THAT(html, HasSubstr("All Systems Operational"));
}

TEST(ConsoleIncidentPageTest, IsSoundWithTheTokenInEveryForm) {
  const std::string html = RenderConsoleIncidentPage(
      Frame("API errors"),
      IncidentPage(MakeIncident(11, "API errors", IncidentStatus::kIdentified), {100042, 100043}));
  ExpectSoundDocument(html);
  ExpectCsrfInEveryForm(html, kToken);
  // Sign-out, post update, two unlink buttons, link a case.
  EXPECT_EQ(Forms(html).size(), 5u);
}

TEST(ConsoleIncidentPageTest, TimelineShowsStatusBodyTimeAndComponentChanges) {
  const std::string html = RenderConsoleIncidentPage(
      Frame(), IncidentPage(MakeIncident(11, "API errors", IncidentStatus::kIdentified), {}));
  EXPECT_THAT(html, HasSubstr("<strong>Identified</strong> <time datetime=\"2026-11-22T21:05:00Z\">"
                              "Nov 22, 14:05 MST</time>"));
  EXPECT_THAT(html, HasSubstr("First line\nsecond &lt;b&gt;line&lt;/b&gt;"));
  EXPECT_THAT(html, HasSubstr("<li>Platform \u2013 API: Operational <span aria-hidden=\"true\">"
                              "&rarr;</span><span class=\"sp-vh\">to</span> Major outage</li>"));
  EXPECT_THAT(html, HasSubstr("Affected components: Platform \u2013 API</p>"));
  EXPECT_THAT(html, HasSubstr("<a href=\"/status/incidents/11\">Public page</a>"));
}

TEST(ConsoleIncidentPageTest, LinkedCasesHaveLinksAndUnlinkButtons) {
  const std::string html = RenderConsoleIncidentPage(
      Frame(), IncidentPage(MakeIncident(11, "API errors", IncidentStatus::kIdentified), {100042}));
  EXPECT_THAT(html, HasSubstr("<a href=\"/api/v1/cases/100042\">Case #100042</a>"));
  const std::string unlink =
      FormWithAction(html, "/console/status/incidents/11/cases/100042/unlink");
  EXPECT_THAT(unlink, HasSubstr("Unlink<span class=\"sp-vh\"> case #100042</span></button>"));
  const std::string link = FormWithAction(html, "/console/status/incidents/11/cases");
  EXPECT_THAT(link, HasSubstr("name=\"case_number\""));
}

TEST(ConsoleIncidentPageTest, UpdateFormOffersOnlyTheKindsStatusesAndTheSolveOption) {
  const std::string html = RenderConsoleIncidentPage(
      Frame(), IncidentPage(MakeIncident(11, "API errors", IncidentStatus::kIdentified), {100042}));
  const std::string form = FormWithAction(html, "/console/status/incidents/11/updates");
  ASSERT_FALSE(form.empty());
  for (const char* word : {"Investigating", "Identified", "Monitoring", "Resolved", "Postmortem"}) {
    EXPECT_THAT(form, HasSubstr(std::string(">") + word + "</option>"));
  }
  EXPECT_THAT(form, Not(HasSubstr(">Scheduled</option>")));
  EXPECT_THAT(form, HasSubstr("<option value=\"identified\" selected>Identified</option>"));
  EXPECT_THAT(form, HasSubstr("<option value=\"\" selected>Unchanged</option>"));
  EXPECT_THAT(form, HasSubstr("name=\"notify\" value=\"1\" checked>"));
  EXPECT_THAT(form, HasSubstr("value=\"none\" checked><label for=\"update-cases-none\">"
                              "Do not touch linked cases</label>"));
  EXPECT_THAT(form, HasSubstr("Post this update on every linked case</label>"));
  EXPECT_THAT(form, HasSubstr("name=\"linked_cases\" value=\"solve\" "
                              "aria-describedby=\"update-cases-solve-note\">"));
  EXPECT_THAT(form, HasSubstr("Post it and solve the cases</label>"));
  EXPECT_THAT(form, HasSubstr("Only when resolving: the cases are solved only by an update with "
                              "the status Resolved or Postmortem."));
}

TEST(ConsoleIncidentPageTest, WithoutLinkedCasesThereIsNoCaseChoice) {
  const std::string html = RenderConsoleIncidentPage(
      Frame(), IncidentPage(MakeIncident(11, "API errors", IncidentStatus::kIdentified), {}));
  EXPECT_THAT(html, Not(HasSubstr("name=\"linked_cases\"")));
  EXPECT_THAT(html, HasSubstr("No cases are linked."));
}

TEST(ConsoleIncidentPageTest, MaintenanceOffersMaintenanceStatuses) {
  const std::string html =
      RenderConsoleIncidentPage(Frame(), IncidentPage(MakeMaintenance(12), {100042}));
  ExpectSoundDocument(html);
  const std::string form = FormWithAction(html, "/console/status/incidents/12/updates");
  for (const char* word : {"Scheduled", "In progress", "Verifying", "Completed"}) {
    EXPECT_THAT(form, HasSubstr(std::string(">") + word + "</option>"));
  }
  EXPECT_THAT(form, Not(HasSubstr(">Investigating</option>")));
  EXPECT_THAT(form, HasSubstr("the status Completed."));
  EXPECT_THAT(html, HasSubstr("Scheduled for <time datetime=\"2026-11-25T06:00:00Z\">"));
}

TEST(ConsoleIncidentPageTest, RefusedUpdateKeepsTheChoicesAndShowsTheError) {
  ConsoleIncidentView view =
      IncidentPage(MakeIncident(11, "API errors", IncidentStatus::kIdentified), {100042});
  view.form.name = "update";
  view.form.fields = {{"status", "monitoring"},
                      {"body", "Fix <deployed>"},
                      {"component_status", "degraded_performance"},
                      {"linked_cases", "solve"}};
  view.form.error = "linked_cases: cases are solved only by an update that resolves the incident";
  const std::string html = RenderConsoleIncidentPage(Frame(), view);
  ExpectSoundDocument(html);
  const std::string form = FormWithAction(html, "/console/status/incidents/11/updates");
  EXPECT_THAT(form, HasSubstr("id=\"update-error\" role=\"alert\">"));
  EXPECT_THAT(form, HasSubstr("cases are solved only by an update that resolves the incident"));
  EXPECT_THAT(form, HasSubstr("<fieldset class=\"sp-choices\" aria-describedby=\"update-error\">"));
  EXPECT_THAT(form, HasSubstr("<option value=\"monitoring\" selected>"));
  EXPECT_THAT(form, HasSubstr("<option value=\"degraded_performance\" selected>"));
  EXPECT_THAT(form, HasSubstr(">Fix &lt;deployed&gt;</textarea>"));
  EXPECT_THAT(form, HasSubstr("value=\"solve\" aria-describedby=\"update-cases-solve-note\" "
                              "checked>"));
  EXPECT_THAT(form, HasSubstr("name=\"notify\" value=\"1\">"));
}

TEST(ConsoleIncidentPageTest, RefusedLinkKeepsTheNumber) {
  ConsoleIncidentView view =
      IncidentPage(MakeIncident(11, "API errors", IncidentStatus::kIdentified), {});
  view.form.name = "link-case";
  view.form.fields = {{"case_number", "99\"9"}};
  view.form.error = "case_number: must be a case number such as 100042";
  const std::string html = RenderConsoleIncidentPage(Frame(), view);
  ExpectSoundDocument(html);
  const std::string form = FormWithAction(html, "/console/status/incidents/11/cases");
  EXPECT_THAT(form, HasSubstr("value=\"99&quot;9\" aria-invalid=\"true\" "
                              "aria-describedby=\"link-case-error\">"));
}

TEST(ConsoleIncidentPageTest, HostileEventAndUpdateTextIsEscaped) {
  core::Incident incident = MakeIncident(11, kHostile, IncidentStatus::kIdentified);
  incident.updates[0].body = kHostile;
  incident.updates[0].affected_components[0].name = kHostile;
  ConsoleIncidentView view = IncidentPage(incident, {});
  view.components.clear();  // the component is gone: its recorded name shows
  const std::string html = RenderConsoleIncidentPage(Frame(kHostile), view);
  EXPECT_THAT(html, Not(HasSubstr("<script>")));
  EXPECT_GE(CountOf(html, kHostileEscaped), 4u);
  ExpectSoundDocument(html);
}

}  // namespace
}  // namespace casedesk::adapters::web
