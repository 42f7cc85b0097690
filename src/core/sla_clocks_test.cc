#include "core/sla_clocks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/business_calendar.h"
#include "core/sla_policy.h"

// Expectations are worked out by hand. The default business calendar "business-gmt" is
// Monday-Friday 08:00-01:00 GMT (17 business hours a weekday; Friday's window ends 01:00
// Saturday). 2026-03-09 is a Monday, 2026-03-13 a Friday. "london" is Monday-Friday
// 09:00-17:00 Europe/London: BST starts 2026-03-29 01:00Z and ends 2026-10-25 01:00Z.

namespace casedesk::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

absl::Time T(const std::string& text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    ADD_FAILURE() << "bad time in test: " << text << ": " << error;
  }
  return t;
}

std::optional<absl::Time> OptT(const std::string& text) { return T(text); }

const std::map<std::string, BusinessCalendar, std::less<>>& Calendars() {
  static const auto* const calendars = [] {
    auto* map = new std::map<std::string, BusinessCalendar, std::less<>>;
    auto specs = DefaultCalendarSpecs();
    CalendarSpec london;
    london.time_zone = "Europe/London";
    for (const char* day : {"mon", "tue", "wed", "thu", "fri"}) {
      london.hours[day] = {"09:00-17:00"};
    }
    specs["london"] = london;
    for (const auto& [name, spec] : specs) {
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
  if (!evaluator.ok()) {
    ADD_FAILURE() << evaluator.status();
    std::abort();
  }
  return *evaluator;
}

SlaEvaluator Plan(const std::string& plan) { return Evaluator(DefaultSlaPolicies().at(plan)); }

SlaClocks Compute(const SlaEvaluator& evaluator, const SlaFacts& facts, absl::Time now) {
  auto clocks = evaluator.Compute(facts, now);
  EXPECT_TRUE(clocks.ok()) << clocks.status();
  return *clocks;
}

SlaFacts Facts(const std::string& start, Severity severity, std::vector<SlaEvent> events = {}) {
  return {.start = T(start), .severity = severity, .status = CaseStatus::kNew,
          .events = std::move(events)};
}

// Does any explanation line contain `text`?
bool Explains(const SlaClock& clock, const std::string& text) {
  for (const std::string& line : ExplainSlaClock(clock)) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

std::string AllLines(const SlaClock& clock) {
  std::string all;
  for (const std::string& line : ExplainSlaClock(clock)) all += "  " + line + "\n";
  return all;
}

// ---- Start, first response, warnings -------------------------------------------------------

TEST(SlaClocksTest, ClocksStartAtCreationOnTheBusinessCalendar) {
  const SlaClocks clocks =
      Compute(Plan("professional"), Facts("2026-03-09T09:00:00Z", Severity::kCritical),
              T("2026-03-09T09:10:00Z"));
  const SlaClock& first = clocks.first_response;
  EXPECT_EQ(first.state, SlaClockState::kRunning);
  EXPECT_FALSE(first.paused());
  EXPECT_EQ(first.target, SlaTarget::Minutes(60, "business-gmt"));
  EXPECT_EQ(first.started_at, OptT("2026-03-09T09:00:00Z"));
  EXPECT_EQ(first.due_at, OptT("2026-03-09T10:00:00Z"));
  EXPECT_EQ(first.warning_at, OptT("2026-03-09T09:45:00Z"));
  EXPECT_EQ(first.achieved_at, std::nullopt);
  EXPECT_EQ(first.breached_at, std::nullopt);
  EXPECT_EQ(first.elapsed, absl::Minutes(10));
  EXPECT_EQ(first.remaining, absl::Minutes(50));
  EXPECT_THAT(ExplainSlaClock(first),
              ElementsAre("target 60 business minutes on calendar business-gmt from "
                          "2026-03-09T09:00:00Z",
                          "due at 2026-03-09T10:00:00Z: 1 h of business time remaining from "
                          "2026-03-09T09:00:00Z on calendar business-gmt"));
  // next_update waits for the first response.
  EXPECT_EQ(clocks.next_update.state, SlaClockState::kNotStarted);
  EXPECT_EQ(clocks.next_update.due_at, std::nullopt);
  EXPECT_EQ(clocks.next_update.target, SlaTarget::Minutes(240, "business-gmt"));
  // Resolution 1440 business minutes: Monday 09:00-01:00 is 960, then Tuesday 08:00 + 480.
  EXPECT_EQ(clocks.resolution.due_at, OptT("2026-03-10T16:00:00Z"));
  // Warning at 1080 minutes: 960 + 120.
  EXPECT_EQ(clocks.resolution.warning_at, OptT("2026-03-10T10:00:00Z"));
  EXPECT_FALSE(clocks.triage.has_value());
  EXPECT_FALSE(clocks.status_notification.has_value());
  EXPECT_EQ(clocks.severity, Severity::kCritical);
}

struct FirstResponseCase {
  const char* name;
  const char* reply_at;
  std::optional<absl::Time> breached_at;
  std::optional<absl::Time> warning_at;
};

TEST(SlaClocksTest, FirstResponseStopsAtTheFirstPublicStaffReply) {
  const std::vector<FirstResponseCase> cases = {
      {"early", "2026-03-09T09:40:00Z", std::nullopt, std::nullopt},
      {"after the warning", "2026-03-09T09:50:00Z", std::nullopt, T("2026-03-09T09:45:00Z")},
      {"exactly at the due instant is on time", "2026-03-09T10:00:00Z", std::nullopt,
       T("2026-03-09T09:45:00Z")},
      {"late: breached at the due instant", "2026-03-09T10:30:00Z", T("2026-03-09T10:00:00Z"),
       T("2026-03-09T09:45:00Z")},
  };
  for (const FirstResponseCase& test : cases) {
    SCOPED_TRACE(test.name);
    const SlaClocks clocks = Compute(
        Plan("professional"),
        Facts("2026-03-09T09:00:00Z", Severity::kCritical,
              {SlaEvent::StaffPublicReply(T(test.reply_at)),
               SlaEvent::StatusChanged(T(test.reply_at), CaseStatus::kOpen),
               SlaEvent::CustomerPublicReply(T("2026-03-09T11:00:00Z"))}),
        T("2026-03-09T12:00:00Z"));
    const SlaClock& first = clocks.first_response;
    EXPECT_EQ(first.state, SlaClockState::kAchieved);
    EXPECT_EQ(first.achieved_at, T(test.reply_at));
    EXPECT_EQ(first.due_at, std::nullopt);
    EXPECT_EQ(first.breached_at, test.breached_at);
    EXPECT_EQ(first.warning_at, test.warning_at);
    EXPECT_TRUE(Explains(first, std::string("achieved at ") + test.reply_at)) << AllLines(first);
    EXPECT_EQ(Explains(first, "breached at"), test.breached_at.has_value()) << AllLines(first);
    // The reply starts update cycle 1, due 240 business minutes later.
    EXPECT_EQ(clocks.next_update.cycle, 1);
    EXPECT_EQ(clocks.next_update.started_at, T(test.reply_at));
    EXPECT_EQ(clocks.next_update.due_at, T(test.reply_at) + absl::Hours(4));
    EXPECT_EQ(clocks.next_update.warning_at, T(test.reply_at) + absl::Hours(3));
  }
}

TEST(SlaClocksTest, WarningAtSeventyFivePercentOfTheTarget) {
  // Not achieved, past the warning, before the breach.
  const SlaClocks clocks =
      Compute(Plan("professional"), Facts("2026-03-09T09:00:00Z", Severity::kMajor),
              T("2026-03-09T12:30:00Z"));
  // 240 minutes: warning at 180.
  EXPECT_EQ(clocks.first_response.warning_at, OptT("2026-03-09T12:00:00Z"));
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-03-09T13:00:00Z"));
  EXPECT_EQ(clocks.first_response.breached_at, std::nullopt);
  EXPECT_TRUE(Explains(clocks.first_response, "warning at 2026-03-09T12:00:00Z"));

  // A policy with another fraction.
  SlaPolicy policy = DefaultSlaPolicies().at("professional");
  policy.warning_fraction = 0.5;
  const SlaClocks half = Compute(Evaluator(policy),
                                 Facts("2026-03-09T09:00:00Z", Severity::kMajor),
                                 T("2026-03-09T09:00:00Z"));
  EXPECT_EQ(half.first_response.warning_at, OptT("2026-03-09T11:00:00Z"));
  // A future warning is not an explanation step yet.
  EXPECT_FALSE(Explains(half.first_response, "warning at"));
}

// ---- Pauses ---------------------------------------------------------------------------------

TEST(SlaClocksTest, PausesWhilePendingOnCustomer) {
  // Severity 2 (240 minutes). Pending at 10:00 (60 used), customer replies at 12:10.
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kMajor,
            {SlaEvent::StatusChanged(T("2026-03-09T10:00:00Z"), CaseStatus::kPending),
             SlaEvent::CustomerPublicReply(T("2026-03-09T12:10:00Z"))});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T13:00:00Z"));
  const SlaClock& first = clocks.first_response;
  EXPECT_EQ(first.state, SlaClockState::kRunning);
  // 180 minutes remain from 12:10.
  EXPECT_EQ(first.due_at, OptT("2026-03-09T15:10:00Z"));
  // The warning (180 used) falls after the pause: 120 more from 12:10.
  EXPECT_EQ(first.warning_at, OptT("2026-03-09T14:10:00Z"));
  EXPECT_EQ(first.elapsed, absl::Minutes(110));
  EXPECT_THAT(ExplainSlaClock(first),
              ElementsAre("target 240 business minutes on calendar business-gmt from "
                          "2026-03-09T09:00:00Z",
                          "paused 2 h 10 min while pending on the customer (from "
                          "2026-03-09T10:00:00Z to 2026-03-09T12:10:00Z; 2 h 10 min of business "
                          "time not counted)",
                          "resumed at 2026-03-09T12:10:00Z by the customer's reply",
                          "due at 2026-03-09T15:10:00Z: 3 h of business time remaining from "
                          "2026-03-09T12:10:00Z on calendar business-gmt"));
  // Resolution (2880) pauses too: 60 used, 2820 from Monday 12:10: 770 on Monday, 1020 on
  // Tuesday and Wednesday, 10 on Thursday.
  EXPECT_EQ(clocks.resolution.due_at, OptT("2026-03-12T08:10:00Z"));
}

TEST(SlaClocksTest, PauseEndsWithAStatusChangeAndCountsOnlyBusinessTime) {
  // Pending from Friday 20:00 to Monday 09:00: 61 wall-clock hours, of which 6 business hours
  // (Friday 20:00-01:00 and Monday 08:00-09:00).
  const SlaFacts facts =
      Facts("2026-03-13T19:00:00Z", Severity::kMajor,
            {SlaEvent::StatusChanged(T("2026-03-13T20:00:00Z"), CaseStatus::kPending),
             SlaEvent::StatusChanged(T("2026-03-16T09:00:00Z"), CaseStatus::kOpen)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-16T09:30:00Z"));
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-03-16T12:00:00Z"));
  EXPECT_TRUE(Explains(clocks.first_response,
                       "paused 61 h while pending on the customer (from 2026-03-13T20:00:00Z to "
                       "2026-03-16T09:00:00Z; 6 h of business time not counted)"))
      << AllLines(clocks.first_response);
}

TEST(SlaClocksTest, StillPausedHasNoDueInstant) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kMajor,
            {SlaEvent::StatusChanged(T("2026-03-09T10:00:00Z"), CaseStatus::kPending)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T11:00:00Z"));
  const SlaClock& first = clocks.first_response;
  EXPECT_EQ(first.state, SlaClockState::kPaused);
  EXPECT_TRUE(first.paused());
  EXPECT_EQ(first.due_at, std::nullopt);
  EXPECT_EQ(first.breached_at, std::nullopt);
  EXPECT_EQ(first.remaining, absl::Minutes(180));
  EXPECT_TRUE(Explains(first, "paused since 2026-03-09T10:00:00Z while pending on the customer "
                              "(1 h of business time not counted so far)"))
      << AllLines(first);
  for (const SlaDeadline& deadline : UpcomingDeadlines(clocks)) {
    EXPECT_NE(deadline.clock, SlaClockKind::kFirstResponse);
    EXPECT_NE(deadline.clock, SlaClockKind::kResolution);
  }
}

TEST(SlaClocksTest, StaffUpdateWhilePendingStartsAPausedCycle) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kCritical,
            {SlaEvent::StaffPublicReply(T("2026-03-09T09:30:00Z")),
             SlaEvent::StatusChanged(T("2026-03-09T09:30:00Z"), CaseStatus::kPending),
             SlaEvent::CustomerPublicReply(T("2026-03-09T11:00:00Z")),
             SlaEvent::StatusChanged(T("2026-03-09T11:00:00Z"), CaseStatus::kOpen),
             SlaEvent::StatusChanged(T("2026-03-09T12:00:00Z"), CaseStatus::kPending)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T15:00:00Z"));
  EXPECT_EQ(clocks.first_response.state, SlaClockState::kAchieved);
  const SlaClock& update = clocks.next_update;
  EXPECT_EQ(update.cycle, 1);
  EXPECT_EQ(update.state, SlaClockState::kPaused);
  // Ran 11:00-12:00 only.
  EXPECT_EQ(update.elapsed, absl::Minutes(60));
  EXPECT_EQ(update.remaining, absl::Minutes(180));
  EXPECT_EQ(update.due_at, std::nullopt);
  // Resolution ran 09:00-09:30 and 11:00-12:00.
  EXPECT_EQ(clocks.resolution.elapsed, absl::Minutes(90));
  EXPECT_EQ(clocks.resolution.state, SlaClockState::kPaused);
}

TEST(SlaClocksTest, SettingPendingAgainAfterACustomerReplyPausesAgain) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kMajor,
            {SlaEvent::StatusChanged(T("2026-03-09T10:00:00Z"), CaseStatus::kPending),
             SlaEvent::CustomerPublicReply(T("2026-03-09T11:00:00Z")),
             SlaEvent::StatusChanged(T("2026-03-09T11:30:00Z"), CaseStatus::kPending)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T13:00:00Z"));
  EXPECT_EQ(clocks.first_response.state, SlaClockState::kPaused);
  EXPECT_EQ(clocks.first_response.elapsed, absl::Minutes(90));
}

TEST(SlaClocksTest, OtherPauseStatusesAreConfigurable) {
  SlaPolicy policy = DefaultSlaPolicies().at("professional");
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kMajor,
            {SlaEvent::StatusChanged(T("2026-03-09T10:00:00Z"), CaseStatus::kOnHold),
             SlaEvent::StatusChanged(T("2026-03-09T11:00:00Z"), CaseStatus::kOpen)});
  // On hold is not a pause status by default: 240 from 09:00.
  EXPECT_EQ(Compute(Evaluator(policy), facts, T("2026-03-09T11:00:00Z")).first_response.due_at,
            OptT("2026-03-09T13:00:00Z"));
  policy.pause_statuses = {CaseStatus::kPending, CaseStatus::kOnHold};
  EXPECT_EQ(Compute(Evaluator(policy), facts, T("2026-03-09T11:00:00Z")).first_response.due_at,
            OptT("2026-03-09T14:00:00Z"));
}

// ---- Solve, reopen, close -------------------------------------------------------------------

TEST(SlaClocksTest, ResolutionStopsWhenSolvedAndResumesOnReopen) {
  const std::vector<SlaEvent> history = {
      SlaEvent::StaffPublicReply(T("2026-03-09T09:30:00Z")),
      SlaEvent::StatusChanged(T("2026-03-09T09:30:00Z"), CaseStatus::kOpen),
      SlaEvent::StatusChanged(T("2026-03-09T11:00:00Z"), CaseStatus::kSolved)};
  const SlaClocks solved = Compute(
      Plan("professional"), Facts("2026-03-09T09:00:00Z", Severity::kCritical, history),
      T("2026-03-09T12:00:00Z"));
  EXPECT_EQ(solved.resolution.state, SlaClockState::kAchieved);
  EXPECT_EQ(solved.resolution.achieved_at, OptT("2026-03-09T11:00:00Z"));
  EXPECT_EQ(solved.resolution.due_at, std::nullopt);
  EXPECT_EQ(solved.next_update.state, SlaClockState::kStopped);
  EXPECT_EQ(solved.next_update.due_at, std::nullopt);
  EXPECT_TRUE(Explains(solved.next_update, "stopped at 2026-03-09T11:00:00Z: case solved"));
  EXPECT_EQ(solved.status, CaseStatus::kSolved);

  std::vector<SlaEvent> reopened = history;
  reopened.push_back(SlaEvent::StatusChanged(T("2026-03-10T09:00:00Z"), CaseStatus::kOpen));
  const SlaClocks clocks = Compute(
      Plan("professional"), Facts("2026-03-09T09:00:00Z", Severity::kCritical, reopened),
      T("2026-03-10T09:30:00Z"));
  const SlaClock& resolution = clocks.resolution;
  EXPECT_EQ(resolution.state, SlaClockState::kRunning);
  EXPECT_EQ(resolution.achieved_at, std::nullopt);
  // 120 used before solving; 1320 from Tuesday 09:00: 960 to Wednesday 01:00, then 08:00 + 360.
  EXPECT_EQ(resolution.due_at, OptT("2026-03-11T14:00:00Z"));
  EXPECT_TRUE(Explains(resolution,
                       "resumed at 2026-03-10T09:00:00Z: case reopened (open); 2 h of business "
                       "time already used is kept"))
      << AllLines(resolution);
  // A new update cycle starts at the reopening.
  EXPECT_EQ(clocks.next_update.cycle, 2);
  EXPECT_EQ(clocks.next_update.due_at, OptT("2026-03-10T13:00:00Z"));
}

TEST(SlaClocksTest, SolvedBeforeAnyResponseStopsFirstResponseAndReopenResumesIt) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kCritical,
            {SlaEvent::StatusChanged(T("2026-03-09T09:20:00Z"), CaseStatus::kSolved)});
  const SlaClocks solved = Compute(Plan("professional"), facts, T("2026-03-09T12:00:00Z"));
  EXPECT_EQ(solved.first_response.state, SlaClockState::kStopped);
  EXPECT_EQ(solved.first_response.breached_at, std::nullopt);
  EXPECT_EQ(solved.first_response.due_at, std::nullopt);

  SlaFacts reopened = facts;
  reopened.events.push_back(
      SlaEvent::StatusChanged(T("2026-03-09T13:00:00Z"), CaseStatus::kOpen));
  const SlaClocks clocks = Compute(Plan("professional"), reopened, T("2026-03-09T13:00:00Z"));
  EXPECT_EQ(clocks.first_response.state, SlaClockState::kRunning);
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-03-09T13:40:00Z"));
  EXPECT_EQ(clocks.next_update.state, SlaClockState::kNotStarted);
}

TEST(SlaClocksTest, ClosedIsFinal) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kMajor,
            {SlaEvent::StaffPublicReply(T("2026-03-09T09:10:00Z")),
             SlaEvent::StatusChanged(T("2026-03-09T10:00:00Z"), CaseStatus::kSolved),
             SlaEvent::StatusChanged(T("2026-03-12T10:00:00Z"), CaseStatus::kClosed)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-04-01T00:00:00Z"));
  EXPECT_EQ(clocks.resolution.achieved_at, OptT("2026-03-09T10:00:00Z"));
  EXPECT_EQ(clocks.next_update.state, SlaClockState::kStopped);
  EXPECT_EQ(clocks.next_update.breached_at, std::nullopt);
  EXPECT_TRUE(UpcomingDeadlines(clocks).empty());
}

// ---- Severity changes -----------------------------------------------------------------------

TEST(SlaClocksTest, SeverityUpgradeRecomputesTheRemainingTarget) {
  // Severity 3 (480, resolution next_release) raised to 1 after 20 minutes.
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kMinor,
            {SlaEvent::SeverityChanged(T("2026-03-09T09:20:00Z"), Severity::kCritical)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T09:30:00Z"));
  const SlaClock& first = clocks.first_response;
  EXPECT_EQ(first.target, SlaTarget::Minutes(60, "business-gmt"));
  EXPECT_EQ(first.due_at, OptT("2026-03-09T10:00:00Z"));
  EXPECT_EQ(first.warning_at, OptT("2026-03-09T09:45:00Z"));
  EXPECT_THAT(ExplainSlaClock(first),
              ElementsAre("target 480 business minutes on calendar business-gmt from "
                          "2026-03-09T09:00:00Z",
                          "severity changed 3 -> 1 at 2026-03-09T09:20:00Z: 20 min of business "
                          "time used so far; remaining target recomputed under severity 1: 60 "
                          "business minutes on calendar business-gmt",
                          "due at 2026-03-09T10:00:00Z: 40 min of business time remaining from "
                          "2026-03-09T09:20:00Z on calendar business-gmt"));
  // The named resolution target had kept counting: 1440 - 20 from 09:20 ends Tuesday 16:00.
  EXPECT_EQ(clocks.resolution.target, SlaTarget::Minutes(1440, "business-gmt"));
  EXPECT_EQ(clocks.resolution.due_at, OptT("2026-03-10T16:00:00Z"));
  EXPECT_EQ(clocks.severity, Severity::kCritical);
}

TEST(SlaClocksTest, UpgradeBeyondTheNewTargetIsDueAtTheChangeNotRetroactively) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kMinor,
            {SlaEvent::SeverityChanged(T("2026-03-09T11:00:00Z"), Severity::kCritical)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T11:05:00Z"));
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-03-09T11:00:00Z"));
  EXPECT_EQ(clocks.first_response.breached_at, OptT("2026-03-09T11:00:00Z"));
  EXPECT_EQ(clocks.first_response.warning_at, OptT("2026-03-09T11:00:00Z"));
  EXPECT_EQ(clocks.first_response.remaining, absl::ZeroDuration());
}

TEST(SlaClocksTest, SeverityDowngradeExtendsTheRemainingTarget) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kCritical,
            {SlaEvent::SeverityChanged(T("2026-03-09T09:30:00Z"), Severity::kMajor)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T10:30:00Z"));
  // 240 - 30 = 210 from 09:30.
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-03-09T13:00:00Z"));
  EXPECT_EQ(clocks.first_response.warning_at, OptT("2026-03-09T12:00:00Z"));
  EXPECT_EQ(clocks.first_response.breached_at, std::nullopt);
  // 2880 - 30 from Monday 09:30: 930 Monday, 1020 Tuesday, 900 Wednesday -> 23:00.
  EXPECT_EQ(clocks.resolution.due_at, OptT("2026-03-11T23:00:00Z"));
  EXPECT_EQ(clocks.next_update.target, SlaTarget::Minutes(1440, "business-gmt"));
}

TEST(SlaClocksTest, DowngradeAfterABreachKeepsTheBreach) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kCritical,
            {SlaEvent::SeverityChanged(T("2026-03-09T10:30:00Z"), Severity::kMinor)});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T11:00:00Z"));
  const SlaClock& first = clocks.first_response;
  EXPECT_EQ(first.state, SlaClockState::kRunning);
  EXPECT_EQ(first.breached_at, OptT("2026-03-09T10:00:00Z"));
  EXPECT_EQ(first.warning_at, OptT("2026-03-09T09:45:00Z"));
  // 480 - 90 = 390 from 10:30.
  EXPECT_EQ(first.due_at, OptT("2026-03-09T17:00:00Z"));
  // The scheduler sees the breach once, at its instant, not again at 17:00.
  std::vector<SlaDeadline> first_deadlines;
  for (const SlaDeadline& deadline : UpcomingDeadlines(clocks)) {
    if (deadline.clock == SlaClockKind::kFirstResponse) first_deadlines.push_back(deadline);
  }
  EXPECT_THAT(first_deadlines,
              ElementsAre(SlaDeadline{SlaClockKind::kFirstResponse, SlaDeadlineKind::kWarning, 0,
                                      T("2026-03-09T09:45:00Z")},
                          SlaDeadline{SlaClockKind::kFirstResponse, SlaDeadlineKind::kBreach, 0,
                                      T("2026-03-09T10:00:00Z")}));
  // Resolution becomes next_release: no due instant.
  EXPECT_EQ(clocks.resolution.target, SlaTarget::Named("next_release", "business-gmt"));
  EXPECT_EQ(clocks.resolution.due_at, std::nullopt);
}

