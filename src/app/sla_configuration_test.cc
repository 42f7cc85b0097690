// The SLA configuration use cases against a real SQLite store: who may read and write, what is
// validated at save time (calendars, SLA policies, schedules with gaps, escalation cycles,
// people who are not staff), what deleting something still in use does, and the audit event of
// every write.
#include "app/sla_configuration.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/default_escalations.h"
#include "app/directory_test_fixture.h"
#include "app/escalation_json.h"
#include "app/groups.h"
#include "app/plans.h"
#include "app/sla_settings.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

core::CalendarSpec Spec(const std::string& zone,
                        std::map<std::string, std::vector<std::string>> hours,
                        std::vector<std::string> holidays = {}) {
  core::CalendarSpec spec;
  spec.time_zone = zone;
  spec.hours = std::move(hours);
  spec.holidays = std::move(holidays);
  return spec;
}

class SlaConfigurationTest : public DirectoryTest {
 protected:
  void SetUp() override {
    DirectoryTest::SetUp();
    globex_ = MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
    agent_ = MakeUser("agent@acme.test", core::Role::kAgent, desk_.provider.id);
    second_agent_ = MakeUser("second@acme.test", core::Role::kAgent, desk_.provider.id);
    manager_ = MakeUser("csm@acme.test", core::Role::kSuccessManager, desk_.provider.id);
    contact_ = MakeUser("jo@globex.test", core::Role::kCustomer, globex_.id);
  }

  absl::StatusOr<CalendarEntry> PutCal(const core::Viewer& viewer, const std::string& name,
                                       core::CalendarSpec spec) {
    return Wait<CalendarEntry>(
        [&](auto done) { PutCalendar(context(), viewer, name, spec, std::move(done)); });
  }
  absl::StatusOr<std::optional<CalendarEntry>> DeleteCal(const core::Viewer& viewer,
                                                         const std::string& name) {
    return Wait<std::optional<CalendarEntry>>(
        [&](auto done) { DeleteCalendar(context(), viewer, name, std::move(done)); });
  }
  absl::StatusOr<PlanSlaPolicy> PutPolicy(const core::Viewer& viewer, const std::string& plan,
                                          core::SlaPolicy policy) {
    return Wait<PlanSlaPolicy>(
        [&](auto done) { PutPlanSlaPolicy(context(), viewer, plan, policy, std::move(done)); });
  }

  absl::StatusOr<core::OnCallSchedule> PutSchedule(const core::Viewer& viewer,
                                                   const std::string& name, const json& body) {
    absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromJson(body);
    if (!schedule.ok()) return schedule.status();
    return Wait<core::OnCallSchedule>(
        [&](auto done) { PutOnCallSchedule(context(), viewer, name, *schedule, std::move(done)); });
  }
  absl::StatusOr<core::OnCallSchedule> DeleteSchedule(const core::Viewer& viewer,
                                                      const std::string& name) {
    return Wait<core::OnCallSchedule>(
        [&](auto done) { DeleteOnCallSchedule(context(), viewer, name, std::move(done)); });
  }
  absl::StatusOr<core::EscalationPolicy> PutEscalation(const core::Viewer& viewer,
                                                       const std::string& name, const json& body) {
    absl::StatusOr<core::EscalationPolicy> policy = EscalationPolicyFromJson(body);
    if (!policy.ok()) return policy.status();
    return Wait<core::EscalationPolicy>(
        [&](auto done) { PutEscalationPolicy(context(), viewer, name, *policy, std::move(done)); });
  }
  absl::StatusOr<core::EscalationPolicy> DeleteEscalation(const core::Viewer& viewer,
                                                          const std::string& name) {
    return Wait<core::EscalationPolicy>(
        [&](auto done) { DeleteEscalationPolicy(context(), viewer, name, std::move(done)); });
  }

  // A weekly rotation of the two agents from Monday 2026-03-02 09:00 in London.
  json Rotation(const std::string& name) const {
    return {{"name", name},
            {"display_name", "Primary"},
            {"time_zone", "Europe/London"},
            {"layers", json::array({{{"name", "weekly"},
                                     {"participants", {agent_.id, second_agent_.id}},
                                     {"start", "2026-03-02T09:00"},
                                     {"turn_minutes", 10080}}})}};
  }

