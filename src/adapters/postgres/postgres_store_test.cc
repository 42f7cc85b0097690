// PostgreSQL-specific behaviour of PostgresStore beyond the shared contract suite: migrations,
// append-only events, recovery from a server restart, group commit, concurrent writers on
// several writer connections, and what Backup says. Runs against a real PostgreSQL 15 server.
#include "adapters/postgres/postgres_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/postgres/migrations.h"
#include "adapters/postgres/pg_connection.h"
#include "gtest/gtest.h"
#include "test/support/postgres_server_environment.h"

namespace casedesk::adapters::postgres {
namespace {

// Reads one counter line ("name value") from Prometheus text; -1 when absent.
int64_t Counter(const std::string& text, const std::string& name) {
  const std::string prefix = "\n" + name + " ";
  const size_t at = text.find(prefix);
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + prefix.size()));
}

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = test_support::SharedPostgresServer();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *server;
    auto url = server_->CreateDatabase("store");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  std::unique_ptr<PostgresStore> OpenStore(PostgresStoreOptions options = {}) {
    auto store = PostgresStore::Open(url_, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  // One writer that commits up to 64 queued units together (see WriterGate).
  std::unique_ptr<PostgresStore> OpenBatchingStore() {
    PostgresStoreOptions options;
    options.writer_connections = 1;
    options.max_batch_units = 64;
    return OpenStore(options);
  }

  std::unique_ptr<PgConnection> Connect() {
    auto connection = PgConnection::Connect(url_);
    EXPECT_TRUE(connection.ok()) << connection.status();
    return connection.ok() ? std::move(*connection) : nullptr;
  }

  // A customer organisation and its requester, for case inserts.
  void AddRequester(PostgresStore& store) {
    ASSERT_TRUE(store
                    .WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                      core::Organisation org;
                      org.name = "Customer";
                      org.kind = core::OrgKind::kCustomer;
                      auto org_id = tx.InsertOrganisation(org);
                      if (!org_id.ok()) return org_id.status();
                      org_id_ = *org_id;
                      core::User user;
                      user.email = "requester@example.com";
                      user.name = "Requester";
                      user.org_id = org_id_;
                      auto user_id = tx.InsertUser(user);
                      if (!user_id.ok()) return user_id.status();
                      requester_id_ = *user_id;
                      return absl::OkStatus();
                    })
                    .ok());
  }

  // A group without members; its id (0 if the insert failed, which fails the test).
  static core::GroupId AddGroup(PostgresStore& store, const std::string& name) {
    core::GroupId group_id = 0;
    EXPECT_TRUE(store
                    .WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                      core::Group group;
                      group.name = name;
                      absl::StatusOr<core::GroupId> id = tx.InsertGroup(group);
                      if (!id.ok()) return id.status();
                      group_id = *id;
                      return absl::OkStatus();
                    })
                    .ok());
    return group_id;
  }

  absl::Status CreateCase(ports::StoreTransaction& tx, const std::string& subject,
                          core::CaseNumber* number = nullptr) {
    auto next = tx.NextCaseNumber();
    if (!next.ok()) return next.status();
    core::Case c;
    c.number = *next;
    c.org_id = org_id_;
    c.requester_id = requester_id_;
    c.subject = subject;
    c.description = "about " + subject;
    c.created_at = absl::FromUnixSeconds(1700000000);
    c.updated_at = c.created_at;
    absl::Status status = tx.InsertCase(c);
    if (status.ok() && number != nullptr) *number = c.number;
    return status;
  }

  // Holds the store's (single) writer with a unit that waits until Open(), so the units queued
  // meanwhile are committed together in one batch.
  class WriterGate {
   public:
    explicit WriterGate(PostgresStore& store) {
      std::shared_future<void> opened = open_.get_future().share();
      store.Write(
          [opened](ports::StoreTransaction& tx) {
            opened.wait();
            return tx.PutSetting("gate", "open");
          },
          [this](absl::Status status) { done_.set_value(status); });
    }
    // Lets the gate's unit finish; its outcome.
    absl::Status Open() {
      open_.set_value();
      return done_.get_future().get();
    }

   private:
    std::promise<void> open_;
    std::promise<absl::Status> done_;
  };

  // The subject of case `number` as `node` reads it with its history (the cached read).
  static std::string SubjectOn(PostgresStore& node, core::CaseNumber number) {
    std::string subject = "(unread)";
    absl::Status read = node.Read([&](ports::StoreTransaction& tx) -> absl::Status {
      auto found = tx.GetCaseWithHistory(number);
      if (!found.ok()) return found.status();
      subject = found->record.subject;
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    return subject;
  }

  static int64_t CaseCacheHits(PostgresStore& node) {
    return Counter(node.MetricsText(), "casedesk_store_case_cache_hits_total");
  }

  // Reads case `number` on `node` until a read comes from its cache (its listener is up).
  static void WaitUntilCached(PostgresStore& node, core::CaseNumber number) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    const int64_t hits = CaseCacheHits(node);
    while (CaseCacheHits(node) <= hits && std::chrono::steady_clock::now() < deadline) {
      SubjectOn(node, number);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_GT(CaseCacheHits(node), hits);
  }

  test_support::PostgresTestServer* server_ = nullptr;
  std::string url_;
  core::OrgId org_id_ = 0;
  core::UserId requester_id_ = 0;
};

TEST_F(PostgresStoreTest, MigrationsAreVersionedAndIdempotent) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const int latest = AllMigrations().back().version;
  auto version = store->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, latest);
  EXPECT_TRUE(store->Migrate().ok());
  EXPECT_TRUE(store->Migrate().ok());
  // A second process opening the same database migrates nothing again.
  auto second = OpenStore();
  ASSERT_NE(second, nullptr);
  auto connection = Connect();
  ASSERT_NE(connection, nullptr);
  auto rows = connection->Execute("SELECT count(*), max(version) FROM schema_migrations");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_EQ(rows->Int(0, 0), static_cast<int64_t>(AllMigrations().size()));
  EXPECT_EQ(rows->Int(0, 1), latest);
}

TEST_F(PostgresStoreTest, EventsAreAppendOnlyAndCasesAreNeverDeleted) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  ASSERT_TRUE(store
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    core::AuditEvent event;
                    event.entity = "user";
                    event.entity_id = "1";
                    event.kind = "user.created";
                    if (auto id = tx.AppendEvent(event); !id.ok()) return id.status();
                    return CreateCase(tx, "kept");
                  })
                  .ok());
  auto connection = Connect();
  ASSERT_NE(connection, nullptr);
  auto updated = connection->Execute("UPDATE events SET kind = 'forged'");
  EXPECT_FALSE(updated.ok());
  EXPECT_NE(std::string(updated.status().message()).find("append-only"), std::string::npos)
      << updated.status();
  EXPECT_FALSE(connection->Execute("DELETE FROM events").ok());
  EXPECT_FALSE(connection->ExecuteScript("TRUNCATE events").ok());
  EXPECT_FALSE(connection->Execute("DELETE FROM cases").ok());
  auto counted = connection->Execute("SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM cases)");
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(counted->Int(0, 0), 1);
  EXPECT_EQ(counted->Int(0, 1), 1);
}

