#include "core/report_sla.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

absl::Time Utc(int y, int m, int d, int hh = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, 0, 0), absl::UTCTimeZone());
}

SlaCountRow Row(OrgId org, Severity severity, int64_t cases, ClockCounts fr, ClockCounts res,
                int64_t updates = 0) {
  return {.org_id = org,
          .plan = "enterprise",
          .severity = severity,
          .cases = cases,
          .first_response = fr,
          .resolution = res,
          .update_breaches = updates};
}

TEST(SummariseSlaTest, FoldsOrganisationsPerSeverityAndClockWithTotals) {
  const std::vector<SlaCountRow> rows = {
      Row(1, Severity::kMajor, 4, {.met = 3, .breached = 1}, {.met = 2, .pending = 2}, 1),
      Row(2, Severity::kMajor, 2, {.met = 1, .breached = 1}, {.breached = 2}),
      Row(1, Severity::kCritical, 1, {.breached = 1}, {.without_target = 1}, 2),
  };
  const std::vector<SlaComplianceLine> lines = SummariseSla(rows);
  ASSERT_EQ(lines.size(), 9u);  // critical, major, all x 3 clocks
  EXPECT_EQ(lines[0].severity, Severity::kCritical);
  EXPECT_EQ(lines[0].clock, SlaClockKind::kFirstResponse);
  EXPECT_EQ(lines[0].percent, 0.0);
  EXPECT_EQ(lines[1].clock, SlaClockKind::kResolution);
  EXPECT_EQ(lines[1].counts.without_target, 1);
  EXPECT_FALSE(lines[1].percent.has_value());
  EXPECT_EQ(lines[2].clock, SlaClockKind::kNextUpdate);
  EXPECT_EQ(lines[2].counts.breached, 2);
  EXPECT_FALSE(lines[2].percent.has_value());
  const SlaComplianceLine& major_fr = lines[3];
  EXPECT_EQ(major_fr.severity, Severity::kMajor);
  EXPECT_EQ(major_fr.cases, 6);
  EXPECT_EQ(major_fr.counts.met, 4);
  EXPECT_EQ(major_fr.counts.breached, 2);
  EXPECT_NEAR(*major_fr.percent, 66.67, 0.01);
  const SlaComplianceLine& all_res = lines[7];
  EXPECT_FALSE(all_res.severity.has_value());
  EXPECT_EQ(all_res.cases, 7);
  EXPECT_EQ(all_res.counts.met, 2);
  EXPECT_EQ(all_res.counts.breached, 2);
  EXPECT_EQ(all_res.counts.pending, 2);
  EXPECT_EQ(*all_res.percent, 50.0);
  EXPECT_EQ(lines[8].counts.breached, 3);
}

TEST(SummariseSlaTest, NoRowsGiveOnlyEmptyTotals) {
  const std::vector<SlaComplianceLine> lines = SummariseSla({});
  ASSERT_EQ(lines.size(), 3u);
  for (const SlaComplianceLine& line : lines) {
    EXPECT_EQ(line.cases, 0);
    EXPECT_FALSE(line.percent.has_value());
  }
}

TEST(BacklogTest, BucketsStartAtTheEdgesAndFoldPerSeverity) {
  const absl::Time at = Utc(2026, 11, 20);
  const std::vector<absl::Time> starts = BacklogBucketStarts(at);
  ASSERT_EQ(starts.size(), 4u);
  EXPECT_EQ(starts[0], Utc(2026, 11, 19));
  EXPECT_EQ(starts[3], at - absl::Hours(24 * 90));
  const std::vector<BacklogLine> lines = FoldBacklog({{Severity::kCritical, 0, 2},
                                                      {Severity::kMinor, 4, 5},
                                                      {Severity::kMinor, 1, 1},
                                                      {Severity::kMinor, 9, 100}});
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0].total, 2);
  EXPECT_EQ(lines[1].total, 0);
  EXPECT_EQ(lines[2].buckets[4], 5);
  EXPECT_EQ(lines[2].total, 6);
  EXPECT_FALSE(lines[4].severity.has_value());
  EXPECT_EQ(lines[4].total, 8);  // the out-of-range bucket is ignored
  EXPECT_EQ(BacklogBucketLabel(0), "< 1 day");
  EXPECT_EQ(BacklogBucketLabel(4), "90+ days");
}

TEST(PartnerResolutionTest, ShareOfDecidedCasesAgainstTheLevelOneGoal) {
  struct Case {
    PartnerResolutionRow row;
    std::optional<double> percent;
    GoalStatus goal;
    int64_t open;
  };
  const Case cases[] = {
      {{1, 10, 7, 3}, 70.0, GoalStatus::kWithin, 0},
      {{1, 10, 6, 3}, 66.67, GoalStatus::kBelow, 1},
      {{1, 12, 9, 1}, 90.0, GoalStatus::kAbove, 2},
      {{1, 5, 4, 1}, 80.0, GoalStatus::kWithin, 0},
      {{1, 3, 0, 0}, std::nullopt, GoalStatus::kNoData, 3},
  };
  for (const Case& c : cases) {
    const PartnerResolutionLine line = SummarisePartner(c.row);
    EXPECT_EQ(line.goal, c.goal) << c.row.resolved_by_partner;
    EXPECT_EQ(line.open, c.open);
    if (c.percent) {
      EXPECT_NEAR(*line.percent, *c.percent, 0.01);
    } else {
      EXPECT_FALSE(line.percent.has_value());
    }
  }
}

TEST(ReportMonthsTest, ClipsToThePeriodAndCrossesYearEnds) {
  const std::vector<ReportMonth> months = ReportMonths(Utc(2026, 11, 15, 6), Utc(2027, 1, 10));
  ASSERT_EQ(months.size(), 3u);
  EXPECT_EQ(months[0].month, (HoursPeriod{2026, 11}));
  EXPECT_EQ(months[0].from, Utc(2026, 11, 15, 6));
  EXPECT_EQ(months[0].to, Utc(2026, 12, 1));
  EXPECT_EQ(months[1].from, Utc(2026, 12, 1));
  EXPECT_EQ(months[2].month, (HoursPeriod{2027, 1}));
  EXPECT_EQ(months[2].to, Utc(2027, 1, 10));
  EXPECT_EQ(ReportMonths(Utc(2026, 12, 1), Utc(2027, 1, 1)).size(), 1u);
  EXPECT_TRUE(ReportMonths(Utc(2027, 1, 1), Utc(2027, 1, 1)).empty());
}

}  // namespace
}  // namespace casedesk::core
