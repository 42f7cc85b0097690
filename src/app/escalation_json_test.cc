#include "app/escalation_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace casedesk::app {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// The documented shape, with every key written, as ToJson writes it.
const char kScheduleText[] = R"({
  "name": "primary",
  "display_name": "Primary on-call",
  "time_zone": "Europe/London",
  "layers": [
    {"name": "weekly", "participants": [12, 15, 19], "start": "2026-03-02T09:00",
     "turn_minutes": 10080, "restrictions": []},
    {"name": "nights", "participants": [21], "start": "2026-03-02T20:00",
     "turn_minutes": 1440,
     "restrictions": [{"day": "sat", "window": "22:00-06:00"},
                      {"day": "sun", "window": "06:00-24:00"}]}
  ],
  "overrides": [
    {"user": 15, "start": "2026-03-07T00:00:00Z", "end": "2026-03-08T00:00:00.5Z",
     "reason": "swap with Sam"}
  ]
})";

const char kPolicyText[] = R"({
  "name": "urgent",
  "description": "Executives hear about urgent issues",
  "enabled": true,
  "plans": ["enterprise"],
  "severities": [1, 2],
  "levels": [
    {"trigger": "case_created_critical", "clocks": [], "delay_minutes": 0,
     "targets": [{"kind": "tier", "ref": "executive"}], "actions": ["notify"]},
    {"trigger": "sla_breach", "clocks": ["first_response", "next_update"], "delay_minutes": 30,
     "targets": [{"kind": "oncall", "ref": "primary"}, {"kind": "group", "ref": "3"},
                 {"kind": "skill", "ref": "security"}, {"kind": "user", "ref": "7"},
                 {"kind": "policy", "ref": "management"}],
     "actions": ["notify", "reassign", "raise_tier"]}
  ]
})";

absl::Time T(const std::string& text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) ADD_FAILURE() << text;
  return t;
}

TEST(EscalationJsonTest, ScheduleDecodesTheDocumentedShape) {
  absl::StatusOr<core::OnCallSchedule> schedule =
      OnCallScheduleFromJson(json::parse(kScheduleText));
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_EQ(schedule->name, "primary");
  EXPECT_EQ(schedule->display_name, "Primary on-call");
  EXPECT_EQ(schedule->time_zone, "Europe/London");
  ASSERT_EQ(schedule->layers.size(), 2u);
  EXPECT_EQ(schedule->layers[0].participants, (std::vector<core::UserId>{12, 15, 19}));
  EXPECT_EQ(schedule->layers[0].start, absl::CivilMinute(2026, 3, 2, 9, 0));
  EXPECT_EQ(schedule->layers[0].turn_minutes, 10080);
  EXPECT_TRUE(schedule->layers[0].restrictions.empty());
  EXPECT_EQ(schedule->layers[1].restrictions,
            (std::vector<core::OnCallWindow>{{absl::Weekday::saturday, 22 * 60, 6 * 60},
                                             {absl::Weekday::sunday, 6 * 60, 24 * 60}}));
  ASSERT_EQ(schedule->overrides.size(), 1u);
  EXPECT_EQ(schedule->overrides[0].user, 15);
  EXPECT_EQ(schedule->overrides[0].start, T("2026-03-07T00:00:00Z"));
  EXPECT_EQ(schedule->overrides[0].end, T("2026-03-08T00:00:00Z") + absl::Milliseconds(500));
  EXPECT_EQ(schedule->overrides[0].reason, "swap with Sam");
  // And writes it back exactly.
  EXPECT_EQ(OnCallScheduleToJson(*schedule), json::parse(kScheduleText));
  EXPECT_EQ(OnCallScheduleFromJson(OnCallScheduleToJson(*schedule)).value(), *schedule);
}

