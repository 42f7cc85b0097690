// SQLite specifics of SqliteStore: migrations, reopening, backup while writing, group commit,
// kill -9 durability and the append-only audit table. The behaviour every store shares is in
// test/contract/store_contract_test.cc.
#include "adapters/sqlite/sqlite_store.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <set>
#include <string>
#include <mutex>
#include <thread>
#include <vector>

#include "adapters/sqlite/migrations.h"
#include "adapters/sqlite/sqlite_connection.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::adapters::sqlite {
namespace {

using ::testing::HasSubstr;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "sqlite-store-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    path_ = directory_ + "/data/casedesk.db";
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  std::unique_ptr<SqliteStore> OpenStore(const std::string& path) {
    auto store = SqliteStore::Open(path);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  static int64_t QueryInt(const std::string& path, const std::string& sql) {
    auto connection = SqliteConnection::Open(path, ConnectionOptions{.read_only = true});
    EXPECT_TRUE(connection.ok());
    if (!connection.ok()) return -1;
    auto query = (*connection)->Prepare(sql);
    EXPECT_TRUE(query.ok()) << query.status();
    if (!query.ok()) return -1;
    auto row = query->Step();
    EXPECT_TRUE(row.ok() && *row);
    return query->Int(0);
  }

  // Creates an organisation and a requester; returns {org, user}.
  static std::pair<core::OrgId, core::UserId> SeedPeople(ports::Store& store) {
    std::pair<core::OrgId, core::UserId> ids;
    absl::Status status = store.WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
      core::Organisation org;
      org.name = "Customer";
      auto org_id = tx.InsertOrganisation(org);
      if (!org_id.ok()) return org_id.status();
      core::User user;
      user.email = "requester@example.com";
      user.name = "Requester";
      user.org_id = *org_id;
      auto user_id = tx.InsertUser(user);
      if (!user_id.ok()) return user_id.status();
      ids = {*org_id, *user_id};
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return ids;
  }

  // The unit a case creation writes: the case (and its search rows) and its audit event.
  static ports::UnitOfWork CreateCase(core::OrgId org, core::UserId requester,
                                      core::CaseNumber* number_out = nullptr) {
    return [=](ports::StoreTransaction& tx) -> absl::Status {
      auto number = tx.NextCaseNumber();
      if (!number.ok()) return number.status();
      core::Case c;
      c.number = *number;
      c.org_id = org;
      c.requester_id = requester;
      c.subject = "Disk full on server " + std::to_string(*number);
      c.description = "The volume reports no space left.";
      absl::Status status = tx.InsertCase(c);
      if (!status.ok()) return status;
      core::AuditEvent event;
      event.entity = "case";
      event.entity_id = std::to_string(*number);
      event.case_number = *number;
      event.kind = "case.created";
      auto event_id = tx.AppendEvent(event);
      if (!event_id.ok()) return event_id.status();
      if (number_out != nullptr) *number_out = *number;
      return absl::OkStatus();
    };
  }

  std::string directory_;
  std::string path_;
};

TEST_F(SqliteStoreTest, MigrationsAreIdempotentAcrossOpens) {
  { ASSERT_NE(OpenStore(path_), nullptr); }
  auto store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->Migrate().ok());
  EXPECT_TRUE(store->Migrate().ok());
  auto version = store->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, AllMigrations().back().version);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM schema_migrations"),
            static_cast<int64_t>(AllMigrations().size()));
  EXPECT_EQ(QueryInt(path_, "SELECT next_number FROM case_number_sequence"), 100001);
}

TEST_F(SqliteStoreTest, OpensInWalModeWithForeignKeys) {
  auto store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  auto connection = SqliteConnection::Open(path_, ConnectionOptions{});
  ASSERT_TRUE(connection.ok());
  auto mode = (*connection)->Prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode.ok());
  ASSERT_TRUE(mode->Step().value_or(false));
  EXPECT_EQ(mode->Text(0), "wal");
  auto synchronous = (*connection)->Prepare("PRAGMA synchronous");
  ASSERT_TRUE(synchronous.ok());
  ASSERT_TRUE(synchronous->Step().value_or(false));
  EXPECT_EQ(synchronous->Int(0), 2);  // FULL
}

