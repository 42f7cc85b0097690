#include "core/report_counters.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

absl::Time Utc(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::UTCTimeZone());
}

TEST(CounterBucketsTest, MonthsHaveSixDigitsAndDaysEight) {
  EXPECT_EQ(MonthBucket(absl::CivilMonth(2026, 11)), 202611);
  EXPECT_EQ(DayBucket(absl::CivilDay(2026, 3, 9)), 20260309);
}

TEST(PlanCounterReadTest, WholeMonthsDaysAndPartDaysEachComeFromTheirOwnSource) {
  // 2026-01-30 12:00 to 2026-04-02 06:00: a part-day, two whole days of January, February and
  // March as months, a whole day of April, a part-day.
  const CounterReadPlan plan = PlanCounterRead(Utc(2026, 1, 30, 12), Utc(2026, 4, 2, 6));
  EXPECT_THAT(plan.buckets,
              ::testing::ElementsAre(BucketRange{20260131, 20260131}, BucketRange{202602, 202603},
                                     BucketRange{20260401, 20260401}));
  EXPECT_THAT(plan.scans, ::testing::ElementsAre(TimeSpan{Utc(2026, 1, 30, 12), Utc(2026, 1, 31)},
                                                 TimeSpan{Utc(2026, 4, 2), Utc(2026, 4, 2, 6)}));
}

TEST(PlanCounterReadTest, ExactMonthBoundsNeedNoDaysAndNoScans) {
  const CounterReadPlan plan = PlanCounterRead(Utc(2025, 12, 1), Utc(2026, 2, 1));
  EXPECT_THAT(plan.buckets, ::testing::ElementsAre(BucketRange{202512, 202601}));
  EXPECT_TRUE(plan.scans.empty());
}

TEST(PlanCounterReadTest, DaysInsideOneMonthAreOneDayRange) {
  const CounterReadPlan plan = PlanCounterRead(Utc(2026, 2, 25), Utc(2026, 3, 27, 1));
  EXPECT_THAT(plan.buckets, ::testing::ElementsAre(BucketRange{20260225, 20260326}));
  EXPECT_THAT(plan.scans, ::testing::ElementsAre(TimeSpan{Utc(2026, 3, 27), Utc(2026, 3, 27, 1)}));
}

TEST(PlanCounterReadTest, RangesWithoutAWholeDayOrWithAnInfiniteEndAreScanned) {
  const absl::Time from = Utc(2026, 3, 9, 6);
  EXPECT_TRUE(PlanCounterRead(from, from).buckets.empty());
  EXPECT_TRUE(PlanCounterRead(from, from).scans.empty());
  const CounterReadPlan short_range = PlanCounterRead(from, Utc(2026, 3, 10, 5));
  EXPECT_TRUE(short_range.buckets.empty());
  EXPECT_THAT(short_range.scans, ::testing::ElementsAre(TimeSpan{from, Utc(2026, 3, 10, 5)}));
  const CounterReadPlan open = PlanCounterRead(absl::InfinitePast(), from);
  EXPECT_TRUE(open.buckets.empty());
  EXPECT_THAT(open.scans, ::testing::ElementsAre(TimeSpan{absl::InfinitePast(), from}));
}

TEST(MergeSlaCountsTest, AddsUpTheSameKeyDropsEmptyRowsAndSorts) {
  SlaCountRow a{.org_id = 2, .plan = "enterprise", .severity = Severity::kMajor, .cases = 2};
  a.first_response = {.met = 1, .breached = 1};
  a.update_breaches = 1;
  SlaCountRow b = a;
  b.cases = 1;
  b.first_response = {.pending = 1};
  b.update_breaches = 0;
  SlaCountRow earlier{
      .org_id = 1, .plan = "professional", .severity = Severity::kMinor, .cases = 1};
  SlaCountRow emptied{.org_id = 3, .plan = "enterprise", .severity = Severity::kMinor, .cases = 0};
  const std::vector<SlaCountRow> merged = MergeSlaCounts({a, emptied, b, earlier});
  ASSERT_EQ(merged.size(), 2u);
  EXPECT_EQ(merged[0].org_id, 1);
  EXPECT_EQ(merged[1].cases, 3);
  EXPECT_EQ(merged[1].first_response.met, 1);
  EXPECT_EQ(merged[1].first_response.breached, 1);
  EXPECT_EQ(merged[1].first_response.pending, 1);
  EXPECT_EQ(merged[1].update_breaches, 1);
}

TEST(MergePartnerResolutionTest, AddsUpEachPartner) {
  const std::vector<PartnerResolutionRow> merged = MergePartnerResolution({
      {.partner_id = 9, .cases = 3, .resolved_by_partner = 2, .handed_to_provider = 1},
      {.partner_id = 4, .cases = 0},
      {.partner_id = 9, .cases = 1, .resolved_by_partner = 0, .handed_to_provider = 1},
  });
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].cases, 4);
  EXPECT_EQ(merged[0].resolved_by_partner, 2);
  EXPECT_EQ(merged[0].handed_to_provider, 2);
}

}  // namespace
}  // namespace casedesk::core
