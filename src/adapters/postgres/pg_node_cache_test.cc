#include "adapters/postgres/pg_node_cache.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "adapters/postgres/pg_node_caches.h"

namespace casedesk::adapters::postgres {
namespace {

using CaseCache = PgNodeCache<core::CaseNumber, ports::CaseWithHistory>;
using Clock = CaseCache::Clock;

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

std::string SubjectOf(CaseCache& cache, core::CaseNumber number, Clock::time_point now) {
  auto hit = cache.Get(number, now);
  return hit == nullptr ? "(miss)" : hit->record.subject;
}

class PgNodeCacheTest : public ::testing::Test {
 protected:
  PgNodeCacheTest() { cache_.SetEnabled(true); }

  const Clock::time_point now_ = Clock::now();
  CaseCache cache_{size_t{16} << 20, &PgNodeCaches::CaseBytes};
};

TEST_F(PgNodeCacheTest, KeepsWhatWasReadAndCountsHitsAndMisses) {
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  cache_.Put(1, CaseRead(1, "printer on fire", 3), cache_.Epoch(), now_);
  auto hit = cache_.Get(1, now_);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->record.subject, "printer on fire");
  EXPECT_EQ(hit->org.plan, "enterprise");
  EXPECT_EQ(hit->events.size(), 3u);
  const CaseCache::Stats stats = cache_.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 1u);
  EXPECT_EQ(stats.entries, 1u);
  EXPECT_EQ(stats.cost, PgNodeCaches::CaseBytes(CaseRead(1, "printer on fire", 3)));
}

TEST_F(PgNodeCacheTest, AnInvalidatedCaseIsReadAgain) {
  cache_.Put(1, CaseRead(1, "before"), cache_.Epoch(), now_);
  cache_.Put(2, CaseRead(2, "other"), cache_.Epoch(), now_);
  const std::vector<core::CaseNumber> changed = {1};
  cache_.Invalidate(changed);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  EXPECT_EQ(SubjectOf(cache_, 2, now_), "other");
  // A read begun after the invalidation may keep what it read.
  cache_.Put(1, CaseRead(1, "after"), cache_.Epoch(), now_);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "after");
}

TEST_F(PgNodeCacheTest, AReadOvertakenByAnInvalidationIsNotKept) {
  const uint64_t read_began = cache_.Epoch();
  // A commit changes case 1 while the read is in flight; the read's copy may predate it.
  const std::vector<core::CaseNumber> changed = {1};
  cache_.Invalidate(changed);
  cache_.Put(1, CaseRead(1, "maybe stale"), read_began, now_);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  // Other cases read in the same transaction are unaffected.
  cache_.Put(2, CaseRead(2, "fine"), read_began, now_);
  EXPECT_EQ(SubjectOf(cache_, 2, now_), "fine");
}

TEST_F(PgNodeCacheTest, ReadsBegunBeforeAClearAreNotKept) {
  const uint64_t read_began = cache_.Epoch();
  cache_.Put(1, CaseRead(1, "one"), read_began, now_);
  cache_.Clear();  // an organisation changed
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  cache_.Put(2, CaseRead(2, "two"), read_began, now_);
  EXPECT_EQ(SubjectOf(cache_, 2, now_), "(miss)");
  cache_.Put(2, CaseRead(2, "two"), cache_.Epoch(), now_);
  EXPECT_EQ(SubjectOf(cache_, 2, now_), "two");
}

TEST_F(PgNodeCacheTest, ForgettingInvalidationsRefusesEveryOlderRead) {
  const uint64_t read_began = cache_.Epoch();
  // Case 16 shares a shard with case 0, 32, ...; invalidate enough of its neighbours that the
  // shard forgets which cases were invalidated.
  std::vector<core::CaseNumber> changed;
  for (core::CaseNumber number = 16; number <= 16 * 5000; number += 16) changed.push_back(number);
  cache_.Invalidate(changed);
  cache_.Put(16 * 6000, CaseRead(16 * 6000, "never invalidated, but read before the shard forgot"),
             read_began, now_);
  EXPECT_EQ(SubjectOf(cache_, 16 * 6000, now_), "(miss)");
}

TEST_F(PgNodeCacheTest, ServesNothingWhileDisabledAndTrustsNothingReadBeforeEnabling) {
  cache_.Put(1, CaseRead(1, "one"), cache_.Epoch(), now_);
  cache_.SetEnabled(false);  // the listener lost its connection
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  const uint64_t read_while_disabled = cache_.Epoch();
  cache_.Put(1, CaseRead(1, "one"), read_while_disabled, now_);
  cache_.SetEnabled(true);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  cache_.Put(1, CaseRead(1, "one"), read_while_disabled, now_);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "(miss)");
  cache_.Put(1, CaseRead(1, "one again"), cache_.Epoch(), now_);
  EXPECT_EQ(SubjectOf(cache_, 1, now_), "one again");
}