TEST(SlaClocksTest, EnterpriseUpgradeMovesToTheTwentyFourSevenCalendar) {
  // Severity 2 opened Friday 23:00 (120 business minutes by Saturday 01:00), raised to 1 on
  // Saturday 10:00: 120 used already exceed the 60 of severity 1 on "always".
  const SlaFacts facts =
      Facts("2026-03-13T23:00:00Z", Severity::kMajor,
            {SlaEvent::SeverityChanged(T("2026-03-14T10:00:00Z"), Severity::kCritical)});
  const SlaClocks clocks = Compute(Plan("enterprise"), facts, T("2026-03-14T10:05:00Z"));
  EXPECT_EQ(clocks.first_response.target, SlaTarget::Minutes(60, "always"));
  EXPECT_EQ(clocks.first_response.breached_at, OptT("2026-03-14T10:00:00Z"));
  EXPECT_TRUE(Explains(clocks.first_response,
                       "severity changed 2 -> 1 at 2026-03-14T10:00:00Z: 2 h of business time "
                       "used so far; remaining target recomputed under severity 1: 60 business "
                       "minutes on calendar always"))
      << AllLines(clocks.first_response);
  // Resolution: 1440 - 120 on 24x7 from Saturday 10:00.
  EXPECT_EQ(clocks.resolution.due_at, OptT("2026-03-15T08:00:00Z"));
  // Raised to critical outside business hours: the after-hours clocks start at the change.
  ASSERT_TRUE(clocks.triage.has_value());
  EXPECT_EQ(clocks.triage->due_at, OptT("2026-03-14T10:15:00Z"));
  ASSERT_TRUE(clocks.status_notification.has_value());
  EXPECT_EQ(clocks.status_notification->due_at, OptT("2026-03-14T11:00:00Z"));
}

