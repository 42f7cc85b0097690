#include "core/escalation_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace casedesk::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kAt = absl::FromUnixSeconds(1773046800);  // 2026-03-09T09:00:00Z

EscalationTarget Target(EscalationTargetKind kind, std::string ref) {
  return {.kind = kind, .ref = std::move(ref)};
}

EscalationLevel Level(EscalationTrigger trigger, std::vector<EscalationTarget> targets,
                      std::vector<EscalationAction> actions, int64_t delay_minutes = 0,
                      std::vector<SlaClockKind> clocks = {}) {
  return {.trigger = trigger,
          .clocks = std::move(clocks),
          .delay_minutes = delay_minutes,
          .targets = std::move(targets),
          .actions = std::move(actions)};
}

EscalationPolicy Policy(std::string name, std::vector<EscalationLevel> levels) {
  EscalationPolicy policy;
  policy.name = std::move(name);
  policy.levels = std::move(levels);
  return policy;
}

// Executives hear about urgent issues; breaches page the on-call engineer and reassign; a
// customer's request goes to the management path; security incidents go to the experts.
EscalationPolicy Urgent() {
  EscalationPolicy policy = Policy(
      "urgent",
      {Level(EscalationTrigger::kCaseCreatedCritical,
             {Target(EscalationTargetKind::kTier, "executive")}, {EscalationAction::kNotify}),
       Level(EscalationTrigger::kSlaBreach,
             {Target(EscalationTargetKind::kOnCall, "primary"),
              Target(EscalationTargetKind::kGroup, "3")},
             {EscalationAction::kNotify, EscalationAction::kReassign}, 30,
             {SlaClockKind::kFirstResponse}),
       Level(EscalationTrigger::kCustomerRequest,
             {Target(EscalationTargetKind::kPolicy, "management")}, {EscalationAction::kNotify}),
       Level(EscalationTrigger::kSecurityIncident,
             {Target(EscalationTargetKind::kSkill, "security")},
             {EscalationAction::kReassign, EscalationAction::kRaiseTier})});
  policy.description = "Urgent issues";
  policy.plans = {"enterprise"};
  policy.severities = {Severity::kCritical};
  return policy;
}

EscalationCatalog Catalog() {
  EscalationCatalog catalog;
  catalog.policies["management"] =
      Policy("management", {Level(EscalationTrigger::kCustomerRequest,
                                  {Target(EscalationTargetKind::kTier, "support_manager")},
                                  {EscalationAction::kNotify})});
  // A saved chain b -> c (c hands back to a, the policy checked below).
  catalog.policies["chain-b"] =
      Policy("chain-b",
             {Level(EscalationTrigger::kManual, {Target(EscalationTargetKind::kPolicy, "chain-c")},
                    {EscalationAction::kNotify})});
  catalog.policies["chain-c"] =
      Policy("chain-c",
             {Level(EscalationTrigger::kManual, {Target(EscalationTargetKind::kPolicy, "chain-a")},
                    {EscalationAction::kNotify})});
  catalog.policies["chain-a"] = Policy(
      "chain-a", {Level(EscalationTrigger::kManual, {Target(EscalationTargetKind::kUser, "10")},
                        {EscalationAction::kNotify})});
  // A loop that does not pass through the policy checked.
  catalog.policies["loop-x"] =
      Policy("loop-x",
             {Level(EscalationTrigger::kManual, {Target(EscalationTargetKind::kPolicy, "loop-y")},
                    {EscalationAction::kNotify})});
  catalog.policies["loop-y"] =
      Policy("loop-y",
             {Level(EscalationTrigger::kManual, {Target(EscalationTargetKind::kPolicy, "loop-x")},
                    {EscalationAction::kNotify})});
  catalog.schedules = {"primary"};
  catalog.group_ids = {3};
  catalog.user_ids = {10, 11};
  catalog.skills = {"security", "network"};
  catalog.plans = {"developer", "professional", "enterprise"};
  return catalog;
}

