#include "adapters/postgres/postgres_store.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <string_view>
#include <utility>

#include "adapters/postgres/migrations.h"
#include "adapters/postgres/postgres_transaction.h"

namespace casedesk::adapters::postgres {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

absl::Status Unavailable(std::string_view what, const absl::Status& cause) {
  return absl::UnavailableError(std::string(what) + ": " + std::string(cause.message()));
}

// The savepoint commands between units travel in one round trip.
constexpr char kBegin[] = "BEGIN ISOLATION LEVEL READ COMMITTED";
// After a one-unit transaction commits, the next one begins in the same round trip. A BEGIN
// with no statement yet holds no snapshot and no transaction id, so an idle writer in it
// blocks nothing.
constexpr char kCommitAndBegin[] = "COMMIT; BEGIN ISOLATION LEVEL READ COMMITTED";
// A batch in which a unit failed runs again from the start, with a savepoint per unit.
constexpr char kRestartWithSavepoint[] =
    "ROLLBACK; BEGIN ISOLATION LEVEL READ COMMITTED; SAVEPOINT unit_of_work";
constexpr char kNextUnit[] = "RELEASE SAVEPOINT unit_of_work; SAVEPOINT unit_of_work";
// ROLLBACK TO keeps the savepoint, ready for the next unit.
constexpr char kUndoUnit[] = "ROLLBACK TO SAVEPOINT unit_of_work";
constexpr char kBeginRead[] = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
// Runs of a unit of work that keeps losing deadlocks before it fails (units may run more than
// once: see app/store_calls.h).
constexpr int kUnitAttempts = 3;

// NOTIFY payloads: comma-separated case numbers, each under PostgreSQL's 8,000-byte limit.
std::vector<std::string> ChangedCasesPayloads(std::vector<core::CaseNumber>& numbers) {
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  std::vector<std::string> payloads(1);
  for (core::CaseNumber number : numbers) {
    if (payloads.back().size() > 7000) payloads.emplace_back();
    if (!payloads.back().empty()) payloads.back() += ',';
    payloads.back() += std::to_string(number);
  }
  return payloads;
}

// The payload on `casedesk_cases` that says an organisation changed (cached case reads hold
// their organisation). ParseChangedCases skips it, so live pages do not hear of it.
constexpr char kOrganisationsChanged[] = "organisations";
// The same when a group changed (PgNodeCaches keeps pages of groups).
constexpr char kGroupsChanged[] = "groups";
// Followed by an address whose mail-address state changed (PgNodeCaches keeps them).
constexpr std::string_view kMailAddressChanged = "mail_address:";

// Anything that is not a positive number is skipped: the channel is ours, but a payload is
// input all the same.
std::vector<core::CaseNumber> ParseChangedCases(std::string_view payload) {
  std::vector<core::CaseNumber> numbers;
  while (!payload.empty()) {
    const size_t comma = std::min(payload.find(','), payload.size());
    int64_t number = 0;
    const auto [end, error] = std::from_chars(payload.data(), payload.data() + comma, number);
    if (error == std::errc() && end == payload.data() + comma && number > 0) {
      numbers.push_back(number);
    }
    payload.remove_prefix(std::min(comma + 1, payload.size()));
  }
  return numbers;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                                   PostgresStoreOptions options) {
  if (options.writer_connections == 0) options.writer_connections = 1;
  if (options.max_batch_units == 0) options.max_batch_units = 1;
  auto pool = std::make_unique<PgPool>(url, options.max_idle_readers);
  {
    absl::StatusOr<PgLease> lease = pool->Acquire();
    if (!lease.ok()) return lease.status();
    absl::Status migrated = ApplyMigrations(**lease);
    if (!migrated.ok()) return migrated;
  }
  return std::unique_ptr<PostgresStore>(new PostgresStore(options, std::move(pool)));
}

PostgresStore::PostgresStore(PostgresStoreOptions options, std::unique_ptr<PgPool> pool)
    : options_(options), pool_(std::move(pool)) {
  if (options_.case_cache_bytes > 0) {
    // Enabled by the listener once it hears every node's commits.
    caches_ = std::make_unique<PgNodeCaches>(options_.case_cache_bytes);
    std::lock_guard<std::mutex> lock(listen_mutex_);
    StartListeningLocked();
  }
  for (size_t i = 0; i < options_.writer_connections; ++i) {
    writer_threads_.emplace_back([this] { WriterLoop(); });
  }
}

PostgresStore::~PostgresStore() {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_all();
  for (std::thread& thread : writer_threads_) thread.join();
  listen_stopping_ = true;
  std::thread listener;
  {
    std::lock_guard<std::mutex> lock(listen_mutex_);
    listener.swap(listen_thread_);
  }
  if (listener.joinable()) listener.join();
}

void PostgresStore::SetCaseChangeListener(CaseChangeListener listener) {
  std::lock_guard<std::mutex> lock(listen_mutex_);
  case_change_listener_ = std::move(listener);
  StartListeningLocked();
}

void PostgresStore::SetSignalListener(SignalListener listener) {
  std::lock_guard<std::mutex> lock(listen_mutex_);
  signal_listener_ = std::move(listener);
  StartListeningLocked();
}

void PostgresStore::StartListeningLocked() {
  if (!listen_thread_.joinable()) listen_thread_ = std::thread([this] { ListenLoop(); });
}

void PostgresStore::BroadcastSignal(const std::string& signal) {
  absl::StatusOr<PgLease> lease = pool_->Acquire();
  if (!lease.ok()) return;  // best effort: the listeners' caches expire on their own
  (*lease)
      ->Execute("SELECT pg_notify('casedesk_signals', $1)", PgParams().Add(signal))
      .IgnoreError();
}

void PostgresStore::ListenLoop() {
  std::unique_ptr<PgConnection> connection;
  while (!listen_stopping_) {
    if (connection == nullptr) {
      absl::StatusOr<std::unique_ptr<PgConnection>> opened = pool_->Connect();
      if (!opened.ok() ||
          !(*opened)->ExecuteScript("LISTEN casedesk_cases; LISTEN casedesk_signals").ok()) {
        std::this_thread::sleep_for(std::chrono::seconds(1));  // the server may be restarting
        continue;
      }
      connection = std::move(*opened);
      // From here on every commit that changes a case is heard of.
      EnableCaches(true);
    }
    absl::StatusOr<std::vector<PgConnection::Notification>> notifications =
        connection->WaitForNotifications(std::chrono::milliseconds(250));
    if (!notifications.ok()) {
      // Commits made until the listener is back would go unheard.
      EnableCaches(false);
      connection.reset();
      continue;
    }
    CaseChangeListener cases;
    SignalListener signals;
    {
      std::lock_guard<std::mutex> lock(listen_mutex_);
      cases = case_change_listener_;
      signals = signal_listener_;
    }
    for (const PgConnection::Notification& notification : *notifications) {
      if (notification.channel == "casedesk_signals") {
        if (signals) signals(notification.payload);
        continue;
      }
      if (notification.payload == kOrganisationsChanged || notification.payload == kGroupsChanged) {
        ForgetChanges({.organisations = notification.payload == kOrganisationsChanged,
                       .groups = notification.payload == kGroupsChanged});
        continue;
      }
      if (notification.payload.starts_with(kMailAddressChanged)) {
        ForgetChanges(
            {.mail_addresses = {notification.payload.substr(kMailAddressChanged.size())}});
        continue;
      }
      std::vector<core::CaseNumber> numbers = ParseChangedCases(notification.payload);
      if (caches_ != nullptr) caches_->cases.Invalidate(numbers);
      if (!numbers.empty() && cases) cases(numbers);
    }
  }
  EnableCaches(false);
}

void PostgresStore::EnableCaches(bool enabled) {
  if (caches_ != nullptr) caches_->SetEnabled(enabled);
}

void PostgresStore::ForgetChanges(const BatchChanges& changes) {
  if (caches_ == nullptr) return;
  caches_->cases.Invalidate(changes.cases);
  // A cached case holds its organisation.
  if (changes.organisations) {
    caches_->organisations.Clear();
    caches_->cases.Clear();
  }
  if (changes.groups) caches_->group_pages.Clear();
  caches_->mail_addresses.Invalidate(changes.mail_addresses);
}

void PostgresStore::Write(ports::UnitOfWork work, std::function<void(absl::Status)> done) {
  WriteWithHints(std::move(work), std::move(done), {});
}

void PostgresStore::WriteWithHints(ports::UnitOfWork work, std::function<void(absl::Status)> done,
                                   ports::WriteHints hints) {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(PendingWrite{std::move(work), std::move(done), hints});
      queue_changed_.notify_one();
      return;
    }
  }
  done(absl::UnavailableError("the store is closing"));
}

