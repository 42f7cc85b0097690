#include "adapters/http/console_escalation_forms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "adapters/http/console_oncall_forms.h"
#include "adapters/web/console_escalation_pages.h"

namespace casedesk::adapters::http {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(EscalationFormTest, ReadsStepsDroppingBlankAndRemovedRowsAndSlots) {
  const EscalationFormFields fields = {{"description", "Breaches"},
                                       {"enabled", "1"},
                                       {"plan", "enterprise"},
                                       {"severity", "1"},
                                       {"severity", "2"},
                                       {"s0_trigger", "manual"},
                                       {"s0_delay", "5"},
                                       {"s0_t0", "tier:sme"},
                                       {"s0_k0", ""},
                                       {"s0_action", "notify"},
                                       {"s0_remove", "1"},
                                       {"s1_trigger", "sla_breach"},
                                       {"s1_delay", ""},
                                       {"s1_clock", "first_response"},
                                       {"s1_t0", ""},
                                       {"s1_k0", ""},
                                       {"s1_t1", "oncall:primary"},
                                       {"s1_k1", ""},
                                       {"s1_t2", ""},
                                       {"s1_k2", " network "},
                                       {"s1_action", "notify"},
                                       {"s1_action", "reassign"},
                                       {"s2_trigger", ""},
                                       {"s2_delay", "0"},
                                       {"s2_t0", ""},
                                       {"s2_k0", ""},
                                       {"s2_action", "notify"}};
  const web::EscalationFormText form = EscalationFormFromFields(fields);
  ASSERT_EQ(form.steps.size(), 2u);  // the removed row is gone, the blank one kept as text
  EscalationFormRows rows;
  absl::StatusOr<core::EscalationPolicy> policy = EscalationPolicyFromForm("p", form, rows);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->name, "p");
  EXPECT_EQ(policy->plans, std::vector<std::string>{"enterprise"});
  EXPECT_EQ(policy->severities,
            (std::vector<core::Severity>{core::Severity::kCritical, core::Severity::kMajor}));
  ASSERT_EQ(policy->levels.size(), 1u);
  const core::EscalationLevel& level = policy->levels[0];
  EXPECT_EQ(level.trigger, core::EscalationTrigger::kSlaBreach);
  EXPECT_EQ(level.clocks, std::vector<core::SlaClockKind>{core::SlaClockKind::kFirstResponse});
  EXPECT_EQ(level.delay_minutes, 0);
  EXPECT_EQ(level.targets,
            (std::vector<core::EscalationTarget>{{core::EscalationTargetKind::kOnCall, "primary"},
                                                 {core::EscalationTargetKind::kSkill, "network"}}));
  EXPECT_EQ(level.actions,
            (std::vector<core::EscalationAction>{core::EscalationAction::kNotify,
                                                 core::EscalationAction::kReassign}));
  // Paths of the document name the form's rows: step row 0 of the form, targets in slots 1, 2.
  EXPECT_EQ(rows.rows, std::vector<int>{0});
  EXPECT_EQ(rows.slots, (std::vector<std::vector<int>>{{1, 2}}));
  EXPECT_EQ(EscalationFormMessage("levels[0].targets[1]: unknown skill 'network'", rows),
            "step 1 target 3: unknown skill 'network'");
  EXPECT_EQ(
      EscalationFormMessage(
          "levels[0]: reassign needs targets that can own a case, but targets[0] hands", rows),
      "step 1: reassign needs targets that can own a case, but target 2 hands");
  EXPECT_EQ(EscalationFormMessage("levels: a policy needs at least one level", rows),
            "steps: a policy needs at least one level");
}

