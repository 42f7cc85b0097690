#include "core/hours_package.h"

#include <string>
#include <vector>

#include "core/hours_period.h"
#include "core/time_entry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone(name, &zone)) << name;
  return zone;
}

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

TEST(HoursPeriodTest, PeriodsFollowTheOrganisationsZoneAcrossYearEndsAndDst) {
  const absl::TimeZone la = Zone("America/Los_Angeles");
  const absl::TimeZone berlin = Zone("Europe/Berlin");
  struct Row {
    absl::Time at;
    const absl::TimeZone* zone;
    std::string period;
    std::string day;
  };
  const Row rows[] = {
      // 2027-01-01 05:00 UTC is still New Year's Eve in Los Angeles.
      {Utc(2027, 1, 1, 5, 0), &la, "2026-12", "2026-12-31"},
      {Utc(2027, 1, 1, 8, 0), &la, "2027-01", "2027-01-01"},
      // 2026-10-31 23:30 UTC is already November in Berlin (UTC+1 after the DST end).
      {Utc(2026, 10, 31, 23, 30), &berlin, "2026-11", "2026-11-01"},
      {Utc(2026, 3, 31, 21, 59), &berlin, "2026-03", "2026-03-31"},
      {Utc(2026, 3, 31, 22, 0), &berlin, "2026-04", "2026-04-01"},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(PeriodName(PeriodOf(row.at, *row.zone)), row.period) << row.day;
    EXPECT_EQ(DayName(row.at, *row.zone), row.day);
  }
}

TEST(HoursPeriodTest, BoundariesAreLocalMidnightsSoDstMonthsAreShorterOrLonger) {
  const absl::TimeZone berlin = Zone("Europe/Berlin");
  // March 2026 loses an hour (DST starts 29 March), October gains one.
  const HoursPeriod march{2026, 3};
  EXPECT_EQ(PeriodStart(march, berlin), Utc(2026, 2, 28, 23, 0));
  EXPECT_EQ(PeriodEnd(march, berlin), Utc(2026, 3, 31, 22, 0));
  EXPECT_EQ(PeriodEnd(march, berlin) - PeriodStart(march, berlin), absl::Hours(31 * 24 - 1));
  const HoursPeriod october{2026, 10};
  EXPECT_EQ(PeriodEnd(october, berlin) - PeriodStart(october, berlin), absl::Hours(31 * 24 + 1));
  // December runs into the next year.
  const absl::TimeZone la = Zone("America/Los_Angeles");
  EXPECT_EQ(PeriodEnd({2026, 12}, la), Utc(2027, 1, 1, 8, 0));
  EXPECT_EQ(NextPeriod({2026, 12}), (HoursPeriod{2027, 1}));
  EXPECT_EQ(PreviousPeriod({2027, 1}), (HoursPeriod{2026, 12}));
  EXPECT_EQ(DaysInPeriod({2028, 2}), 29);
  EXPECT_EQ(DaysInPeriod({2026, 2}), 28);
}