  json Escalation(const std::string& name, json targets) const {
    return {{"name", name},
            {"plans", {"enterprise"}},
            {"severities", {1}},
            {"levels", json::array({{{"trigger", "sla_breach"},
                                     {"delay_minutes", 30},
                                     {"targets", std::move(targets)},
                                     {"actions", {"notify"}}}})}};
  }

  // The audit row of the only event of `kind` about `key`, after checking its envelope. (`init`
  // writes events of its own about the shipped escalation policies.)
  EventRow OnlyEvent(const std::string& kind, const std::string& key) {
    std::vector<EventRow> events;
    for (EventRow& event : EventsOfKind(kind)) {
      if (event.entity_id == key) events.push_back(std::move(event));
    }
    EXPECT_EQ(events.size(), 1u) << kind;
    if (events.empty()) return {};
    EXPECT_EQ(events[0].entity, "setting");
    EXPECT_EQ(events[0].entity_id, key);
    EXPECT_EQ(events[0].actor_id, desk_.admin.id);
    return events[0];
  }

  core::Organisation globex_;
  core::User agent_, second_agent_, manager_, contact_;
};

TEST_F(SlaConfigurationTest, StaffReadAdminsWriteOthersAreRefused) {
  struct Row {
    std::string who;
    core::Viewer viewer;
    bool reads;
    bool writes;
  };
  const std::vector<Row> rows = {
      {"admin", admin_, true, true},
      {"agent", ViewerOf(agent_), true, false},
      {"success manager", ViewerOf(manager_), true, false},
      {"customer", ViewerOf(contact_), false, false},
  };
  const auto code = [](bool allowed) {
    return allowed ? absl::StatusCode::kOk : absl::StatusCode::kPermissionDenied;
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.who);
    EXPECT_EQ(ListCalendars(context(), row.viewer).status().code(), code(row.reads));
    EXPECT_EQ(GetCalendar(context(), row.viewer, "always").status().code(), code(row.reads));
    EXPECT_EQ(GetPlanSlaPolicy(context(), row.viewer, "enterprise").status().code(),
              code(row.reads));
    EXPECT_EQ(ListEscalationPolicies(context(), row.viewer).status().code(), code(row.reads));
    EXPECT_EQ(ListOnCallSchedules(context(), row.viewer).status().code(), code(row.reads));
    // An unknown schedule is NotFound only for those who may ask.
    EXPECT_EQ(WhoIsOnCallNow(context(), row.viewer, "nobody", clock_.Now()).status().code(),
              row.reads ? absl::StatusCode::kNotFound : absl::StatusCode::kPermissionDenied);

    const std::string name = "cal-" + std::to_string(row.viewer.user_id);
    EXPECT_EQ(PutCal(row.viewer, name, core::DefaultCalendarSpecs().at("always")).status().code(),
              code(row.writes));
    EXPECT_EQ(PutPolicy(row.viewer, "developer", core::DefaultSlaPolicies().at("developer"))
                  .status()
                  .code(),
              code(row.writes));
    EXPECT_EQ(PutSchedule(row.viewer, "rota-" + std::to_string(row.viewer.user_id),
                          Rotation("rota-" + std::to_string(row.viewer.user_id)))
                  .status()
                  .code(),
              code(row.writes));
    if (!row.writes) {
      EXPECT_EQ(DeleteCal(row.viewer, "always").status().code(),
                absl::StatusCode::kPermissionDenied);
      EXPECT_EQ(DeleteSchedule(row.viewer, "rota").status().code(),
                absl::StatusCode::kPermissionDenied);
      EXPECT_EQ(DeleteEscalation(row.viewer, "urgent").status().code(),
                absl::StatusCode::kPermissionDenied);
    }
  }
  // Only the admin's writes left a trace.
  EXPECT_EQ(EventsOfKind("calendar.updated").size(), 1u);
  EXPECT_EQ(EventsOfKind("sla_policy.updated").size(), 1u);
  EXPECT_EQ(EventsOfKind("oncall_schedule.updated").size(), 1u);
}

