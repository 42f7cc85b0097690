// The plan, SLA policy and severity definition pages: the SLA form's text and a policy convert
// both ways, unreadable text is refused naming the field, and the pages label every input, keep
// what was typed, escape text and show Save only to admins.
#include "adapters/web/console_plan_pages.h"

#include <string>

#include "adapters/web/console_plan_sla_page.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

ConsoleFrame Frame() {
  ConsoleFrame frame;
  frame.desk_name = "Acme Support";
  frame.user_name = "Ada";
  frame.csrf_token = "abc123";
  frame.active = "admin";
  frame.title = "Plans";
  return frame;
}

TEST(SlaPolicyForm, EveryShippedPolicyRoundTripsThroughTheForm) {
  for (const auto& [plan, policy] : core::DefaultSlaPolicies()) {
    const SlaPolicyFormText form = SlaPolicyFormFromPolicy(policy);
    absl::StatusOr<core::SlaPolicy> back = SlaPolicyFromForm(form, policy);
    ASSERT_TRUE(back.ok()) << plan << ": " << back.status();
    EXPECT_EQ(*back, policy) << plan;
  }
}

TEST(SlaPolicyForm, ShowsMinutesNamedTargetsAndCalendars) {
  const core::SlaPolicy enterprise = core::DefaultSlaPolicies().at("enterprise");
  const SlaPolicyFormText form = SlaPolicyFormFromPolicy(enterprise);
  EXPECT_EQ(form.business_calendar, "business-gmt");
  EXPECT_EQ(form.warning_percent, "75");
  EXPECT_EQ(form.severities[0].clocks[0].target, "60");
  EXPECT_EQ(form.severities[0].clocks[0].calendar, "always");
  EXPECT_EQ(form.severities[2].clocks[1].target, "on_milestone");
  EXPECT_EQ(form.severities[2].clocks[2].target, "next_release");
}

TEST(SlaPolicyForm, ReadsPostedFieldsIntoThePolicyKeepingWhatTheFormDoesNotShow) {
  const core::SlaPolicy enterprise = core::DefaultSlaPolicies().at("enterprise");
  SlaPolicyFormText form = SlaPolicyFormFromFields([&](std::string_view name) -> std::string {
    if (name == "s2_first_response") return " 120 ";
    if (name == "s2_first_response_calendar") return "always";
    if (name == "warning_percent") return "80";
    if (name == "business_calendar") return "business-gmt";
    if (name == "confirm_critical") return "1";
    if (name.ends_with("_calendar")) return "";
    if (name.ends_with("next_update")) return "on_milestone";
    return "600";
  });
  absl::StatusOr<core::SlaPolicy> policy = SlaPolicyFromForm(form, enterprise);
  ASSERT_TRUE(policy.ok()) << policy.status();
  const core::SeverityTargets& major = policy->targets.at(core::Severity::kMajor);
  EXPECT_EQ(major.first_response, core::SlaTarget::Minutes(120, "always"));
  EXPECT_EQ(major.next_update, core::UpdateCadence::OnMilestone());
  EXPECT_EQ(major.resolution, core::SlaTarget::Minutes(600));
  EXPECT_DOUBLE_EQ(policy->warning_fraction, 0.8);
  EXPECT_TRUE(policy->confirm_critical_before_paging);
  EXPECT_EQ(policy->after_hours, enterprise.after_hours);
  EXPECT_EQ(policy->estimate, enterprise.estimate);
  EXPECT_EQ(policy->pause_statuses, enterprise.pause_statuses);
}

TEST(SlaPolicyForm, RefusesUnreadableTextNamingTheField) {
  const core::SlaPolicy base = core::DefaultSlaPolicies().at("developer");
  struct Case {
    int level;
    size_t clock;
    std::string text;
    std::string expected;
  };
  const Case cases[] = {
      {2, 0, "", "severity 2 first response"},
      {3, 2, "12x", "severity 3 resolution"},
      {1, 1, "next_release", "severity 1 update cadence"},
      {4, 0, "99999999999999999999", "severity 4 first response"},
  };
  for (const Case& c : cases) {
    SlaPolicyFormText form = SlaPolicyFormFromPolicy(base);
    form.severities[c.level - 1].clocks[c.clock].target = c.text;
    absl::StatusOr<core::SlaPolicy> policy = SlaPolicyFromForm(form, base);
    ASSERT_FALSE(policy.ok()) << c.text;
    EXPECT_THAT(policy.status().message(), HasSubstr(c.expected)) << c.text;
  }
  for (const char* percent : {"", "0", "100", "abc"}) {
    SlaPolicyFormText form = SlaPolicyFormFromPolicy(base);
    form.warning_percent = percent;
    EXPECT_THAT(SlaPolicyFromForm(form, base).status().message(), HasSubstr("warning_percent"))
        << percent;
  }
}

