#include "app/throttle.h"

#include "app/directory_test_fixture.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1773046800);
constexpr Throttle kThree{"test", 3, absl::Minutes(15)};
constexpr Throttle kOtherThree{"other test", 3, absl::Minutes(15)};

class ThrottleTest : public DirectoryTest {
 protected:
  std::string Key(const Throttle& throttle, std::string_view subject) {
    return ThrottleKey(*crypto_, throttle, subject);
  }

  bool Blocked(const Throttle& throttle, std::string_view subject, absl::Time now) {
    absl::StatusOr<bool> blocked = ReadValue<bool>(*store_, [&](ports::StoreTransaction& txn) {
      return ThrottleBlocked(txn, throttle, Key(throttle, subject), now);
    });
    EXPECT_TRUE(blocked.ok()) << blocked.status();
    return blocked.value_or(false);
  }

  bool Hit(const Throttle& throttle, std::string_view subject, absl::Time now) {
    bool counted = false;
    const absl::Status status = store_->WriteAndWait([&](ports::StoreTransaction& txn) {
      absl::StatusOr<bool> hit = CountThrottleHit(txn, throttle, Key(throttle, subject), now);
      if (!hit.ok()) return hit.status();
      counted = *hit;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return counted;
  }
};

TEST_F(ThrottleTest, BlocksAfterMaxHitsWithinTheWindowAndCountsNoMore) {
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(Blocked(kThree, "a@example.com", kStart)) << i;
    EXPECT_TRUE(Hit(kThree, "a@example.com", kStart + absl::Seconds(i))) << i;
  }
  EXPECT_TRUE(Blocked(kThree, "a@example.com", kStart + absl::Minutes(1)));
  EXPECT_FALSE(Hit(kThree, "a@example.com", kStart + absl::Minutes(1)));
  EXPECT_FALSE(Blocked(kThree, "b@example.com", kStart + absl::Minutes(1)));
  // Throttles with different names count separately for the same address.
  EXPECT_FALSE(Blocked(kOtherThree, "a@example.com", kStart + absl::Minutes(1)));
}

TEST_F(ThrottleTest, HitsOlderThanTheWindowNoLongerCount) {
  Hit(kThree, "a@example.com", kStart);
  Hit(kThree, "a@example.com", kStart + absl::Minutes(5));
  Hit(kThree, "a@example.com", kStart + absl::Minutes(10));
  EXPECT_TRUE(Blocked(kThree, "a@example.com", kStart + absl::Minutes(15) - absl::Seconds(1)));
  // The first hit leaves the window at exactly 15 minutes: two remain.
  EXPECT_FALSE(Blocked(kThree, "a@example.com", kStart + absl::Minutes(15)));
  EXPECT_TRUE(Hit(kThree, "a@example.com", kStart + absl::Minutes(16)));
  EXPECT_TRUE(Blocked(kThree, "a@example.com", kStart + absl::Minutes(16)));
  EXPECT_FALSE(Blocked(kThree, "a@example.com", kStart + absl::Minutes(31)));
}

TEST_F(ThrottleTest, KeysAreDigestsThatNeverHoldTheAddress) {
  const std::string key = Key(kThree, "a@example.com");
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key.find("example"), std::string::npos);
  EXPECT_NE(key, Key(kOtherThree, "a@example.com"));
  EXPECT_NE(key, Key(kThree, "b@example.com"));
}

TEST_F(ThrottleTest, HitsPastTheRetentionAreSweptByLaterHits) {
  Hit(kThree, "a@example.com", kStart);
  Hit(kThree, "b@example.com", kStart + absl::Minutes(1));
  int64_t remaining = -1;
  ASSERT_TRUE(store_
                  ->WriteAndWait([&](ports::StoreTransaction& txn) {
                    // A hit for another address after the retention sweeps both old ones.
                    const absl::Time later = kStart + kThrottleRetention + absl::Minutes(2);
                    absl::StatusOr<bool> hit =
                        CountThrottleHit(txn, kThree, Key(kThree, "c@example.com"), later);
                    if (!hit.ok()) return hit.status();
                    absl::StatusOr<int64_t> swept =
                        txn.DeleteThrottleHitsBefore(later + absl::Microseconds(1));
                    if (!swept.ok()) return swept.status();
                    remaining = *swept;  // only c's own hit was left to delete
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(remaining, 1);
}

}  // namespace
}  // namespace casedesk::app