TEST_F(PostgresStoreTest, ServerRestartFailsTheUnitInFlightAndTheNextOneSucceeds) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->WriteAndWait([](ports::StoreTransaction& tx) {
                       return tx.PutSetting("before", "1");
                     }).ok());
  ASSERT_TRUE(store->Read([](ports::StoreTransaction& tx) {
                       return tx.GetSetting("before").status();
                     }).ok());

  std::mutex mutex;
  std::condition_variable changed;
  bool half_written = false;
  bool server_stopped = false;
  std::promise<absl::Status> outcome;
  store->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        absl::Status status = tx.PutSetting("half", "1");
        if (!status.ok()) return status;
        std::unique_lock<std::mutex> lock(mutex);
        half_written = true;
        changed.notify_all();
        changed.wait(lock, [&] { return server_stopped; });
        return tx.PutSetting("other_half", "1");
      },
      [&](absl::Status status) { outcome.set_value(std::move(status)); });
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return half_written; });
  }
  ASSERT_TRUE(server_->Stop().ok());
  {
    std::lock_guard<std::mutex> lock(mutex);
    server_stopped = true;
  }
  changed.notify_all();
  const absl::Status in_flight = outcome.get_future().get();
  EXPECT_EQ(in_flight.code(), absl::StatusCode::kUnavailable) << in_flight;
  // While the server is down, writes, reads and pings say Unavailable.
  EXPECT_EQ(store->WriteAndWait([](ports::StoreTransaction& tx) {
                   return tx.PutSetting("down", "1");
                 }).code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store->Ping().code(), absl::StatusCode::kUnavailable);

  ASSERT_TRUE(server_->Restart().ok());
  // The pool and the writers reconnect on their next use.
  EXPECT_TRUE(store->Ping().ok());
  absl::Status after = store->WriteAndWait([](ports::StoreTransaction& tx) {
    return tx.PutSetting("after", "1");
  });
  EXPECT_TRUE(after.ok()) << after;
  ASSERT_TRUE(store->Read([](ports::StoreTransaction& tx) -> absl::Status {
                       for (const char* key : {"before", "after"}) {
                         auto value = tx.GetSetting(key);
                         EXPECT_TRUE(value.ok() && value->has_value()) << key;
                       }
                       // Nothing of the interrupted unit was kept.
                       for (const char* key : {"half", "other_half", "down"}) {
                         auto value = tx.GetSetting(key);
                         EXPECT_TRUE(value.ok() && !value->has_value()) << key;
                       }
                       return absl::OkStatus();
                     }).ok());
  EXPECT_NE(store->MetricsText().find("casedesk_store_connections_discarded_total"),
            std::string::npos);
}

// Two stores on one database are two nodes. A case read is kept in the node's cache; the node
// reads its own writes at once, and hears of the other node's (cases and organisations) through
// NOTIFY long before its copies would expire.
TEST_F(PostgresStoreTest, CachedCaseReadsFollowEveryNodesCommits) {
  auto node_a = OpenStore();
  auto node_b = OpenStore();
  ASSERT_NE(node_a, nullptr);
  ASSERT_NE(node_b, nullptr);
  AddRequester(*node_a);
  core::CaseNumber number = 0;
  ASSERT_TRUE(node_a
                  ->WriteAndWait([&](ports::StoreTransaction& tx) {
                    return CreateCase(tx, "first subject", &number);
                  })
                  .ok());
  struct Seen {
    std::string subject;
    std::string plan;
  };
  const auto read = [number](PostgresStore& node) {
    Seen seen;
    EXPECT_TRUE(node.Read([&](ports::StoreTransaction& tx) -> absl::Status {
                      auto found = tx.GetCaseWithHistory(number);
                      if (!found.ok()) return found.status();
                      seen = {found->record.subject, found->org.plan};
                      return absl::OkStatus();
                    })
                    .ok());
    return seen;
  };
  // Each node's cache starts serving once its listener is connected.
  WaitUntilCached(*node_a, number);
  WaitUntilCached(*node_b, number);
  // Both hold the case from here on; copies expire 5 s after they were read.
  const auto cached_at = std::chrono::steady_clock::now();
  EXPECT_EQ(read(*node_b).subject, "first subject");
  const int64_t hits_before = CaseCacheHits(*node_b);
  EXPECT_EQ(read(*node_b).subject, "first subject");
  EXPECT_EQ(CaseCacheHits(*node_b), hits_before + 1);

  const auto change = [&](PostgresStore& node, std::function<void(core::Case&)> edit) {
    ASSERT_TRUE(node.WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                      absl::StatusOr<core::Case> c = tx.GetCase(number);
                      if (!c.ok()) return c.status();
                      edit(*c);
                      return tx.UpdateCase(*c);
                    })
                    .ok());
  };
  const auto eventually = [&](PostgresStore& node, const std::function<bool(const Seen&)>& want) {
    while (std::chrono::steady_clock::now() < cached_at + std::chrono::seconds(4)) {
      if (want(read(node))) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  };
  // The writing node answers only after its own copy is gone.
  change(*node_a, [](core::Case& c) { c.subject = "second subject"; });
  EXPECT_EQ(read(*node_a).subject, "second subject");
  EXPECT_TRUE(
      eventually(*node_b, [](const Seen& seen) { return seen.subject == "second subject"; }));
  change(*node_b, [](core::Case& c) { c.subject = "third subject"; });
  EXPECT_EQ(read(*node_b).subject, "third subject");
  EXPECT_TRUE(
      eventually(*node_a, [](const Seen& seen) { return seen.subject == "third subject"; }));

  // An organisation's change reaches every cached case of it.
  ASSERT_EQ(read(*node_b).plan, "");
  ASSERT_TRUE(node_a
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    absl::StatusOr<core::Organisation> org = tx.GetOrganisation(org_id_);
                    if (!org.ok()) return org.status();
                    org->plan = "enterprise";
                    return tx.UpdateOrganisation(*org);
                  })
                  .ok());
  EXPECT_EQ(read(*node_a).plan, "enterprise");
  EXPECT_TRUE(eventually(*node_b, [](const Seen& seen) { return seen.plan == "enterprise"; }));
}

// Notifications sent while a node's listener is disconnected never reach it, so its caches
// forget everything and serve nothing until the listener is back.
TEST_F(PostgresStoreTest, CachesServeNothingWhileTheirListenerIsDisconnected) {
  auto node_a = OpenStore();
  auto node_b = OpenStore();
  ASSERT_NE(node_a, nullptr);
  ASSERT_NE(node_b, nullptr);
  AddRequester(*node_a);
  core::CaseNumber number = 0;
  ASSERT_TRUE(node_a
                  ->WriteAndWait([&](ports::StoreTransaction& tx) {
                    return CreateCase(tx, "before the restart", &number);
                  })
                  .ok());
  WaitUntilCached(*node_b, number);
  const auto cached_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(server_->Stop().ok());
  ASSERT_TRUE(server_->Restart().ok());
  // Node A's first write may meet the connection the restart broke.
  absl::Status changed;
  for (int attempt = 0; attempt < 5; ++attempt) {
    changed = node_a->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
      absl::StatusOr<core::Case> c = tx.GetCase(number);
      if (!c.ok()) return c.status();
      c->subject = "after the restart";
      return tx.UpdateCase(*c);
    });
    if (changed.ok()) break;
  }
  ASSERT_TRUE(changed.ok()) << changed;
  // Node B may not have been listening when A's NOTIFY went out; it must not serve its copy.
  EXPECT_EQ(SubjectOn(*node_b, number), "after the restart");
  EXPECT_LT(std::chrono::steady_clock::now() - cached_at, std::chrono::seconds(4))
      << "too slow to tell the cache from its expiry";
}

