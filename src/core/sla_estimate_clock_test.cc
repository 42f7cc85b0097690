// The estimate clock of service tasks (issue 7): started by the request, achieved by the first
// estimate, one business day (480 minutes) on "service-tasks-pacific" = Monday-Friday
// 09:00-17:00 America/Los_Angeles. Expectations worked out by hand: PST is UTC-8, PDT UTC-7;
// in 2026 DST starts Sunday 2026-03-08 and ends Sunday 2026-11-01. 2026-03-06 and 2026-10-30
// are Fridays.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/business_calendar.h"
#include "core/sla_clocks.h"
#include "core/sla_policy.h"

namespace casedesk::core {
namespace {

absl::Time T(const std::string& text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    ADD_FAILURE() << "bad time in test: " << text << ": " << error;
  }
  return t;
}

const std::map<std::string, BusinessCalendar, std::less<>>& Calendars() {
  static const auto* const calendars = [] {
    auto* map = new std::map<std::string, BusinessCalendar, std::less<>>;
    for (const auto& [name, spec] : DefaultCalendarSpecs()) {
      absl::TimeZone zone;
      if (!absl::LoadTimeZone(spec.time_zone, &zone)) std::abort();
      map->emplace(name, *BusinessCalendar::Create(spec, zone));
    }
    return map;
  }();
  return *calendars;
}

SlaEvaluator Evaluator(const SlaPolicy& policy) {
  auto evaluator = SlaEvaluator::Create(policy, CalendarLookupIn(Calendars()));
  if (!evaluator.ok()) std::abort();
  return *evaluator;
}

SlaPolicy Professional() { return DefaultSlaPolicies().at("professional"); }

// A service task requested at `at` (the case created at the same instant), severity 3.
SlaFacts Requested(absl::Time at) {
  SlaFacts facts;
  facts.start = at;
  facts.severity = Severity::kMinor;
  facts.events.push_back(SlaEvent::EstimateRequested(at));
  return facts;
}

TEST(SlaEstimateClockTest, DefaultsGiveEveryPlanOneBusinessDayOnThePacificCalendar) {
  for (const auto& [plan, policy] : DefaultSlaPolicies()) {
    ASSERT_TRUE(policy.estimate.has_value()) << plan;
    EXPECT_EQ(*policy.estimate, SlaTarget::Minutes(480, "service-tasks-pacific")) << plan;
  }
  const CalendarSpec spec = DefaultCalendarSpecs().at("service-tasks-pacific");
  EXPECT_EQ(spec.time_zone, "America/Los_Angeles");
  EXPECT_EQ(spec.hours.at("mon"), std::vector<std::string>{"09:00-17:00"});
  EXPECT_EQ(spec.hours.count("sat"), 0u);
}

TEST(SlaEstimateClockTest, DueInstantAcrossWeekendsAndDstChanges) {
  struct Row {
    const char* name;
    const char* requested;
    const char* due;
    const char* warning;  // 75 %: 360 business minutes
  };
  const Row rows[] = {
      // Friday 15:00 PST: 2 h on Friday, 6 h from Monday 09:00 PDT (DST began on Sunday).
      {"friday before spring forward", "2026-03-06T23:00:00Z", "2026-03-09T22:00:00Z",
       "2026-03-09T20:00:00Z"},
      // Friday 16:00 PDT: 1 h on Friday, 7 h from Monday 09:00 PST (DST ended on Sunday).
      {"friday before fall back", "2026-10-30T23:00:00Z", "2026-11-03T00:00:00Z",
       "2026-11-02T22:00:00Z"},
      // Saturday 10:00 PST: the clock waits for Monday 09:00 PDT; due at its end.
      {"saturday", "2026-03-07T18:00:00Z", "2026-03-10T00:00:00Z", "2026-03-09T22:00:00Z"},
      // Monday 09:00 PDT: one whole business day ends the same day, at 17:00.
      {"monday morning", "2026-03-09T16:00:00Z", "2026-03-10T00:00:00Z", "2026-03-09T22:00:00Z"},
      // Wednesday 12:00 PDT: 5 h today, 3 h on Thursday.
      {"midweek", "2026-03-11T19:00:00Z", "2026-03-12T19:00:00Z", "2026-03-12T17:00:00Z"},
  };
  const SlaEvaluator evaluator = Evaluator(Professional());
  for (const Row& row : rows) {
    const absl::Time requested = T(row.requested);
    absl::StatusOr<SlaClocks> clocks = evaluator.Compute(Requested(requested), requested);
    ASSERT_TRUE(clocks.ok()) << row.name;
    ASSERT_TRUE(clocks->estimate.has_value()) << row.name;
    const SlaClock& estimate = *clocks->estimate;
    EXPECT_EQ(estimate.kind, SlaClockKind::kEstimate) << row.name;
    EXPECT_EQ(estimate.state, SlaClockState::kRunning) << row.name;
    EXPECT_EQ(estimate.due_at, T(row.due)) << row.name;
    EXPECT_EQ(estimate.warning_at, T(row.warning)) << row.name;
    EXPECT_EQ(estimate.target.calendar, "service-tasks-pacific") << row.name;
  }
}

TEST(SlaEstimateClockTest, OrdinaryCasesHaveNoEstimateClock) {
  const absl::Time start = T("2026-03-09T16:00:00Z");
  SlaFacts facts;
  facts.start = start;
  absl::StatusOr<SlaClocks> clocks = Evaluator(Professional()).Compute(facts, start);
  ASSERT_TRUE(clocks.ok());
  EXPECT_FALSE(clocks->estimate.has_value());
  for (const SlaDeadline& deadline : UpcomingDeadlines(*clocks)) {
    EXPECT_NE(deadline.clock, SlaClockKind::kEstimate);
  }
}

TEST(SlaEstimateClockTest, APolicyWithoutEstimateTargetRunsNoEstimateClock) {
  SlaPolicy policy = Professional();
  policy.estimate.reset();
  const absl::Time start = T("2026-03-09T16:00:00Z");
  absl::StatusOr<SlaClocks> clocks = Evaluator(policy).Compute(Requested(start), start);
  ASSERT_TRUE(clocks.ok());
  EXPECT_FALSE(clocks->estimate.has_value());
}

TEST(SlaEstimateClockTest, TheFirstEstimateAchievesItAndIsAPublicReply) {
  const absl::Time start = T("2026-03-09T16:00:00Z");
  SlaFacts facts = Requested(start);
  facts.events.push_back(SlaEvent::EstimateGiven(T("2026-03-09T18:00:00Z")));
  // A re-estimate after a decline restarts nothing.
  facts.events.push_back(SlaEvent::EstimateGiven(T("2026-03-11T18:00:00Z")));
  absl::StatusOr<SlaClocks> clocks =
      Evaluator(Professional()).Compute(facts, T("2026-03-12T18:00:00Z"));
  ASSERT_TRUE(clocks.ok());
  ASSERT_TRUE(clocks->estimate.has_value());
  EXPECT_EQ(clocks->estimate->state, SlaClockState::kAchieved);
  EXPECT_EQ(clocks->estimate->achieved_at, T("2026-03-09T18:00:00Z"));
  EXPECT_FALSE(clocks->estimate->breached_at.has_value());
  // Seed 001 promises to "reply with an estimate": the estimate is the first response.
  EXPECT_EQ(clocks->first_response.state, SlaClockState::kAchieved);
  EXPECT_EQ(clocks->first_response.achieved_at, T("2026-03-09T18:00:00Z"));
}

TEST(SlaEstimateClockTest, BreachesAtItsDueInstantWhenNoEstimateCame) {
  const absl::Time start = T("2026-03-06T23:00:00Z");
  const SlaEvaluator evaluator = Evaluator(Professional());
  absl::StatusOr<SlaClocks> clocks = evaluator.Compute(Requested(start), T("2026-03-10T12:00:00Z"));
  ASSERT_TRUE(clocks.ok());
  ASSERT_TRUE(clocks->estimate.has_value());
  EXPECT_EQ(clocks->estimate->breached_at, T("2026-03-09T22:00:00Z"));
  std::vector<SlaDeadline> estimate_deadlines;
  for (const SlaDeadline& deadline : UpcomingDeadlines(*clocks)) {
    if (deadline.clock == SlaClockKind::kEstimate) estimate_deadlines.push_back(deadline);
  }
  ASSERT_EQ(estimate_deadlines.size(), 2u);
  EXPECT_EQ(estimate_deadlines[0], (SlaDeadline{SlaClockKind::kEstimate, SlaDeadlineKind::kWarning,
                                                0, T("2026-03-09T20:00:00Z")}));
  EXPECT_EQ(estimate_deadlines[1], (SlaDeadline{SlaClockKind::kEstimate, SlaDeadlineKind::kBreach,
                                                0, T("2026-03-09T22:00:00Z")}));
  // An estimate after the breach achieves the clock; the breach stays recorded.
  SlaFacts late = Requested(start);
  late.events.push_back(SlaEvent::EstimateGiven(T("2026-03-10T17:00:00Z")));
  absl::StatusOr<SlaClocks> after = evaluator.Compute(late, T("2026-03-10T18:00:00Z"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->estimate->state, SlaClockState::kAchieved);
  EXPECT_EQ(after->estimate->breached_at, T("2026-03-09T22:00:00Z"));
}

TEST(SlaEstimateClockTest, PausesWhilePendingOnTheCustomer) {
  // Monday 09:00 PDT; pending from 10:00 to Tuesday 10:00 PDT: 1 h used, 7 h from Tuesday
  // 10:00, so due Tuesday 17:00 PDT.
  const absl::Time start = T("2026-03-09T16:00:00Z");
  SlaFacts facts = Requested(start);
  facts.events.push_back(SlaEvent::StatusChanged(T("2026-03-09T17:00:00Z"), CaseStatus::kPending));
  facts.events.push_back(SlaEvent::StatusChanged(T("2026-03-10T17:00:00Z"), CaseStatus::kOpen));
  absl::StatusOr<SlaClocks> clocks =
      Evaluator(Professional()).Compute(facts, T("2026-03-10T17:00:00Z"));
  ASSERT_TRUE(clocks.ok());
  ASSERT_TRUE(clocks->estimate.has_value());
  EXPECT_EQ(clocks->estimate->due_at, T("2026-03-11T00:00:00Z"));
  const std::vector<std::string> lines = ExplainSlaClock(*clocks->estimate);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.front().find("480 business minutes on calendar service-tasks-pacific"),
            std::string::npos);
}

TEST(SlaEstimateClockTest, ValidationRefusesNamedOrEmptyEstimates) {
  std::set<std::string> known;
  for (const auto& [name, spec] : DefaultCalendarSpecs()) known.insert(name);
  SlaPolicy policy = Professional();
  EXPECT_TRUE(ValidateSlaPolicy(policy, known).ok());
  policy.estimate = SlaTarget::Named("next_release");
  EXPECT_EQ(ValidateSlaPolicy(policy, known).message(),
            "estimate: needs a duration in business minutes");
  policy.estimate = SlaTarget::Minutes(0);
  EXPECT_EQ(ValidateSlaPolicy(policy, known).code(), absl::StatusCode::kInvalidArgument);
  policy.estimate = SlaTarget::Minutes(480, "nowhere");
  EXPECT_EQ(ValidateSlaPolicy(policy, known).message(), "estimate: unknown calendar 'nowhere'");
  EXPECT_EQ(CalendarsUsedBy(Professional()).count("service-tasks-pacific"), 1u);
}

}  // namespace
}  // namespace casedesk::core