// ---- Import ---------------------------------------------------------------------------------

TEST(SlaClocksTest, ImportedCaseBreachesAtItsDueInstantsNotAtNow) {
  // Monday 2026-01-05, severity 2, never answered; imported two months later.
  const SlaClocks clocks =
      Compute(Plan("professional"), Facts("2026-01-05T09:00:00Z", Severity::kMajor),
              T("2026-03-01T12:00:00Z"));
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-01-05T13:00:00Z"));
  EXPECT_EQ(clocks.first_response.breached_at, OptT("2026-01-05T13:00:00Z"));
  EXPECT_TRUE(Explains(clocks.first_response, "breached at 2026-01-05T13:00:00Z"));
  // 2880: 960 Monday, 1020 Tuesday, 900 Wednesday -> 23:00; warning at 2160 -> Wednesday 11:00.
  EXPECT_EQ(clocks.resolution.breached_at, OptT("2026-01-07T23:00:00Z"));
  EXPECT_EQ(clocks.resolution.warning_at, OptT("2026-01-07T11:00:00Z"));
  EXPECT_THAT(
      UpcomingDeadlines(clocks),
      ElementsAre(
          SlaDeadline{SlaClockKind::kFirstResponse, SlaDeadlineKind::kWarning, 0,
                      T("2026-01-05T12:00:00Z")},
          SlaDeadline{SlaClockKind::kFirstResponse, SlaDeadlineKind::kBreach, 0,
                      T("2026-01-05T13:00:00Z")},
          SlaDeadline{SlaClockKind::kResolution, SlaDeadlineKind::kWarning, 0,
                      T("2026-01-07T11:00:00Z")},
          SlaDeadline{SlaClockKind::kResolution, SlaDeadlineKind::kBreach, 0,
                      T("2026-01-07T23:00:00Z")}));
}

