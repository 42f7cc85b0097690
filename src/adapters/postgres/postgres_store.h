// PostgresStore: the Store on a PostgreSQL server (libpq), for desks that outgrow one machine.
// Every write is acknowledged only after COMMIT with synchronous_commit = on, so it survives a
// crash of the server or of this process.
//
// Writes: `writer_connections` writer threads, each owning one connection, take queued units
// of work (up to `max_batch_units` at a time) and run them inside one transaction. A unit alone
// in its transaction runs without a savepoint; in a larger batch each unit runs inside a
// SAVEPOINT (a failing unit is rolled back alone) and the batch commits once. The default is
// one unit per transaction on many connections (tests and tools); `casedesk serve` uses a few
// connections with batches of 32 (store.pg_writers, store.pg_batch_units), which made 2.1-2.4
// times the case creations on 2 cores (docs/PERFORMANCE.md).
// `done` runs only after COMMIT returned with synchronous_commit = on.
// A unit that loses a deadlock to another connection's transaction (PostgreSQL aborts one of
// them; more likely with batches, which hold their row locks until the batch commits) is
// undone, which releases its locks, and run again, up to three times in all.
// Units on different connections run concurrently (as they do across nodes): GetCase in a write
// locks the row, so read-modify-write of a case never loses an update.
// Reads run on the calling thread on a pooled connection inside a REPEATABLE READ READ ONLY
// transaction: one consistent snapshot that never waits for writers. A case read with its
// history (GetCaseWithHistory), an organisation or a page of groups may come from the node's
// PgNodeCaches instead; this node's commits invalidate them before they are answered, other
// nodes' commits through NOTIFY (see pg_node_cache.h for what that promises).
//
// A lost connection fails the units of work in flight with Unavailable and leaves nothing
// half-written (their transaction never commits); the next unit reconnects. Backup is
// Unimplemented: use pg_dump (see Backup()).
//
// Thread-safety: every public method may be called from any thread. `done` callbacks run on a
// writer thread; they must not block waiting for another Write.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/pg_node_caches.h"
#include "adapters/postgres/pg_pool.h"
#include "adapters/store_support/store_metrics.h"
#include "ports/store.h"

namespace casedesk::adapters::postgres {

struct PgCaseNumbers;  // postgres_transaction.h

struct PostgresStoreOptions {
  // Writer threads, each with its own connection (opened on first use). Every node needs
  // writer_connections + max_idle_readers below the server's max_connections.
  size_t writer_connections = 32;
  // Units of work per commit at most. Above 1, each unit is a subtransaction; PostgreSQL tracks
  // up to 64 per transaction cheaply, so larger batches slow every snapshot while they run.
  size_t max_batch_units = 1;
  // Read connections kept open between reads.
  size_t max_idle_readers = 8;
  // Memory for the cases this node has read (PgNodeCaches); 0 reads every case from the
  // server, and organisations and groups too (kept only with the cases).
  size_t case_cache_bytes = size_t{64} << 20;
};

class PostgresStore : public ports::Store {
 public:
  // Connects to `url` (postgresql://user@host:port/database), applies pending migrations and
  // starts the writer threads. Unavailable when the server cannot be reached.
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(const std::string& url,
                                                             PostgresStoreOptions options = {});
  // Finishes every queued write, then stops the writer threads.
  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  void Write(ports::UnitOfWork work, std::function<void(absl::Status)> done) override;
  void WriteWithHints(ports::UnitOfWork work, std::function<void(absl::Status)> done,
                      ports::WriteHints hints) override;
  absl::Status Read(const ports::UnitOfWork& work) override;
  // Unimplemented: a PostgreSQL desk is backed up with PostgreSQL's own tools (pg_dump for a
  // consistent online copy, or base backups with WAL archiving); the message says how.
  absl::Status Backup(const std::string& path) override;
  absl::Status Migrate() override;
  absl::Status Ping() override;
  std::string MetricsText() const override;
  // Every node's commits reach the listener through PostgreSQL's LISTEN/NOTIFY (channel
  // `casedesk_cases`), on a thread of its own that reconnects when the connection is lost.
  void SetCaseChangeListener(CaseChangeListener listener) override;
  // NOTIFY on channel `casedesk_signals`, heard by every node's listener thread.
  void BroadcastSignal(const std::string& signal) override;
  void SetSignalListener(SignalListener listener) override;

  // Schema version applied to the database.
  absl::StatusOr<int> SchemaVersion();

 private:
  struct PendingWrite {
    ports::UnitOfWork work;
    std::function<void(absl::Status)> done;
    ports::WriteHints hints;
  };

  PostgresStore(PostgresStoreOptions options, std::unique_ptr<PgPool> pool);

  void WriterLoop();
  // Runs one batch on `connection` (reconnecting it first when needed).
  void RunBatch(std::unique_ptr<PgConnection>& connection, std::vector<PendingWrite>& batch);
  // BEGIN, unless a transaction is begun already, reconnecting once if the connection turns
  // out to be gone.
  absl::Status BeginBatch(std::unique_ptr<PgConnection>& connection);
  // What a batch's units changed that other readers must hear of after the commit.
  struct BatchChanges {
    std::vector<core::CaseNumber> cases;
    bool organisations = false;
    bool groups = false;
    std::vector<std::string> mail_addresses;  // whose state changed
  };
  // Runs the batch's units in the begun transaction, each in a savepoint if `savepoints` (a
  // unit that loses a deadlock is then undone and run again); without them it stops at the
  // first failing unit. Fills `outcomes` and `changes`; returns the store's own failure.
  absl::Status RunUnits(PgConnection& connection, std::vector<PendingWrite>& batch,
                        std::vector<absl::Status>& outcomes, BatchChanges& changes,
                        PgCaseNumbers& case_numbers, bool savepoints);
  // NOTIFYs every node's listener, inside the batch's transaction, of what it changed.
  absl::Status NotifyChanges(PgConnection& connection, BatchChanges& changes);
  // Runs `work` inside a read transaction on `connection`.
  absl::Status ReadOn(PgConnection& connection, const ports::UnitOfWork& work);

  const PostgresStoreOptions options_;
  std::unique_ptr<PgPool> pool_;
  StoreMetrics metrics_;
  // Null when options_.case_cache_bytes is 0.
  std::unique_ptr<PgNodeCaches> caches_;
  // What the listener and this node's commits do to the caches (no-ops without them).
  void EnableCaches(bool enabled);
  void ForgetChanges(const BatchChanges& changes);

  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::deque<PendingWrite> queue_;  // guarded by queue_mutex_
  bool stopping_ = false;           // guarded by queue_mutex_

  std::vector<std::thread> writer_threads_;  // started last, in the constructor body

  // LISTEN side of live updates (see SetCaseChangeListener).
  void ListenLoop();
  // Starts the listener thread unless it runs (under listen_mutex_).
  void StartListeningLocked();
  std::mutex listen_mutex_;
  CaseChangeListener case_change_listener_;  // guarded by listen_mutex_
  SignalListener signal_listener_;           // guarded by listen_mutex_
  std::atomic<bool> listen_stopping_{false};
  std::thread listen_thread_;  // guarded by listen_mutex_
};

}  // namespace casedesk::adapters::postgres