// Organisations and pages of groups read on a node are kept there too (PgNodeCaches),
// under the same rules as cases.
TEST_F(PostgresStoreTest, CachedOrganisationsAndGroupsFollowEveryNodesCommits) {
  auto node_a = OpenStore();
  auto node_b = OpenStore();
  ASSERT_NE(node_a, nullptr);
  ASSERT_NE(node_b, nullptr);
  AddRequester(*node_a);
  const core::GroupId group_id = AddGroup(*node_a, "Triage");
  struct Seen {
    std::string org_name;
    std::string group_names;
  };
  // Two reads of each in a transaction of their own; the second, at least, from the cache
  // once the node's listener is up.
  const auto read = [this](PostgresStore& node) {
    Seen seen;
    EXPECT_TRUE(node.Read([&](ports::StoreTransaction& tx) -> absl::Status {
                      absl::StatusOr<core::Organisation> org = tx.GetOrganisation(org_id_);
                      if (!org.ok()) return org.status();
                      seen.org_name = org->name;
                      absl::StatusOr<ports::Page<core::Group>> groups =
                          tx.ListGroups(ports::PageRequest{.limit = 200});
                      if (!groups.ok()) return groups.status();
                      for (const core::Group& group : groups->items) {
                        seen.group_names += group.name + ";";
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    return seen;
  };
  // Each node's caches serve once its listener is up. A change made behind the store's back
  // (no NOTIFY) shows whether a read came from them.
  auto raw = Connect();
  ASSERT_NE(raw, nullptr);
  int attempt = 0;
  for (PostgresStore* node : {node_a.get(), node_b.get()}) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool served = false;
    while (!served && std::chrono::steady_clock::now() < deadline) {
      read(*node);
      const std::string behind = "Behind " + std::to_string(++attempt);
      ASSERT_TRUE(raw->Execute("UPDATE organisations SET name = $1 WHERE id = $2",
                               PgParams().Add(behind).Add(org_id_))
                      .ok());
      ASSERT_TRUE(raw->Execute("UPDATE groups SET name = $1 WHERE id = $2",
                               PgParams().Add(behind).Add(group_id))
                      .ok());
      const Seen seen = read(*node);
      served = seen.org_name != behind && seen.group_names != behind + ";";
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(served);
  }
  const auto cached_at = std::chrono::steady_clock::now();
  const auto eventually = [&](PostgresStore& node, const std::function<bool(const Seen&)>& want) {
    while (std::chrono::steady_clock::now() < cached_at + std::chrono::seconds(4)) {
      if (want(read(node))) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  };
  ASSERT_TRUE(node_a
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    absl::StatusOr<core::Organisation> org = tx.GetOrganisation(org_id_);
                    if (!org.ok()) return org.status();
                    org->name = "Renamed";
                    return tx.UpdateOrganisation(*org);
                  })
                  .ok());
  EXPECT_EQ(read(*node_a).org_name, "Renamed");
  EXPECT_TRUE(eventually(*node_b, [](const Seen& seen) { return seen.org_name == "Renamed"; }));
  ASSERT_TRUE(node_b
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    absl::StatusOr<core::Group> group = tx.GetGroup(group_id);
                    if (!group.ok()) return group.status();
                    group->name = "First line";
                    if (absl::Status updated = tx.UpdateGroup(*group); !updated.ok()) {
                      return updated;
                    }
                    core::Group added;
                    added.name = "Network";
                    return tx.InsertGroup(added).status();
                  })
                  .ok());
  EXPECT_EQ(read(*node_b).group_names, "First line;Network;");
  EXPECT_TRUE(eventually(
      *node_a, [](const Seen& seen) { return seen.group_names == "First line;Network;"; }));
}

// Which addresses bounce is read for every mail a change sends; units of a write batch read it
// from the node's cache, which follows this node's commits at once, other nodes' through
// NOTIFY, and the batch's own writes before either.
TEST_F(PostgresStoreTest, CachedMailAddressStatesFollowEveryNodesCommits) {
  auto node_a = OpenStore();
  auto node_b = OpenStore();
  ASSERT_NE(node_a, nullptr);
  ASSERT_NE(node_b, nullptr);
  const std::string address = "bounces@example.com";
  // The reason of the address's bounce as a unit of `node`'s writer reads it ("" for none).
  const auto reason_on = [&](PostgresStore& node) {
    std::string reason = "(unread)";
    EXPECT_TRUE(node.WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                      auto state = tx.GetMailAddressState(address);
                      if (!state.ok()) return state.status();
                      reason = state->has_value() ? (*state)->bounce_reason : "";
                      return absl::OkStatus();
                    })
                    .ok());
    return reason;
  };
  const auto bounce = [&](PostgresStore& node, const std::string& reason) {
    ports::MailAddressState state;
    state.address = address;
    state.bounced_at = absl::FromUnixSeconds(1700000000);
    state.bounce_reason = reason;
    return node.WriteAndWait(
        [&](ports::StoreTransaction& tx) { return tx.PutMailAddressState(state); });
  };
  // Each node's cache serves once its listener is up; a change made behind the store's back
  // (no NOTIFY) shows whether a read came from it.
  auto raw = Connect();
  ASSERT_NE(raw, nullptr);
  ASSERT_TRUE(bounce(*node_a, "first").ok());
  int attempt = 0;
  const auto served_from_cache = [&](PostgresStore& node) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      reason_on(node);
      const std::string behind = "behind " + std::to_string(++attempt);
      EXPECT_TRUE(raw->Execute("UPDATE mail_addresses SET bounce_reason = $1 WHERE address = $2",
                               PgParams().Add(behind).Add(address))
                      .ok());
      if (reason_on(node) != behind) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  };
  ASSERT_TRUE(served_from_cache(*node_a));
  ASSERT_TRUE(served_from_cache(*node_b));
  const auto cached_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(bounce(*node_a, "mailbox full").ok());
  EXPECT_EQ(reason_on(*node_a), "mailbox full");
  bool heard = false;
  while (!heard && std::chrono::steady_clock::now() < cached_at + std::chrono::seconds(4)) {
    heard = reason_on(*node_b) == "mailbox full";
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_TRUE(heard) << "node B still reads the state it cached before node A's commit";

  // A later unit of the same batch reads what an earlier one wrote, before the commit.
  auto node_c = OpenBatchingStore();
  ASSERT_NE(node_c, nullptr);
  ASSERT_TRUE(served_from_cache(*node_c));
  WriterGate gate(*node_c);
  std::promise<absl::Status> wrote;
  std::promise<std::string> read;
  ports::MailAddressState state;
  state.address = address;
  state.bounce_reason = "no such user";
  node_c->Write([&](ports::StoreTransaction& tx) { return tx.PutMailAddressState(state); },
                [&](absl::Status status) { wrote.set_value(status); });
  std::string in_batch;
  node_c->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        auto found = tx.GetMailAddressState(address);
        if (!found.ok()) return found.status();
        in_batch = found->has_value() ? (*found)->bounce_reason : "";
        return absl::OkStatus();
      },
      [&](absl::Status status) { read.set_value(status.ok() ? in_batch : status.ToString()); });
  ASSERT_TRUE(gate.Open().ok());
  EXPECT_TRUE(wrote.get_future().get().ok());
  EXPECT_EQ(read.get_future().get(), "no such user");
}

// The units of a batch that say they will open a case (ports::WriteHints) get their numbers
// from one nextval round trip, in the order the units run.
TEST_F(PostgresStoreTest, ABatchTakesTheCaseNumbersItsUnitsWillUseTogether) {
  auto store = OpenBatchingStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  auto raw = Connect();
  ASSERT_NE(raw, nullptr);
  const auto sequence_last_value = [&]() -> int64_t {
    absl::StatusOr<PgResult> last = raw->Execute("SELECT last_value FROM case_numbers");
    EXPECT_TRUE(last.ok()) << last.status();
    return last.ok() ? last->Int(0, 0) : -1;
  };
  constexpr int kOpening = 5;
  WriterGate gate(*store);
  std::vector<core::CaseNumber> numbers(kOpening + 1, 0);
  int64_t taken_after_first = 0;
  std::vector<std::promise<absl::Status>> outcomes(kOpening + 1);
  for (int i = 0; i < kOpening + 1; ++i) {
    // The last unit says nothing, and takes its own number when it asks.
    const ports::WriteHints hints{.case_numbers = i < kOpening ? 1 : 0};
    store->WriteWithHints(
        [&, i](ports::StoreTransaction& tx) -> absl::Status {
          absl::Status made = CreateCase(tx, "hinted " + std::to_string(i), &numbers[i]);
          if (i == 0) taken_after_first = sequence_last_value();  // sequences are not transactional
          return made;
        },
        [&outcomes, i](absl::Status status) { outcomes[i].set_value(status); }, hints);
  }
  ASSERT_TRUE(gate.Open().ok());
  for (auto& outcome : outcomes) ASSERT_TRUE(outcome.get_future().get().ok());
  for (int i = 1; i < kOpening + 1; ++i) EXPECT_EQ(numbers[i], numbers[i - 1] + 1) << i;
  EXPECT_EQ(taken_after_first, numbers[0] + kOpening - 1);
  EXPECT_EQ(sequence_last_value(), numbers[kOpening]);
}

// A read's BEGIN travels with its first statement and its COMMIT is not waited for: the
// statements must still share one snapshot, and the connection must go back to the pool.
TEST_F(PostgresStoreTest, ReadsKeepOneSnapshotAndTheirConnection) {
  // Without a case cache there is no listener, whose connection (opened by its own thread,
  // late on a busy machine) would count among the connections opened below.
  PostgresStoreOptions options;
  options.case_cache_bytes = 0;
  auto store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->WriteAndWait([](ports::StoreTransaction& tx) {
                       return tx.PutSetting("k", "before");
                     }).ok());
  auto writer = Connect();
  ASSERT_NE(writer, nullptr);
  std::vector<std::string> seen;
  ASSERT_TRUE(store->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                       for (int i = 0; i < 2; ++i) {
                         auto value = tx.GetSetting("k");
                         if (!value.ok()) return value.status();
                         seen.push_back(value->value_or("none"));
                         // Committed between the two statements of the read.
                         if (i == 0) {
                           EXPECT_TRUE(writer->ExecuteScript(
                                                 "UPDATE settings SET value = 'after' "
                                                 "WHERE key = 'k'")
                                           .ok());
                         }
                       }
                       return absl::OkStatus();
                     }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"before", "before"}));

  const int64_t opened = Counter(store->MetricsText(), "casedesk_store_connections_opened_total");
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(store->Read([](ports::StoreTransaction& tx) {
                         return tx.GetSetting("k").status();
                       }).ok());
    // A read that runs no statement starts no transaction.
    ASSERT_TRUE(store->Read([](ports::StoreTransaction&) { return absl::OkStatus(); }).ok());
  }
  const std::string metrics = store->MetricsText();
  EXPECT_EQ(Counter(metrics, "casedesk_store_connections_opened_total"), opened);
  EXPECT_EQ(Counter(metrics, "casedesk_store_connections_discarded_total"), 0);
  ASSERT_TRUE(store->Read([](ports::StoreTransaction& tx) -> absl::Status {
                       auto value = tx.GetSetting("k");
                       EXPECT_TRUE(value.ok() && value->value_or("") == "after");
                       return absl::OkStatus();
                     }).ok());
}

