#include "adapters/postgres/pg_case_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace casedesk::adapters::postgres {
namespace {

using Clock = PgCaseCache::Clock;

ports::CaseWithHistory CaseRead(core::CaseNumber number, std::string subject, size_t events = 1) {
  ports::CaseWithHistory found;
  found.record.number = number;
  found.record.subject = std::move(subject);
  found.org.id = 7;
  found.org.plan = "enterprise";
  for (size_t i = 0; i < events; ++i) {
    core::AuditEvent event;
    event.id = static_cast<core::EventId>(i + 1);
    event.case_number = number;
    event.kind = "comment.added";
    event.changes.push_back({"body", "", std::string(100, 'x')});
    found.events.push_back(std::move(event));
  }
  return found;
}

std::string SubjectOf(PgCaseCache& cache, core::CaseNumber number, Clock::time_point now) {
  auto hit = cache.Get(number, now);
  return hit == nullptr ? "(miss)" : hit->record.subject;
}

class PgCaseCacheTest : public ::testing::Test {
 protected:
  PgCaseCacheTest() { cache_.SetEnabled(true); }

  const Clock::time_point now_ = Clock::now();
  PgCaseCache cache_{size_t{16} << 20};
};

TEST_F(PgCaseCacheTest, KeepsWhatWasReadAndCountsHitsAndMisses) {
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  cache_.Put(CaseRead(1, "printer on fire", 3), cache_.Epoch(), now_);
  auto hit = cache_.Get(1, now_);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->record.subject, "printer on fire");
  EXPECT_EQ(hit->org.plan, "enterprise");
  EXPECT_EQ(hit->events.size(), 3u);
  const PgCaseCache::Stats stats = cache_.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.bytes, PgCaseCache::EstimateBytes(CaseRead(1, "printer on fire", 3)));
}

TEST_F(PgCaseCacheTest, AnInvalidatedCaseIsReadAgain) {
  cache_.Put(CaseRead(1, "before"), cache_.Epoch(), now_);
  cache_.Put(CaseRead(2, "other"), cache_.Epoch(), now_);
  const std::vector<core::CaseNumber> changed = {1};
  cache_.Invalidate(changed);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  EXPECT_EQ(SubjectOf(cache_, 2, now_), "other");
  // A read begun after the invalidation may keep what it read.
  cache_.Put(CaseRead(1, "after"), cache_.Epoch(), now_);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "after");
}

TEST_F(PgCaseCacheTest, AReadOvertakenByAnInvalidationIsNotKept) {
  const uint64_t read_began = cache_.Epoch();
  // A commit changes case 1 while the read is in flight; the read's copy may predate it.
  const std::vector<core::CaseNumber> changed = {1};
  cache_.Invalidate(changed);
  cache_.Put(CaseRead(1, "maybe stale"), read_began, now_);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  // Other cases read in the same transaction are unaffected.
  cache_.Put(CaseRead(2, "fine"), read_began, now_);
  EXPECT_EQ(SubjectOf(cache_, 2, now_), "fine");
}

TEST_F(PgCaseCacheTest, ReadsBegunBeforeAClearAreNotKept) {
  const uint64_t read_began = cache_.Epoch();
  cache_.Put(CaseRead(1, "one"), read_began, now_);
  cache_.Clear();  // an organisation changed
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  cache_.Put(CaseRead(2, "two"), read_began, now_);
  EXPECT_EQ(SubjectOf(cache_, 2, now_), "(miss)");
  cache_.Put(CaseRead(2, "two"), cache_.Epoch(), now_);
  EXPECT_EQ(SubjectOf(cache_, 2, now_), "two");
}

TEST_F(PgCaseCacheTest, ForgettingInvalidationsRefusesEveryOlderRead) {
  const uint64_t read_began = cache_.Epoch();
  // Case 16 shares a shard with case 0, 32, ...; invalidate enough of its neighbours that the
  // shard forgets which cases were invalidated.
  std::vector<core::CaseNumber> changed;
  for (core::CaseNumber number = 16; number <= 16 * 5000; number += 16) changed.push_back(number);
  cache_.Invalidate(changed);
  cache_.Put(CaseRead(16 * 6000, "never invalidated, but read before the shard forgot"), read_began,
             now_);
  EXPECT_EQ(SubjectOf(cache_, 16 * 6000, now_), "(miss)");
}

TEST_F(PgCaseCacheTest, ServesNothingWhileDisabledAndTrustsNothingReadBeforeEnabling) {
  cache_.Put(CaseRead(1, "one"), cache_.Epoch(), now_);
  cache_.SetEnabled(false);  // the listener lost its connection
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  const uint64_t read_while_disabled = cache_.Epoch();
  cache_.Put(CaseRead(1, "one"), read_while_disabled, now_);
  cache_.SetEnabled(true);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  cache_.Put(CaseRead(1, "one"), read_while_disabled, now_);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  cache_.Put(CaseRead(1, "one again"), cache_.Epoch(), now_);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "one again");
}

TEST_F(PgCaseCacheTest, EntriesExpire) {
  PgCaseCache cache(size_t{1} << 20, std::chrono::seconds(5));
  cache.SetEnabled(true);
  cache.Put(CaseRead(1, "one"), cache.Epoch(), now_);
  EXPECT_EQ(SubjectOf(cache, 1, now_ + std::chrono::seconds(4)), "one");
  EXPECT_EQ(SubjectOf(cache, 1, now_ + std::chrono::seconds(5)), "(miss)");
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST_F(PgCaseCacheTest, StaysWithinItsBudgetDroppingTheLeastRecentlyRead) {
  const size_t entry = PgCaseCache::EstimateBytes(CaseRead(16, "x", 10));
  // Room for three such entries in each of the 16 shards.
  PgCaseCache cache(16 * (3 * entry + entry / 2));
  cache.SetEnabled(true);
  // Cases 16, 32, 48 and 64 share a shard.
  for (core::CaseNumber number : {16, 32, 48})
    cache.Put(CaseRead(number, "x", 10), cache.Epoch(), now_);
  ASSERT_NE(cache.Get(16, now_), nullptr);  // 32 is now the least recently read
  cache.Put(CaseRead(64, "x", 10), cache.Epoch(), now_);
  EXPECT_EQ(cache.Get(32, now_), nullptr);
  EXPECT_NE(cache.Get(16, now_), nullptr);
  EXPECT_NE(cache.Get(48, now_), nullptr);
  EXPECT_NE(cache.Get(64, now_), nullptr);
  EXPECT_LE(cache.stats().bytes, 16 * (3 * entry + entry / 2));
  // A case too large for a shard is not kept at all.
  cache.Put(CaseRead(80, "x", 100), cache.Epoch(), now_);
  EXPECT_EQ(cache.Get(80, now_), nullptr);
  EXPECT_NE(cache.Get(64, now_), nullptr);
}

}  // namespace
}  // namespace casedesk::adapters::postgres