TEST_F(SqliteStoreTest, ReopeningKeepsEveryAcknowledgedWrite) {
  std::set<core::CaseNumber> written;
  {
    auto store = OpenStore(path_);
    ASSERT_NE(store, nullptr);
    auto [org, requester] = SeedPeople(*store);
    for (int i = 0; i < 20; ++i) {
      core::CaseNumber number = 0;
      ASSERT_TRUE(store->WriteAndWait(CreateCase(org, requester, &number)).ok());
      written.insert(number);
    }
  }
  auto store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                for (core::CaseNumber number : written) EXPECT_TRUE(tx.GetCase(number).ok());
                return absl::OkStatus();
              }).ok());
  // The sequence continues after the last number.
  auto [org, requester] = std::pair<core::OrgId, core::UserId>{1, 1};
  core::CaseNumber next = 0;
  ASSERT_TRUE(store->WriteAndWait(CreateCase(org, requester, &next)).ok());
  EXPECT_GT(next, *written.rbegin());
}

TEST_F(SqliteStoreTest, BackupIsConsistentWhileWritesGoOn) {
  auto store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  auto [org, requester] = SeedPeople(*store);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(store->WriteAndWait(CreateCase(org, requester)).ok());

  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, org = org, requester = requester] {
      while (!stop.load()) {
        if (store->WriteAndWait(CreateCase(org, requester)).ok()) written.fetch_add(1);
      }
    });
  }
  while (written.load() < 50) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const std::string backup_path = directory_ + "/backup/copy.db";
  std::filesystem::create_directories(directory_ + "/backup");
  absl::Status backed_up = store->Backup(backup_path);
  stop.store(true);
  for (auto& writer : writers) writer.join();
  ASSERT_TRUE(backed_up.ok()) << backed_up;
  EXPECT_FALSE(std::filesystem::exists(backup_path + ".partial"));

  // Every case in the copy has its event: no unit was copied half-way.
  const int64_t cases = QueryInt(backup_path, "SELECT count(*) FROM cases");
  EXPECT_GE(cases, 250);
  EXPECT_EQ(QueryInt(backup_path, "SELECT count(*) FROM events WHERE kind = 'case.created'"), cases);
  EXPECT_EQ(QueryInt(backup_path, "SELECT count(*) FROM search_parts"), 2 * cases);
  EXPECT_EQ(QueryInt(backup_path, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);

  // The copy opens as a store of its own.
  auto copy = OpenStore(backup_path);
  ASSERT_NE(copy, nullptr);
  ports::CaseFilter filter;
  filter.scope.all = true;
  ASSERT_TRUE(copy->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                auto count = tx.CountCases(filter);
                EXPECT_TRUE(count.ok());
                if (count.ok()) {
                  EXPECT_EQ(*count, cases);
                }
                return absl::OkStatus();
              }).ok());
}

int64_t MetricValue(const std::string& text, const std::string& name) {
  const size_t at = text.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stoll(text.substr(at + name.size() + 2));
}