TEST(EscalationJsonTest, ScheduleOptionalKeysAndOffsets) {
  absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromJson(json::parse(R"({
    "name": "p", "time_zone": "UTC", "display_name": null,
    "layers": [{"name": "l", "participants": [1], "start": "2026-01-01T00:00",
                "turn_minutes": 60}],
    "overrides": [{"user": 1, "start": "2026-03-07T01:00:00+01:00",
                   "end": "2026-03-07T02:30:00-00:30"}]
  })"));
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_EQ(schedule->display_name, "");
  EXPECT_TRUE(schedule->layers[0].restrictions.empty());
  EXPECT_EQ(schedule->overrides[0].reason, "");
  EXPECT_EQ(schedule->overrides[0].start, T("2026-03-07T00:00:00Z"));
  EXPECT_EQ(OnCallScheduleToJson(*schedule)["overrides"][0]["end"], "2026-03-07T03:00:00Z");
  EXPECT_EQ(OnCallScheduleFromJson(json::parse(R"({"name": "p", "time_zone": "UTC",
      "layers": []})"))
                ->overrides.size(),
            0u);
}

struct BadJsonCase {
  const char* name;
  std::function<void(json&)> mutate;
  const char* message;
};

TEST(EscalationJsonTest, ScheduleShapeErrorsNameTheField) {
  const std::vector<BadJsonCase> cases = {
      {"not an object", [](json& j) { j = json::array(); },
       "an on-call schedule must be a JSON object"},
      {"unknown key", [](json& j) { j["nmae"] = "x"; },
       "nmae: unknown key (expected name, display_name, time_zone, layers, overrides)"},
      {"missing name", [](json& j) { j.erase("name"); }, "name: required"},
      {"null name", [](json& j) { j["name"] = nullptr; }, "name: required"},
      {"numeric name", [](json& j) { j["name"] = 3; }, "name: expected a string"},
      {"missing zone", [](json& j) { j.erase("time_zone"); }, "time_zone: required"},
      {"missing layers", [](json& j) { j.erase("layers"); }, "layers: required"},
      {"layers object", [](json& j) { j["layers"] = json::object(); }, "layers: expected an array"},
      {"layer not object", [](json& j) { j["layers"][0] = "weekly"; },
       "layers[0]: expected an object"},
      {"layer unknown key", [](json& j) { j["layers"][1]["rotation"] = 1; },
       "layers[1].rotation: unknown key (expected name, participants, start, turn_minutes, "
       "restrictions)"},
      {"layer without name", [](json& j) { j["layers"][0].erase("name"); },
       "layers[0].name: required"},
      {"participant as text", [](json& j) { j["layers"][0]["participants"][1] = "15"; },
       "layers[0].participants[1]: expected a user id (an integer)"},
      {"participants missing", [](json& j) { j["layers"][0].erase("participants"); },
       "layers[0].participants: required"},
      {"impossible start", [](json& j) { j["layers"][0]["start"] = "2026-02-30T09:00"; },
       "layers[0].start: expected a local date and time \"YYYY-MM-DDTHH:MM\""},
      {"start with space", [](json& j) { j["layers"][0]["start"] = "2026-03-02 09:00"; },
       "layers[0].start: expected a local date and time"},
      {"start with seconds", [](json& j) { j["layers"][0]["start"] = "2026-03-02T09:00:00"; },
       "layers[0].start: expected a local date and time"},
      {"start hour 24", [](json& j) { j["layers"][0]["start"] = "2026-03-02T24:00"; },
       "layers[0].start: expected a local date and time"},
      {"fractional turn", [](json& j) { j["layers"][0]["turn_minutes"] = 1440.5; },
       "layers[0].turn_minutes: expected an integer"},
      {"huge turn", [](json& j) { j["layers"][0]["turn_minutes"] = 18446744073709551615ull; },
       "layers[0].turn_minutes: integer out of range"},
      {"missing turn", [](json& j) { j["layers"][0].erase("turn_minutes"); },
       "layers[0].turn_minutes: required"},
      {"restrictions object", [](json& j) { j["layers"][1]["restrictions"] = json::object(); },
       "layers[1].restrictions: expected an array"},
      {"bad day", [](json& j) { j["layers"][1]["restrictions"][0]["day"] = "saturday"; },
       "layers[1].restrictions[0].day: expected one of mon, tue, wed, thu, fri, sat, sun"},
      {"bad window", [](json& j) { j["layers"][1]["restrictions"][1]["window"] = "25:00-06:00"; },
       "layers[1].restrictions[1].window: window \"25:00-06:00\" has an invalid start time"},
      {"empty window", [](json& j) { j["layers"][1]["restrictions"][1]["window"] = "06:00-06:00"; },
       "layers[1].restrictions[1].window: window \"06:00-06:00\" has equal start and end"},
      {"restriction key", [](json& j) { j["layers"][1]["restrictions"][0]["days"] = "sat"; },
       "layers[1].restrictions[0].days: unknown key (expected day, window)"},
      {"override without offset",
       [](json& j) { j["overrides"][0]["start"] = "2026-03-07T00:00:00"; },
       "overrides[0].start: expected an RFC 3339 instant such as \"2026-03-07T00:00:00Z\""},
      {"override date only", [](json& j) { j["overrides"][0]["end"] = "2026-03-08"; },
       "overrides[0].end: expected an RFC 3339 instant"},
      {"override without user", [](json& j) { j["overrides"][0].erase("user"); },
       "overrides[0].user: required"},
      {"override reason number", [](json& j) { j["overrides"][0]["reason"] = 5; },
       "overrides[0].reason: expected a string"},
  };
  for (const BadJsonCase& c : cases) {
    SCOPED_TRACE(c.name);
    json document = json::parse(kScheduleText);
    c.mutate(document);
    const absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromJson(document);
    ASSERT_FALSE(schedule.ok());
    EXPECT_EQ(schedule.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(schedule.status().message(), HasSubstr(c.message));
  }
}

TEST(EscalationJsonTest, PolicyDecodesTheDocumentedShape) {
  absl::StatusOr<core::EscalationPolicy> policy =
      EscalationPolicyFromJson(json::parse(kPolicyText));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->name, "urgent");
  EXPECT_TRUE(policy->enabled);
  EXPECT_EQ(policy->plans, std::vector<std::string>{"enterprise"});
  EXPECT_EQ(policy->severities,
            (std::vector<core::Severity>{core::Severity::kCritical, core::Severity::kMajor}));
  ASSERT_EQ(policy->levels.size(), 2u);
  const core::EscalationLevel& breach = policy->levels[1];
  EXPECT_EQ(breach.trigger, core::EscalationTrigger::kSlaBreach);
  EXPECT_EQ(breach.clocks, (std::vector<core::SlaClockKind>{core::SlaClockKind::kFirstResponse,
                                                            core::SlaClockKind::kNextUpdate}));
  EXPECT_EQ(breach.delay_minutes, 30);
  EXPECT_EQ(breach.targets, (std::vector<core::EscalationTarget>{
                                {core::EscalationTargetKind::kOnCall, "primary"},
                                {core::EscalationTargetKind::kGroup, "3"},
                                {core::EscalationTargetKind::kSkill, "security"},
                                {core::EscalationTargetKind::kUser, "7"},
                                {core::EscalationTargetKind::kPolicy, "management"}}));
  EXPECT_EQ(breach.actions, (std::vector<core::EscalationAction>{
                                core::EscalationAction::kNotify, core::EscalationAction::kReassign,
                                core::EscalationAction::kRaiseTier}));
  EXPECT_EQ(EscalationPolicyToJson(*policy), json::parse(kPolicyText));
  EXPECT_EQ(EscalationPolicyFromJson(EscalationPolicyToJson(*policy)).value(), *policy);
}

