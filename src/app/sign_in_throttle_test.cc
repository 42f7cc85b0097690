#include "app/sign_in_throttle.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

const absl::Time kStart = absl::FromUnixSeconds(1773046800);

TEST(SignInThrottleTest, BlocksAfterMaxFailuresWithinTheWindow) {
  SignInThrottle throttle(3, absl::Minutes(15));
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(throttle.Blocked("a@example.com", kStart)) << i;
    throttle.RecordFailure("a@example.com", kStart + absl::Seconds(i));
  }
  EXPECT_TRUE(throttle.Blocked("a@example.com", kStart + absl::Minutes(1)));
  EXPECT_FALSE(throttle.Blocked("b@example.com", kStart + absl::Minutes(1)));
}

TEST(SignInThrottleTest, FailuresOlderThanTheWindowNoLongerCount) {
  SignInThrottle throttle(3, absl::Minutes(15));
  throttle.RecordFailure("a@example.com", kStart);
  throttle.RecordFailure("a@example.com", kStart + absl::Minutes(5));
  throttle.RecordFailure("a@example.com", kStart + absl::Minutes(10));
  EXPECT_TRUE(throttle.Blocked("a@example.com", kStart + absl::Minutes(14)));
  // The first failure leaves the window at 15 minutes: two remain.
  EXPECT_FALSE(throttle.Blocked("a@example.com", kStart + absl::Minutes(15)));
  throttle.RecordFailure("a@example.com", kStart + absl::Minutes(16));
  EXPECT_TRUE(throttle.Blocked("a@example.com", kStart + absl::Minutes(16)));
  EXPECT_FALSE(throttle.Blocked("a@example.com", kStart + absl::Minutes(31)));
}

TEST(SignInThrottleTest, ClearForgetsTheAddress) {
  SignInThrottle throttle(2, absl::Minutes(15));
  throttle.RecordFailure("a@example.com", kStart);
  throttle.RecordFailure("a@example.com", kStart);
  throttle.RecordFailure("b@example.com", kStart);
  throttle.RecordFailure("b@example.com", kStart);
  ASSERT_TRUE(throttle.Blocked("a@example.com", kStart));
  throttle.Clear("a@example.com");
  EXPECT_FALSE(throttle.Blocked("a@example.com", kStart));
  EXPECT_TRUE(throttle.Blocked("b@example.com", kStart));
}

TEST(SignInThrottleTest, CountsFromSeveralThreads) {
  SignInThrottle throttle(1000, absl::Minutes(15));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&throttle] {
      for (int i = 0; i < 250; ++i) throttle.RecordFailure("a@example.com", kStart);
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_TRUE(throttle.Blocked("a@example.com", kStart));
}

}  // namespace
}  // namespace casedesk::app
