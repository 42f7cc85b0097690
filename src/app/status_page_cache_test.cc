// StatusPageCache against a real SqliteStore: a document renders once per snapshot, a change on
// this node shows after Invalidate, a change through another node (another AppContext on the
// same store) shows after check_interval, age alone rebuilds after max_age, and a store that
// stops answering leaves the last snapshot in service.
#include "app/status_page_cache.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "app/status_test_fixture.h"

namespace casedesk::app {
namespace {

// The real store until told to fail; then every read and write is Unavailable, as in an outage.
class BreakableStore : public ports::Store {
 public:
  explicit BreakableStore(ports::Store& inner) : inner_(inner) {}
  void Write(ports::UnitOfWork work, std::function<void(absl::Status)> done) override {
    if (broken) return done(absl::UnavailableError("store down"));
    inner_.Write(std::move(work), std::move(done));
  }
  absl::Status Read(const ports::UnitOfWork& work) override {
    if (broken) return absl::UnavailableError("store down");
    return inner_.Read(work);
  }
  absl::Status Backup(const std::string& path) override { return inner_.Backup(path); }
  absl::Status Migrate() override { return inner_.Migrate(); }
  absl::Status Ping() override { return inner_.Ping(); }

  std::atomic<bool> broken{false};

 private:
  ports::Store& inner_;
};

class StatusPageCacheTest : public StatusTestFixture {
 protected:
  // Renders the component names, counting how often it runs.
  StatusPageCache::Renderer CountingRenderer() {
    return [this](const StatusPageSnapshot& snapshot) {
      ++renders_;
      std::string text;
      for (const core::StatusComponent& component : snapshot.components) {
        text += component.name + "=" +
                std::string(core::NameOf(core::ComponentStatusNames(), component.status)) + ";";
      }
      return text;
    };
  }

  std::string Body(StatusPageCache& cache) {
    absl::StatusOr<std::shared_ptr<const CachedDocument>> document =
        cache.Document("components", CountingRenderer());
    EXPECT_TRUE(document.ok()) << document.status();
    return document.ok() ? (*document)->body : "";
  }

  int renders_ = 0;
};

TEST_F(StatusPageCacheTest, ADocumentRendersOncePerSnapshot) {
  MustComponent("API", "Platform");
  StatusPageCache cache(context());
  absl::StatusOr<std::shared_ptr<const CachedDocument>> first =
      cache.Document("components", CountingRenderer());
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->body, "Platform=operational;API=operational;");
  EXPECT_THAT((*first)->etag, ::testing::MatchesRegex("\"[0-9a-f]+-[0-9]+\""));
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<std::shared_ptr<const CachedDocument>> again =
        cache.Document("components", CountingRenderer());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->get(), first->get());  // the same rendering, not a new one
  }
  EXPECT_EQ(renders_, 1);
  // Another document renders from the same snapshot, once.
  ASSERT_TRUE(cache.Document("other", CountingRenderer()).ok());
  ASSERT_TRUE(cache.Document("other", CountingRenderer()).ok());
  EXPECT_EQ(renders_, 2);

  absl::StatusOr<std::shared_ptr<const StatusPageSnapshot>> snapshot = cache.Snapshot();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ((*snapshot)->page.name, "Provider Status");
  EXPECT_EQ((*snapshot)->indicator.indicator, "none");
  EXPECT_EQ((*snapshot)->uptime.size(), 1u);  // groups have no uptime bar
}

TEST_F(StatusPageCacheTest, InvalidateShowsAChangeOnThisNodeAtOnce) {
  const core::StatusComponent api = MustComponent("API");
  StatusPageCache cache(context());
  EXPECT_EQ(Body(cache), "API=operational;");

  MustOpenEvent(Incident("Outage", {api.id}, core::ComponentStatus::kMajorOutage));
  // Within check_interval and not told: the page still shows what it had.
  EXPECT_EQ(Body(cache), "API=operational;");
  EXPECT_EQ(renders_, 1);

  cache.Invalidate();
  EXPECT_EQ(Body(cache), "API=major_outage;");
  EXPECT_EQ(renders_, 2);
  absl::StatusOr<std::shared_ptr<const StatusPageSnapshot>> snapshot = cache.Snapshot();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ((*snapshot)->indicator.indicator, "critical");
  ASSERT_EQ((*snapshot)->incidents.size(), 1u);

  // Invalidated without a change in the store: the marker is the same, nothing is rendered.
  cache.Invalidate();
  EXPECT_EQ(Body(cache), "API=major_outage;");
  EXPECT_EQ(renders_, 2);
}