// Pooled read connections die with a server restart; the first read afterwards still works.
TEST_F(PostgresStoreTest, FirstReadAfterARestartSucceeds) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->WriteAndWait([](ports::StoreTransaction& tx) {
                       return tx.PutSetting("k", "v");
                     }).ok());
  const auto read = [&] {
    return store->Read([](ports::StoreTransaction& tx) { return tx.GetSetting("k").status(); });
  };
  ASSERT_TRUE(read().ok());
  ASSERT_TRUE(server_->Stop().ok());
  ASSERT_TRUE(server_->Restart().ok());
  const absl::Status after = read();
  EXPECT_TRUE(after.ok()) << after;
}

// A write unit remembers the organisations, users and settings it read until its next write:
// reading again after a write must see the write.
TEST_F(PostgresStoreTest, AUnitReadsItsOwnWritesToRowsItReadBefore) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  const absl::Status outcome = store->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
    auto user = tx.GetUser(requester_id_);
    auto org = tx.GetOrganisation(org_id_);
    auto setting = tx.GetSetting("k");
    if (!user.ok() || !org.ok() || !setting.ok()) return absl::InternalError("first reads");
    EXPECT_EQ(tx.GetUser(requester_id_)->name, "Requester");
    user->name = "Renamed";
    if (absl::Status s = tx.UpdateUser(*user); !s.ok()) return s;
    EXPECT_EQ(tx.GetUser(requester_id_)->name, "Renamed");
    org->name = "Renamed Customer";
    if (absl::Status s = tx.UpdateOrganisation(*org); !s.ok()) return s;
    EXPECT_EQ(tx.GetOrganisation(org_id_)->name, "Renamed Customer");
    EXPECT_FALSE(setting->has_value());
    if (absl::Status s = tx.PutSetting("k", "v"); !s.ok()) return s;
    EXPECT_EQ(tx.GetSetting("k")->value_or(""), "v");
    return absl::OkStatus();
  });
  EXPECT_TRUE(outcome.ok()) << outcome;
}

TEST_F(PostgresStoreTest, QueuedWritesShareCommits) {
  auto store = OpenBatchingStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  const int64_t batches_before = Counter(store->MetricsText(), "casedesk_store_batches_total");

  // The first unit holds the writer until every other unit is queued behind it.
  constexpr int kUnits = 64;
  std::promise<void> all_queued;
  std::shared_future<void> queued = all_queued.get_future().share();
  std::vector<std::promise<absl::Status>> outcomes(kUnits + 1);
  store->Write([queued](ports::StoreTransaction& tx) {
                 queued.wait();
                 return tx.PutSetting("gate", "open");
               },
               [&](absl::Status status) { outcomes[kUnits].set_value(status); });
  for (int i = 0; i < kUnits; ++i) {
    store->Write(
        [&, i](ports::StoreTransaction& tx) -> absl::Status {
          core::CaseNumber number = 0;
          if (absl::Status made = CreateCase(tx, "batched " + std::to_string(i), &number);
              !made.ok()) {
            return made;
          }
          ports::CaseSlaRecord summary{.case_number = number,
                                       .org_id = org_id_,
                                       .plan = "standard",
                                       .created_at = absl::FromUnixSeconds(1700000000)};
          summary.first_response.target = i % 2 == 0 ? "60" : "none";
          return tx.UpsertCaseSla(summary);
        },
        [&outcomes, i](absl::Status status) { outcomes[i].set_value(status); });
  }
  all_queued.set_value();
  for (auto& outcome : outcomes) EXPECT_TRUE(outcome.get_future().get().ok());

  const std::string metrics = store->MetricsText();
  const int64_t batches = Counter(metrics, "casedesk_store_batches_total") - batches_before;
  // The gate's batch, then the 64 queued units in one commit (max_batch_units = 64).
  EXPECT_LE(batches, 3) << metrics;
  EXPECT_GE(batches, 2) << metrics;
  ports::CaseFilter filter;
  filter.scope.all = true;
  ASSERT_TRUE(store->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                       auto count = tx.CountCases(filter);
                       EXPECT_TRUE(count.ok());
                       if (count.ok()) {
                         EXPECT_EQ(*count, kUnits);
                       }
                       return absl::OkStatus();
                     }).ok());
  // The batch inserted its cases and summaries with one statement each: the insert triggers
  // (migration 27) indexed every case and counted every row, in the month and day buckets.
  std::unique_ptr<PgConnection> admin = Connect();
  ASSERT_NE(admin, nullptr);
  absl::StatusOr<PgResult> counted = admin->Execute(
      "SELECT (SELECT count(*) FROM search_parts),"
      " (SELECT string_agg(bucket || ':' || total, ' ' ORDER BY bucket) FROM (SELECT bucket,"
      "  sum(cases) AS total FROM case_counts GROUP BY bucket) c),"
      " (SELECT string_agg(bucket || ':' || total || '/' || untargeted, ' ' ORDER BY bucket)"
      "  FROM (SELECT bucket, sum(cases) AS total, sum(first_response_untargeted) AS untargeted"
      "  FROM sla_counts GROUP BY bucket) s)");
  ASSERT_TRUE(counted.ok()) << counted.status();
  EXPECT_EQ(counted->Int(0, 0), 2 * kUnits);
  EXPECT_EQ(counted->Text(0, 1), "202311:64 20231114:64");
  EXPECT_EQ(counted->Text(0, 2), "202311:64/32 20231114:64/32");
}

// Queued units share one transaction without savepoints; when one fails, the batch runs again
// with a savepoint per unit: the failing unit leaves nothing and the others are kept once.
TEST_F(PostgresStoreTest, AFailingUnitInABatchIsUndoneAloneAndTheOthersAreKeptOnce) {
  auto store = OpenBatchingStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  WriterGate gate(*store);
  constexpr int kUnits = 9;
  constexpr int kFailing = 4;
  std::atomic<int> runs = 0;
  std::vector<std::promise<absl::Status>> outcomes(kUnits);
  for (int i = 0; i < kUnits; ++i) {
    store->Write(
        [this, &runs, i](ports::StoreTransaction& tx) -> absl::Status {
          runs.fetch_add(1);
          if (absl::Status made = CreateCase(tx, "batched " + std::to_string(i)); !made.ok()) {
            return made;
          }
          if (i == kFailing) return absl::FailedPreconditionError("changed my mind");
          return absl::OkStatus();
        },
        [&outcomes, i](absl::Status status) { outcomes[i].set_value(status); });
  }
  ASSERT_TRUE(gate.Open().ok());
  for (int i = 0; i < kUnits; ++i) {
    const absl::Status status = outcomes[i].get_future().get();
    if (i == kFailing) {
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    } else {
      EXPECT_TRUE(status.ok()) << i << ": " << status;
    }
  }
  // The units before the failing one and the failing one ran twice, the rest once.
  EXPECT_EQ(runs.load(), kUnits + kFailing + 1);
  ports::CaseFilter filter;
  filter.scope.all = true;
  ASSERT_TRUE(store
                  ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                    absl::StatusOr<ports::Page<core::Case>> page = tx.ListCases(filter);
                    EXPECT_TRUE(page.ok()) << page.status();
                    if (!page.ok()) return absl::OkStatus();
                    std::multiset<std::string> subjects;
                    for (const core::Case& c : page->items) subjects.insert(c.subject);
                    EXPECT_EQ(subjects.size(), static_cast<size_t>(kUnits - 1));
                    EXPECT_EQ(subjects.count("batched " + std::to_string(kFailing)), 0u);
                    for (int i = 0; i < kUnits; ++i) {
                      if (i != kFailing) {
                        EXPECT_EQ(subjects.count("batched " + std::to_string(i)), 1u) << i;
                      }
                    }
                    return absl::OkStatus();
                  })
                  .ok());
}