TEST_F(SlaConfigurationTest, CalendarsAreValidatedStoredListedAndAudited) {
  absl::StatusOr<std::vector<CalendarEntry>> listed = ListCalendars(context(), admin_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 3u);  // with the service-task calendar (issue 7)
  EXPECT_EQ((*listed)[0].name, "always");
  EXPECT_TRUE((*listed)[0].shipped);
  EXPECT_EQ((*listed)[1].name, "business-gmt");

  struct Bad {
    std::string name;
    core::CalendarSpec spec;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {"Support EU", Spec("UTC", {{"mon", {"09:00-17:00"}}}), "name"},
      {"eu", Spec("Mars/Olympus", {{"mon", {"09:00-17:00"}}}), "time_zone"},
      {"eu", Spec("/etc/passwd", {{"mon", {"09:00-17:00"}}}), "time_zone"},
      {"eu", Spec("UTC", {{"mon", {"09:00-12:00", "11:00-17:00"}}}), "mon"},
      {"eu", Spec("UTC", {{"mon", {"9am-5pm"}}}), "mon"},
      {"eu", Spec("UTC", {{"someday", {"09:00-17:00"}}}), "someday"},
      {"eu", Spec("UTC", {{"mon", {"09:00-17:00"}}}, {"2026-02-30"}), "2026-02-30"},
      {"eu", Spec("UTC", {}), ""},
  };
  for (const Bad& row : bad) {
    absl::StatusOr<CalendarEntry> saved = PutCal(admin_, row.name, row.spec);
    ASSERT_FALSE(saved.ok()) << row.says;
    EXPECT_EQ(saved.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(saved.status().message()), HasSubstr(row.says));
  }
  EXPECT_TRUE(EventsOfKind("calendar.updated").empty());

  const core::CalendarSpec paris =
      Spec("Europe/Paris", {{"mon", {"09:00-12:00", "13:00-17:00"}}, {"fri", {"22:00-02:00"}}},
           {"2026-12-25"});
  absl::StatusOr<CalendarEntry> saved = PutCal(admin_, "support-eu", paris);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_FALSE(saved->shipped);
  absl::StatusOr<CalendarEntry> fetched = GetCalendar(context(), ViewerOf(agent_), "support-eu");
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->spec.hours, paris.hours);
  EXPECT_EQ(fetched->spec.holidays, paris.holidays);
  EventRow created = OnlyEvent("calendar.updated", "calendar/support-eu");
  EXPECT_THAT(created.changes, HasSubstr("document"));
  EXPECT_THAT(created.changes, HasSubstr("Europe/Paris"));

  // Replacing a shipped calendar records the shipped document as "before".
  ASSERT_TRUE(PutCal(admin_, "business-gmt", Spec("GMT", {{"mon", {"08:00-18:00"}}})).ok());
  std::vector<EventRow> updates = EventsOfKind("calendar.updated");
  ASSERT_EQ(updates.size(), 2u);
  EXPECT_EQ(updates[1].entity_id, "calendar/business-gmt");
  EXPECT_THAT(updates[1].changes, HasSubstr("08:00-01:00"));
  EXPECT_THAT(updates[1].changes, HasSubstr("08:00-18:00"));
  listed = ListCalendars(context(), admin_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 4u);
  EXPECT_FALSE((*listed)[1].shipped);  // business-gmt, replaced
  EXPECT_EQ((*listed)[3].name, "support-eu");

  EXPECT_EQ(GetCalendar(context(), admin_, "nope").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(GetCalendar(context(), admin_, "../x").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SlaConfigurationTest, DeletingACalendarRevertsRefusesOrRemoves) {
  // A shipped calendar nothing replaces cannot go: shipped policies rely on it.
  absl::StatusOr<std::optional<CalendarEntry>> shipped = DeleteCal(admin_, "always");
  EXPECT_EQ(shipped.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(shipped.status().message()), HasSubstr("shipped"));
  EXPECT_EQ(DeleteCal(admin_, "nope").status().code(), absl::StatusCode::kNotFound);

  // Removing a replacement brings the shipped calendar back.
  ASSERT_TRUE(PutCal(admin_, "always", Spec("UTC", {{"mon", {"00:00-24:00"}}})).ok());
  absl::StatusOr<std::optional<CalendarEntry>> reverted = DeleteCal(admin_, "always");
  ASSERT_TRUE(reverted.ok()) << reverted.status();
  ASSERT_TRUE(reverted->has_value());
  EXPECT_TRUE((*reverted)->shipped);
  EXPECT_EQ((*reverted)->spec.hours.size(), 7u);

  // A calendar an SLA policy runs a clock on stays until the policy changes.
  ASSERT_TRUE(PutCal(admin_, "support-eu", Spec("Europe/Paris", {{"tue", {"09:00-17:00"}}})).ok());
  core::SlaPolicy policy = core::DefaultSlaPolicies().at("professional");
  policy.targets[core::Severity::kMajor].resolution.calendar = "support-eu";
  ASSERT_TRUE(PutPolicy(admin_, "professional", policy).ok());
  absl::StatusOr<std::optional<CalendarEntry>> in_use = DeleteCal(admin_, "support-eu");
  EXPECT_EQ(in_use.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(in_use.status().message()), HasSubstr("professional"));

  ASSERT_TRUE(
      PutPolicy(admin_, "professional", core::DefaultSlaPolicies().at("professional")).ok());
  absl::StatusOr<std::optional<CalendarEntry>> removed = DeleteCal(admin_, "support-eu");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_FALSE(removed->has_value());
  EXPECT_EQ(GetCalendar(context(), admin_, "support-eu").status().code(),
            absl::StatusCode::kNotFound);
  std::vector<EventRow> deleted = EventsOfKind("calendar.deleted");
  ASSERT_EQ(deleted.size(), 2u);
  EXPECT_EQ(deleted[1].entity_id, "calendar/support-eu");
  EXPECT_THAT(deleted[1].changes, HasSubstr("Europe/Paris"));
}

TEST_F(SlaConfigurationTest, PlanPoliciesAreShippedThenReplacedAfterValidation) {
  absl::StatusOr<PlanSlaPolicy> enterprise = GetPlanSlaPolicy(context(), admin_, "enterprise");
  ASSERT_TRUE(enterprise.ok()) << enterprise.status();
  EXPECT_TRUE(enterprise->shipped);
  EXPECT_EQ(enterprise->policy, core::DefaultSlaPolicies().at("enterprise"));
  EXPECT_EQ(GetPlanSlaPolicy(context(), admin_, "gold").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(PutPolicy(admin_, "gold", enterprise->policy).status().code(),
            absl::StatusCode::kNotFound);

  struct Bad {
    std::string what;
    std::function<void(core::SlaPolicy&)> change;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {"unknown calendar", [](auto& p) { p.business_calendar = "mars"; }, "business_calendar"},
      {"unknown target calendar",
       [](auto& p) { p.targets[core::Severity::kMinor].first_response.calendar = "mars"; },
       "first_response"},
      {"fraction", [](auto& p) { p.warning_fraction = 1.5; }, "warning_fraction"},
      {"missing severity", [](auto& p) { p.targets.erase(core::Severity::kOther); }, "severity 4"},
      {"solved pauses", [](auto& p) { p.pause_statuses = {core::CaseStatus::kSolved}; },
       "pause_statuses"},
      {"zero minutes",
       [](auto& p) { p.targets[core::Severity::kCritical].first_response.minutes = 0; }, "minutes"},
  };
  for (const Bad& row : bad) {
    core::SlaPolicy policy = core::DefaultSlaPolicies().at("professional");
    row.change(policy);
    absl::StatusOr<PlanSlaPolicy> saved = PutPolicy(admin_, "professional", policy);
    ASSERT_FALSE(saved.ok()) << row.what;
    EXPECT_EQ(saved.status().code(), absl::StatusCode::kInvalidArgument) << row.what;
    EXPECT_THAT(std::string(saved.status().message()), HasSubstr(row.says)) << row.what;
  }
  EXPECT_TRUE(EventsOfKind("sla_policy.updated").empty());

  // A stored calendar is known to policies at once.
  ASSERT_TRUE(PutCal(admin_, "support-eu", Spec("Europe/Paris", {{"tue", {"09:00-17:00"}}})).ok());
  core::SlaPolicy policy = core::DefaultSlaPolicies().at("professional");
  policy.business_calendar = "support-eu";
  policy.warning_fraction = 0.5;
  absl::StatusOr<PlanSlaPolicy> saved = PutPolicy(admin_, "professional", policy);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_FALSE(saved->shipped);
  EXPECT_EQ(saved->policy, policy);
  absl::StatusOr<PlanSlaPolicy> fetched =
      GetPlanSlaPolicy(context(), ViewerOf(agent_), "professional");
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->policy, policy);
  EXPECT_FALSE(fetched->shipped);
  EventRow event = OnlyEvent("sla_policy.updated", "sla_policy/professional");
  EXPECT_THAT(event.changes, HasSubstr("support-eu"));
  EXPECT_THAT(event.changes, HasSubstr("business-gmt"));

  // A plan created later has no policy until one is saved.
  ASSERT_TRUE(Wait<core::SupportPlan>([&](auto done) {
                core::SupportPlan basic;
                basic.name = "basic";
                basic.channels = {core::Channel::kPortal};
                CreatePlan(context(), admin_, basic, std::move(done));
              }).ok());
  absl::StatusOr<PlanSlaPolicy> none = GetPlanSlaPolicy(context(), admin_, "basic");
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(none.status().message()), HasSubstr("no SLA policy"));
  ASSERT_TRUE(PutPolicy(admin_, "basic", core::DefaultSlaPolicies().at("developer")).ok());
  EXPECT_TRUE(GetPlanSlaPolicy(context(), admin_, "basic").ok());
}

