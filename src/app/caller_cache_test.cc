#include "app/caller_cache.h"

#include <gtest/gtest.h>

namespace casedesk::app {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'800'000'000);

Caller CallerFor(core::UserId id) {
  Caller caller;
  caller.user.id = id;
  caller.viewer.user_id = id;
  return caller;
}

TEST(CallerCacheTest, ServesWhatItWasGiven) {
  CallerCache cache;
  cache.Put("digest-a", CallerFor(7), cache.generation(), kNow);
  const auto hit = cache.Get("digest-a", kNow + absl::Seconds(1));
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->user.id, 7);
  EXPECT_FALSE(cache.Get("digest-b", kNow).has_value());
}

TEST(CallerCacheTest, InvalidateDropsEveryEntry) {
  CallerCache cache;
  cache.Put("digest-a", CallerFor(7), cache.generation(), kNow);
  cache.Invalidate();
  EXPECT_FALSE(cache.Get("digest-a", kNow).has_value());
}

TEST(CallerCacheTest, EntriesExpire) {
  CallerCache cache;
  cache.Put("digest-a", CallerFor(7), cache.generation(), kNow);
  EXPECT_TRUE(cache.Get("digest-a", kNow + CallerCache::kTimeToLive - absl::Seconds(1)));
  EXPECT_FALSE(cache.Get("digest-a", kNow + CallerCache::kTimeToLive).has_value());
}

TEST(CallerCacheTest, ALookupThatRacesWithAnInvalidationIsNotCached) {
  CallerCache cache;
  const uint64_t read_before_change = cache.generation();
  cache.Invalidate();  // e.g. the token was revoked while the lookup read the store
  cache.Put("digest-a", CallerFor(7), read_before_change, kNow);
  EXPECT_FALSE(cache.Get("digest-a", kNow).has_value());
}

}  // namespace
}  // namespace casedesk::app