TEST(EscalationPolicyTest, AcceptsValidPolicies) {
  EXPECT_TRUE(ValidateEscalationPolicy(Urgent(), Catalog()).ok())
      << ValidateEscalationPolicy(Urgent(), Catalog());
  // Saved chain-a has no hand-over, so b -> c -> a ends there.
  EXPECT_TRUE(ValidateEscalationPolicy(Catalog().policies.at("chain-b"), Catalog()).ok());
  // An empty skill catalogue does not check skills.
  EscalationCatalog no_skills = Catalog();
  no_skills.skills.clear();
  EscalationPolicy policy = Urgent();
  policy.levels[3].targets[0].ref = "storage";
  EXPECT_TRUE(ValidateEscalationPolicy(policy, no_skills).ok());
}

struct BadPolicyCase {
  const char* name;
  std::function<void(EscalationPolicy&)> mutate;
  const char* message;
};

TEST(EscalationPolicyTest, RejectsBadPoliciesWithClearErrors) {
  const std::vector<BadPolicyCase> cases = {
      {"bad name", [](EscalationPolicy& p) { p.name = "Urgent Issues"; },
       "name: must be 1 to 64 characters of lower-case letters, digits, '_' and '-', got "
       "'Urgent Issues'"},
      {"long description", [](EscalationPolicy& p) { p.description = std::string(2001, 'x'); },
       "description: must be at most 2000 characters"},
      {"unknown plan", [](EscalationPolicy& p) { p.plans.push_back("gold"); },
       "plans[1]: unknown plan 'gold'"},
      {"bad severity", [](EscalationPolicy& p) { p.severities.push_back(Severity{7}); },
       "severities[1]: not a severity level 1 to 4"},
      {"no levels", [](EscalationPolicy& p) { p.levels.clear(); },
       "levels: a policy needs at least one level"},
      {"no targets", [](EscalationPolicy& p) { p.levels[1].targets.clear(); },
       "levels[1]: a level needs at least one target"},
      {"no actions", [](EscalationPolicy& p) { p.levels[0].actions.clear(); },
       "levels[0]: a level needs at least one action"},
      {"negative delay", [](EscalationPolicy& p) { p.levels[2].delay_minutes = -5; },
       "levels[2]: delay_minutes must be 0 to 525600, got -5"},
      {"clocks on a non-SLA trigger",
       [](EscalationPolicy& p) { p.levels[0].clocks = {SlaClockKind::kResolution}; },
       "levels[0]: clocks apply only to the sla_warning and sla_breach triggers, not "
       "'case_created_critical'"},
      {"reassign to a policy",
       [](EscalationPolicy& p) { p.levels[2].actions.push_back(EscalationAction::kReassign); },
       "levels[2]: reassign needs targets that can own a case, but targets[0] hands over to "
       "policy 'management'"},
      {"unknown group", [](EscalationPolicy& p) { p.levels[1].targets[1].ref = "4"; },
       "levels[1].targets[1]: unknown group 4"},
      {"malformed group", [](EscalationPolicy& p) { p.levels[1].targets[1].ref = "03"; },
       "levels[1].targets[1]: a group target needs a group id, got '03'"},
      {"unknown tier", [](EscalationPolicy& p) { p.levels[0].targets[0].ref = "boss"; },
       "levels[0].targets[0]: unknown tier 'boss' (expected shift_engineer, shift_lead, sme, "
       "support_manager or executive)"},
      {"tier none", [](EscalationPolicy& p) { p.levels[0].targets[0].ref = "none"; },
       "levels[0].targets[0]: unknown tier 'none'"},
      {"unknown skill", [](EscalationPolicy& p) { p.levels[3].targets[0].ref = "storage"; },
       "levels[3].targets[0]: unknown skill 'storage'"},
      {"unknown schedule", [](EscalationPolicy& p) { p.levels[1].targets[0].ref = "nights"; },
       "levels[1].targets[0]: unknown on-call schedule 'nights'"},
      {"unknown user",
       [](EscalationPolicy& p) {
         p.levels[0].targets.push_back(Target(EscalationTargetKind::kUser, "12"));
       },
       "levels[0].targets[1]: unknown user 12"},
      {"malformed user",
       [](EscalationPolicy& p) {
         p.levels[0].targets.push_back(Target(EscalationTargetKind::kUser, "alice"));
       },
       "levels[0].targets[1]: a user target needs a user id, got 'alice'"},
      {"unknown policy", [](EscalationPolicy& p) { p.levels[2].targets[0].ref = "board"; },
       "levels[2].targets[0]: unknown policy 'board'"},
      {"hand-over to itself", [](EscalationPolicy& p) { p.levels[2].targets[0].ref = "urgent"; },
       "levels[2].targets[0]: policy hand-over leads round in a cycle: urgent -> urgent"},
      {"cycle through saved policies",
       [](EscalationPolicy& p) {
         p.name = "chain-a";
         p.levels[2].targets[0].ref = "chain-b";
       },
       "levels[2].targets[0]: policy hand-over leads round in a cycle: chain-a -> chain-b -> "
       "chain-c -> chain-a"},
      {"cycle beyond",
       [](EscalationPolicy& p) {
         p.levels[2].targets.push_back(Target(EscalationTargetKind::kPolicy, "loop-x"));
       },
       "levels[2].targets[1]: policy hand-over leads round in a cycle: urgent -> loop-x -> "
       "loop-y -> loop-x"},
  };
  for (const BadPolicyCase& c : cases) {
    SCOPED_TRACE(c.name);
    EscalationPolicy policy = Urgent();
    c.mutate(policy);
    const absl::Status status = ValidateEscalationPolicy(policy, Catalog());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(status.message(), HasSubstr(c.message));
  }
}