// PgConnection::Queue: queued statements run, in order, with the next statement waited for;
// a queued statement's error is that statement's error; a rollback drops what is queued.
TEST_F(PostgresStoreTest, QueuedStatementsTravelWithTheNextStatement) {
  std::unique_ptr<PgConnection> connection = Connect();
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(connection->ExecuteScript("CREATE TABLE queued (x integer PRIMARY KEY)").ok());
  ASSERT_TRUE(connection->ExecuteScript("BEGIN").ok());
  const std::string insert = "INSERT INTO queued (x) VALUES ($1)";
  ASSERT_TRUE(connection->Queue(insert, PgParams().Add(int64_t{1})).ok());
  ASSERT_TRUE(connection->Queue(insert, PgParams().Add(int64_t{2})).ok());
  EXPECT_EQ(connection->queued(), 2u);
  absl::StatusOr<PgResult> sum = connection->Execute("SELECT sum(x) FROM queued");
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ(sum->Int(0, 0), 3);
  EXPECT_EQ(connection->queued(), 0u);

  // Bad parameters fail when queued, and nothing is queued.
  EXPECT_EQ(connection->Queue(insert, PgParams().Add(std::string("1\0", 2))).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(connection->queued(), 0u);

  // A queued duplicate fails the statement that sends it, and the transaction.
  ASSERT_TRUE(connection->Queue(insert, PgParams().Add(int64_t{1})).ok());
  EXPECT_EQ(connection->Execute("SELECT sum(x) FROM queued").status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_TRUE(connection->InFailedTransaction());
  ASSERT_TRUE(connection->ExecuteScript("ROLLBACK").ok());

  // FlushQueued sends them alone; ROLLBACK forgets them unsent, whatever they would do.
  ASSERT_TRUE(connection->ExecuteScript("BEGIN").ok());
  ASSERT_TRUE(connection->Queue(insert, PgParams().Add(int64_t{5})).ok());
  ASSERT_TRUE(connection->FlushQueued().ok());
  ASSERT_TRUE(connection->Queue(insert, PgParams().Add(int64_t{5})).ok());
  EXPECT_TRUE(connection->ExecuteScript("ROLLBACK").ok());
  EXPECT_EQ(connection->queued(), 0u);
  sum = connection->Execute("SELECT count(*) FROM queued");
  ASSERT_TRUE(sum.ok()) << sum.status();
  EXPECT_EQ(sum->Int(0, 0), 0);
}

// PgConnection::QueueRows: a run of queued rows goes out as one statement per kind, a kind
// its other rows refer to first, and an upsert's rows for one key in the order queued.
TEST_F(PostgresStoreTest, QueuedRowsTravelAsOneStatementPerKind) {
  std::unique_ptr<PgConnection> connection = Connect();
  ASSERT_NE(connection, nullptr);
  ASSERT_TRUE(
      connection
          ->ExecuteScript("CREATE TABLE parent (id bigint PRIMARY KEY);"
                          " CREATE TABLE child (parent_id bigint REFERENCES parent, v text);"
                          " CREATE TABLE pair (k bigint PRIMARY KEY, v text);"
                          // Counts the INSERT statements each table is sent.
                          " CREATE TABLE sent (tab text PRIMARY KEY, n integer);"
                          " CREATE FUNCTION count_sent() RETURNS trigger LANGUAGE plpgsql AS $$"
                          " BEGIN INSERT INTO sent VALUES (TG_TABLE_NAME, 1) ON CONFLICT (tab)"
                          " DO UPDATE SET n = sent.n + 1; RETURN NULL; END $$;"
                          " CREATE TRIGGER c1 AFTER INSERT ON parent FOR EACH STATEMENT"
                          " EXECUTE FUNCTION count_sent();"
                          " CREATE TRIGGER c2 AFTER INSERT ON child FOR EACH STATEMENT"
                          " EXECUTE FUNCTION count_sent();"
                          " CREATE TRIGGER c3 AFTER INSERT ON pair FOR EACH STATEMENT"
                          " EXECUTE FUNCTION count_sent()")
          .ok());
  static constexpr PgRowsInsert kParent{
      .sql = "INSERT INTO parent SELECT * FROM unnest($1::bigint[])", .rank = 0};
  static constexpr PgRowsInsert kChild{
      .sql = "INSERT INTO child SELECT * FROM unnest($1::bigint[], $2::text[])", .rank = 1};
  static constexpr PgRowsInsert kPair{
      .sql =
          "INSERT INTO pair SELECT * FROM unnest($1::bigint[], $2::text[])"
          " ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v",
      .rank = 1,
      .key_columns = 1};
  const auto one = [](PgParams row) {
    std::vector<PgParams> rows;
    rows.push_back(std::move(row));
    return rows;
  };
  ASSERT_TRUE(connection->ExecuteScript("BEGIN").ok());
  for (int64_t id = 1; id <= 3; ++id) {
    ASSERT_TRUE(connection->QueueRows(kParent, one(PgParams().Add(id))).ok());
    ASSERT_TRUE(connection->QueueRows(kChild, one(PgParams().Add(id).Add("\"a\", {b}"))).ok());
    ASSERT_TRUE(connection->QueueRows(kPair, one(PgParams().Add(int64_t{7}).Add(id))).ok());
  }
  EXPECT_EQ(connection->QueueRows(kChild, one(PgParams().Add(int64_t{1}).Add(std::string("\0", 1))))
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(connection->queued(), 9u);
  absl::StatusOr<PgResult> read = connection->Execute(
      "SELECT (SELECT string_agg(parent_id || v, ' ' ORDER BY parent_id) FROM child),"
      " (SELECT v FROM pair WHERE k = 7),"
      " (SELECT string_agg(tab || '=' || n, ' ' ORDER BY tab) FROM sent)");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->Text(0, 0), "1\"a\", {b} 2\"a\", {b} 3\"a\", {b}");
  EXPECT_EQ(read->Text(0, 1), "3");  // the last row queued for the key
  // One statement per kind, but the upsert's three rows for one key need three.
  EXPECT_EQ(read->Text(0, 2), "child=1 pair=3 parent=1");

  // A row that breaks a constraint fails the statement that sends it.
  ASSERT_TRUE(connection->QueueRows(kChild, one(PgParams().Add(int64_t{99}).Add("orphan"))).ok());
  EXPECT_EQ(connection->FlushQueued().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(connection->ExecuteScript("ROLLBACK").ok());
}

// The units of one batch arm the same timer and record events: the rows travel merged, yet
// the last unit's timer is the one kept and the events' ids follow the units' order.
TEST_F(PostgresStoreTest, ABatchsMergedRowsApplyInTheOrderItsUnitsRan) {
  auto store = OpenBatchingStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  core::CaseNumber number = 0;
  ASSERT_TRUE(store
                  ->WriteAndWait(
                      [&](ports::StoreTransaction& tx) { return CreateCase(tx, "armed", &number); })
                  .ok());
  WriterGate gate(*store);
  constexpr int kUnits = 5;
  std::vector<std::promise<absl::Status>> outcomes(kUnits);
  for (int i = 0; i < kUnits; ++i) {
    store->Write(
        [this, i, number](ports::StoreTransaction& tx) -> absl::Status {
          const absl::Time due = absl::FromUnixSeconds(1800000000 + i);
          if (absl::Status armed = tx.ArmTimer({.case_number = number, .key = "k", .due_at = due});
              !armed.ok()) {
            return armed;
          }
          core::AuditEvent event;
          event.entity = "case";
          event.entity_id = std::to_string(number);
          event.case_number = number;
          event.actor_id = requester_id_;
          event.at = due;
          event.kind = "step " + std::to_string(i);
          return tx.RecordEvent(event);
        },
        [&outcomes, i](absl::Status status) { outcomes[i].set_value(status); });
  }
  ASSERT_TRUE(gate.Open().ok());
  for (auto& outcome : outcomes) EXPECT_TRUE(outcome.get_future().get().ok());
  std::unique_ptr<PgConnection> admin = Connect();
  ASSERT_NE(admin, nullptr);
  absl::StatusOr<PgResult> read = admin->Execute(
      "SELECT (SELECT due_at FROM timers WHERE case_number = $1 AND key = 'k'),"
      " (SELECT string_agg(kind, ',' ORDER BY id) FROM events WHERE case_number = $1"
      " AND kind LIKE 'step %')",
      PgParams().Add(number));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->Int(0, 0), absl::ToUnixMicros(absl::FromUnixSeconds(1800000000 + kUnits - 1)));
  EXPECT_EQ(read->Text(0, 1), "step 0,step 1,step 2,step 3,step 4");
}

// Units queue the writes they need no answer from (events here). One whose queued write fails
// when the unit ends gets that error, is undone alone, and the batch's other units are kept
// once each, with their queued writes.
TEST_F(PostgresStoreTest, AUnitWhoseQueuedWriteFailsIsUndoneAlone) {
  auto store = OpenBatchingStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  std::unique_ptr<PgConnection> admin = Connect();
  ASSERT_NE(admin, nullptr);
  ASSERT_TRUE(admin
                  ->ExecuteScript(
                      "CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$"
                      " BEGIN RAISE EXCEPTION 'refused' USING ERRCODE = 'check_violation'; END $$;"
                      " CREATE TRIGGER refuse_event BEFORE INSERT ON events FOR EACH ROW"
                      " WHEN (NEW.kind = 'refused') EXECUTE FUNCTION refuse_event();"
                      // A case whose number the unit took from the sequence is inserted without
                      // waiting for the answer, like the event.
                      " CREATE TRIGGER refuse_case BEFORE INSERT ON cases FOR EACH ROW"
                      " WHEN (NEW.subject = 'queued 4') EXECUTE FUNCTION refuse_event()")
                  .ok());
  WriterGate gate(*store);
  constexpr int kUnits = 6;
  constexpr int kFailing = 2;
  constexpr int kFailingCase = 4;
  std::vector<std::promise<absl::Status>> outcomes(kUnits);
  for (int i = 0; i < kUnits; ++i) {
    store->Write(
        [this, i](ports::StoreTransaction& tx) -> absl::Status {
          core::CaseNumber number = 0;
          if (absl::Status made = CreateCase(tx, "queued " + std::to_string(i), &number);
              !made.ok()) {
            return made;
          }
          core::AuditEvent event;
          event.entity = "case";
          event.entity_id = std::to_string(number);
          event.case_number = number;
          event.actor_id = requester_id_;
          event.at = absl::FromUnixSeconds(1700000000);
          event.kind = i == kFailing ? "refused" : "case.noted";
          return tx.RecordEvent(event);
        },
        [&outcomes, i](absl::Status status) { outcomes[i].set_value(status); });
  }
  ASSERT_TRUE(gate.Open().ok());
  for (int i = 0; i < kUnits; ++i) {
    const absl::Status status = outcomes[i].get_future().get();
    if (i == kFailing || i == kFailingCase) {
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    } else {
      EXPECT_TRUE(status.ok()) << i << ": " << status;
    }
  }
  absl::StatusOr<PgResult> counts = admin->Execute(
      "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM events WHERE kind ="
      " 'case.noted'), (SELECT count(*) FROM cases WHERE subject IN ('queued 2', 'queued 4'))");
  ASSERT_TRUE(counts.ok()) << counts.status();
  EXPECT_EQ(counts->Int(0, 0), kUnits - 2);
  EXPECT_EQ(counts->Int(0, 1), kUnits - 2);
  EXPECT_EQ(counts->Int(0, 2), 0);
}

// A read-modify-write unit: `read` a row, `pause` (see ExpectBothChangesKept), `change` it and
// `write` it back.
using EditUnit =
    std::function<absl::Status(ports::StoreTransaction&, const std::function<void()>&)>;
template <typename Row>
EditUnit Edit(std::function<absl::StatusOr<Row>(ports::StoreTransaction&)> read,
              std::function<void(Row&)> change,
              std::function<absl::Status(ports::StoreTransaction&, const Row&)> write) {
  return [=](ports::StoreTransaction& tx, const std::function<void()>& pause) -> absl::Status {
    absl::StatusOr<Row> row = read(tx);
    if (!row.ok()) return row.status();
    pause();
    change(*row);
    return write(tx, *row);
  };
}

// Two writer connections: unit A reads a row, waits (in its first run) while unit B changes the
// same row and commits, then writes its own change. Users, organisations, groups and settings
// are not locked when read, so A's write must notice the newer version and A run again on it:
// both changes are kept, and A ran twice.
void ExpectBothChangesKept(PostgresStore& store, const EditUnit& a, const EditUnit& b) {
  std::promise<void> a_read;
  std::promise<void> b_done;
  std::shared_future<void> b_finished = b_done.get_future().share();
  std::atomic<int> a_runs = 0;
  std::promise<absl::Status> a_outcome;
  store.Write(
      [&](ports::StoreTransaction& tx) {
        const bool first = a_runs.fetch_add(1) == 0;
        return a(tx, [&] {
          if (!first) return;
          a_read.set_value();
          b_finished.wait();
        });
      },
      [&](absl::Status status) { a_outcome.set_value(status); });
  a_read.get_future().wait();
  EXPECT_TRUE(store.WriteAndWait([&](ports::StoreTransaction& tx) { return b(tx, [] {}); }).ok());
  b_done.set_value();
  EXPECT_TRUE(a_outcome.get_future().get().ok());
  EXPECT_EQ(a_runs.load(), 2);
}

TEST_F(PostgresStoreTest, AReadModifyWriteNeverUndoesAConcurrentChange) {
  PostgresStoreOptions options;
  options.writer_connections = 2;
  options.max_batch_units = 1;
  auto store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  const core::GroupId group_id = AddGroup(*store, "Network");

  const auto user = [this](std::function<void(core::User&)> change) {
    return Edit<core::User>(
        [this](ports::StoreTransaction& tx) { return tx.GetUser(requester_id_); }, change,
        [](ports::StoreTransaction& tx, const core::User& row) { return tx.UpdateUser(row); });
  };
  ExpectBothChangesKept(*store, user([](core::User& row) { row.name = "Renamed"; }),
                        user([](core::User& row) { row.skills = {"network"}; }));
  const auto org = [this](std::function<void(core::Organisation&)> change) {
    return Edit<core::Organisation>(
        [this](ports::StoreTransaction& tx) { return tx.GetOrganisation(org_id_); }, change,
        [](ports::StoreTransaction& tx, const core::Organisation& row) {
          return tx.UpdateOrganisation(row);
        });
  };
  ExpectBothChangesKept(*store, org([](core::Organisation& row) { row.name = "Renamed customer"; }),
                        org([](core::Organisation& row) { row.plan = "enterprise"; }));
  const auto group = [group_id](std::function<void(core::Group&)> change) {
    return Edit<core::Group>(
        [group_id](ports::StoreTransaction& tx) { return tx.GetGroup(group_id); }, change,
        [](ports::StoreTransaction& tx, const core::Group& row) { return tx.UpdateGroup(row); });
  };
  ExpectBothChangesKept(*store, group([](core::Group& row) { row.name = "Networking"; }),
                        group([this](core::Group& row) { row.members = {requester_id_}; }));
  // A setting read as absent and created by the other unit meanwhile; then one read with a value.
  const auto append = [](std::string suffix) {
    return Edit<std::optional<std::string>>(
        [](ports::StoreTransaction& tx) { return tx.GetSetting("doc"); },
        [suffix](std::optional<std::string>& value) { value = value.value_or("") + suffix; },
        [](ports::StoreTransaction& tx, const std::optional<std::string>& value) {
          return tx.PutSetting("doc", *value);
        });
  };
  ExpectBothChangesKept(*store, append("a"), append("b"));
  ExpectBothChangesKept(*store, append("c"), append("d"));
  // A visitor confirms a status subscription while unsubscribing from it.
  int64_t subscriber_id = 0;
  ASSERT_TRUE(store
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    ports::StatusSubscriber subscriber;
                    subscriber.address = "visitor@example.com";
                    absl::StatusOr<int64_t> id = tx.InsertStatusSubscriber(subscriber);
                    if (!id.ok()) return id.status();
                    subscriber_id = *id;
                    return absl::OkStatus();
                  })
                  .ok());
  const auto subscriber = [subscriber_id](std::function<void(ports::StatusSubscriber&)> change) {
    return Edit<ports::StatusSubscriber>(
        [subscriber_id](ports::StoreTransaction& tx) {
          return tx.GetStatusSubscriber(subscriber_id);
        },
        change,
        [](ports::StoreTransaction& tx, const ports::StatusSubscriber& row) {
          return tx.UpdateStatusSubscriber(row);
        });
  };
  ExpectBothChangesKept(
      *store,
      subscriber([](ports::StatusSubscriber& row) { row.confirmed_at = absl::FromUnixSeconds(1); }),
      subscriber(
          [](ports::StatusSubscriber& row) { row.unsubscribed_at = absl::FromUnixSeconds(2); }));

  ASSERT_TRUE(store
                  ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                    absl::StatusOr<core::User> user = tx.GetUser(requester_id_);
                    EXPECT_TRUE(user.ok()) << user.status();
                    if (user.ok()) {
                      EXPECT_EQ(user->name, "Renamed");
                      EXPECT_EQ(user->skills, std::vector<std::string>{"network"});
                    }
                    absl::StatusOr<core::Organisation> org = tx.GetOrganisation(org_id_);
                    EXPECT_TRUE(org.ok()) << org.status();
                    if (org.ok()) {
                      EXPECT_EQ(org->name, "Renamed customer");
                      EXPECT_EQ(org->plan, "enterprise");
                    }
                    absl::StatusOr<core::Group> group = tx.GetGroup(group_id);
                    EXPECT_TRUE(group.ok()) << group.status();
                    if (group.ok()) {
                      EXPECT_EQ(group->name, "Networking");
                      EXPECT_EQ(group->members, std::vector<core::UserId>{requester_id_});
                    }
                    absl::StatusOr<std::optional<std::string>> doc = tx.GetSetting("doc");
                    EXPECT_TRUE(doc.ok()) << doc.status();
                    if (doc.ok()) {
                      EXPECT_EQ(doc->value_or("(none)"), "badc");
                    }
                    absl::StatusOr<ports::StatusSubscriber> subscriber =
                        tx.GetStatusSubscriber(subscriber_id);
                    EXPECT_TRUE(subscriber.ok()) << subscriber.status();
                    if (subscriber.ok()) {
                      EXPECT_EQ(subscriber->confirmed_at, absl::FromUnixSeconds(1));
                      EXPECT_EQ(subscriber->unsubscribed_at, absl::FromUnixSeconds(2));
                    }
                    return absl::OkStatus();
                  })
                  .ok());
}