void PostgresStore::WriterLoop() {
  std::unique_ptr<PgConnection> connection;  // opened on the first batch, reopened when lost
  std::vector<PendingWrite> batch;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(queue_mutex_);
      queue_changed_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every queued write is done
      while (!queue_.empty() && batch.size() < options_.max_batch_units) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      // Another writer can take what is left while this batch runs.
      if (!queue_.empty()) queue_changed_.notify_one();
    }
    RunBatch(connection, batch);
    batch.clear();
  }
}

absl::Status PostgresStore::BeginBatch(std::unique_ptr<PgConnection>& connection) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    // Usually begun already, when the previous one-unit transaction committed.
    if (connection != nullptr && connection->InOpenTransaction() && connection->CheckHealthy()) {
      return absl::OkStatus();
    }
    if (connection != nullptr && connection->IsHealthy() && connection->InTransaction()) {
      connection->ExecuteScript("ROLLBACK").IgnoreError();
    }
    if (connection == nullptr || !connection->CheckHealthy()) {
      connection.reset();
      absl::StatusOr<std::unique_ptr<PgConnection>> opened = pool_->Connect();
      if (!opened.ok()) return opened.status();
      connection = std::move(*opened);
    }
    absl::Status begun = connection->ExecuteScript(kBegin);
    if (begun.ok()) return begun;
    // A connection that died while idle (server restart) is found here; no unit has run yet,
    // so one fresh connection may try again.
    if (connection->IsHealthy()) {
      if (connection->InTransaction()) connection->ExecuteScript("ROLLBACK").IgnoreError();
      return begun;
    }
    connection.reset();
    if (attempt == 1) return begun;
  }
  return absl::UnavailableError("cannot begin a write transaction");
}