TEST_F(SlaConfigurationTest, DurableChangesThatMoveClocksQueueTheirPlans) {
  std::vector<std::string> changed;  // the hook runs on the store's thread, before `done`
  context().sla_config_changed = [&changed](const std::string& plan) { changed.push_back(plan); };

  ASSERT_TRUE(
      PutPolicy(admin_, "professional", core::DefaultSlaPolicies().at("professional")).ok());
  EXPECT_EQ(changed, std::vector<std::string>{"professional"});
  changed.clear();
  core::SlaPolicy broken = core::DefaultSlaPolicies().at("professional");
  broken.business_calendar = "mars";
  EXPECT_FALSE(PutPolicy(admin_, "professional", broken).ok());
  EXPECT_TRUE(changed.empty());

  // Every shipped policy takes its business hours from business-gmt.
  ASSERT_TRUE(PutCal(admin_, "business-gmt", Spec("GMT", {{"mon", {"08:00-18:00"}}})).ok());
  EXPECT_EQ(changed, (std::vector<std::string>{"developer", "enterprise", "professional"}));
  changed.clear();
  ASSERT_TRUE(DeleteCal(admin_, "business-gmt").ok());
  EXPECT_EQ(changed, (std::vector<std::string>{"developer", "enterprise", "professional"}));
  changed.clear();
  // A calendar no policy uses moves no clock.
  ASSERT_TRUE(PutCal(admin_, "spare", Spec("UTC", {{"mon", {"08:00-18:00"}}})).ok());
  ASSERT_TRUE(DeleteCal(admin_, "spare").ok());
  EXPECT_TRUE(changed.empty());
  // Only the plans whose policy uses it.
  ASSERT_TRUE(PutCal(admin_, "spare", Spec("UTC", {{"mon", {"08:00-18:00"}}})).ok());
  core::SlaPolicy developer = core::DefaultSlaPolicies().at("developer");
  developer.targets[core::Severity::kOther].resolution.calendar = "spare";
  ASSERT_TRUE(PutPolicy(admin_, "developer", developer).ok());
  changed.clear();
  ASSERT_TRUE(PutCal(admin_, "spare", Spec("UTC", {{"tue", {"08:00-18:00"}}})).ok());
  EXPECT_EQ(changed, std::vector<std::string>{"developer"});
}