// The units of a batch share what they read of organisations, users and settings. A row kept
// from an earlier unit may be older than the database's: a unit that writes it back must still
// not undo the newer change, and what a failed unit wrote and read back must not reach the
// units after it.
TEST_F(PostgresStoreTest, UnitsOfABatchShareReadsWithoutLosingChanges) {
  auto store = OpenBatchingStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  std::unique_ptr<PgConnection> outside = Connect();
  ASSERT_NE(outside, nullptr);

  WriterGate gate(*store);
  std::atomic<int> first_runs = 0;
  std::promise<absl::Status> first_done;
  store->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        absl::StatusOr<core::Organisation> org = tx.GetOrganisation(org_id_);
        if (!org.ok()) return org.status();
        // Another writer changes the organisation once this unit has read (and kept) it.
        if (first_runs.fetch_add(1) == 0) {
          return outside
              ->Execute("UPDATE organisations SET plan = 'enterprise' WHERE id = $1",
                        PgParams().Add(org_id_))
              .status();
        }
        return absl::OkStatus();
      },
      [&](absl::Status status) { first_done.set_value(status); });
  std::promise<absl::Status> rename_done;
  store->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        absl::StatusOr<core::Organisation> org = tx.GetOrganisation(org_id_);
        if (!org.ok()) return org.status();
        org->name = "Renamed customer";
        return tx.UpdateOrganisation(*org);
      },
      [&](absl::Status status) { rename_done.set_value(status); });
  std::promise<absl::Status> failed_done;
  store->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        absl::StatusOr<std::optional<std::string>> before = tx.GetSetting("doc");
        if (!before.ok()) return before.status();
        if (absl::Status put = tx.PutSetting("doc", "undone"); !put.ok()) return put;
        absl::StatusOr<std::optional<std::string>> after = tx.GetSetting("doc");
        if (!after.ok()) return after.status();
        return absl::FailedPreconditionError("changed my mind");
      },
      [&](absl::Status status) { failed_done.set_value(status); });
  std::optional<std::string> seen;  // by the unit's last run (units may run more than once)
  std::promise<absl::Status> seen_done;
  store->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        absl::StatusOr<std::optional<std::string>> doc = tx.GetSetting("doc");
        if (!doc.ok()) return doc.status();
        seen = doc->value_or("(none)");
        return absl::OkStatus();
      },
      [&](absl::Status status) { seen_done.set_value(status); });
  ASSERT_TRUE(gate.Open().ok());
  EXPECT_TRUE(first_done.get_future().get().ok());
  EXPECT_TRUE(rename_done.get_future().get().ok());
  EXPECT_EQ(failed_done.get_future().get().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(seen_done.get_future().get().ok());
  EXPECT_EQ(seen, "(none)");

  absl::StatusOr<PgResult> org = outside->Execute(
      "SELECT name, plan FROM organisations WHERE id = $1", PgParams().Add(org_id_));
  ASSERT_TRUE(org.ok()) << org.status();
  EXPECT_EQ(org->Text(0, 0), "Renamed customer");
  EXPECT_EQ(org->Text(0, 1), "enterprise");
}