TEST(EscalationPolicyTest, TheCheckedVersionReplacesTheSavedOne) {
  // Saved management has no hand-over; the new version handing over to urgent (which hands
  // over to management) closes a cycle.
  EscalationPolicy management = Catalog().policies.at("management");
  management.levels[0].targets.push_back(Target(EscalationTargetKind::kPolicy, "urgent"));
  EscalationCatalog catalog = Catalog();
  catalog.policies["urgent"] = Urgent();
  EXPECT_EQ(std::string(ValidateEscalationPolicy(management, catalog).message()),
            "levels[0].targets[1]: policy hand-over leads round in a cycle: management -> "
            "urgent -> management");
}

std::vector<EscalationPolicy> PlanningPolicies() {
  EscalationPolicy breaches = Policy(
      "breaches",
      {Level(EscalationTrigger::kSlaWarning, {Target(EscalationTargetKind::kUser, "10")},
             {EscalationAction::kNotify}),
       Level(EscalationTrigger::kSlaBreach, {Target(EscalationTargetKind::kTier, "shift_lead")},
             {EscalationAction::kNotify}, 0, {SlaClockKind::kResolution}),
       Level(EscalationTrigger::kSlaBreach,
             {Target(EscalationTargetKind::kTier, "support_manager")},
             {EscalationAction::kRaiseTier}, 60,
             {SlaClockKind::kFirstResponse, SlaClockKind::kNextUpdate})});
  EscalationPolicy alpha = Policy(
      "alpha", {Level(EscalationTrigger::kSlaBreach, {Target(EscalationTargetKind::kUser, "11")},
                      {EscalationAction::kNotify}, 60)});
  EscalationPolicy off = Policy(
      "off", {Level(EscalationTrigger::kSlaBreach, {Target(EscalationTargetKind::kUser, "11")},
                    {EscalationAction::kNotify})});
  off.enabled = false;
  EscalationPolicy major = Policy("major-only", {Level(EscalationTrigger::kCaseCreatedCritical,
                                                       {Target(EscalationTargetKind::kUser, "11")},
                                                       {EscalationAction::kNotify})});
  major.severities = {Severity::kMajor};
  return {Urgent(), breaches, off, major, alpha};
}

