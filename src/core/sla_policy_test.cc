#include "core/sla_policy.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/business_calendar.h"
#include "core/plan.h"

namespace casedesk::core {
namespace {

const std::set<std::string> kKnown = {"business-gmt", "always", "service-tasks-pacific"};

SlaPolicy Professional() { return DefaultSlaPolicies().at("professional"); }

TEST(SlaPolicyTest, DefaultsAreExactlyTheIssueTable) {
  const auto policies = DefaultSlaPolicies();
  ASSERT_EQ(policies.size(), 3u);
  for (const char* plan : {"developer", "professional", "enterprise"}) {
    SCOPED_TRACE(plan);
    const SlaPolicy& policy = policies.at(plan);
    const bool enterprise = std::string(plan) == "enterprise";
    const std::string critical_calendar = enterprise ? "always" : "business-gmt";
    EXPECT_EQ(policy.business_calendar, "business-gmt");
    EXPECT_DOUBLE_EQ(policy.warning_fraction, 0.75);
    EXPECT_EQ(policy.pause_statuses, std::vector<CaseStatus>{CaseStatus::kPending});
    EXPECT_EQ(policy.targets.at(Severity::kCritical),
              (SeverityTargets{SlaTarget::Minutes(60, critical_calendar),
                               UpdateCadence::Every(240, critical_calendar),
                               SlaTarget::Minutes(1440, critical_calendar)}));
    EXPECT_EQ(policy.targets.at(Severity::kMajor),
              (SeverityTargets{SlaTarget::Minutes(240, "business-gmt"),
                               UpdateCadence::Every(1440, "business-gmt"),
                               SlaTarget::Minutes(2880, "business-gmt")}));
    EXPECT_EQ(policy.targets.at(Severity::kMinor),
              (SeverityTargets{SlaTarget::Minutes(480, "business-gmt"),
                               UpdateCadence::OnMilestone("business-gmt"),
                               SlaTarget::Named("next_release", "business-gmt")}));
    EXPECT_EQ(policy.targets.at(Severity::kOther),
              (SeverityTargets{SlaTarget::Minutes(1440, "business-gmt"),
                               UpdateCadence::OnMilestone("business-gmt"),
                               SlaTarget::Named("to_be_decided", "business-gmt")}));
    EXPECT_EQ(policy.after_hours.has_value(), enterprise);
    EXPECT_TRUE(ValidateSlaPolicy(policy, kKnown).ok()) << ValidateSlaPolicy(policy, kKnown);
  }
  const AfterHoursRule& rule = *policies.at("enterprise").after_hours;
  EXPECT_EQ(rule.severities, std::vector<Severity>{Severity::kCritical});
  EXPECT_EQ(rule.hours_calendar, "business-gmt");
  ASSERT_EQ(rule.clocks.size(), 2u);
  EXPECT_EQ(rule.clocks.at(SlaClockKind::kTriage), SlaTarget::Minutes(15, "always"));
  EXPECT_EQ(rule.clocks.at(SlaClockKind::kStatusNotification), SlaTarget::Minutes(60, "always"));
}

TEST(SlaPolicyTest, DefaultsCoverTheDefaultPlansAndTheirAfterHoursCoverage) {
  const auto policies = DefaultSlaPolicies();
  for (const SupportPlan& plan : DefaultSupportPlans()) {
    ASSERT_TRUE(policies.count(plan.name)) << plan.name;
    EXPECT_EQ(policies.at(plan.name).after_hours.has_value(), plan.after_hours_coverage)
        << plan.name;
  }
}

TEST(SlaPolicyTest, DefaultCalendarSpecsBuild) {
  const auto specs = DefaultCalendarSpecs();
  ASSERT_EQ(specs.size(), 3u);  // with issue 7's service-task calendar (sla_estimate_clock_test)
  EXPECT_EQ(specs.at("business-gmt").time_zone, "GMT");
  EXPECT_EQ(specs.at("business-gmt").hours.at("fri"), std::vector<std::string>{"08:00-01:00"});
  EXPECT_EQ(specs.at("business-gmt").hours.count("sat"), 0u);
  for (const auto& [name, spec] : specs) {
    if (name == kServiceTaskCalendar) continue;  // Pacific hours: see sla_estimate_clock_test
    absl::TimeZone zone;
    ASSERT_TRUE(absl::LoadTimeZone(spec.time_zone, &zone)) << spec.time_zone;
    auto calendar = BusinessCalendar::Create(spec, zone);
    ASSERT_TRUE(calendar.ok()) << name << ": " << calendar.status();
    // Friday 2026-03-13 00:30 GMT is in Thursday's window; Saturday 00:30 in Friday's.
    absl::Time saturday_0030 = absl::FromUnixSeconds(1773448200);  // 2026-03-14T00:30:00Z
    absl::Time saturday_0130 = saturday_0030 + absl::Hours(1);
    EXPECT_TRUE(calendar->IsBusinessTime(saturday_0030)) << name;
    EXPECT_EQ(calendar->IsBusinessTime(saturday_0130), name == "always") << name;
  }
}

TEST(SlaPolicyTest, CalendarsUsedByResolvesEmptyNamesToTheBusinessCalendar) {
  SlaPolicy policy = Professional();
  policy.targets[Severity::kMinor].first_response.calendar = "";
  EXPECT_EQ(CalendarsUsedBy(policy),
            (std::set<std::string>{"business-gmt", "service-tasks-pacific"}));
  EXPECT_EQ(CalendarsUsedBy(DefaultSlaPolicies().at("enterprise")),
            (std::set<std::string>{"always", "business-gmt", "service-tasks-pacific"}));
}

struct BadPolicyCase {
  const char* name;
  std::function<void(SlaPolicy&)> mutate;
  const char* message;
};

TEST(SlaPolicyTest, RejectsBadPoliciesWithClearErrors) {
  const std::vector<BadPolicyCase> cases = {
      {"missing severity", [](SlaPolicy& p) { p.targets.erase(Severity::kMajor); },
       "severity 2 (major): missing targets"},
      {"zero first response",
       [](SlaPolicy& p) { p.targets[Severity::kCritical].first_response.minutes = 0; },
       "severity 1 (critical): first_response: minutes must be positive, got 0"},
      {"negative resolution",
       [](SlaPolicy& p) { p.targets[Severity::kMajor].resolution = SlaTarget::Minutes(-5); },
       "severity 2 (major): resolution: minutes must be positive, got -5"},
      {"zero cadence",
       [](SlaPolicy& p) { p.targets[Severity::kMajor].next_update = UpdateCadence::Every(0); },
       "severity 2 (major): next_update: minutes must be positive, got 0"},
      {"unknown target calendar",
       [](SlaPolicy& p) { p.targets[Severity::kOther].first_response.calendar = "mars"; },
       "severity 4 (other): first_response: unknown calendar 'mars'"},
      {"unknown cadence calendar",
       [](SlaPolicy& p) { p.targets[Severity::kMinor].next_update.calendar = "mars"; },
       "severity 3 (minor): next_update: unknown calendar 'mars'"},
      {"unknown business calendar", [](SlaPolicy& p) { p.business_calendar = "mars"; },
       "business_calendar: unknown calendar 'mars'"},
      {"empty business calendar", [](SlaPolicy& p) { p.business_calendar = ""; },
       "business_calendar: a policy needs a business calendar"},
      {"empty target name",
       [](SlaPolicy& p) { p.targets[Severity::kMinor].resolution = SlaTarget::Named(""); },
       "severity 3 (minor): resolution: a named target needs a name of 1 to 64 characters"},
      {"bad target name",
       [](SlaPolicy& p) {
         p.targets[Severity::kMinor].resolution = SlaTarget::Named("Next Release");
       },
       "severity 3 (minor): resolution: target name 'Next Release' may hold only"},
      {"fraction zero", [](SlaPolicy& p) { p.warning_fraction = 0; },
       "warning_fraction: must be strictly between 0 and 1"},
      {"fraction one", [](SlaPolicy& p) { p.warning_fraction = 1; },
       "warning_fraction: must be strictly between 0 and 1"},
      {"fraction above one", [](SlaPolicy& p) { p.warning_fraction = 1.5; },
       "warning_fraction: must be strictly between 0 and 1"},
      {"solved pauses", [](SlaPolicy& p) { p.pause_statuses.push_back(CaseStatus::kSolved); },
       "pause_statuses: 'solved' stops the clocks"},
      {"after hours without severities",
       [](SlaPolicy& p) {
         p.after_hours = DefaultAfterHoursRule();
         p.after_hours->severities.clear();
       },
       "after_hours: the rule needs at least one severity"},
      {"after hours without clocks",
       [](SlaPolicy& p) {
         p.after_hours = DefaultAfterHoursRule();
         p.after_hours->clocks.clear();
       },
       "after_hours: the rule needs at least one clock"},
      {"after hours with a base clock",
       [](SlaPolicy& p) {
         p.after_hours = DefaultAfterHoursRule();
         p.after_hours->clocks[SlaClockKind::kResolution] = SlaTarget::Minutes(30, "always");
       },
       "after_hours: resolution: only triage and status_notification"},
      {"after hours named target",
       [](SlaPolicy& p) {
         p.after_hours = DefaultAfterHoursRule();
         p.after_hours->clocks[SlaClockKind::kTriage] = SlaTarget::Named("soon");
       },
       "after_hours: triage: needs a duration in business minutes"},
      {"after hours zero minutes",
       [](SlaPolicy& p) {
         p.after_hours = DefaultAfterHoursRule();
         p.after_hours->clocks[SlaClockKind::kTriage].minutes = 0;
       },
       "after_hours: triage: minutes must be positive, got 0"},
      {"after hours unknown calendar",
       [](SlaPolicy& p) {
         p.after_hours = DefaultAfterHoursRule();
         p.after_hours->hours_calendar = "mars";
       },
       "after_hours: hours_calendar: unknown calendar 'mars'"},
  };
  for (const BadPolicyCase& test : cases) {
    SCOPED_TRACE(test.name);
    SlaPolicy policy = Professional();
    test.mutate(policy);
    const absl::Status status = ValidateSlaPolicy(policy, kKnown);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_NE(std::string(status.message()).find(test.message), std::string::npos) << status;
  }
}

TEST(SlaPolicyTest, AcceptsEmptyTargetCalendarsAndOtherPauseStatuses) {
  SlaPolicy policy = Professional();
  policy.targets[Severity::kMajor].first_response = SlaTarget::Minutes(30);
  policy.pause_statuses = {CaseStatus::kPending, CaseStatus::kOnHold};
  policy.warning_fraction = 0.5;
  EXPECT_TRUE(ValidateSlaPolicy(policy, kKnown).ok());
}

TEST(SlaPolicyTest, CadenceAsTarget) {
  EXPECT_EQ(UpdateCadence::Every(240, "always").AsTarget(), SlaTarget::Minutes(240, "always"));
  EXPECT_EQ(UpdateCadence::OnMilestone("x").AsTarget(), SlaTarget::Named("on_milestone", "x"));
}

}  // namespace
}  // namespace casedesk::core