// Units of one batch share FindProvider's answer and ListUsers pages (escalations read the
// provider's staff), and still see what an earlier unit of the batch wrote.
TEST_F(PostgresStoreTest, UnitsOfABatchShareTheStaffListUntilOneChangesIt) {
  auto store = OpenBatchingStore();
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  std::unique_ptr<PgConnection> outside = Connect();
  ASSERT_NE(outside, nullptr);
  ports::UserFilter customers;
  customers.org_id = org_id_;
  customers.page.limit = 200;
  // What each unit saw (its last run): the provider's name and the customer's people.
  std::vector<std::string> seen(4);
  const auto look = [&](ports::StoreTransaction& tx, size_t unit) -> absl::Status {
    absl::StatusOr<std::optional<core::Organisation>> provider = tx.FindProvider();
    if (!provider.ok()) return provider.status();
    absl::StatusOr<ports::Page<core::User>> people = tx.ListUsers(customers);
    if (!people.ok()) return people.status();
    seen[unit] = (*provider ? (*provider)->name : std::string("(none)")) + " /";
    for (const core::User& user : people->items) seen[unit] += " " + user.name;
    return absl::OkStatus();
  };
  WriterGate gate(*store);
  std::vector<std::promise<absl::Status>> done(5);
  store->Write([&](ports::StoreTransaction& tx) { return look(tx, 0); },
               [&](absl::Status status) { done[0].set_value(status); });
  // Committed by another writer after the first unit read: the batch keeps what it read.
  store->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        if (absl::Status status = outside
                                      ->Execute("INSERT INTO organisations (name, kind, plan,"
                                                " shares_cases, time_zone, created_at) VALUES"
                                                " ('Late provider', 'provider', '', false, 'UTC',"
                                                " 0)")
                                      .status();
            !status.ok()) {
          return status;
        }
        return look(tx, 1);
      },
      [&](absl::Status status) { done[1].set_value(status); });
  // Written by a unit of the batch: the units after it see it.
  store->Write(
      [&](ports::StoreTransaction& tx) -> absl::Status {
        core::User user;
        user.email = "second@customer.test";
        user.name = "Second";
        user.role = core::Role::kCustomer;
        user.org_id = org_id_;
        if (absl::StatusOr<core::UserId> added = tx.InsertUser(user); !added.ok()) {
          return added.status();
        }
        core::Organisation provider;
        provider.name = "Provider";
        provider.kind = core::OrgKind::kProvider;
        provider.time_zone = "UTC";
        if (absl::StatusOr<core::OrgId> added = tx.InsertOrganisation(provider); !added.ok()) {
          return added.status();
        }
        return look(tx, 2);
      },
      [&](absl::Status status) { done[2].set_value(status); });
  store->Write([&](ports::StoreTransaction& tx) { return look(tx, 3); },
               [&](absl::Status status) { done[3].set_value(status); });
  ASSERT_TRUE(gate.Open().ok());
  for (size_t i = 0; i < 4; ++i) EXPECT_TRUE(done[i].get_future().get().ok()) << i;
  EXPECT_EQ(seen[0], "(none) / Requester");
  EXPECT_EQ(seen[1], "(none) / Requester");
  EXPECT_EQ(seen[2], "Late provider / Requester Second");
  EXPECT_EQ(seen[3], "Late provider / Requester Second");
}