TEST_F(StatusPageCacheTest, TheUseCasesInvalidateThroughTheContext) {
  StatusPageCache cache(context());
  context().status_changed = [&cache] { cache.Invalidate(); };
  EXPECT_EQ(Body(cache), "");
  MustComponent("API");
  EXPECT_EQ(Body(cache), "API=operational;");
}

TEST_F(StatusPageCacheTest, AChangeOnAnotherNodeShowsAfterTheCheckInterval) {
  const core::StatusComponent api = MustComponent("API");
  StatusPageCache cache(context(), absl::Seconds(1), absl::Seconds(60));
  const std::string before = Body(cache);
  absl::StatusOr<std::shared_ptr<const CachedDocument>> old_document =
      cache.Document("components", CountingRenderer());
  ASSERT_TRUE(old_document.ok());

  // Another node: its own context on the same store, which cannot invalidate our cache.
  AppContext other{*store_, clock_, *crypto_, *blobs_, {}};
  StatusComponentPatch patch;
  patch.status = core::ComponentStatus::kDegradedPerformance;
  absl::StatusOr<core::StatusComponent> changed =
      Await<core::StatusComponent>([&](Done<core::StatusComponent> done) {
        UpdateStatusComponent(other, admin_.viewer, api.id, patch, std::move(done));
      });
  ASSERT_TRUE(changed.ok()) << changed.status();

  clock_.Advance(absl::Milliseconds(500));
  EXPECT_EQ(Body(cache), before);
  clock_.Advance(absl::Milliseconds(600));
  EXPECT_EQ(Body(cache), "API=degraded_performance;");
  absl::StatusOr<std::shared_ptr<const CachedDocument>> new_document =
      cache.Document("components", CountingRenderer());
  ASSERT_TRUE(new_document.ok());
  EXPECT_NE((*new_document)->etag, (*old_document)->etag);
}

TEST_F(StatusPageCacheTest, AnUnchangedPageIsRebuiltAfterMaxAge) {
  MustComponent("API");
  StatusPageCache cache(context(), absl::Seconds(1), absl::Seconds(60));
  absl::StatusOr<std::shared_ptr<const StatusPageSnapshot>> first = cache.Snapshot();
  ASSERT_TRUE(first.ok());
  clock_.Advance(absl::Seconds(30));
  absl::StatusOr<std::shared_ptr<const StatusPageSnapshot>> checked = cache.Snapshot();
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->get(), first->get());  // marker checked, unchanged: kept
  clock_.Advance(absl::Seconds(31));
  absl::StatusOr<std::shared_ptr<const StatusPageSnapshot>> rebuilt = cache.Snapshot();
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_NE(rebuilt->get(), first->get());
  EXPECT_EQ((*rebuilt)->now, clock_.Now());  // uptime bars and lists move with time
}

TEST_F(StatusPageCacheTest, AStoreOutageKeepsTheLastSnapshotInService) {
  const core::StatusComponent api = MustComponent("API");
  BreakableStore breakable(*store_);
  AppContext node{breakable, clock_, *crypto_, *blobs_, {}};
  StatusPageCache cache(node);

  // Without any snapshot yet, the outage is the answer.
  breakable.broken = true;
  EXPECT_TRUE(absl::IsUnavailable(cache.Document("components", CountingRenderer()).status()));
  breakable.broken = false;

  EXPECT_EQ(Body(cache), "API=operational;");
  MustOpenEvent(Incident("Outage", {api.id}, core::ComponentStatus::kMajorOutage));
  breakable.broken = true;
  cache.Invalidate();
  clock_.Advance(absl::Minutes(5));  // past check_interval and max_age too
  EXPECT_EQ(Body(cache), "API=operational;");
  absl::StatusOr<std::shared_ptr<const StatusPageSnapshot>> snapshot = cache.Snapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();

  // Back up: the next read catches up.
  breakable.broken = false;
  EXPECT_EQ(Body(cache), "API=major_outage;");
}

}  // namespace
}  // namespace casedesk::app