TEST_F(SqliteStoreTest, ConcurrentWritersShareCommits) {
  auto store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  auto [org, requester] = SeedPeople(*store);
  const int64_t units_before = MetricValue(store->MetricsText(), "casedesk_store_units_total");
  const int64_t batches_before = MetricValue(store->MetricsText(), "casedesk_store_batches_total");
  constexpr int kThreads = 32;
  constexpr int kWrites = 20;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, org = org, requester = requester] {
      for (int i = 0; i < kWrites; ++i) {
        if (!store->WriteAndWait(CreateCase(org, requester)).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  const std::string metrics = store->MetricsText();
  const int64_t units = MetricValue(metrics, "casedesk_store_units_total") - units_before;
  const int64_t batches = MetricValue(metrics, "casedesk_store_batches_total") - batches_before;
  EXPECT_EQ(units, kThreads * kWrites);
  EXPECT_LT(batches, units / 2) << "group commit should put several units in one commit";
  EXPECT_THAT(metrics, HasSubstr("casedesk_store_commit_seconds_bucket{le=\"+Inf\"}"));
  EXPECT_THAT(metrics, HasSubstr("# TYPE casedesk_store_batch_size histogram"));
}

// A server writing batch after batch leaves SQLite's lock free only between a COMMIT and the
// next BEGIN; a command's write (another store on the same file) gets its turn instead of
// racing for that moment and timing out. Here each of the server's units holds the lock for a
// millisecond, so its batches take tens of milliseconds with microseconds between them: without
// `ask_for_write_turns`, three to five of the command's ten writes timed out in every run.
TEST_F(SqliteStoreTest, ACommandsWritesGetTheirTurnFromABusyServer) {
  auto server = OpenStore(path_);
  ASSERT_NE(server, nullptr);
  std::atomic<bool> stop{false};
  std::atomic<int> server_writes{0};
  std::vector<std::thread> load;
  for (int t = 0; t < 32; ++t) {
    load.emplace_back([&, t] {
      while (!stop.load()) {
        absl::Status written = server->WriteAndWait([t](ports::StoreTransaction& tx) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
          return tx.PutSetting("load." + std::to_string(t), "busy");
        });
        if (written.ok()) server_writes.fetch_add(1);
      }
    });
  }
  SqliteStoreOptions options;
  options.busy_timeout_ms = 1000;  // far longer than one of the server's batches
  options.ask_for_write_turns = true;
  auto command = SqliteStore::Open(path_, options);
  ASSERT_TRUE(command.ok()) << command.status();
  while (server_writes.load() < 100) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  constexpr int kCommandWrites = 10;
  const int before = server_writes.load();
  std::vector<absl::Status> failures;
  for (int i = 0; i < kCommandWrites; ++i) {
    absl::Status written = (*command)->WriteAndWait([i](ports::StoreTransaction& tx) {
      return tx.PutSetting("command." + std::to_string(i), "written");
    });
    if (!written.ok()) failures.push_back(written);
  }
  const int after = server_writes.load();
  stop = true;
  for (auto& thread : load) thread.join();
  EXPECT_TRUE(failures.empty()) << failures.size() << " failed, e.g. " << failures[0];
  EXPECT_GT(after, before);  // the server wrote between the command's turns too
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM settings WHERE key LIKE 'command.%'"),
            kCommandWrites);
}