absl::Status PostgresStore::RunUnits(PgConnection& connection, std::vector<PendingWrite>& batch,
                                     std::vector<absl::Status>& outcomes, BatchChanges& changes,
                                     PgCaseNumbers& case_numbers, bool savepoints) {
  const bool alone = batch.size() == 1;
  // What each unit and the units after it will take (PgCaseNumbers::wanted).
  std::vector<int> numbers_wanted(batch.size() + 1, 0);
  for (size_t i = batch.size(); i-- > 0;) {
    numbers_wanted[i] = numbers_wanted[i + 1] + std::max(batch[i].hints.case_numbers, 0);
  }
  std::vector<core::CaseNumber>& changed_cases = changes.cases;
  changed_cases.clear();
  changes.mail_addresses.clear();
  for (absl::Status& outcome : outcomes) outcome = absl::OkStatus();
  PgReadCache read_cache;  // for this run of the units; a rerun starts afresh
  absl::Status batch_failure;
  for (size_t i = 0; i < batch.size() && batch_failure.ok(); ++i) {
    if (savepoints && i > 0) {
      batch_failure = connection.ExecuteScript(outcomes[i - 1].ok() ? kNextUnit : kUndoUnit);
      if (!batch_failure.ok()) break;
    }
    const size_t changed_before = changed_cases.size();
    case_numbers.wanted = numbers_wanted[i];
    for (int attempt = 1;; ++attempt) {
      connection.ForgetLostRace();
      PostgresTransaction transaction(connection, TransactionMode::kReadWrite,
                                      {.changed_cases = &changed_cases,
                                       .organisations_changed = &changes.organisations,
                                       .groups_changed = &changes.groups,
                                       .mail_addresses_changed = &changes.mail_addresses,
                                       .queue_writes = true,
                                       .read_cache = &read_cache,
                                       .mail_address_cache = caches_.get(),
                                       .case_numbers = &case_numbers});
      outcomes[i] = batch[i].work(transaction);
      // With savepoints (or alone), the unit's queued writes are sent now, so their errors
      // are this unit's and it can run again after a deadlock. Without, they travel with the
      // next unit's first wait, or at the end (below): a batch of units that wait for nothing
      // is then a round trip or two. A failed unit is undone anyway (without savepoints,
      // with the whole run), so what is queued need not be sent.
      if (!outcomes[i].ok()) {
        connection.DropQueued();
      } else if (savepoints || alone) {
        outcomes[i] = connection.FlushQueued();
      }
      // A unit that carried on after a failed statement cannot keep anything.
      if (outcomes[i].ok() && connection.InFailedTransaction()) {
        outcomes[i] = absl::UnavailableError("a statement of this unit of work failed");
      }
      if (!outcomes[i].ok()) {
        changed_cases.resize(changed_before);
        read_cache.Clear();  // what it read may include its own writes, now to be undone
      }
      if (outcomes[i].ok() || !connection.LostRace()) break;
      if (!alone && !savepoints) break;  // the batch runs again, with savepoints
      // A deadlock with another writer's open batch: undoing this unit releases its locks, so
      // the other batch can finish, and the unit runs again.
      if (attempt == kUnitAttempts) {
        outcomes[i] = Unavailable("write lost to a concurrent one", outcomes[i]);
        break;
      }
      batch_failure = connection.ExecuteScript(alone ? "ROLLBACK; " + std::string(kBegin)
                                                     : std::string(kUndoUnit));
      if (!batch_failure.ok()) break;
      // Let the winner's waiting lock request go first, or the rerun may race it into a
      // second deadlock.
      std::this_thread::sleep_for(std::chrono::milliseconds(2 * attempt));
    }
    if (!savepoints && !outcomes[i].ok()) break;
  }
  if (batch_failure.ok() && connection.queued() > 0) {
    // Only without savepoints, for more than one unit, and the last one succeeded.
    absl::Status flushed = connection.FlushQueued();
    if (!flushed.ok() && !connection.IsHealthy()) return flushed;
    // Which unit's write failed is known only with a savepoint each: the run fails as that
    // unit's would, and the batch runs again with them.
    if (!flushed.ok()) outcomes.back() = flushed;
  }
  return batch_failure;
}

