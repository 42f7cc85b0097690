#include "core/utc_time.h"

#include <cstdint>
#include <random>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

std::string ThroughAbsl(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

TEST(UtcTimeTest, KnownInstants) {
  EXPECT_EQ(FormatUtcSeconds(absl::UnixEpoch()), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatUtcSeconds(absl::FromUnixSeconds(1773061200)), "2026-03-09T13:00:00Z");
  EXPECT_EQ(FormatUtcSeconds(absl::FromUnixSeconds(951782400)), "2000-02-29T00:00:00Z");
  // Seconds are rounded down, before 1970 too.
  EXPECT_EQ(FormatUtcSeconds(absl::FromUnixMillis(1999)), "1970-01-01T00:00:01Z");
  EXPECT_EQ(FormatUtcSeconds(absl::FromUnixMillis(-1)), "1969-12-31T23:59:59Z");
}

TEST(UtcTimeTest, AgreesWithAbslEverywhere) {
  std::mt19937_64 random(11);
  const int64_t first = -62167219200;  // the years 0-10400: both sides of the four-digit ones
  const int64_t span = 253402300800 + 86400 * 400 - first;
  for (int i = 0; i < 200000; ++i) {
    const int64_t micros = (first + static_cast<int64_t>(random() % span)) * 1000000 +
                           static_cast<int64_t>(random() % 1000000);
    const absl::Time time = absl::FromUnixMicros(micros);
    ASSERT_EQ(FormatUtcSeconds(time), ThroughAbsl(time)) << micros;
  }
  // Around every month's end and every leap day of the years 1896-2104.
  for (absl::Time time = absl::FromCivil(absl::CivilDay(1896, 1, 1), absl::UTCTimeZone());
       time < absl::FromCivil(absl::CivilDay(2105, 1, 1), absl::UTCTimeZone());
       time += absl::Hours(23) + absl::Seconds(59)) {
    ASSERT_EQ(FormatUtcSeconds(time), ThroughAbsl(time));
  }
  for (absl::Time time :
       {absl::InfinitePast(), absl::InfiniteFuture(), absl::FromUnixSeconds(-30610224001),
        absl::FromUnixSeconds(-30610224000), absl::FromUnixSeconds(253402300799),
        absl::FromUnixSeconds(253402300800)}) {
    EXPECT_EQ(FormatUtcSeconds(time), ThroughAbsl(time));
  }
}

}  // namespace
}  // namespace casedesk::core
