// PostgreSQL-specific behaviour of the status page's storage beyond the shared contract suite:
// several nodes racing for the same rows. Notice fan-out jobs are claimed by exactly one worker
// (FOR UPDATE SKIP LOCKED), a maintenance transition applies on one node only (the optimistic
// updated_at check), and concurrent subscriptions to one address leave one row and refuse the
// rest without failing their units. Runs against a real PostgreSQL 15 server.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "adapters/postgres/postgres_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/support/postgres_server_environment.h"

namespace casedesk::adapters::postgres {
namespace {

absl::Time At(int64_t seconds) { return absl::FromUnixSeconds(1700000000 + seconds); }

class PostgresStatusStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = test_support::SharedPostgresServer();
    ASSERT_TRUE(server.ok()) << server.status();
    auto url = (*server)->CreateDatabase("status");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
    first_node_ = OpenStore();
    second_node_ = OpenStore();
    ASSERT_NE(first_node_, nullptr);
    ASSERT_NE(second_node_, nullptr);
  }

  std::unique_ptr<PostgresStore> OpenStore() {
    PostgresStoreOptions options;
    options.writer_connections = 4;
    auto store = PostgresStore::Open(url_, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // Runs `work(node, worker)` on six threads, three per node.
  void RaceOnBothNodes(const std::function<void(PostgresStore&, int)>& work) {
    std::vector<std::thread> workers;
    for (int worker = 0; worker < 6; ++worker) {
      PostgresStore* node = worker % 2 == 0 ? first_node_.get() : second_node_.get();
      workers.emplace_back([&work, node, worker] { work(*node, worker); });
    }
    for (std::thread& worker : workers) worker.join();
  }

  std::vector<core::IncidentId> AddMaintenance(int count) {
    std::vector<core::IncidentId> ids;
    EXPECT_TRUE(first_node_
                    ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                      for (int i = 0; i < count; ++i) {
                        core::Incident maintenance;
                        maintenance.kind = core::IncidentKind::kMaintenance;
                        maintenance.name = "Window " + std::to_string(i);
                        maintenance.status = core::IncidentStatus::kScheduled;
                        maintenance.impact = core::IncidentImpact::kMaintenance;
                        maintenance.created_at = At(0);
                        maintenance.updated_at = At(0);
                        maintenance.started_at = At(0);
                        maintenance.scheduled_for = At(100 + i);
                        maintenance.scheduled_until = At(1000);
                        auto id = tx.InsertIncident(maintenance);
                        if (!id.ok()) return id.status();
                        ids.push_back(*id);
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return ids;
  }

  std::string url_;
  std::unique_ptr<PostgresStore> first_node_;
  std::unique_ptr<PostgresStore> second_node_;
};

TEST_F(PostgresStatusStoreTest, EachNoticeIsClaimedByOneWorkerAcrossNodes) {
  constexpr int kNotices = 30;
  const core::IncidentId incident = AddMaintenance(1).at(0);
  ASSERT_TRUE(first_node_
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    for (int i = 0; i < kNotices; ++i) {
                      ports::StatusNotice notice;
                      notice.incident_id = incident;
                      notice.update_id = i + 1;
                      notice.created_at = At(i);
                      if (auto id = tx.InsertStatusNotice(notice); !id.ok()) return id.status();
                    }
                    return absl::OkStatus();
                  })
                  .ok());

  // Every worker claims until nothing is left, under a lease longer than the test.
  std::mutex mutex;
  std::map<int64_t, int> claims;
  std::atomic<int> failed{0};
  RaceOnBothNodes([&](PostgresStore& node, int) {
    while (true) {
      std::optional<ports::StatusNotice> claimed;
      absl::Status status = node.WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
        auto notice = tx.ClaimStatusNotice(At(10000), At(20000));
        if (!notice.ok()) return notice.status();
        claimed = *notice;
        return absl::OkStatus();
      });
      if (!status.ok()) {
        ++failed;
        return;
      }
      if (!claimed) return;
      std::lock_guard<std::mutex> lock(mutex);
      ++claims[claimed->id];
    }
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(claims.size(), static_cast<size_t>(kNotices));
  for (const auto& [id, count] : claims) EXPECT_EQ(count, 1) << "notice " << id;
}

TEST_F(PostgresStatusStoreTest, AMaintenanceTransitionAppliesOnOneNodeOnly) {
  constexpr int kWindows = 20;
  const std::vector<core::IncidentId> ids = AddMaintenance(kWindows);
  ASSERT_EQ(ids.size(), static_cast<size_t>(kWindows));

  // Every worker sees each window due and tries to start it from the version it read.
  std::atomic<int> applied{0};
  std::atomic<int> failed{0};
  RaceOnBothNodes([&](PostgresStore& node, int worker) {
    for (core::IncidentId id : ids) {
      absl::Status status = node.WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
        auto maintenance = tx.GetIncident(id);
        if (!maintenance.ok()) return maintenance.status();
        const absl::Time read_version = At(0);
        maintenance->status = core::IncidentStatus::kInProgress;
        maintenance->updated_at = At(200 + worker);
        auto won = tx.UpdateIncident(*maintenance, read_version);
        if (!won.ok()) return won.status();
        if (*won) ++applied;
        return absl::OkStatus();
      });
      if (!status.ok()) ++failed;
    }
  });
  EXPECT_EQ(applied.load(), kWindows);
  EXPECT_EQ(failed.load(), 0);
  ASSERT_TRUE(second_node_
                  ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                    auto due = tx.ListDueMaintenance(At(500), 100);
                    if (!due.ok()) return due.status();
                    EXPECT_TRUE(due->empty());
                    auto next = tx.NextMaintenanceEdge();
                    if (!next.ok()) return next.status();
                    EXPECT_EQ(*next, std::optional<absl::Time>(At(1000)));
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(PostgresStatusStoreTest, ConcurrentSubscriptionsToOneAddressKeepOneRow) {
  std::atomic<int> inserted{0};
  std::atomic<int> refused{0};
  std::atomic<int> failed{0};
  RaceOnBothNodes([&](PostgresStore& node, int worker) {
    for (int round = 0; round < 5; ++round) {
      absl::StatusCode code = absl::StatusCode::kOk;
      // The unit writes something after the refusal: it must still commit.
      absl::Status status = node.WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
        ports::StatusSubscriber subscriber;
        subscriber.address = "visitor" + std::to_string(round) + "@example.com";
        subscriber.created_at = At(worker);
        code = tx.InsertStatusSubscriber(subscriber).status().code();
        return tx.PutSetting("worker." + std::to_string(worker), std::to_string(round));
      });
      if (!status.ok()) {
        ++failed;
      } else if (code == absl::StatusCode::kOk) {
        ++inserted;
      } else if (code == absl::StatusCode::kAlreadyExists) {
        ++refused;
      } else {
        ++failed;
      }
    }
  });
  EXPECT_EQ(inserted.load(), 5);
  EXPECT_EQ(refused.load(), 25);
  EXPECT_EQ(failed.load(), 0);
}

}  // namespace
}  // namespace casedesk::adapters::postgres
