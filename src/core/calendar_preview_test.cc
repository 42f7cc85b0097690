#include "core/calendar_preview.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace casedesk::core {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;

CalendarSpec NineToFiveUtc() {
  CalendarSpec spec;
  spec.time_zone = "UTC";
  for (const char* day : {"mon", "tue", "wed", "thu", "fri"}) spec.hours[day] = {"09:00-17:00"};
  return spec;
}

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone());
}

std::vector<std::string> Labels(const std::vector<PreviewTarget>& targets) {
  std::vector<std::string> labels;
  for (const PreviewTarget& target : targets) labels.push_back(target.label);
  return labels;
}

TEST(CalendarPreviewTest, EnterpriseOnBusinessHoursLeavesOutTheAlwaysCalendarAndNamedTargets) {
  const SlaPolicy enterprise = DefaultSlaPolicies().at("enterprise");
  const std::vector<PreviewTarget> targets =
      TargetsOnCalendar(enterprise, kBusinessGmtCalendar, "Enterprise");
  // Severity 1 runs on "always"; severities 3 and 4 update on milestones and resolve by
  // named targets; the after-hours clocks run on "always"; the estimate on its own calendar.
  EXPECT_THAT(Labels(targets), ElementsAre("Enterprise · severity 2 · first response",
                                           "Enterprise · severity 2 · update",
                                           "Enterprise · severity 2 · resolution",
                                           "Enterprise · severity 3 · first response",
                                           "Enterprise · severity 4 · first response"));
  EXPECT_THAT(targets,
              ElementsAre(Field(&PreviewTarget::minutes, 240), Field(&PreviewTarget::minutes, 1440),
                          Field(&PreviewTarget::minutes, 2880), Field(&PreviewTarget::minutes, 480),
                          Field(&PreviewTarget::minutes, 1440)));
}

TEST(CalendarPreviewTest, TheAlwaysCalendarCarriesSeverityOneAndTheAfterHoursClocks) {
  const SlaPolicy enterprise = DefaultSlaPolicies().at("enterprise");
  EXPECT_THAT(Labels(TargetsOnCalendar(enterprise, kAlwaysCalendar, "E")),
              ElementsAre("E · severity 1 · first response", "E · severity 1 · update",
                          "E · severity 1 · resolution", "E · after-hours triage",
                          "E · after-hours status notice"));
}

TEST(CalendarPreviewTest, ACalendarNoTargetUsesHasNothingToPreview) {
  EXPECT_TRUE(
      TargetsOnCalendar(DefaultSlaPolicies().at("professional"), "unused", "Professional").empty());
}

TEST(CalendarPreviewTest, DueTimesSkipTheWeekendAndLandOnTheEarliestInstant) {
  absl::StatusOr<BusinessCalendar> calendar =
      BusinessCalendar::Create(NineToFiveUtc(), absl::UTCTimeZone());
  ASSERT_TRUE(calendar.ok()) << calendar.status();
  const absl::Time friday_four = Utc(2026, 3, 13, 16, 0);
  const std::vector<PreviewDue> due = PreviewDueTimes(
      *calendar, friday_four, {{"one hour", 60}, {"two hours", 120}, {"a day", 480}});
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].target.label, "one hour");
  EXPECT_EQ(due[0].due, Utc(2026, 3, 13, 17, 0));  // Friday 17:00, not Monday 09:00
  EXPECT_EQ(due[1].due, Utc(2026, 3, 16, 10, 0));  // Monday 10:00
  EXPECT_EQ(due[2].due, Utc(2026, 3, 16, 16, 0));
}

}  // namespace
}  // namespace casedesk::core