TEST_F(SqliteStoreTest, BackgroundCheckpointsKeepTheLogBounded) {
  SqliteStoreOptions options;
  options.checkpoint_wal_pages = 64;
  options.max_wal_pages = 256;
  auto opened = SqliteStore::Open(path_, options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<SqliteStore> store = std::move(*opened);
  const auto [org, requester] = SeedPeople(*store);
  // A reader holding one snapshot open for a while keeps passive checkpoints from finishing.
  std::atomic<bool> stop_reading{false};
  std::thread reader([&] {
    while (!stop_reading) {
      store->Read([&](ports::StoreTransaction& tx) -> absl::Status {
             std::this_thread::sleep_for(std::chrono::milliseconds(20));
             return tx.GetOrganisation(org).status();
           })
          .IgnoreError();
    }
  });
  uintmax_t largest_log = 0;
  constexpr int kCommits = 2000;
  for (int i = 0; i < kCommits; ++i) {
    ASSERT_TRUE(store->WriteAndWait(CreateCase(org, requester)).ok());
    std::error_code ignored;
    largest_log = std::max(largest_log, std::filesystem::file_size(path_ + "-wal", ignored));
  }
  stop_reading = true;
  reader.join();
  EXPECT_THAT(store->MetricsText(), HasSubstr("casedesk_store_checkpoints_total"));
  EXPECT_THAT(store->MetricsText(), ::testing::Not(HasSubstr("casedesk_store_checkpoints_total 0\n")));
  // Without checkpoints 2,000 commits (each writes several pages: the case, its index entries,
  // search rows, the event) would leave over 8,000 pages in the log. With them the log stays
  // within a few times max_wal_pages: commits that land while a checkpoint waits for the
  // reader's snapshot still append, and on a loaded CI machine that has reached 2.5 x.
  const uintmax_t page_size = static_cast<uintmax_t>(QueryInt(path_, "PRAGMA page_size"));
  EXPECT_LT(largest_log, 6 * 256 * (page_size + 24) + 32);
  store.reset();
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM cases"), kCommits);
}

TEST_F(SqliteStoreTest, TheChangeListenerHearsCommittedCasesOnly) {
  auto opened = SqliteStore::Open(path_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<SqliteStore> store = std::move(*opened);
  std::mutex mutex;
  std::vector<std::vector<core::CaseNumber>> heard;
  store->SetCaseChangeListener([&](const std::vector<core::CaseNumber>& numbers) {
    std::lock_guard lock(mutex);
    heard.push_back(numbers);
  });
  const auto [org, requester] = SeedPeople(*store);
  core::CaseNumber kept = 0;
  ASSERT_TRUE(store->WriteAndWait(CreateCase(org, requester, &kept)).ok());
  // A unit that fails after inserting a case: nothing of it is kept, nothing is heard.
  ports::UnitOfWork create = CreateCase(org, requester);
  EXPECT_FALSE(store
                   ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                     absl::Status created = create(tx);
                     if (!created.ok()) return created;
                     return absl::FailedPreconditionError("changed my mind");
                   })
                   .ok());
  std::lock_guard lock(mutex);
  // The seed wrote no case; the kept case is heard once although it was inserted and got an
  // event in the same unit.
  ASSERT_EQ(heard.size(), 1u);
  EXPECT_EQ(heard[0], std::vector<core::CaseNumber>{kept});
}

// Units queued together share one transaction without savepoints; when one of them fails, the
// batch is undone and run again with a savepoint per unit: the failing unit leaves nothing, the
// others are kept once each, and the listener hears only what was kept.
TEST_F(SqliteStoreTest, AFailingUnitInABatchIsUndoneAloneAndTheOthersAreKeptOnce) {
  auto opened = SqliteStore::Open(path_);
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::unique_ptr<SqliteStore> store = std::move(*opened);
  std::mutex mutex;
  std::vector<core::CaseNumber> heard;
  store->SetCaseChangeListener([&](const std::vector<core::CaseNumber>& numbers) {
    std::lock_guard lock(mutex);
    heard.insert(heard.end(), numbers.begin(), numbers.end());
  });
  const auto [org, requester] = SeedPeople(*store);

  // A first unit holds the writer until the rest are queued, so they form one batch.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> holding;
  std::promise<absl::Status> first_done;
  store->Write(
      [&, released](ports::StoreTransaction&) -> absl::Status {
        holding.set_value();
        released.wait();
        return absl::OkStatus();
      },
      [&](absl::Status status) { first_done.set_value(status); });
  holding.get_future().wait();

  constexpr int kUnits = 9;
  constexpr int kFailing = 4;
  std::vector<core::CaseNumber> numbers(kUnits, 0);
  std::vector<std::promise<absl::Status>> outcomes(kUnits);
  std::atomic<int> runs{0};
  for (int i = 0; i < kUnits; ++i) {
    ports::UnitOfWork create = CreateCase(org, requester, &numbers[i]);
    store->Write(
        [&runs, create, failing = i == kFailing](ports::StoreTransaction& tx) -> absl::Status {
          runs.fetch_add(1);
          absl::Status created = create(tx);
          if (!created.ok()) return created;
          if (failing) return absl::FailedPreconditionError("changed my mind");
          return absl::OkStatus();
        },
        [&outcomes, i](absl::Status status) { outcomes[i].set_value(status); });
  }
  release.set_value();
  ASSERT_TRUE(first_done.get_future().get().ok());
  std::set<core::CaseNumber> kept;
  for (int i = 0; i < kUnits; ++i) {
    absl::Status status = outcomes[i].get_future().get();
    if (i == kFailing) {
      EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
    } else {
      EXPECT_TRUE(status.ok()) << i << ": " << status;
      kept.insert(numbers[i]);
    }
  }
  // The units before the failing one ran twice, the failing one twice, the rest once.
  EXPECT_EQ(runs.load(), kUnits + kFailing + 1);
  EXPECT_EQ(kept.size(), static_cast<size_t>(kUnits - 1));
  store.reset();
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM cases"), kUnits - 1);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM events WHERE kind = 'case.created'"), kUnits - 1);
  EXPECT_EQ(QueryInt(
                path_, "SELECT count(*) FROM cases WHERE number NOT IN (" +
                           [&] {
                             std::string list;
                             for (core::CaseNumber number : kept) {
                               list += (list.empty() ? "" : ",") + std::to_string(number);
                             }
                             return list;
                           }() +
                           ")"),
            0);
  std::lock_guard lock(mutex);
  EXPECT_EQ(std::set<core::CaseNumber>(heard.begin(), heard.end()), kept);
  EXPECT_EQ(heard.size(), kept.size());
}