TEST_F(SlaConfigurationTest, SchedulesNeedActiveStaffAndNoGaps) {
  absl::StatusOr<core::OnCallSchedule> saved = PutSchedule(admin_, "primary", Rotation("primary"));
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->name, "primary");
  EventRow event = OnlyEvent("oncall_schedule.updated", "oncall/primary");
  EXPECT_THAT(event.changes, HasSubstr("weekly"));

  absl::StatusOr<std::vector<core::OnCallSchedule>> listed =
      ListOnCallSchedules(context(), ViewerOf(agent_));
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0], *saved);

  struct Bad {
    std::string what;
    std::string name;
    json body;
    std::string says;
  };
  json customer = Rotation("x");
  customer["layers"][0]["participants"] = {agent_.id, contact_.id};
  json ghost = Rotation("x");
  ghost["overrides"] = json::array(
      {{{"user", 99999}, {"start", "2026-03-10T00:00:00Z"}, {"end", "2026-03-11T00:00:00Z"}}});
  json gap = Rotation("x");
  gap["layers"][0]["restrictions"] = json::array(
      {{{"day", "mon"}, {"window", "09:00-17:00"}}, {{"day", "tue"}, {"window", "09:00-17:00"}}});
  json zone = Rotation("x");
  zone["time_zone"] = "Europe/Atlantis";
  json empty = Rotation("x");
  empty["layers"] = json::array();
  const std::vector<Bad> bad = {
      {"customer participant", "x", customer, "layers[0].participants[1]: user"},
      {"unknown override user", "x", ghost, "overrides[0].user: unknown user 99999"},
      {"gap", "x", gap, "gap"},
      {"zone", "x", zone, "time_zone"},
      {"no layers", "x", empty, "layers"},
      {"name mismatch", "y", Rotation("x"), "name"},
      {"bad name", "X Y", Rotation("X Y"), "name"},
  };
  for (const Bad& row : bad) {
    absl::StatusOr<core::OnCallSchedule> result = PutSchedule(admin_, row.name, row.body);
    ASSERT_FALSE(result.ok()) << row.what;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << row.what;
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(row.says)) << row.what;
  }
  EXPECT_EQ(EventsOfKind("oncall_schedule.updated").size(), 1u);
}