void PostgresStore::RunBatch(std::unique_ptr<PgConnection>& connection,
                             std::vector<PendingWrite>& batch) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<absl::Status> outcomes(batch.size());
  BatchChanges changes;
  const bool alone = batch.size() == 1;
  // First the units together, without savepoints: a savepoint is a round trip and a
  // subtransaction per unit. Units rarely fail; when one does (or loses a deadlock), the batch
  // is undone and runs again with a savepoint per unit, so the failing unit is undone alone.
  // Units may run more than once (see app/store_calls.h).
  PgCaseNumbers case_numbers;
  absl::Status batch_failure = BeginBatch(connection);
  if (batch_failure.ok()) {
    batch_failure =
        RunUnits(*connection, batch, outcomes, changes, case_numbers, /*savepoints=*/false);
  }
  const bool unit_failed = std::any_of(outcomes.begin(), outcomes.end(),
                                       [](const absl::Status& outcome) { return !outcome.ok(); });
  if (batch_failure.ok() && unit_failed && !alone) {
    batch_failure = connection->ExecuteScript(kRestartWithSavepoint);
    if (batch_failure.ok()) {
      batch_failure =
          RunUnits(*connection, batch, outcomes, changes, case_numbers, /*savepoints=*/true);
    }
  }
  if (batch_failure.ok() && alone && !outcomes.back().ok()) {
    // Nothing to commit: roll back and report the unit's own error.
    absl::Status rolled_back = connection->ExecuteScript("ROLLBACK; " + std::string(kBegin));
    metrics_.RecordBatch(1, 1, SecondsSince(start), /*committed=*/true);
    if (!rolled_back.ok() && outcomes[0].code() != absl::StatusCode::kUnavailable) {
      outcomes[0] = Unavailable("write not rolled back", rolled_back);
    }
    if (batch[0].done) batch[0].done(std::move(outcomes[0]));
    return;
  }
  if (batch_failure.ok() && !batch.empty() && !outcomes.back().ok()) {
    batch_failure = connection->ExecuteScript(kUndoUnit);
  }
  if (batch_failure.ok() && !connection->IsHealthy()) {
    batch_failure = absl::UnavailableError("lost the connection to PostgreSQL");
  }
  // Live pages and case caches on every node hear of the changes when (and only if) this
  // commits.
  if (batch_failure.ok()) batch_failure = NotifyChanges(*connection, changes);
  if (batch_failure.ok()) {
    batch_failure = connection->ExecuteScript(alone ? kCommitAndBegin : "COMMIT");
  }
  // COMMIT of an aborted transaction "succeeds" as a rollback: make sure it committed (a
  // one-unit commit leaves the next transaction begun, nothing else).
  if (batch_failure.ok() && !alone && connection->InTransaction()) {
    batch_failure = absl::UnavailableError("the transaction did not commit");
  }

  size_t failed_units = 0;
  if (!batch_failure.ok()) {
    if (connection != nullptr && connection->IsHealthy() && connection->InTransaction()) {
      connection->ExecuteScript("ROLLBACK").IgnoreError();
    }
    const absl::Status unavailable = Unavailable("write batch not committed", batch_failure);
    for (absl::Status& outcome : outcomes) outcome = unavailable;
    failed_units = batch.size();
  } else {
    for (const absl::Status& outcome : outcomes) failed_units += outcome.ok() ? 0 : 1;
  }
  metrics_.RecordBatch(batch.size(), failed_units, SecondsSince(start), batch_failure.ok());
  // Before anyone hears of the commit, so this node reads its own writes. Also after a failure:
  // a COMMIT whose answer was lost may have committed.
  ForgetChanges(changes);
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(std::move(outcomes[i]));
  }
}