TEST(SlaClocksTest, ImportedHistoryKeepsEveryCycleBreachAtItsInstant) {
  const SlaFacts facts = Facts("2026-01-05T09:00:00Z", Severity::kCritical,
                               {SlaEvent::StaffPublicReply(T("2026-01-05T09:30:00Z")),
                                SlaEvent::StaffPublicReply(T("2026-01-05T15:00:00Z"))});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-01T00:00:00Z"));
  EXPECT_THAT(clocks.earlier_cycles,
              ElementsAre(SlaDeadline{SlaClockKind::kNextUpdate, SlaDeadlineKind::kWarning, 1,
                                      T("2026-01-05T12:30:00Z")},
                          SlaDeadline{SlaClockKind::kNextUpdate, SlaDeadlineKind::kBreach, 1,
                                      T("2026-01-05T13:30:00Z")}));
  EXPECT_EQ(clocks.next_update.cycle, 2);
  EXPECT_EQ(clocks.next_update.breached_at, OptT("2026-01-05T19:00:00Z"));
  EXPECT_EQ(clocks.next_update.warning_at, OptT("2026-01-05T18:00:00Z"));
}

// ---- Named targets and cadences -------------------------------------------------------------

TEST(SlaClocksTest, NamedTargetsHaveNoDueInstant) {
  for (Severity severity : {Severity::kMinor, Severity::kOther}) {
    SCOPED_TRACE(SeverityLevel(severity));
    const SlaFacts facts = Facts("2026-03-09T09:00:00Z", severity,
                                 {SlaEvent::StaffPublicReply(T("2026-03-09T10:00:00Z"))});
    const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-06-01T00:00:00Z"));
    const SlaClock& resolution = clocks.resolution;
    EXPECT_TRUE(resolution.target.is_named());
    EXPECT_EQ(resolution.target.name,
              severity == Severity::kMinor ? "next_release" : "to_be_decided");
    EXPECT_EQ(resolution.state, SlaClockState::kRunning);
    EXPECT_EQ(resolution.due_at, std::nullopt);
    EXPECT_EQ(resolution.warning_at, std::nullopt);
    EXPECT_EQ(resolution.breached_at, std::nullopt);
    EXPECT_EQ(resolution.remaining, std::nullopt);
    EXPECT_TRUE(Explains(resolution, "(no clock; business time counted on calendar "
                                     "business-gmt) from 2026-03-09T09:00:00Z"))
        << AllLines(resolution);
    const SlaClock& update = clocks.next_update;
    EXPECT_EQ(update.target, SlaTarget::Named("on_milestone", "business-gmt"));
    EXPECT_EQ(update.cycle, 1);
    EXPECT_EQ(update.due_at, std::nullopt);
    EXPECT_TRUE(Explains(update, "updates on milestones only (no clock)"));
    for (const SlaDeadline& deadline : UpcomingDeadlines(clocks)) {
      EXPECT_EQ(deadline.clock, SlaClockKind::kFirstResponse);
    }
  }
}