TEST(HoursPeriodTest, ParsesOnlyWellFormedPeriods) {
  EXPECT_EQ(ParsePeriod("2026-03"), (HoursPeriod{2026, 3}));
  for (const char* bad : {"2026-3", "2026-13", "2026-00", "26-03", "2026/03", "", "abcd-ef",
                          "1969-12", "2026-03-01"}) {
    EXPECT_EQ(ParsePeriod(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(DayOfMonth("2026-03-29"), 29);
  EXPECT_EQ(DayOfMonth("garbage"), 0);
}

TEST(HoursPackageTest, ValidationNamesTheField) {
  struct Row {
    std::vector<HoursPackage> packages;
    std::string message;  // empty: valid
  };
  const HoursPackage ok{.kind = HoursKind::kCustomerSuccess, .included_minutes = 600};
  HoursPackage negative = ok;
  negative.included_minutes = -1;
  HoursPackage cap_without_carry = ok;
  cap_without_carry.carry_over_cap_minutes = 60;
  HoursPackage carry_without_cap = ok;
  carry_without_cap.carry_over = CarryOver::kCapped;
  HoursPackage descending = ok;
  descending.thresholds_percent = {100, 80};
  HoursPackage too_high = ok;
  too_high.thresholds_percent = {80, 120};
  HoursPackage none = ok;
  none.thresholds_percent = {};
  HoursPackage training = ok;
  training.kind = HoursKind::kTraining;
  const Row rows[] = {
      {{ok, training}, ""},
      {{}, ""},
      {{ok, ok}, "packages[1].kind"},
      {{negative}, "packages[0].included_minutes"},
      {{cap_without_carry}, "packages[0].carry_over_cap_minutes"},
      {{carry_without_cap}, "packages[0].carry_over_cap_minutes"},
      {{descending}, "packages[0].thresholds_percent: must be ascending"},
      {{too_high}, "packages[0].thresholds_percent"},
      {{training, none}, "packages[1].thresholds_percent"},
  };
  for (const Row& row : rows) {
    const absl::Status status = ValidatePackages(row.packages);
    if (row.message.empty()) {
      EXPECT_TRUE(status.ok()) << status;
    } else {
      EXPECT_THAT(std::string(status.message()), HasSubstr(row.message));
    }
  }
}

TEST(HoursPackageTest, PlansIncludeDefaultPackagesModelledOnTheSeeds) {
  EXPECT_THAT(DefaultPackagesForPlan("developer"), IsEmpty());
  const std::vector<HoursPackage> enterprise = DefaultPackagesForPlan("enterprise");
  ASSERT_EQ(enterprise.size(), 2u);
  EXPECT_EQ(enterprise[0].kind, HoursKind::kCustomerSuccess);
  EXPECT_EQ(enterprise[1].kind, HoursKind::kTraining);
  EXPECT_THAT(enterprise[0].thresholds_percent, ElementsAre(80, 100));
  EXPECT_TRUE(ValidatePackages(enterprise).ok());
  EXPECT_TRUE(ValidatePackages(DefaultPackagesForPlan("professional")).ok());
}

TEST(HoursPackageTest, CarryOverMovesUnusedIncludedMinutesUpToTheCapForOnePeriod) {
  HoursPackage package{.kind = HoursKind::kCustomerSuccess,
                       .included_minutes = 600,
                       .carry_over = CarryOver::kCapped,
                       .carry_over_cap_minutes = 300};
  const HoursPeriod jan{2026, 1}, feb{2026, 2}, mar{2026, 3}, apr{2026, 4};
  // January uses 100 of 600: 500 unused, 300 carry (the cap).
  // February has 900; uses 400 (300 carried first, then 100 included): 500 unused, 300 carry.
  // March has 900, uses 900: nothing carries. April starts afresh.
  const UsageByPeriod usage{{jan, 100}, {feb, 400}, {mar, 900}};
  struct Row {
    HoursPeriod period;
    int64_t carried, available, used, remaining, overrun;
    int percent;
  };
  const Row rows[] = {
      {jan, 0, 600, 100, 500, 0, 16},
      {feb, 300, 900, 400, 500, 0, 44},
      {mar, 300, 900, 900, 0, 0, 100},
      {apr, 0, 600, 0, 600, 0, 0},
  };
  for (const Row& row : rows) {
    const PeriodBalance balance = BalanceFor(package, jan, row.period, usage);
    EXPECT_EQ(balance.carried_in_minutes, row.carried) << PeriodName(row.period);
    EXPECT_EQ(balance.available_minutes, row.available) << PeriodName(row.period);
    EXPECT_EQ(balance.used_minutes, row.used);
    EXPECT_EQ(balance.remaining_minutes, row.remaining);
    EXPECT_EQ(balance.overrun_minutes, row.overrun);
    EXPECT_EQ(balance.percent_used, row.percent) << PeriodName(row.period);
  }
  // Carried minutes never carry twice: a quiet January and February still carry only 300.
  EXPECT_EQ(BalanceFor(package, jan, mar, {}).carried_in_minutes, 300);
  // Without carry-over nothing moves, and an overrun is counted.
  package.carry_over = CarryOver::kNone;
  package.carry_over_cap_minutes = 0;
  const PeriodBalance over = BalanceFor(package, jan, feb, {{feb, 700}});
  EXPECT_EQ(over.carried_in_minutes, 0);
  EXPECT_EQ(over.remaining_minutes, 0);
  EXPECT_EQ(over.overrun_minutes, 100);
  EXPECT_EQ(over.percent_used, 116);
}

TEST(HoursPackageTest, ThresholdsAreReachedAtTheirPercentage) {
  const HoursPackage package{.kind = HoursKind::kTraining, .included_minutes = 600};
  EXPECT_THAT(ReachedThresholds(package, 600, 0), IsEmpty());
  EXPECT_THAT(ReachedThresholds(package, 600, 479), IsEmpty());
  EXPECT_THAT(ReachedThresholds(package, 600, 480), ElementsAre(80));
  EXPECT_THAT(ReachedThresholds(package, 600, 599), ElementsAre(80));
  EXPECT_THAT(ReachedThresholds(package, 600, 600), ElementsAre(80, 100));
  EXPECT_THAT(ReachedThresholds(package, 600, 6000), ElementsAre(80, 100));
  // Nothing available: any use is over every threshold.
  EXPECT_THAT(ReachedThresholds(package, 0, 1), ElementsAre(80, 100));
}

TEST(TimeEntryTest, ValidationNamesTheField) {
  const absl::Time now = Utc(2026, 3, 9, 12, 0);
  TimeEntry entry;
  entry.org_id = 1;
  entry.author_id = 2;
  entry.worked_at = now;
  entry.minutes = 30;
  EXPECT_TRUE(ValidateTimeEntry(entry, now).ok());
  struct Row {
    int minutes;
    std::string note;
    absl::Time worked_at;
    std::string message;
  };
  const Row rows[] = {
      {0, "", now, "minutes"},
      {1441, "", now, "minutes"},
      {-5, "", now, "minutes"},
      {30, std::string(4001, 'x'), now, "note"},
      {30, "bell\a", now, "note"},
      {30, "", absl::InfinitePast(), "worked_at"},
      {30, "", now + absl::Hours(25), "worked_at"},
  };
  for (const Row& row : rows) {
    TimeEntry bad = entry;
    bad.minutes = row.minutes;
    bad.note = row.note;
    bad.worked_at = row.worked_at;
    const absl::Status status = ValidateTimeEntry(bad, now);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), HasSubstr(row.message + ":"));
  }
  entry.minutes = 1440;
  entry.note = "line one\nline two\ttab";
  EXPECT_TRUE(ValidateTimeEntry(entry, now).ok());
}

}  // namespace
}  // namespace casedesk::core