TEST(PlanSlaPage, LabelsEveryTargetAndCalendarAndKeepsWhatWasTyped) {
  ConsolePlanSlaView view;
  view.plan = "gold";
  view.may_edit = true;
  view.base = core::DefaultSlaPolicies().at("enterprise");
  view.form = SlaPolicyFormFromPolicy(view.base);
  view.form.severities[1].clocks[0] = {"<b>soon</b>", "gone-calendar"};
  view.calendars = {"always", "business-gmt"};
  view.severity_names = {"Critical", "Major", "Minor", "Other"};
  view.error = "severity 2 (major): first_response: target name '<b>soon</b>' is malformed";
  const std::string page = RenderConsolePlanSlaPage(Frame(), view);
  EXPECT_THAT(page, HasSubstr("<label for=\"sla-2-first_response\">Severity 2 first response "
                              "target</label>"));
  EXPECT_THAT(page, HasSubstr("<label for=\"sla-4-resolution-calendar\">Severity 4 resolution "
                              "calendar</label>"));
  EXPECT_THAT(page, HasSubstr("value=\"&lt;b&gt;soon&lt;/b&gt;\""));
  EXPECT_THAT(page, HasSubstr("<option value=\"gone-calendar\" selected>"));
  EXPECT_THAT(page, HasSubstr("role=\"alert\""));
  EXPECT_THAT(page, Not(HasSubstr("<b>soon</b>")));
  EXPECT_THAT(page, HasSubstr("Save SLA policy"));
  EXPECT_THAT(page, HasSubstr("name=\"csrf_token\" value=\"abc123\""));
  EXPECT_THAT(page, HasSubstr("triage 15 business minutes on always"));
  view.may_edit = false;
  EXPECT_THAT(RenderConsolePlanSlaPage(Frame(), view), Not(HasSubstr("Save SLA policy")));
}

TEST(PlanPages, ListAndPlanPageShowFactsHistoryAndEscapedText) {
  ConsolePlanListView list;
  core::SupportPlan plan;
  plan.name = "gold";
  plan.display_name = "Gold <i>Plus</i>";
  plan.channels = {core::Channel::kPortal, core::Channel::kApi};
  plan.partner_eligible = true;
  list.plans.push_back({plan, "Stored"});
  list.may_edit = true;
  list.next_cursor = "gold";
  list.form = {.name = "silver", .display_name = "Typed", .channels = {"email"}};
  list.error = "plan name must be 1 to 64 characters";
  std::string page = RenderConsolePlanListPage(Frame(), list);
  EXPECT_THAT(page, HasSubstr("Gold &lt;i&gt;Plus&lt;/i&gt;"));
  EXPECT_THAT(page, HasSubstr("portal, api"));
  EXPECT_THAT(page, HasSubstr("href=\"/console/admin/plans/gold/sla\""));
  EXPECT_THAT(page, HasSubstr("href=\"/console/admin/plans?cursor=gold\""));
  EXPECT_THAT(page, HasSubstr("value=\"silver\""));
  EXPECT_THAT(page, HasSubstr("id=\"plan-new-channel-email\" name=\"channels\" value=\"email\" "
                              "checked"));
  EXPECT_THAT(page, HasSubstr("<label for=\"plan-new-channel-api\">API</label>"));
  list.may_edit = false;
  EXPECT_THAT(RenderConsolePlanListPage(Frame(), list), Not(HasSubstr("Create plan")));

  ConsolePlanView view;
  view.name = "gold";
  view.form = PlanFormFromPlan(plan);
  core::AuditEvent event;
  event.kind = "plan.updated";
  event.at = absl::FromUnixSeconds(1767225600);  // 2026-01-01 00:00 UTC
  event.changes = {{"display_name", "Gold", "Gold <i>Plus</i>"}};
  view.events = {event};
  page = RenderConsolePlanPage(Frame(), view);
  EXPECT_THAT(page, HasSubstr("display_name: Gold → Gold &lt;i&gt;Plus&lt;/i&gt;"));
  EXPECT_THAT(page, HasSubstr("datetime=\"2026-01-01T00:00:00Z\""));
  EXPECT_THAT(page, HasSubstr("Only an admin can change plans."));
  EXPECT_THAT(page, Not(HasSubstr("Save plan")));
  EXPECT_THAT(page, HasSubstr("id=\"plan-partner\" name=\"partner_eligible\" value=\"1\" checked"));
}

TEST(SeverityPage, ShowsEachLevelsDefinitionWithExamplesOnePerLine) {
  core::SeverityDefinition major;
  major.level = core::Severity::kMajor;
  major.name = "Major";
  major.summary = "Production works, badly";
  major.examples = {"Checkout is slow", "Reports time out"};
  ConsoleSeverityView view;
  view.levels = SeverityFormFromDefinitions({major});
  view.may_edit = true;
  EXPECT_EQ(view.levels[1].examples, "Checkout is slow\nReports time out");
  EXPECT_EQ(view.levels[3].level, 4);
  const std::string page = RenderConsoleSeverityPage(Frame(), view);
  EXPECT_THAT(page, HasSubstr("<label for=\"sev-2-summary\">Severity 2 summary</label>"));
  EXPECT_THAT(page, HasSubstr(">Checkout is slow\nReports time out</textarea>"));
  EXPECT_THAT(page, HasSubstr("Save definitions"));
}

}  // namespace
}  // namespace casedesk::adapters::web