absl::Status PostgresStore::NotifyChanges(PgConnection& connection, BatchChanges& changes) {
  std::vector<std::string> payloads;
  if (!changes.cases.empty()) payloads = ChangedCasesPayloads(changes.cases);
  if (changes.organisations) payloads.emplace_back(kOrganisationsChanged);
  if (changes.groups) payloads.emplace_back(kGroupsChanged);
  std::sort(changes.mail_addresses.begin(), changes.mail_addresses.end());
  changes.mail_addresses.erase(
      std::unique(changes.mail_addresses.begin(), changes.mail_addresses.end()),
      changes.mail_addresses.end());
  for (const std::string& address : changes.mail_addresses) {
    payloads.push_back(std::string(kMailAddressChanged) + address);
  }
  // One round trip for all of them (a batch that sent mail may have changed many addresses).
  std::vector<PgStatement> notifies;
  for (const std::string& payload : payloads) {
    notifies.push_back({"SELECT pg_notify('casedesk_cases', $1)", PgParams().Add(payload)});
  }
  if (notifies.empty()) return absl::OkStatus();
  return connection.ExecuteTogether(notifies).status();
}

// A read costs the unit's statements and nothing more: BEGIN travels with the first statement
// (one pipeline) and COMMIT is sent without waiting for its answer, which the next user of the
// connection reads (a read-only transaction has nothing to lose at COMMIT).
absl::Status PostgresStore::ReadOn(PgConnection& connection, const ports::UnitOfWork& work) {
  // Taken before the transaction's first statement (see PgNodeCache::Put).
  const PgCachedReads cached{.caches = caches_.get(),
                             .epoch = caches_ != nullptr ? caches_->Epoch() : 0};
  connection.SendBeforeNextStatement(kBeginRead);
  absl::Status outcome;
  {
    PostgresTransaction transaction(connection, TransactionMode::kReadOnly, {}, cached);
    outcome = work(transaction);
  }
  if (connection.TakeUnsentCommand()) return outcome;  // no statement ran: no transaction
  absl::Status ended = connection.InFailedTransaction() ? connection.ExecuteScript("ROLLBACK")
                                                        : connection.SendWithoutWaiting("COMMIT");
  if (!outcome.ok()) return outcome;
  return ended.ok() ? ended : Unavailable("cannot end a read", ended);
}