TEST_F(SlaConfigurationTest, WhoIsOnCallFollowsTheRotation) {
  ASSERT_TRUE(PutSchedule(admin_, "primary", Rotation("primary")).ok());
  // 2026-03-09 09:00 UTC (London is on GMT): the second week, so the second agent.
  absl::StatusOr<OnCallNow> now =
      WhoIsOnCallNow(context(), ViewerOf(manager_), "primary", absl::FromUnixSeconds(1773046800));
  ASSERT_TRUE(now.ok()) << now.status();
  ASSERT_TRUE(now->shift.has_value());
  EXPECT_EQ(now->shift->user, second_agent_.id);
  EXPECT_EQ(now->shift->layer, "weekly");
  EXPECT_EQ(now->shift->since, absl::FromUnixSeconds(1773046800));
  ASSERT_TRUE(now->user.has_value());
  EXPECT_EQ(now->user->email, "second@acme.test");

  absl::StatusOr<OnCallNow> first_week = WhoIsOnCallNow(
      context(), admin_, "primary", absl::FromUnixSeconds(1773046800) - absl::Hours(24));
  ASSERT_TRUE(first_week.ok());
  ASSERT_TRUE(first_week->shift.has_value());
  EXPECT_EQ(first_week->shift->user, agent_.id);

  absl::StatusOr<OnCallNow> before =
      WhoIsOnCallNow(context(), admin_, "primary", absl::FromUnixSeconds(1700000000));
  ASSERT_TRUE(before.ok());
  EXPECT_FALSE(before->shift.has_value());
  EXPECT_FALSE(before->user.has_value());
}