TEST(SlaClocksTest, SeveralNextUpdateCycles) {
  // Updates every 240: cycle 1 from 09:30 (due 13:30) met at 13:00; cycle 2 from 13:00 (due
  // 17:00) missed, update at 17:30; cycle 3 from 17:30 due 21:30.
  const SlaFacts facts = Facts("2026-03-09T09:00:00Z", Severity::kCritical,
                               {SlaEvent::StaffPublicReply(T("2026-03-09T09:30:00Z")),
                                SlaEvent::StaffPublicReply(T("2026-03-09T13:00:00Z")),
                                SlaEvent::StaffPublicReply(T("2026-03-09T17:30:00Z"))});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T18:00:00Z"));
  const SlaClock& update = clocks.next_update;
  EXPECT_EQ(update.cycle, 3);
  EXPECT_EQ(update.started_at, OptT("2026-03-09T17:30:00Z"));
  EXPECT_EQ(update.due_at, OptT("2026-03-09T21:30:00Z"));
  EXPECT_EQ(update.warning_at, OptT("2026-03-09T20:30:00Z"));
  EXPECT_EQ(update.breached_at, std::nullopt);
  EXPECT_THAT(ExplainSlaClock(update),
              ElementsAre("update cycle 3 from 2026-03-09T17:30:00Z: next public update due "
                          "within 240 business minutes on calendar business-gmt",
                          "due at 2026-03-09T21:30:00Z: 4 h of business time remaining from "
                          "2026-03-09T17:30:00Z on calendar business-gmt"));
  EXPECT_THAT(
      UpcomingDeadlines(clocks),
      ElementsAre(SlaDeadline{SlaClockKind::kNextUpdate, SlaDeadlineKind::kWarning, 1,
                              T("2026-03-09T12:30:00Z")},
                  SlaDeadline{SlaClockKind::kNextUpdate, SlaDeadlineKind::kWarning, 2,
                              T("2026-03-09T16:00:00Z")},
                  SlaDeadline{SlaClockKind::kNextUpdate, SlaDeadlineKind::kBreach, 2,
                              T("2026-03-09T17:00:00Z")},
                  SlaDeadline{SlaClockKind::kNextUpdate, SlaDeadlineKind::kWarning, 3,
                              T("2026-03-09T20:30:00Z")},
                  SlaDeadline{SlaClockKind::kNextUpdate, SlaDeadlineKind::kBreach, 3,
                              T("2026-03-09T21:30:00Z")},
                  SlaDeadline{SlaClockKind::kResolution, SlaDeadlineKind::kWarning, 0,
                              T("2026-03-10T10:00:00Z")},
                  SlaDeadline{SlaClockKind::kResolution, SlaDeadlineKind::kBreach, 0,
                              T("2026-03-10T16:00:00Z")}));
}

