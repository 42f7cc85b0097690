#include "adapters/store_support/store_codec.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters {
namespace {

TEST(SqliteCodecTest, CursorsRoundTripAndRejectGarbage) {
  for (int64_t position : {int64_t{0}, int64_t{100001}, int64_t{9007199254740993}}) {
    auto decoded = DecodeCursor(EncodeCursor(position));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, std::optional<int64_t>(position));
  }
  auto empty = DecodeCursor("");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
  for (std::string garbage : {"x", "cDE6", "!!!", "cDE6MTJh", "MTIz"}) {
    EXPECT_EQ(DecodeCursor(garbage).status().code(), absl::StatusCode::kInvalidArgument) << garbage;
  }
}

TEST(SqliteCodecTest, TimesKeepMicrosecondsAndUnsetIsNull) {
  const absl::Time time = absl::FromUnixMicros(1700000000123456);
  EXPECT_EQ(TimeFromColumn(TimeToColumn(time)), time);
  EXPECT_FALSE(TimeToColumn(absl::InfinitePast()).has_value());
  EXPECT_EQ(TimeFromColumn(std::nullopt), absl::InfinitePast());
  EXPECT_FALSE(OptionalTimeFromColumn(OptionalTimeToColumn(std::nullopt)).has_value());
}

TEST(SqliteCodecTest, JsonColumnsRoundTripAndToleratesDamage) {
  const std::map<std::string, std::string> fields{{"a", "1"}, {"quote\"", "line\nbreak"}};
  EXPECT_EQ(MapFromJson(MapToJson(fields)), fields);
  EXPECT_THAT(IdsFromJson(IdsToJson({3, 1, 2})), ::testing::ElementsAre(3, 1, 2));
  EXPECT_THAT(StringsFromJson(StringsToJson({"x", ""})), ::testing::ElementsAre("x", ""));
  EXPECT_TRUE(MapFromJson("{not json").empty());
  EXPECT_TRUE(IdsFromJson("").empty());
  auto changes = ChangesFromJson(ChangesToJson({{"status", "new", "open"}}));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].after, "open");
}

}  // namespace
}  // namespace casedesk::adapters