struct PlanCase {
  const char* name;
  EscalationCause cause;
  // policy:level@delay minutes
  std::vector<std::string> expected;
};

TEST(EscalationPolicyTest, PlansMatchingLevelsInOrderOfDue) {
  const std::vector<PlanCase> cases = {
      {"critical created on enterprise",
       {EscalationTrigger::kCaseCreatedCritical, std::nullopt, Severity::kCritical, "enterprise",
        kAt},
       {"urgent:0@0"}},
      {"urgent is for enterprise only",
       {EscalationTrigger::kCaseCreatedCritical, std::nullopt, Severity::kCritical, "professional",
        kAt},
       {}},
      {"severity filter",
       {EscalationTrigger::kCaseCreatedCritical, std::nullopt, Severity::kMajor, "enterprise", kAt},
       {"major-only:0@0"}},
      {"first response breach",
       {EscalationTrigger::kSlaBreach, SlaClockKind::kFirstResponse, Severity::kCritical,
        "enterprise", kAt},
       {"urgent:1@30", "alpha:0@60", "breaches:2@60"}},
      {"resolution breach",
       {EscalationTrigger::kSlaBreach, SlaClockKind::kResolution, Severity::kMinor, "developer",
        kAt},
       {"breaches:1@0", "alpha:0@60"}},
      {"breach without a clock matches only levels without a clock filter",
       {EscalationTrigger::kSlaBreach, std::nullopt, Severity::kMinor, "developer", kAt},
       {"alpha:0@60"}},
      {"warning on any clock",
       {EscalationTrigger::kSlaWarning, SlaClockKind::kTriage, Severity::kOther, "developer", kAt},
       {"breaches:0@0"}},
      {"nothing for manual",
       {EscalationTrigger::kManual, std::nullopt, Severity::kCritical, "enterprise", kAt},
       {}},
  };
  for (const PlanCase& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> got;
    for (const PlannedEscalation& p : PlanEscalations(PlanningPolicies(), c.cause)) {
      got.push_back(p.policy + ":" + std::to_string(p.level) + "@" +
                    std::to_string((p.due - kAt) / absl::Minutes(1)));
    }
    EXPECT_EQ(got, c.expected);
  }
}

TEST(EscalationPolicyTest, PlannedLevelsCarryTheirDefinition) {
  const std::vector<PlannedEscalation> planned = PlanEscalations(
      PlanningPolicies(),
      {EscalationTrigger::kSecurityIncident, std::nullopt, Severity::kCritical, "enterprise", kAt});
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].policy, "urgent");
  EXPECT_EQ(planned[0].level, 3);
  EXPECT_EQ(planned[0].due, kAt);
  EXPECT_EQ(planned[0].definition, Urgent().levels[3]);
}

User Staff(UserId id, Role role, Tier tier, std::vector<std::string> skills, bool active = true) {
  User user;
  user.id = id;
  user.role = role;
  user.tier = tier;
  user.skills = std::move(skills);
  user.active = active;
  return user;
}

EscalationDirectory Directory() {
  EscalationDirectory directory;
  directory.staff = {
      Staff(10, Role::kAgent, Tier::kShiftLead, {"network"}),
      Staff(11, Role::kAgent, Tier::kExecutive, {"security"}),
      Staff(12, Role::kAgent, Tier::kExecutive, {"security"}, /*active=*/false),
      Staff(13, Role::kCustomer, Tier::kExecutive, {"security"}),
      Staff(14, Role::kAdmin, Tier::kSupportManager, {"security", "network"}),
      Staff(15, Role::kSuccessManager, Tier::kExecutive, {}),
      Staff(16, Role::kPartnerAgent, Tier::kShiftLead, {"network"}),
  };
  Group first;
  first.id = 3;
  first.members = {13, 12, 10, 99, 10};
  Group second;
  second.id = 4;
  second.members = {14};
  directory.groups = {first, second};
  directory.on_call = [](std::string_view schedule, absl::Time at) -> std::optional<UserId> {
    if (schedule == "primary") return at < kAt ? 10 : 14;
    if (schedule == "retired") return 12;
    return std::nullopt;
  };
  return directory;
}