TEST(SlaClocksTest, UpdateCycleRunsAcrossTheNight) {
  // Update at Monday 23:00: 120 minutes to 01:00, then Tuesday 08:00 + 120.
  const SlaFacts facts = Facts("2026-03-09T22:30:00Z", Severity::kCritical,
                               {SlaEvent::StaffPublicReply(T("2026-03-09T23:00:00Z"))});
  const SlaClocks clocks = Compute(Plan("professional"), facts, T("2026-03-09T23:00:00Z"));
  EXPECT_EQ(clocks.next_update.due_at, OptT("2026-03-10T10:00:00Z"));
}

// ---- Calendars: midnight windows, DST -------------------------------------------------------

struct CalendarCase {
  const char* name;
  const char* created_at;
  const char* due_at;
};

TEST(SlaClocksTest, FridayWindowRunsToOneOnSaturday) {
  // Severity 2: 240 business minutes on business-gmt.
  const std::vector<CalendarCase> cases = {
      {"Friday 23:30: 90 minutes to 01:00, Monday 08:00 + 150", "2026-03-13T23:30:00Z",
       "2026-03-16T10:30:00Z"},
      {"Saturday 00:30 is still Friday's window", "2026-03-14T00:30:00Z", "2026-03-16T11:30:00Z"},
      {"Saturday 02:00 is closed", "2026-03-14T02:00:00Z", "2026-03-16T12:00:00Z"},
      {"Thursday 22:00 runs into Friday", "2026-03-12T22:00:00Z", "2026-03-13T09:00:00Z"},
      {"Sunday evening waits for Monday", "2026-03-15T23:00:00Z", "2026-03-16T12:00:00Z"},
  };
  for (const CalendarCase& test : cases) {
    SCOPED_TRACE(test.name);
    const SlaClocks clocks = Compute(Plan("professional"),
                                     Facts(test.created_at, Severity::kMajor), T(test.created_at));
    EXPECT_EQ(clocks.first_response.due_at, T(test.due_at));
  }
}

SlaPolicy LondonPolicy() {
  SlaPolicy policy = DefaultSlaPolicies().at("professional");
  policy.business_calendar = "london";
  for (auto& [severity, targets] : policy.targets) {
    targets.first_response.calendar.clear();
    targets.next_update.calendar.clear();
    targets.resolution.calendar.clear();
  }
  policy.targets[Severity::kMajor].first_response = SlaTarget::Minutes(120);
  return policy;
}

TEST(SlaClocksTest, DaylightSavingChangesMoveBusinessHoursInUtc) {
  const SlaEvaluator evaluator = Evaluator(LondonPolicy());
  const std::vector<CalendarCase> cases = {
      // Friday 16:00 GMT: 60 minutes left that day; Monday 09:00 BST is 08:00Z, + 60.
      {"spring forward", "2026-03-27T16:00:00Z", "2026-03-30T09:00:00Z"},
      // Friday 16:00 BST (15:00Z): 60 minutes; Monday 09:00 GMT is 09:00Z, + 60.
      {"fall back", "2026-10-23T15:00:00Z", "2026-10-26T10:00:00Z"},
      // Entirely inside a BST day: 09:00 BST is 08:00Z.
      {"summer day", "2026-06-01T08:00:00Z", "2026-06-01T10:00:00Z"},
  };
  for (const CalendarCase& test : cases) {
    SCOPED_TRACE(test.name);
    const SlaClocks clocks =
        Compute(evaluator, Facts(test.created_at, Severity::kMajor), T(test.created_at));
    EXPECT_EQ(clocks.first_response.target, SlaTarget::Minutes(120, "london"));
    EXPECT_EQ(clocks.first_response.due_at, T(test.due_at));
  }
}

TEST(SlaClocksTest, PauseAcrossTheSpringChangeCountsRealBusinessTime) {
  // Pending Friday 2026-03-27 16:30 GMT until Monday 10:00 BST (09:00Z): business time not
  // counted = 30 min Friday + 1 h Monday. 30 minutes were used before the pause.
  const SlaFacts facts =
      Facts("2026-03-27T16:00:00Z", Severity::kMajor,
            {SlaEvent::StatusChanged(T("2026-03-27T16:30:00Z"), CaseStatus::kPending),
             SlaEvent::CustomerPublicReply(T("2026-03-30T09:00:00Z"))});
  const SlaClocks clocks = Compute(Evaluator(LondonPolicy()), facts, T("2026-03-30T09:00:00Z"));
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-03-30T10:30:00Z"));
  EXPECT_TRUE(Explains(clocks.first_response, "1 h 30 min of business time not counted"))
      << AllLines(clocks.first_response);
}