TEST_F(PgNodeCacheTest, EntriesExpire) {
  CaseCache cache(size_t{1} << 20, &PgNodeCaches::CaseBytes, nullptr, std::chrono::seconds(5));
  cache.SetEnabled(true);
  cache.Put(1, CaseRead(1, "one"), cache.Epoch(), now_);
  EXPECT_EQ(SubjectOf(cache, 1, now_ + std::chrono::seconds(4)), "one");
  EXPECT_EQ(SubjectOf(cache, 1, now_ + std::chrono::seconds(5)), "(miss)");
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST_F(PgNodeCacheTest, StaysWithinItsBudgetDroppingTheLeastRecentlyRead) {
  const size_t entry = PgNodeCaches::CaseBytes(CaseRead(16, "x", 10));
  // Room for three such entries in each of the 16 shards.
  CaseCache cache(16 * (3 * entry + entry / 2), &PgNodeCaches::CaseBytes);
  cache.SetEnabled(true);
  // Cases 16, 32, 48 and 64 share a shard.
  for (core::CaseNumber number : {16, 32, 48})
    cache.Put(number, CaseRead(number, "x", 10), cache.Epoch(), now_);
  ASSERT_NE(cache.Get(16, now_), nullptr);  // 32 is now the least recently read
  cache.Put(64, CaseRead(64, "x", 10), cache.Epoch(), now_);
  EXPECT_EQ(cache.Get(32, now_), nullptr);
  EXPECT_NE(cache.Get(16, now_), nullptr);
  EXPECT_NE(cache.Get(48, now_), nullptr);
  EXPECT_NE(cache.Get(64, now_), nullptr);
  EXPECT_LE(cache.stats().cost, 16 * (3 * entry + entry / 2));
  // A case too large for a shard is not kept at all.
  cache.Put(80, CaseRead(80, "x", 100), cache.Epoch(), now_);
  EXPECT_EQ(cache.Get(80, now_), nullptr);
  EXPECT_NE(cache.Get(64, now_), nullptr);
}

// A node's caches share one epoch: a read takes it once, and what a change clears is refused
// only in the cache it clears.
TEST(PgNodeCachesTest, ShareOneEpochAndClearEachOnItsOwn) {
  PgNodeCaches caches(size_t{1} << 20);
  caches.SetEnabled(true);
  const Clock::time_point now = Clock::now();
  core::Organisation org;
  org.id = 3;
  org.plan = "enterprise";
  ports::Page<core::Group> groups;
  groups.items.emplace_back().name = "Triage";
  ports::PageRequest page;
  const std::string page_key = PgNodeCaches::GroupPageKey(page);
  EXPECT_NE(page_key, PgNodeCaches::GroupPageKey(ports::PageRequest{.limit = 200}));

  const uint64_t read_began = caches.Epoch();
  caches.organisations.Clear();  // an organisation changed while the read ran
  caches.organisations.Put(3, org, read_began, now);
  caches.group_pages.Put(page_key, groups, read_began, now);
  caches.cases.Put(1, CaseRead(1, "one"), read_began, now);
  EXPECT_EQ(caches.organisations.Get(3, now), nullptr);
  ASSERT_NE(caches.group_pages.Get(page_key, now), nullptr);
  EXPECT_EQ(caches.group_pages.Get(page_key, now)->items.at(0).name, "Triage");
  EXPECT_NE(caches.cases.Get(1, now), nullptr);
  // The clear moved the shared epoch: a read begun now may keep the organisation.
  EXPECT_GT(caches.Epoch(), read_began);
  caches.organisations.Put(3, org, caches.Epoch(), now);
  EXPECT_NE(caches.organisations.Get(3, now), nullptr);

  caches.SetEnabled(false);
  EXPECT_EQ(caches.organisations.Get(3, now), nullptr);
  EXPECT_EQ(caches.group_pages.Get(page_key, now), nullptr);
  EXPECT_EQ(caches.cases.Get(1, now), nullptr);
}

TEST(PgNodeCachesTest, OrganisationsAreBoundedByCount) {
  PgNodeCaches caches(size_t{1} << 20);
  caches.SetEnabled(true);
  const Clock::time_point now = Clock::now();
  for (core::OrgId id = 1; id <= static_cast<core::OrgId>(2 * PgNodeCaches::kMaxDirectoryEntries);
       ++id) {
    core::Organisation org;
    org.id = id;
    caches.organisations.Put(id, org, caches.Epoch(), now);
  }
  EXPECT_LE(caches.organisations.stats().entries, PgNodeCaches::kMaxDirectoryEntries);
  EXPECT_GT(caches.organisations.stats().entries, PgNodeCaches::kMaxDirectoryEntries / 2);
  // The most recently read are the ones kept.
  EXPECT_NE(caches.organisations.Get(2 * PgNodeCaches::kMaxDirectoryEntries, now), nullptr);
  EXPECT_EQ(caches.organisations.Get(1, now), nullptr);
}

}  // namespace
}  // namespace casedesk::adapters::postgres
