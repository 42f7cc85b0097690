// SqliteStore: the embedded Store, one SQLite database file in WAL mode with synchronous=FULL,
// so a write acknowledged through `done` survives kill -9 and power loss.
//
// Writes use group commit: one writer thread owns the write connection; it takes every queued
// unit of work (up to `max_batch_units`), runs them inside one BEGIN IMMEDIATE ... COMMIT, each
// unit inside its own SAVEPOINT when there are several (a failing unit is rolled back alone;
// a lone failing unit rolls back the transaction), and calls every `done`
// after the single durable COMMIT. Concurrent writers therefore share one fsync. Full-text index
// changes of the whole batch are applied once, just before COMMIT (so a unit's own searches do
// not see the text it has just written; every other read of its writes does). Checkpoints run
// on their own thread and connection once the log passes `checkpoint_wal_pages`, so commits
// never wait for checkpoint I/O; past `max_wal_pages` the writer checkpoints between batches
// (waiting for older readers, a short pause for writes) so the log stays bounded.
// Reads run on the calling thread on a pooled read-only connection inside a read transaction,
// which gives a consistent snapshot and never waits for the writer.
//
// Thread-safety: every public method may be called from any thread. `done` callbacks run on the
// writer thread; they must not block waiting for another Write (WriteAndWait inside `done`
// would deadlock).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/sqlite_write_turns.h"
#include "adapters/store_support/store_metrics.h"
#include "ports/store.h"

namespace casedesk::adapters::sqlite {

// The default map: the hot part of a desk's database (case rows, the timers' due index, recent
// events) without letting a large store's whole file become resident (measured in
// docs/PERFORMANCE.md, "The scheduler with 1,000,000 armed deadlines").
inline constexpr int64_t kDefaultMmapBytes = int64_t{64} * 1024 * 1024;

struct SqliteStoreOptions {
  size_t max_batch_units = 256;  // units of work per commit at most
  int busy_timeout_ms = 5000;    // waits for other processes (CLI, backup) holding locks
  size_t max_idle_readers = 8;   // read connections kept open between reads
  // The writer's page cache holds the hot index pages that every case insert touches.
  int writer_cache_kib = 32 * 1024;
  int reader_cache_kib = 8 * 1024;
  int checkpoint_wal_pages = 4096;  // checkpoint once the log holds this many pages
  int max_wal_pages = 16384;        // past this the writer checkpoints between batches
  // Bytes of the database file each connection maps (PRAGMA mmap_size; 0: none, reads copy
  // pages into the connection's own cache). Mapped pages are resident in the process and count
  // towards its RSS (and a container's memory limit) up to this much, on top of the caches.
  int64_t mmap_bytes = kDefaultMmapBytes;
  // For a one-shot command, which shares the file with a server that may be busy: each write
  // transaction first takes its turn from the server (SqliteWriteTurns) instead of racing the
  // server's back-to-back batches for SQLite's lock. A server leaves this off and, before each
  // batch, lets a waiting command go first.
  bool ask_for_write_turns = false;
};

class SqliteStore : public ports::Store {
 public:
  // Opens (creating if needed) the database at `database_path`, applies pending migrations and
  // starts the writer thread.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& database_path,
                                                           SqliteStoreOptions options = {});
  // Finishes every queued write, then stops the writer thread.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  void Write(ports::UnitOfWork work, std::function<void(absl::Status)> done) override;
  absl::Status Read(const ports::UnitOfWork& work) override;
  absl::Status Backup(const std::string& path) override;
  absl::Status Migrate() override;
  absl::Status Ping() override;
  std::string MetricsText() const override;
  // Called on the writer thread after each commit (see ports::Store).
  void SetCaseChangeListener(CaseChangeListener listener) override {
    case_change_listener_ = std::move(listener);
  }

  // Schema version applied to the database file.
  absl::StatusOr<int> SchemaVersion();

 private:
  struct PendingWrite {
    ports::UnitOfWork work;
    std::function<void(absl::Status)> done;
  };

  SqliteStore(std::string path, SqliteStoreOptions options,
              std::unique_ptr<SqliteConnection> writer, SqliteWriteTurns turns);

  void WriterLoop();
  // sqlite3_wal_hook callback on the writer connection, after each commit.
  static int OnWalCommit(void* store, sqlite3* db, const char* database, int wal_pages);
  void RequestCheckpoint(int wal_pages);
  void CheckpointLoop();
  void RunBatch(std::vector<PendingWrite>& batch);
  // Begins the batch's transaction and runs its units, each in a savepoint if `savepoints`;
  // without them it stops at the first failing unit. Fills `outcomes`; returns the store's
  // own failure, if any.
  absl::Status RunUnits(std::vector<PendingWrite>& batch, std::vector<absl::Status>& outcomes,
                        bool savepoints);
  absl::StatusOr<std::unique_ptr<SqliteConnection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<SqliteConnection> reader);

  const std::string path_;
  const SqliteStoreOptions options_;
  std::unique_ptr<SqliteConnection> writer_connection_;  // used only by writer_thread_
  SqliteWriteTurns turns_;                               // used only by writer_thread_
  StoreMetrics metrics_;

  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::deque<PendingWrite> queue_;  // guarded by queue_mutex_
  bool stopping_ = false;           // guarded by queue_mutex_

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // guarded by readers_mutex_

  // Writer thread only: the current batch's index changes, and checkpoint request state.
  std::vector<PendingSearchRow> search_rows_;
  std::vector<core::CaseNumber> changed_cases_;
  CaseChangeListener case_change_listener_;  // set before writes begin
  int last_wal_pages_ = 0;
  int next_checkpoint_at_pages_ = 0;

  // Held while either connection checkpoints. SQLite hands the checkpoint lock to one
  // connection and fails the other at once (no busy handler), so without this the writer's
  // RESTART past `max_wal_pages` could lose to a passive pass again and again and the log grow.
  std::mutex checkpoint_running_;
  std::mutex checkpoint_mutex_;
  std::condition_variable checkpoint_changed_;
  bool checkpoint_wanted_ = false;    // guarded by checkpoint_mutex_
  bool checkpoint_stopping_ = false;  // guarded by checkpoint_mutex_
  std::thread checkpoint_thread_;

  std::thread writer_thread_;  // last: starts after everything above exists
};

}  // namespace casedesk::adapters::sqlite