TEST(EscalationFormTest, TheFormOfAPolicyGivesItBack) {
  core::EscalationPolicy policy;
  policy.name = "p";
  policy.description = "d";
  policy.enabled = false;
  policy.levels.push_back({.trigger = core::EscalationTrigger::kSlaWarning,
                           .clocks = {core::SlaClockKind::kResolution},
                           .delay_minutes = 10,
                           .targets = {{core::EscalationTargetKind::kUser, "12"},
                                       {core::EscalationTargetKind::kSkill, "storage"},
                                       {core::EscalationTargetKind::kPolicy, "other"}},
                           .actions = {core::EscalationAction::kNotify}});
  const web::EscalationFormText form = web::EscalationFormFromPolicy(policy, 2, 2);
  ASSERT_EQ(form.steps.size(), 3u);
  EXPECT_EQ(form.steps[0].targets.size(), 4u);  // three and a blank slot
  EXPECT_EQ(form.steps[0].targets[1].target, "skill");
  EXPECT_EQ(form.steps[0].targets[1].skill, "storage");
  EscalationFormRows rows;
  absl::StatusOr<core::EscalationPolicy> back = EscalationPolicyFromForm("p", form, rows);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, policy);
}

TEST(EscalationFormTest, RefusalsNameTheRow) {
  struct Case {
    EscalationFormFields fields;
    std::string message;
  };
  const Case cases[] = {
      {{{"s0_trigger", ""}, {"s0_t0", "tier:sme"}}, "step 1: choose when the step runs"},
      {{{"s0_trigger", "manual"}, {"s0_t0", "skill"}, {"s0_k0", ""}},
       "step 1 target 1: name the skill"},
      {{{"s0_trigger", "manual"}, {"s0_t0", "tier:sme"}, {"s0_k0", "x"}},
       "step 1 target 1: a skill is only for"},
      {{{"s0_trigger", "manual"}, {"s0_t0", "nobody"}}, "step 1 target 1: choose who is paged"},
      {{{"s0_trigger", "manual"}, {"s0_delay", "1.5"}, {"s0_t0", "tier:sme"}},
       "step 1 delay: give a whole number of minutes"},
      {{{"s0_trigger", "whenever"}, {"s0_t0", "tier:sme"}, {"s0_action", "notify"}}, "step 1"},
  };
  for (const Case& c : cases) {
    EscalationFormRows rows;
    absl::StatusOr<core::EscalationPolicy> policy =
        EscalationPolicyFromForm("p", EscalationFormFromFields(c.fields), rows);
    ASSERT_FALSE(policy.ok()) << c.message;
    EXPECT_TRUE(absl::IsInvalidArgument(policy.status()));
    EXPECT_THAT(std::string(policy.status().message()), StartsWith(c.message));
  }
}