TEST_F(SqliteStoreTest, AcknowledgedWritesSurviveKill9) {
  int pipe_ends[2];
  ASSERT_EQ(pipe(pipe_ends), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The child writes as fast as it can and reports each acknowledged case number.
    close(pipe_ends[0]);
    auto store = SqliteStore::Open(path_);
    if (!store.ok()) _exit(2);
    auto [org, requester] = SeedPeople(**store);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&, org = org, requester = requester] {
        while (true) {
          (*store)->Write(CreateCase(org, requester), [](absl::Status) {});
          core::CaseNumber number = 0;
          if ((*store)->WriteAndWait(CreateCase(org, requester, &number)).ok()) {
            if (write(pipe_ends[1], &number, sizeof(number)) != sizeof(number)) _exit(3);
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
    _exit(0);
  }
  close(pipe_ends[1]);
  std::vector<core::CaseNumber> acknowledged;
  core::CaseNumber number = 0;
  while (acknowledged.size() < 300 && read(pipe_ends[0], &number, sizeof(number)) == sizeof(number)) {
    acknowledged.push_back(number);
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  // Numbers written to the pipe before the kill are acknowledged too.
  while (read(pipe_ends[0], &number, sizeof(number)) == sizeof(number)) acknowledged.push_back(number);
  close(pipe_ends[0]);
  ASSERT_GE(acknowledged.size(), 300u);

  auto store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                for (core::CaseNumber acked : acknowledged) {
                  EXPECT_TRUE(tx.GetCase(acked).ok()) << acked;
                }
                return absl::OkStatus();
              }).ok());
}

TEST_F(SqliteStoreTest, AuditEventsAndCasesCannotBeRemoved) {
  auto store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  auto [org, requester] = SeedPeople(*store);
  ASSERT_TRUE(store->WriteAndWait(CreateCase(org, requester)).ok());
  store.reset();
  auto connection = SqliteConnection::Open(path_, ConnectionOptions{});
  ASSERT_TRUE(connection.ok());
  EXPECT_FALSE((*connection)->Execute("UPDATE events SET kind = 'forged'").ok());
  EXPECT_FALSE((*connection)->Execute("DELETE FROM events").ok());
  EXPECT_FALSE((*connection)->Execute("DELETE FROM cases").ok());
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM events"), 1);
}

TEST_F(SqliteStoreTest, ClosingFinishesQueuedWrites) {
  auto store = OpenStore(path_);
  ASSERT_NE(store, nullptr);
  auto [org, requester] = SeedPeople(*store);
  // Queue writes and close at once: the destructor finishes every queued write.
  std::atomic<int> succeeded{0};
  for (int i = 0; i < 100; ++i) {
    store->Write(CreateCase(org, requester), [&](absl::Status status) {
      if (status.ok()) succeeded.fetch_add(1);
    });
  }
  store.reset();
  EXPECT_EQ(succeeded.load(), 100);
  EXPECT_EQ(QueryInt(path_, "SELECT count(*) FROM cases"), 100);
}

}  // namespace
}  // namespace casedesk::adapters::sqlite
