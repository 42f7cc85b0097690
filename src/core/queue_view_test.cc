#include "core/queue_view.h"

#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

TEST(QueueViewFilterTest, EncodesSetKeysInOrder) {
  EXPECT_EQ(EncodeQueueViewFilter({}), "queue=untriaged");
  QueueViewFilter filter{
      .queue = CaseQueue::kMine, .severity_level = 2, .group_id = 3, .org_id = 9};
  EXPECT_EQ(EncodeQueueViewFilter(filter), "queue=mine&severity=2&group=3&org=9");
  filter.group_id.reset();
  EXPECT_EQ(EncodeQueueViewFilter(filter), "queue=mine&severity=2&org=9");
}

TEST(QueueViewFilterTest, DecodeIsTheInverseOfEncode) {
  const QueueViewFilter filters[] = {
      {},
      {.queue = CaseQueue::kOnHold, .org_id = 12},
      {.queue = CaseQueue::kBySeverity, .severity_level = 3},
      {.queue = CaseQueue::kBreachingSoon, .severity_level = 1, .group_id = 4, .org_id = 5},
  };
  for (const QueueViewFilter& filter : filters) {
    absl::StatusOr<QueueViewFilter> decoded = DecodeQueueViewFilter(EncodeQueueViewFilter(filter));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, filter) << EncodeQueueViewFilter(filter);
  }
}

TEST(QueueViewFilterTest, DecodeIgnoresOtherKeysAndEmptyValues) {
  absl::StatusOr<QueueViewFilter> decoded =
      DecodeQueueViewFilter("cursor=q12.3&queue=groups&severity=&group=7&notice=saved&org=");
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->queue, CaseQueue::kMyGroups);
  EXPECT_EQ(decoded->severity_level, 0);
  EXPECT_EQ(decoded->group_id, 7);
  EXPECT_FALSE(decoded->org_id.has_value());
  EXPECT_EQ(DecodeQueueViewFilter("")->queue, CaseQueue::kUntriaged);
}

TEST(QueueViewFilterTest, SeverityQueueAlwaysHasASeverity) {
  EXPECT_EQ(DecodeQueueViewFilter("queue=severity")->severity_level, 1);
  EXPECT_EQ(DecodeQueueViewFilter("queue=severity&severity=4")->severity_level, 4);
}

TEST(QueueViewFilterTest, RefusesBadValuesNamingTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {"queue=everything", "queue:"}, {"severity=0", "severity:"}, {"severity=5", "severity:"},
      {"severity=x", "severity:"},    {"group=-1", "group:"},      {"org=0", "org:"},
      {"org=12abc", "org:"},
  };
  for (const auto& [query, prefix] : cases) {
    absl::StatusOr<QueueViewFilter> decoded = DecodeQueueViewFilter(query);
    ASSERT_FALSE(decoded.ok()) << query;
    EXPECT_EQ(decoded.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(std::string(decoded.status().message()).starts_with(prefix))
        << query << ": " << decoded.status();
  }
}

TEST(QueueViewFilterTest, FromPairsReadsTheViewKeysOnly) {
  absl::StatusOr<QueueViewFilter> filter = QueueViewFilterFromPairs(
      {{"notice", "view-saved"}, {"queue", "on_hold"}, {"org", "12"}, {"cursor", "x"}});
  ASSERT_TRUE(filter.ok()) << filter.status();
  EXPECT_EQ(filter->queue, CaseQueue::kOnHold);
  EXPECT_EQ(filter->org_id, 12);
  EXPECT_EQ(QueueViewFilterFromPairs({})->queue, CaseQueue::kUntriaged);
  // An unescaped value carrying the query syntax is one value, never more keys.
  absl::StatusOr<QueueViewFilter> smuggled = QueueViewFilterFromPairs({{"queue", "mine&org=3"}});
  EXPECT_EQ(smuggled.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(smuggled.status().message(), "queue:"));
  EXPECT_EQ(QueueViewFilterFromPairs({{"group", "0"}}).status().message(),
            "group: must be a positive id");
}

TEST(ViewNameTest, TrimsAndBoundsByCharacters) {
  EXPECT_EQ(*CheckViewName("  Sev 1 for ACME \t"), "Sev 1 for ACME");
  EXPECT_FALSE(CheckViewName("   ").ok());
  EXPECT_FALSE(CheckViewName("").ok());
  EXPECT_FALSE(CheckViewName("line\nbreak").ok());
  // Sixty two-byte characters fit; sixty-one do not.
  std::string name;
  for (int i = 0; i < kMaxViewNameLength; ++i) name += "\xC3\xA9";  // é
  EXPECT_TRUE(CheckViewName(name).ok());
  EXPECT_FALSE(CheckViewName(name + "\xC3\xA9").ok());
}

}  // namespace
}  // namespace casedesk::core