// Two units on two connections lock two cases in opposite orders. PostgreSQL aborts one of them
// as a deadlock; the store undoes it (releasing its lock), the other finishes, and the loser
// runs again and succeeds. Both with one unit per transaction and with batches.
TEST_F(PostgresStoreTest, AUnitThatLosesADeadlockRunsAgain) {
  for (const size_t batch_units : {size_t{1}, size_t{32}}) {
    SCOPED_TRACE(batch_units);
    PostgresStoreOptions options;
    options.writer_connections = 2;
    options.max_batch_units = batch_units;
    auto store = OpenStore(options);
    ASSERT_NE(store, nullptr);
    if (batch_units == 1) AddRequester(*store);
    core::CaseNumber a = 0, b = 0;
    ASSERT_TRUE(store
                    ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                      if (absl::Status made = CreateCase(tx, "A", &a); !made.ok()) return made;
                      return CreateCase(tx, "B", &b);
                    })
                    .ok());
    std::promise<void> first_locked, second_locked;
    std::shared_future<void> first_holds = first_locked.get_future().share();
    std::shared_future<void> second_holds = second_locked.get_future().share();
    std::atomic<int> runs = 0;
    // Locks `mine`, says so (first run only), waits for the other's lock, then locks `theirs`.
    auto unit = [&](core::CaseNumber mine, core::CaseNumber theirs, std::promise<void>& locked,
                    std::shared_future<void> other_locked) {
      return [&, mine, theirs, other_locked](ports::StoreTransaction& tx) -> absl::Status {
        const bool first_run = runs.fetch_add(1) < 2;
        if (absl::Status got = tx.GetCase(mine).status(); !got.ok()) return got;
        if (first_run) {
          locked.set_value();
          other_locked.wait_for(std::chrono::seconds(10));
        }
        return tx.GetCase(theirs).status();
      };
    };
    std::promise<absl::Status> first_done, second_done;
    store->Write(unit(a, b, first_locked, second_holds),
                 [&](absl::Status status) { first_done.set_value(status); });
    // The first unit occupies one writer before the second is queued, so the second runs on
    // the other connection.
    ASSERT_EQ(first_holds.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    store->Write(unit(b, a, second_locked, first_holds),
                 [&](absl::Status status) { second_done.set_value(status); });
    const absl::Status first = first_done.get_future().get();
    const absl::Status second = second_done.get_future().get();
    EXPECT_TRUE(first.ok()) << first;
    EXPECT_TRUE(second.ok()) << second;
    // Each once, and the deadlock's loser again (more than once when its rerun races the
    // winner's waiting lock request into a second deadlock).
    EXPECT_GE(runs.load(), 3);
  }
}

TEST_F(PostgresStoreTest, ConcurrentWritersOnSeveralConnectionsGetUniqueNumbers) {
  PostgresStoreOptions options;
  options.writer_connections = 4;
  options.max_batch_units = 8;
  auto store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  constexpr int kThreads = 8;
  constexpr int kWrites = 200;
  std::vector<std::vector<core::CaseNumber>> numbers(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        core::CaseNumber number = 0;
        absl::Status status = store->WriteAndWait([&](ports::StoreTransaction& tx) {
          return CreateCase(tx, "thread " + std::to_string(t), &number);
        });
        if (!status.ok()) {
          failures.fetch_add(1);
          continue;
        }
        numbers[t].push_back(number);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<core::CaseNumber> all;
  for (const auto& per_thread : numbers) {
    EXPECT_TRUE(std::is_sorted(per_thread.begin(), per_thread.end()));
    all.insert(per_thread.begin(), per_thread.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kWrites));
  EXPECT_GE(*all.begin(), 100001);
  ports::CaseFilter filter;
  filter.scope.all = true;
  ASSERT_TRUE(store->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                       auto count = tx.CountCases(filter);
                       EXPECT_TRUE(count.ok());
                       if (count.ok()) {
                         EXPECT_EQ(*count, kThreads * kWrites);
                       }
                       return absl::OkStatus();
                     }).ok());
}

TEST_F(PostgresStoreTest, OneUnitPerTransactionKeepsFailingUnitsOut) {
  // Several writer connections, each committing one unit per transaction (no savepoints).
  PostgresStoreOptions options;
  options.writer_connections = 4;
  options.max_batch_units = 1;
  auto store = OpenStore(options);
  ASSERT_NE(store, nullptr);
  AddRequester(*store);
  constexpr int kUnits = 30;
  std::vector<std::promise<absl::Status>> outcomes(kUnits);
  for (int i = 0; i < kUnits; ++i) {
    store->Write(
        [&, i](ports::StoreTransaction& tx) -> absl::Status {
          absl::Status status = tx.PutSetting("unit." + std::to_string(i), "written");
          if (!status.ok()) return status;
          if (i % 3 == 1) return absl::FailedPreconditionError("fails after writing");
          if (i % 3 == 2) {
            core::User duplicate;
            duplicate.email = "REQUESTER@example.com";
            duplicate.name = "dup";
            duplicate.org_id = org_id_;
            return tx.InsertUser(duplicate).status();
          }
          return CreateCase(tx, "unit " + std::to_string(i));
        },
        [&outcomes, i](absl::Status status) { outcomes[i].set_value(std::move(status)); });
  }
  for (int i = 0; i < kUnits; ++i) {
    const absl::Status status = outcomes[i].get_future().get();
    const absl::StatusCode expected = i % 3 == 0   ? absl::StatusCode::kOk
                                      : i % 3 == 1 ? absl::StatusCode::kFailedPrecondition
                                                   : absl::StatusCode::kAlreadyExists;
    EXPECT_EQ(status.code(), expected) << i << ": " << status;
  }
  ASSERT_TRUE(store->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                       for (int i = 0; i < kUnits; ++i) {
                         auto value = tx.GetSetting("unit." + std::to_string(i));
                         EXPECT_TRUE(value.ok());
                         if (value.ok()) {
                           EXPECT_EQ(value->has_value(), i % 3 == 0) << i;
                         }
                       }
                       return absl::OkStatus();
                     }).ok());
}

TEST_F(PostgresStoreTest, BackupPointsToPgDump) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  const absl::Status status = store->Backup("/tmp/never-written.dump");
  EXPECT_EQ(status.code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(std::string(status.message()).find("pg_dump"), std::string::npos);
}

TEST_F(PostgresStoreTest, UnreachableServerIsUnavailable) {
  auto store = PostgresStore::Open("postgresql://casedesk@127.0.0.1:1/none");
  EXPECT_EQ(store.status().code(), absl::StatusCode::kUnavailable);
}

TEST_F(PostgresStoreTest, ListsAreServedByIndexes) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto connection = Connect();
  ASSERT_NE(connection, nullptr);
  // With sequential scans priced out, each list shape must still have an index to walk.
  ASSERT_TRUE(connection->ExecuteScript("SET enable_seqscan = off").ok());
  for (const std::string sql :
       {"EXPLAIN SELECT number FROM cases c WHERE c.status = 'open' ORDER BY number DESC LIMIT 26",
        "EXPLAIN SELECT number FROM cases c WHERE c.org_id = 1 ORDER BY number DESC LIMIT 26",
        "EXPLAIN SELECT number FROM cases c WHERE c.assignee_id = 1 ORDER BY number DESC LIMIT 26",
        "EXPLAIN SELECT number FROM cases c WHERE c.group_id = 1 ORDER BY number DESC LIMIT 26",
        "EXPLAIN SELECT case_number FROM search_parts s"
        " WHERE s.document @@ plainto_tsquery('english', 'disk')"}) {
    auto plan = connection->Execute(sql);
    ASSERT_TRUE(plan.ok()) << plan.status();
    std::string text;
    for (int row = 0; row < plan->rows(); ++row) text += std::string(plan->Text(row, 0)) + "\n";
    EXPECT_EQ(text.find("Seq Scan"), std::string::npos) << sql << "\n" << text;
  }
}

}  // namespace
}  // namespace casedesk::adapters::postgres