TEST(OnCallFormTest, ReadsLayersRestrictionsAndOverridesInTheZone) {
  const EscalationFormFields fields = {{"display_name", " Primary "},
                                       {"time_zone", "Europe/London"},
                                       {"l0_name", "weekly"},
                                       {"l0_start", "2026-03-02T09:00"},
                                       {"l0_turn", "10080"},
                                       {"l0_p0", "12"},
                                       {"l0_p1", ""},
                                       {"l0_p2", "15"},
                                       {"l0_restrictions", ""},
                                       {"l1_name", ""},
                                       {"l1_start", ""},
                                       {"l1_turn", "10080"},
                                       {"l1_p0", ""},
                                       {"l1_restrictions", ""},
                                       {"l2_name", "nights"},
                                       {"l2_start", "2026-03-02T00:00"},
                                       {"l2_turn", "1440"},
                                       {"l2_p0", "19"},
                                       {"l2_restrictions", "Sat 22:00-06:00;\nsun 22:00-06:00"},
                                       {"o0_user", "15"},
                                       {"o0_start", "2026-07-01T09:00"},
                                       {"o0_end", "2026-07-02T09:00"},
                                       {"o0_reason", "swap"},
                                       {"o1_user", ""},
                                       {"o1_start", ""},
                                       {"o1_end", ""},
                                       {"o1_reason", ""}};
  EscalationFormRows rows;
  absl::StatusOr<core::OnCallSchedule> schedule =
      OnCallScheduleFromForm("primary", OnCallFormFromFields(fields), rows);
  ASSERT_TRUE(schedule.ok()) << schedule.status();
  EXPECT_EQ(schedule->display_name, "Primary");
  ASSERT_EQ(schedule->layers.size(), 2u);
  EXPECT_EQ(schedule->layers[0].participants, (std::vector<core::UserId>{12, 15}));
  EXPECT_EQ(schedule->layers[0].start, absl::CivilMinute(2026, 3, 2, 9, 0));
  ASSERT_EQ(schedule->layers[1].restrictions.size(), 2u);
  EXPECT_EQ(schedule->layers[1].restrictions[0].day, absl::Weekday::saturday);
  ASSERT_EQ(schedule->overrides.size(), 1u);
  // 09:00 British Summer Time is 08:00 UTC.
  EXPECT_EQ(schedule->overrides[0].start,
            absl::FromCivil(absl::CivilSecond(2026, 7, 1, 8, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(rows.rows, (std::vector<int>{0, 2}));
  EXPECT_EQ(
      OnCallFormMessage("layers[0].participants[1]: user 15 is not active provider staff", rows),
      "layer 1 participant 3: user 15 is not active provider staff");
  EXPECT_EQ(OnCallFormMessage("layers[1].turn_minutes: must be 1 to 525600", rows),
            "layer 3 turn_minutes: must be 1 to 525600");
  EXPECT_EQ(OnCallFormMessage("overrides[0]: end must be after start", rows),
            "override 1: end must be after start");
}

TEST(OnCallFormTest, TheFormOfAScheduleGivesItBack) {
  core::OnCallSchedule schedule;
  schedule.name = "s";
  schedule.display_name = "S";
  schedule.time_zone = "America/New_York";
  schedule.layers.push_back(
      {.name = "a",
       .participants = {3, 4, 3},
       .start = absl::CivilMinute(2026, 1, 5, 9, 0),
       .turn_minutes = 720,
       .restrictions = {{absl::Weekday::monday, 540, 1020}, {absl::Weekday::sunday, 1320, 360}}});
  schedule.overrides.push_back(
      {.user = 4,
       .start = absl::FromCivil(absl::CivilSecond(2026, 2, 1, 14, 0, 0), absl::UTCTimeZone()),
       .end = absl::FromCivil(absl::CivilSecond(2026, 2, 2, 14, 0, 0), absl::UTCTimeZone()),
       .reason = "cover"});
  absl::TimeZone zone;
  ASSERT_TRUE(absl::LoadTimeZone("America/New_York", &zone));
  const web::OnCallFormText form = web::OnCallFormFromSchedule(schedule, zone, 1, 3, 1);
  EXPECT_EQ(form.layers[0].restrictions, "mon 09:00-17:00, sun 22:00-06:00");
  EXPECT_EQ(form.overrides[0].start, "2026-02-01T09:00");
  EscalationFormRows rows;
  absl::StatusOr<core::OnCallSchedule> back = OnCallScheduleFromForm("s", form, rows);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, schedule);
}

TEST(OnCallFormTest, RefusalsNameTheRow) {
  struct Case {
    EscalationFormFields fields;
    std::string message;
  };
  const Case cases[] = {
      {{{"time_zone", "UTC"}, {"l0_name", "a"}, {"l0_p0", "x"}},
       "layer 1 participant 1: choose a person"},
      {{{"time_zone", "UTC"}, {"l0_name", "a"}, {"l0_p0", "3"}, {"l0_turn", "a week"}},
       "layer 1 turn length: give a whole number"},
      {{{"time_zone", "UTC"}, {"l0_name", "a"}, {"l0_p0", "3"}, {"l0_restrictions", "weekends"}},
       "layer 1 restrictions: write each window as a day and times"},
      {{{"time_zone", "Mars/Base"}, {"o0_user", "3"}, {"o0_start", "2026-01-01T00:00"}},
       "time_zone: give an IANA time zone name"},
      {{{"time_zone", "UTC"}, {"o0_user", "3"}, {"o0_start", "tomorrow"}},
       "override 1 start: give a date and a time"},
  };
  for (const Case& c : cases) {
    EscalationFormRows rows;
    absl::StatusOr<core::OnCallSchedule> schedule =
        OnCallScheduleFromForm("s", OnCallFormFromFields(c.fields), rows);
    ASSERT_FALSE(schedule.ok()) << c.message;
    EXPECT_THAT(std::string(schedule.status().message()), HasSubstr(c.message));
  }
}

}  // namespace
}  // namespace casedesk::adapters::http