TEST(EscalationJsonTest, PolicyOptionalKeysTakeTheirDefaults) {
  absl::StatusOr<core::EscalationPolicy> policy = EscalationPolicyFromJson(json::parse(R"({
    "name": "management",
    "levels": [{"trigger": "customer_request",
                "targets": [{"kind": "tier", "ref": "support_manager"}],
                "actions": ["notify"]}]
  })"));
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->description, "");
  EXPECT_TRUE(policy->enabled);
  EXPECT_TRUE(policy->plans.empty());
  EXPECT_TRUE(policy->severities.empty());
  EXPECT_TRUE(policy->levels[0].clocks.empty());
  EXPECT_EQ(policy->levels[0].delay_minutes, 0);
  policy->enabled = false;
  EXPECT_EQ(EscalationPolicyToJson(*policy)["enabled"], false);
  EXPECT_EQ(EscalationPolicyFromJson(EscalationPolicyToJson(*policy)).value(), *policy);
}

TEST(EscalationJsonTest, PolicyShapeErrorsNameTheField) {
  const std::vector<BadJsonCase> cases = {
      {"not an object", [](json& j) { j = "urgent"; },
       "an escalation policy must be a JSON object"},
      {"unknown key", [](json& j) { j["priority"] = 1; },
       "priority: unknown key (expected name, description, enabled, plans, severities, "
       "levels)"},
      {"missing name", [](json& j) { j.erase("name"); }, "name: required"},
      {"enabled as text", [](json& j) { j["enabled"] = "yes"; }, "enabled: expected true or false"},
      {"plan as number", [](json& j) { j["plans"][0] = 3; }, "plans[0]: expected a string"},
      {"severity 5", [](json& j) { j["severities"][1] = 5; },
       "severities[1]: expected a severity level, an integer from 1 to 4"},
      {"severity name", [](json& j) { j["severities"][0] = "critical"; },
       "severities[0]: expected a severity level, an integer from 1 to 4"},
      {"missing levels", [](json& j) { j.erase("levels"); }, "levels: required"},
      {"level unknown key", [](json& j) { j["levels"][0]["delay"] = 5; },
       "levels[0].delay: unknown key (expected trigger, clocks, delay_minutes, targets, "
       "actions)"},
      {"bad trigger", [](json& j) { j["levels"][0]["trigger"] = "breach"; },
       "levels[0].trigger: expected one of case_created_critical, sla_warning, sla_breach, "
       "customer_request, security_incident, manual"},
      {"missing trigger", [](json& j) { j["levels"][0].erase("trigger"); },
       "levels[0].trigger: required"},
      {"bad clock", [](json& j) { j["levels"][1]["clocks"][1] = "update"; },
       "levels[1].clocks[1]: expected one of first_response, next_update, resolution, triage, "
       "status_notification"},
      {"delay as text", [](json& j) { j["levels"][1]["delay_minutes"] = "30"; },
       "levels[1].delay_minutes: expected an integer"},
      {"missing targets", [](json& j) { j["levels"][0].erase("targets"); },
       "levels[0].targets: required"},
      {"bad target kind", [](json& j) { j["levels"][1]["targets"][0]["kind"] = "schedule"; },
       "levels[1].targets[0].kind: expected one of group, tier, skill, oncall, user, policy"},
      {"numeric ref", [](json& j) { j["levels"][1]["targets"][1]["ref"] = 3; },
       "levels[1].targets[1].ref: expected a string"},
      {"target unknown key", [](json& j) { j["levels"][1]["targets"][1]["id"] = 3; },
       "levels[1].targets[1].id: unknown key (expected kind, ref)"},
      {"missing actions", [](json& j) { j["levels"][1].erase("actions"); },
       "levels[1].actions: required"},
      {"bad action", [](json& j) { j["levels"][1]["actions"][2] = "page"; },
       "levels[1].actions[2]: expected one of notify, reassign, raise_tier"},
  };
  for (const BadJsonCase& c : cases) {
    SCOPED_TRACE(c.name);
    json document = json::parse(kPolicyText);
    c.mutate(document);
    const absl::StatusOr<core::EscalationPolicy> policy = EscalationPolicyFromJson(document);
    ASSERT_FALSE(policy.ok());
    EXPECT_EQ(policy.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(policy.status().message(), HasSubstr(c.message));
  }
}

TEST(EscalationJsonTest, RulesAreLeftToCoreValidationWhichNamesTheSamePlaces) {
  // Well-shaped but invalid documents decode; core validation then names the JSON path.
  json document = json::parse(kPolicyText);
  document["levels"][1]["delay_minutes"] = -5;
  absl::StatusOr<core::EscalationPolicy> policy = EscalationPolicyFromJson(document);
  ASSERT_TRUE(policy.ok()) << policy.status();
  core::EscalationCatalog catalog;
  catalog.plans = {"enterprise"};
  EXPECT_EQ(std::string(core::ValidateEscalationPolicy(*policy, catalog).message()),
            "levels[1]: delay_minutes must be 0 to 525600, got -5");

  json schedule_document = json::parse(kScheduleText);
  schedule_document["overrides"][0]["end"] = "2026-03-06T00:00:00Z";
  absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromJson(schedule_document);
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  EXPECT_EQ(std::string(core::ValidateOnCallSchedule(*schedule, london).message()),
            "overrides[0]: end must be after start");
}

}  // namespace
}  // namespace casedesk::app