TEST_F(SlaConfigurationTest, EscalationPoliciesAreCheckedAgainstTheStore) {
  ASSERT_TRUE(PutSchedule(admin_, "primary", Rotation("primary")).ok());
  absl::StatusOr<ports::Page<core::Group>> groups = ListGroups(context(), admin_, {});
  ASSERT_TRUE(groups.ok() && !groups->items.empty());
  const std::string triage = std::to_string(groups->items[0].id);

  absl::StatusOr<core::EscalationPolicy> saved = PutEscalation(
      admin_, "urgent",
      Escalation("urgent", json::array({{{"kind", "oncall"}, {"ref", "primary"}},
                                        {{"kind", "tier"}, {"ref", "executive"}},
                                        {{"kind", "group"}, {"ref", triage}},
                                        {{"kind", "user"}, {"ref", std::to_string(agent_.id)}}})));
  ASSERT_TRUE(saved.ok()) << saved.status();
  EventRow event = OnlyEvent("escalation_policy.updated", "escalation_policy/urgent");
  EXPECT_THAT(event.changes, HasSubstr("executive"));
  absl::StatusOr<core::EscalationPolicy> fetched =
      GetEscalationPolicy(context(), ViewerOf(agent_), "urgent");
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(*fetched, *saved);

  json empty = Escalation("bad", json::array());
  empty["levels"] = json::array();
  json unknown_plan = Escalation("bad", json::array({{{"kind", "tier"}, {"ref", "executive"}}}));
  unknown_plan["plans"] = {"gold"};
  struct Bad {
    std::string what;
    json body;
    std::string says;
  };
  const std::vector<Bad> bad = {
      {"no levels", empty, "levels"},
      {"unknown plan", unknown_plan, "gold"},
      {"unknown schedule",
       Escalation("bad", json::array({{{"kind", "oncall"}, {"ref", "secondary"}}})), "secondary"},
      {"unknown group", Escalation("bad", json::array({{{"kind", "group"}, {"ref", "99999"}}})),
       "unknown group"},
      {"customer target",
       Escalation("bad", json::array({{{"kind", "user"}, {"ref", std::to_string(contact_.id)}}})),
       "levels[0].targets[0]: user"},
      {"unknown policy", Escalation("bad", json::array({{{"kind", "policy"}, {"ref", "later"}}})),
       "later"},
  };
  for (const Bad& row : bad) {
    absl::StatusOr<core::EscalationPolicy> result = PutEscalation(admin_, "bad", row.body);
    ASSERT_FALSE(result.ok()) << row.what;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << row.what;
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(row.says)) << row.what;
  }

  // Hand-overs: next -> urgent is fine; urgent -> next then closes a cycle.
  ASSERT_TRUE(
      PutEscalation(admin_, "next",
                    Escalation("next", json::array({{{"kind", "policy"}, {"ref", "urgent"}}})))
          .ok());
  absl::StatusOr<core::EscalationPolicy> cycle = PutEscalation(
      admin_, "urgent", Escalation("urgent", json::array({{{"kind", "policy"}, {"ref", "next"}}})));
  EXPECT_EQ(cycle.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(cycle.status().message()), HasSubstr("cycle"));

  // What is referenced cannot be deleted.
  absl::StatusOr<core::EscalationPolicy> referenced = DeleteEscalation(admin_, "urgent");
  EXPECT_EQ(referenced.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(referenced.status().message()), HasSubstr("next"));
  absl::StatusOr<core::OnCallSchedule> schedule_in_use = DeleteSchedule(admin_, "primary");
  EXPECT_EQ(schedule_in_use.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(schedule_in_use.status().message()), HasSubstr("urgent"));

  ASSERT_TRUE(DeleteEscalation(admin_, "next").ok());
  ASSERT_TRUE(DeleteEscalation(admin_, "urgent").ok());
  EXPECT_EQ(DeleteEscalation(admin_, "urgent").status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<core::OnCallSchedule> removed = DeleteSchedule(admin_, "primary");
  ASSERT_TRUE(removed.ok()) << removed.status();
  EXPECT_EQ(removed->name, "primary");
  EXPECT_EQ(DeleteSchedule(admin_, "primary").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(EventsOfKind("escalation_policy.deleted").size(), 2u);
  EventRow gone = OnlyEvent("oncall_schedule.deleted", "oncall/primary");
  EXPECT_THAT(gone.changes, HasSubstr("weekly"));
  absl::StatusOr<std::vector<core::EscalationPolicy>> left =
      ListEscalationPolicies(context(), admin_);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(left->size(), DefaultEscalationPolicies().size()) << "only the shipped ones are left";
}

}  // namespace
}  // namespace casedesk::app