// ---- After-hours rule -----------------------------------------------------------------------

TEST(SlaClocksTest, EnterpriseCriticalAtThreeGetsTriageAndStatusNotification) {
  // Tuesday 03:00 is outside business-gmt (Monday's window ended at 01:00).
  const SlaClocks clocks = Compute(
      Plan("enterprise"), Facts("2026-03-10T03:00:00Z", Severity::kCritical),
      T("2026-03-10T03:05:00Z"));
  ASSERT_TRUE(clocks.triage.has_value());
  EXPECT_EQ(clocks.triage->kind, SlaClockKind::kTriage);
  EXPECT_EQ(clocks.triage->target, SlaTarget::Minutes(15, "always"));
  EXPECT_EQ(clocks.triage->due_at, OptT("2026-03-10T03:15:00Z"));
  // 75 % of 15 minutes.
  EXPECT_EQ(clocks.triage->warning_at, OptT("2026-03-10T03:11:15Z"));
  EXPECT_THAT(ExplainSlaClock(*clocks.triage),
              ElementsAre("after-hours rule: the case was at this severity at "
                          "2026-03-10T03:00:00Z, outside the business hours of calendar "
                          "business-gmt",
                          "target 15 business minutes on calendar always from "
                          "2026-03-10T03:00:00Z",
                          "due at 2026-03-10T03:15:00Z: 15 min of business time remaining from "
                          "2026-03-10T03:00:00Z on calendar always"));
  ASSERT_TRUE(clocks.status_notification.has_value());
  EXPECT_EQ(clocks.status_notification->kind, SlaClockKind::kStatusNotification);
  EXPECT_EQ(clocks.status_notification->due_at, OptT("2026-03-10T04:00:00Z"));
  // Enterprise severity 1 runs on 24x7 anyway.
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-03-10T04:00:00Z"));
  EXPECT_EQ(clocks.resolution.due_at, OptT("2026-03-11T03:00:00Z"));
}

struct AfterHoursCase {
  const char* name;
  const char* plan;
  Severity severity;
  const char* created_at;
  bool triggered;
  const char* first_response_due;
};

TEST(SlaClocksTest, AfterHoursRuleAppliesOnlyToCoveredPlansCriticalCasesOutsideHours) {
  const std::vector<AfterHoursCase> cases = {
      {"enterprise critical at 03:00", "enterprise", Severity::kCritical, "2026-03-10T03:00:00Z",
       true, "2026-03-10T04:00:00Z"},
      {"enterprise critical at 10:00", "enterprise", Severity::kCritical, "2026-03-10T10:00:00Z",
       false, "2026-03-10T11:00:00Z"},
      {"enterprise critical on Saturday", "enterprise", Severity::kCritical,
       "2026-03-14T10:00:00Z", true, "2026-03-14T11:00:00Z"},
      {"enterprise critical at 00:30 (inside Monday's window)", "enterprise",
       Severity::kCritical, "2026-03-10T00:30:00Z", false, "2026-03-10T01:30:00Z"},
      {"enterprise major at 03:00", "enterprise", Severity::kMajor, "2026-03-10T03:00:00Z",
       false, "2026-03-10T12:00:00Z"},
      {"professional critical at 03:00", "professional", Severity::kCritical,
       "2026-03-10T03:00:00Z", false, "2026-03-10T09:00:00Z"},
      {"developer critical at 03:00", "developer", Severity::kCritical, "2026-03-10T03:00:00Z",
       false, "2026-03-10T09:00:00Z"},
  };
  for (const AfterHoursCase& test : cases) {
    SCOPED_TRACE(test.name);
    const SlaClocks clocks =
        Compute(Plan(test.plan), Facts(test.created_at, test.severity), T(test.created_at));
    EXPECT_EQ(clocks.triage.has_value(), test.triggered);
    EXPECT_EQ(clocks.status_notification.has_value(), test.triggered);
    EXPECT_EQ(clocks.first_response.due_at, T(test.first_response_due));
  }
}

TEST(SlaClocksTest, AfterHoursClocksAreAchievedByTriageAndTheFirstUpdate) {
  const SlaFacts facts = Facts("2026-03-10T03:00:00Z", Severity::kCritical,
                               {SlaEvent::Triaged(T("2026-03-10T03:10:00Z")),
                                SlaEvent::StaffPublicReply(T("2026-03-10T04:20:00Z"))});
  const SlaClocks clocks = Compute(Plan("enterprise"), facts, T("2026-03-10T05:00:00Z"));
  ASSERT_TRUE(clocks.triage && clocks.status_notification);
  EXPECT_EQ(clocks.triage->achieved_at, OptT("2026-03-10T03:10:00Z"));
  EXPECT_EQ(clocks.triage->breached_at, std::nullopt);
  EXPECT_EQ(clocks.status_notification->achieved_at, OptT("2026-03-10T04:20:00Z"));
  EXPECT_EQ(clocks.status_notification->breached_at, OptT("2026-03-10T04:00:00Z"));
  EXPECT_EQ(clocks.status_notification->warning_at, OptT("2026-03-10T03:45:00Z"));
  EXPECT_EQ(clocks.first_response.breached_at, OptT("2026-03-10T04:00:00Z"));
  // Enterprise critical updates every 240 minutes on 24x7.
  EXPECT_EQ(clocks.next_update.due_at, OptT("2026-03-10T08:20:00Z"));
}

TEST(SlaClocksTest, UpgradeToCriticalAfterHoursTriggersTheRuleAtTheChange) {
  const SlaFacts facts =
      Facts("2026-03-10T03:00:00Z", Severity::kMajor,
            {SlaEvent::SeverityChanged(T("2026-03-10T03:30:00Z"), Severity::kCritical),
             SlaEvent::StaffPublicReply(T("2026-03-10T03:40:00Z"))});
  const SlaClocks clocks = Compute(Plan("enterprise"), facts, T("2026-03-10T04:00:00Z"));
  ASSERT_TRUE(clocks.triage.has_value());
  EXPECT_EQ(clocks.triage->started_at, OptT("2026-03-10T03:30:00Z"));
  EXPECT_EQ(clocks.triage->achieved_at, OptT("2026-03-10T03:40:00Z"));
  EXPECT_EQ(clocks.status_notification->achieved_at, OptT("2026-03-10T03:40:00Z"));
  // The first response under severity 2 had counted nothing (03:00-03:30 is closed).
  EXPECT_EQ(clocks.first_response.achieved_at, OptT("2026-03-10T03:40:00Z"));
  EXPECT_EQ(clocks.first_response.breached_at, std::nullopt);
}