struct ResolveCase {
  EscalationTarget target;
  absl::Time at;
  std::vector<UserId> expected;
};

TEST(EscalationPolicyTest, ResolvesTargetsToActiveProviderStaff) {
  using K = EscalationTargetKind;
  const std::vector<ResolveCase> cases = {
      {Target(K::kGroup, "3"), kAt, {10}},
      {Target(K::kGroup, "4"), kAt, {14}},
      {Target(K::kGroup, "5"), kAt, {}},
      {Target(K::kGroup, "three"), kAt, {}},
      {Target(K::kTier, "executive"), kAt, {11, 15}},
      {Target(K::kTier, "shift_lead"), kAt, {10}},
      {Target(K::kTier, "none"), kAt, {}},
      {Target(K::kSkill, "security"), kAt, {11, 14}},
      {Target(K::kSkill, "network"), kAt, {10, 14}},
      {Target(K::kSkill, "storage"), kAt, {}},
      {Target(K::kOnCall, "primary"), kAt, {14}},
      {Target(K::kOnCall, "primary"), kAt - absl::Minutes(1), {10}},
      {Target(K::kOnCall, "retired"), kAt, {}},
      {Target(K::kOnCall, "unknown"), kAt, {}},
      {Target(K::kUser, "11"), kAt, {11}},
      {Target(K::kUser, "12"), kAt, {}},
      {Target(K::kUser, "13"), kAt, {}},
      {Target(K::kUser, "16"), kAt, {}},
      {Target(K::kPolicy, "management"), kAt, {}},
  };
  const EscalationDirectory directory = Directory();
  for (const ResolveCase& c : cases) {
    SCOPED_TRACE(
        std::string(NameOf<EscalationTargetKind>(kEscalationTargetKindNames, c.target.kind)) + " " +
        c.target.ref);
    EXPECT_EQ(ResolveRecipients(c.target, directory, c.at), c.expected);
  }
  EscalationDirectory without_on_call = directory;
  without_on_call.on_call = nullptr;
  EXPECT_TRUE(ResolveRecipients(Target(K::kOnCall, "primary"), without_on_call, kAt).empty());
}

TEST(EscalationPolicyTest, NextTierClimbsTheLadder) {
  EXPECT_EQ(NextTier(Tier::kNone), Tier::kShiftEngineer);
  EXPECT_EQ(NextTier(Tier::kShiftEngineer), Tier::kShiftLead);
  EXPECT_EQ(NextTier(Tier::kShiftLead), Tier::kSme);
  EXPECT_EQ(NextTier(Tier::kSme), Tier::kSupportManager);
  EXPECT_EQ(NextTier(Tier::kSupportManager), Tier::kExecutive);
  EXPECT_EQ(NextTier(Tier::kExecutive), std::nullopt);
}

TEST(EscalationPolicyTest, EnumNamesRoundTrip) {
  for (const auto& [value, name] : kEscalationTriggerNames) {
    EXPECT_EQ(EnumFromName<EscalationTrigger>(kEscalationTriggerNames, name), value);
  }
  EXPECT_EQ(NameOf<EscalationTargetKind>(kEscalationTargetKindNames, EscalationTargetKind::kOnCall),
            "oncall");
  EXPECT_EQ(NameOf<EscalationAction>(kEscalationActionNames, EscalationAction::kRaiseTier),
            "raise_tier");
  EXPECT_THAT(std::vector<bool>({IsSlaTrigger(EscalationTrigger::kSlaWarning),
                                 IsSlaTrigger(EscalationTrigger::kSlaBreach),
                                 IsSlaTrigger(EscalationTrigger::kManual)}),
              ElementsAre(true, true, false));
}

}  // namespace
}  // namespace casedesk::core
