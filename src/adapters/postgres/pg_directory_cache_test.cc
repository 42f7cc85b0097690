#include "adapters/postgres/pg_directory_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace casedesk::adapters::postgres {
namespace {

using Clock = PgDirectoryCache::Clock;
using Kind = PgDirectoryCache::Kind;

core::Organisation Org(core::OrgId id, std::string plan) {
  core::Organisation org;
  org.id = id;
  org.name = "Customer " + std::to_string(id);
  org.plan = std::move(plan);
  return org;
}

ports::Page<core::Group> Groups(std::string name) {
  ports::Page<core::Group> page;
  page.items.emplace_back();
  page.items.back().id = 1;
  page.items.back().name = std::move(name);
  page.items.back().triage = true;
  return page;
}

std::string PlanOf(PgDirectoryCache& cache, core::OrgId id, Clock::time_point now) {
  auto org = cache.GetOrganisation(id, now);
  return org ? org->plan : "(miss)";
}

std::string FirstGroupOf(PgDirectoryCache& cache, const ports::PageRequest& page,
                         Clock::time_point now) {
  auto groups = cache.GetGroups(page, now);
  return groups ? groups->items.at(0).name : "(miss)";
}

class PgDirectoryCacheTest : public ::testing::Test {
 protected:
  PgDirectoryCacheTest() { cache_.SetEnabled(true); }

  const Clock::time_point now_ = Clock::now();
  PgDirectoryCache cache_;
};

TEST_F(PgDirectoryCacheTest, KeepsOrganisationsAndPagesOfGroups) {
  EXPECT_EQ(PlanOf(cache_, 3, now_), "(miss)");
  cache_.PutOrganisation(Org(3, "enterprise"), cache_.Epoch(), now_);
  EXPECT_EQ(PlanOf(cache_, 3, now_), "enterprise");
  EXPECT_EQ(PlanOf(cache_, 4, now_), "(miss)");

  ports::PageRequest first_page;
  first_page.limit = 200;
  cache_.PutGroups(first_page, Groups("Triage"), cache_.Epoch(), now_);
  EXPECT_EQ(FirstGroupOf(cache_, first_page, now_), "Triage");
  ports::PageRequest other = first_page;
  other.cursor = "1";
  EXPECT_EQ(FirstGroupOf(cache_, other, now_), "(miss)");
  other = first_page;
  other.limit = 25;
  EXPECT_EQ(FirstGroupOf(cache_, other, now_), "(miss)");
}

TEST_F(PgDirectoryCacheTest, AChangeClearsItsKindAndRefusesReadsBegunBefore) {
  ports::PageRequest page;
  const uint64_t read_began = cache_.Epoch();
  cache_.PutOrganisation(Org(3, "enterprise"), read_began, now_);
  cache_.PutGroups(page, Groups("Triage"), read_began, now_);
  cache_.Clear(Kind::kOrganisations);
  EXPECT_EQ(PlanOf(cache_, 3, now_), "(miss)");
  EXPECT_EQ(FirstGroupOf(cache_, page, now_), "Triage");  // the other kind stays
  // A read begun before the change may hold the old row.
  cache_.PutOrganisation(Org(3, "enterprise"), read_began, now_);
  EXPECT_EQ(PlanOf(cache_, 3, now_), "(miss)");
  cache_.PutOrganisation(Org(3, "professional"), cache_.Epoch(), now_);
  EXPECT_EQ(PlanOf(cache_, 3, now_), "professional");

  cache_.Clear(Kind::kGroups);
  EXPECT_EQ(FirstGroupOf(cache_, page, now_), "(miss)");
  cache_.PutGroups(page, Groups("Old"), read_began, now_);
  EXPECT_EQ(FirstGroupOf(cache_, page, now_), "(miss)");
  EXPECT_EQ(PlanOf(cache_, 3, now_), "professional");
}

TEST_F(PgDirectoryCacheTest, ServesNothingWhileDisabledAndTrustsNothingReadBeforeEnabling) {
  cache_.PutOrganisation(Org(3, "enterprise"), cache_.Epoch(), now_);
  cache_.SetEnabled(false);
  EXPECT_EQ(PlanOf(cache_, 3, now_), "(miss)");
  const uint64_t read_while_disabled = cache_.Epoch();
  cache_.PutOrganisation(Org(3, "enterprise"), read_while_disabled, now_);
  cache_.SetEnabled(true);
  EXPECT_EQ(PlanOf(cache_, 3, now_), "(miss)");
  cache_.PutOrganisation(Org(3, "enterprise"), read_while_disabled, now_);
  EXPECT_EQ(PlanOf(cache_, 3, now_), "(miss)");
}

TEST_F(PgDirectoryCacheTest, EntriesExpire) {
  PgDirectoryCache cache(std::chrono::seconds(5));
  cache.SetEnabled(true);
  cache.PutOrganisation(Org(3, "enterprise"), cache.Epoch(), now_);
  EXPECT_EQ(PlanOf(cache, 3, now_ + std::chrono::seconds(4)), "enterprise");
  EXPECT_EQ(PlanOf(cache, 3, now_ + std::chrono::seconds(5)), "(miss)");
}

TEST_F(PgDirectoryCacheTest, StartsAfreshPastItsSize) {
  for (core::OrgId id = 1; id <= static_cast<core::OrgId>(PgDirectoryCache::kMaxEntries); ++id) {
    cache_.PutOrganisation(Org(id, "p"), cache_.Epoch(), now_);
  }
  EXPECT_EQ(PlanOf(cache_, 1, now_), "p");
  cache_.PutOrganisation(Org(0, "q"), cache_.Epoch(), now_);
  EXPECT_EQ(PlanOf(cache_, 1, now_), "(miss)");
  EXPECT_EQ(PlanOf(cache_, 0, now_), "q");
}

}  // namespace
}  // namespace casedesk::adapters::postgres