absl::Status PostgresStore::Read(const ports::UnitOfWork& work) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<PgLease> lease = pool_->Acquire();
  if (!lease.ok()) return Unavailable("cannot open a read connection", lease.status());
  absl::Status outcome = ReadOn(**lease, work);
  metrics_.RecordRead(SecondsSince(start));
  return outcome;
}

absl::Status PostgresStore::Backup(const std::string& path) {
  return absl::UnimplementedError(
      "a PostgreSQL store is backed up with PostgreSQL's tools: run `pg_dump --format=custom"
      " --file=" +
      path +
      " <store url>` for a consistent online copy (restore with"
      " pg_restore), or use pg_basebackup with WAL archiving for point-in-time recovery");
}

absl::Status PostgresStore::Migrate() {
  absl::StatusOr<PgLease> lease = pool_->Acquire();
  if (!lease.ok()) return Unavailable("cannot connect to migrate", lease.status());
  return ApplyMigrations(**lease);
}

absl::StatusOr<int> PostgresStore::SchemaVersion() {
  absl::StatusOr<PgLease> lease = pool_->Acquire();
  if (!lease.ok()) return lease.status();
  return CurrentSchemaVersion(**lease);
}

absl::Status PostgresStore::Ping() {
  absl::Status status;
  for (int attempt = 0; attempt < 2; ++attempt) {
    absl::StatusOr<PgLease> lease = pool_->Acquire();
    if (!lease.ok()) return Unavailable("store unreachable", lease.status());
    status = (*lease)->Execute("SELECT 1 FROM schema_migrations LIMIT 1").status();
    if (status.ok() || (*lease)->IsHealthy()) break;
  }
  return status.ok() ? status : Unavailable("store unreachable", status);
}

std::string PostgresStore::MetricsText() const {
  std::string out = metrics_.Text();
  const PgPoolStats stats = pool_->Stats();
  auto gauge = [&out](const std::string& name, const std::string& help, uint64_t value,
                      const char* type) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
           std::to_string(value) + "\n";
  };
  gauge("casedesk_store_pool_idle_connections", "Read connections idle in the pool.", stats.idle,
        "gauge");
  gauge("casedesk_store_pool_busy_connections", "Read connections in use.", stats.in_use, "gauge");
  gauge("casedesk_store_connections_opened_total",
        "Connections opened to PostgreSQL (readers and writers).", stats.opened, "counter");
  gauge("casedesk_store_connections_discarded_total",
        "Pooled connections closed because they broke.", stats.discarded, "counter");
  gauge("casedesk_store_connect_failures_total", "Failed attempts to connect to PostgreSQL.",
        stats.connect_failures, "counter");
  if (caches_ != nullptr) {
    const auto cached = caches_->cases.stats();
    gauge("casedesk_store_case_cache_hits_total", "Case reads served from this node's cache.",
          cached.hits, "counter");
    gauge("casedesk_store_case_cache_misses_total",
          "Case reads that found no current copy in this node's cache.", cached.misses, "counter");
    gauge("casedesk_store_case_cache_entries", "Cases held in this node's cache.", cached.entries,
          "gauge");
    gauge("casedesk_store_case_cache_bytes", "Estimated memory of this node's case cache.",
          cached.cost, "gauge");
  }
  return out;
}

}  // namespace casedesk::adapters::postgres