TEST(SlaClocksTest, AfterHoursClocksSurviveADowngrade) {
  const SlaFacts facts =
      Facts("2026-03-10T03:00:00Z", Severity::kCritical,
            {SlaEvent::SeverityChanged(T("2026-03-10T03:05:00Z"), Severity::kMinor)});
  const SlaClocks clocks = Compute(Plan("enterprise"), facts, T("2026-03-10T03:30:00Z"));
  ASSERT_TRUE(clocks.triage.has_value());
  EXPECT_EQ(clocks.triage->breached_at, OptT("2026-03-10T03:15:00Z"));
  // first_response: 5 minutes used on 24x7, then 475 on business-gmt from 08:00.
  EXPECT_EQ(clocks.first_response.target, SlaTarget::Minutes(480, "business-gmt"));
  EXPECT_EQ(clocks.first_response.due_at, OptT("2026-03-10T15:55:00Z"));
}

// ---- Input handling and options -------------------------------------------------------------

TEST(SlaClocksTest, UnorderedEventsAreSortedAndEarlyEventsTakeEffectAtTheStart) {
  const SlaFacts ordered = Facts("2026-03-09T09:00:00Z", Severity::kMajor,
                                 {SlaEvent::StaffPublicReply(T("2026-03-09T09:30:00Z")),
                                  SlaEvent::StaffPublicReply(T("2026-03-09T11:00:00Z"))});
  SlaFacts unordered = ordered;
  std::reverse(unordered.events.begin(), unordered.events.end());
  const SlaEvaluator evaluator = Plan("professional");
  const SlaClocks a = Compute(evaluator, ordered, T("2026-03-09T12:00:00Z"));
  const SlaClocks b = Compute(evaluator, unordered, T("2026-03-09T12:00:00Z"));
  EXPECT_EQ(a.next_update.cycle, 2);
  EXPECT_EQ(b.next_update.cycle, 2);
  EXPECT_EQ(a.next_update.due_at, b.next_update.due_at);

  // A severity set before the eligibility instant applies from it.
  const SlaFacts early = Facts("2026-03-09T09:00:00Z", Severity::kMajor,
                               {SlaEvent::SeverityChanged(T("2026-03-09T08:00:00Z"),
                                                          Severity::kCritical)});
  EXPECT_EQ(Compute(evaluator, early, T("2026-03-09T09:00:00Z")).first_response.due_at,
            OptT("2026-03-09T10:00:00Z"));
}

TEST(SlaClocksTest, ExplanationsCanBeSkippedWithoutChangingResults) {
  const SlaFacts facts =
      Facts("2026-03-09T09:00:00Z", Severity::kMajor,
            {SlaEvent::StatusChanged(T("2026-03-09T10:00:00Z"), CaseStatus::kPending),
             SlaEvent::CustomerPublicReply(T("2026-03-09T12:10:00Z")),
             SlaEvent::StaffPublicReply(T("2026-03-09T15:30:00Z"))});
  const SlaEvaluator evaluator = Plan("professional");
  SlaClocks quiet;
  ASSERT_TRUE(
      evaluator.Compute(facts, T("2026-03-10T00:00:00Z"), &quiet, {.explain = false}).ok());
  const SlaClocks full = Compute(evaluator, facts, T("2026-03-10T00:00:00Z"));
  EXPECT_TRUE(quiet.first_response.explanation.empty());
  EXPECT_FALSE(full.first_response.explanation.empty());
  EXPECT_EQ(quiet.first_response.breached_at, OptT("2026-03-09T15:10:00Z"));
  EXPECT_EQ(full.first_response.breached_at, OptT("2026-03-09T15:10:00Z"));
  EXPECT_EQ(UpcomingDeadlines(quiet), UpcomingDeadlines(full));

  // Reusing the output object gives the same answer as a fresh one.
  ASSERT_TRUE(evaluator.Compute(Facts("2026-03-09T09:00:00Z", Severity::kCritical),
                                T("2026-03-09T09:00:00Z"), &quiet)
                  .ok());
  EXPECT_EQ(quiet.first_response.due_at, OptT("2026-03-09T10:00:00Z"));
  EXPECT_EQ(quiet.next_update.cycle, 0);
  EXPECT_EQ(quiet.next_update.state, SlaClockState::kNotStarted);
  EXPECT_EQ(quiet.first_response.explanation.size(), 2u);
}

TEST(SlaClocksTest, RejectsFactsWithoutAStartAndPoliciesWithUnknownCalendars) {
  SlaFacts facts;
  EXPECT_EQ(Plan("professional").Compute(facts, T("2026-03-09T09:00:00Z")).status().code(),
            absl::StatusCode::kInvalidArgument);

  SlaPolicy policy = DefaultSlaPolicies().at("enterprise");
  std::map<std::string, BusinessCalendar, std::less<>> only_business = {
      {"business-gmt", Calendars().at("business-gmt")}};
  const auto evaluator = SlaEvaluator::Create(policy, CalendarLookupIn(only_business));
  EXPECT_EQ(evaluator.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(evaluator.status().message()), HasSubstr("unknown calendar 'always'"));

  const auto one_shot =
      ComputeSlaClocks(Facts("2026-03-09T09:00:00Z", Severity::kCritical), policy,
                       CalendarLookupIn(Calendars()), T("2026-03-09T09:00:00Z"));
  ASSERT_TRUE(one_shot.ok()) << one_shot.status();
  EXPECT_EQ(one_shot->first_response.due_at, OptT("2026-03-09T10:00:00Z"));
}

TEST(SlaClocksTest, FormatsDurations) {
  EXPECT_EQ(FormatSlaDuration(absl::ZeroDuration()), "0 min");
  EXPECT_EQ(FormatSlaDuration(absl::Minutes(45)), "45 min");
  EXPECT_EQ(FormatSlaDuration(absl::Minutes(130)), "2 h 10 min");
  EXPECT_EQ(FormatSlaDuration(absl::Hours(61)), "61 h");
  EXPECT_EQ(FormatSlaDuration(absl::Seconds(675)), "11 min 15 s");
}

}  // namespace
}  // namespace casedesk::core
