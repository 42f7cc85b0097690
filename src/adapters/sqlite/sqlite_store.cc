#include "adapters/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <system_error>
#include <utility>

#include "adapters/sqlite/migrations.h"
#include "adapters/sqlite/sqlite_transaction.h"

namespace casedesk::adapters::sqlite {
namespace {

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

absl::Status Unavailable(std::string_view what, const absl::Status& cause) {
  return absl::UnavailableError(std::string(what) + ": " + std::string(cause.message()));
}

// Makes a rename durable: the directory entry itself must reach the disk.
void SyncDirectory(const std::filesystem::path& directory) {
  const int descriptor = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (descriptor < 0) return;
  ::fsync(descriptor);
  ::close(descriptor);
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& database_path,
                                                               SqliteStoreOptions options) {
  if (options.max_batch_units == 0) options.max_batch_units = 1;
  const std::filesystem::path parent = std::filesystem::path(database_path).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error) {
      return absl::UnavailableError("cannot create " + parent.string() + ": " + error.message());
    }
  }
  ConnectionOptions connection_options;
  connection_options.busy_timeout_ms = options.busy_timeout_ms;
  connection_options.cache_kib = options.writer_cache_kib;
  connection_options.mmap_bytes = options.mmap_bytes;
  absl::StatusOr<std::unique_ptr<SqliteConnection>> writer =
      SqliteConnection::Open(database_path, connection_options);
  if (!writer.ok()) return writer.status();
  absl::Status migrated = ApplyMigrations(**writer);
  if (!migrated.ok()) return migrated;
  // When the log is started again from its beginning, its file is cut back to this size.
  absl::Status limited = (*writer)->Execute(
      "PRAGMA journal_size_limit=" +
      std::to_string(int64_t{options.checkpoint_wal_pages} * 2 * 4096) + ";");
  if (!limited.ok()) return limited;
  absl::StatusOr<SqliteWriteTurns> turns = SqliteWriteTurns::Open(database_path);
  if (!turns.ok()) return turns.status();
  return std::unique_ptr<SqliteStore>(
      new SqliteStore(database_path, options, std::move(*writer), std::move(*turns)));
}

SqliteStore::SqliteStore(std::string path, SqliteStoreOptions options,
                         std::unique_ptr<SqliteConnection> writer, SqliteWriteTurns turns)
    : path_(std::move(path)),
      options_(options),
      writer_connection_(std::move(writer)),
      turns_(std::move(turns)),
      next_checkpoint_at_pages_(options_.checkpoint_wal_pages),
      checkpoint_thread_([this] { CheckpointLoop(); }),
      writer_thread_([this] { WriterLoop(); }) {}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    stopping_ = true;
  }
  queue_changed_.notify_one();
  writer_thread_.join();
  {
    std::lock_guard<std::mutex> lock(checkpoint_mutex_);
    checkpoint_stopping_ = true;
  }
  checkpoint_changed_.notify_one();
  checkpoint_thread_.join();
}

void SqliteStore::Write(ports::UnitOfWork work, std::function<void(absl::Status)> done) {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!stopping_) {
      queue_.push_back(PendingWrite{std::move(work), std::move(done)});
      queue_changed_.notify_one();
      return;
    }
  }
  done(absl::UnavailableError("the store is closing"));
}

void SqliteStore::WriterLoop() {
  // Commits no longer checkpoint on this thread (the hook replaces wal_autocheckpoint): the
  // checkpoint thread does it off the commit path.
  sqlite3_wal_hook(writer_connection_->handle(), &SqliteStore::OnWalCommit, this);
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
    }
    RunBatch(batch);
    batch.clear();
    // Under constant writes and reads a passive checkpoint may never copy the whole log
    // between two commits, so the log would only grow. Past the hard bound the writer itself
    // checkpoints between batches: RESTART waits (busy handler) for the readers of older
    // snapshots, copies the rest and makes the next batch start the log from its beginning.
    // Writes pause meanwhile; that is the back-pressure that keeps the log bounded (a
    // checkpoint from another connection would have to win the write lock from this thread).
    if (last_wal_pages_ >= options_.max_wal_pages) {
      std::lock_guard<std::mutex> running(checkpoint_running_);
      int log_frames = 0;
      int copied_frames = 0;
      if (sqlite3_wal_checkpoint_v2(writer_connection_->handle(), nullptr,
                                    SQLITE_CHECKPOINT_RESTART, &log_frames,
                                    &copied_frames) == SQLITE_OK) {
        last_wal_pages_ = 0;
        next_checkpoint_at_pages_ = options_.checkpoint_wal_pages;
        metrics_.RecordCheckpoint();
      }
    }
  }
}

absl::Status SqliteStore::RunUnits(std::vector<PendingWrite>& batch,
                                   std::vector<absl::Status>& outcomes, bool savepoints) {
  SqliteConnection& connection = *writer_connection_;
  search_rows_.clear();
  changed_cases_.clear();
  for (absl::Status& outcome : outcomes) outcome = absl::OkStatus();
  absl::Status batch_failure = connection.Execute("BEGIN IMMEDIATE");
  for (size_t i = 0; i < batch.size() && batch_failure.ok(); ++i) {
    if (savepoints) {
      batch_failure = connection.Execute("SAVEPOINT unit_of_work");
      if (!batch_failure.ok()) break;
    }
    const size_t search_rows_before = search_rows_.size();
    const size_t changed_cases_before = changed_cases_.size();
    {
      SqliteTransaction transaction(connection, TransactionMode::kReadWrite, &search_rows_,
                                    &changed_cases_);
      outcomes[i] = batch[i].work(transaction);
    }
    if (!outcomes[i].ok()) {
      search_rows_.resize(search_rows_before);
      changed_cases_.resize(changed_cases_before);
      if (!savepoints) break;  // the caller rolls everything back
      // Undo this unit alone; the units before it stay in the batch.
      batch_failure = connection.Execute("ROLLBACK TO unit_of_work");
    }
    if (savepoints && batch_failure.ok()) {
      batch_failure = connection.Execute("RELEASE unit_of_work");
    }
    // SQLite rolls back the whole transaction on some errors (disk full, I/O): then nothing in
    // this batch can be kept.
    if (batch_failure.ok() && !connection.InTransaction()) {
      batch_failure = absl::UnavailableError("the transaction was rolled back by SQLite");
    }
  }
  return batch_failure;
}

void SqliteStore::RunBatch(std::vector<PendingWrite>& batch) {
  const auto start = std::chrono::steady_clock::now();
  SqliteConnection& connection = *writer_connection_;
  std::vector<absl::Status> outcomes(batch.size());
  std::optional<SqliteWriteTurns::Turn> turn;  // until the transaction ends
  if (options_.ask_for_write_turns) {
    turn.emplace(turns_);
  } else {
    turns_.LetWaitingCommandsGoFirst(std::chrono::milliseconds(options_.busy_timeout_ms));
  }
  // First every unit in one transaction without savepoints: a savepoint's journal gets a copy
  // of each page its unit first changes, and writing those copies cost more than the units'
  // own writes (docs/PERFORMANCE.md, "Recomputing every open case"). Units rarely fail; when one
  // does, everything is undone and the batch runs again with a savepoint per unit, so the
  // failing unit is undone alone. Units may run more than once (see app/store_calls.h).
  absl::Status batch_failure = RunUnits(batch, outcomes, /*savepoints=*/false);
  const bool lone = batch.size() == 1;
  const bool unit_failed = std::any_of(outcomes.begin(), outcomes.end(),
                                       [](const absl::Status& outcome) { return !outcome.ok(); });
  if (batch_failure.ok() && unit_failed && !lone) {
    batch_failure = connection.Execute("ROLLBACK");
    if (batch_failure.ok()) batch_failure = RunUnits(batch, outcomes, /*savepoints=*/true);
  }
  if (batch_failure.ok() && lone && unit_failed) {
    batch_failure = connection.Execute("ROLLBACK");
    metrics_.RecordBatch(1, 1, SecondsSince(start), batch_failure.ok());
    if (!batch_failure.ok()) outcomes[0] = Unavailable("write not rolled back", batch_failure);
    if (batch[0].done) batch[0].done(std::move(outcomes[0]));
    return;
  }
  // The batch's full-text changes, once: one index segment per commit.
  if (batch_failure.ok()) batch_failure = ApplySearchRows(connection, search_rows_);
  if (batch_failure.ok()) batch_failure = connection.Execute("COMMIT");

  size_t failed_units = 0;
  if (!batch_failure.ok()) {
    if (connection.InTransaction()) connection.Execute("ROLLBACK").IgnoreError();
    const absl::Status unavailable = Unavailable("write batch not committed", batch_failure);
    for (absl::Status& outcome : outcomes) outcome = unavailable;
    failed_units = batch.size();
  } else {
    for (const absl::Status& outcome : outcomes) failed_units += outcome.ok() ? 0 : 1;
  }
  turn.reset();
  metrics_.RecordBatch(batch.size(), failed_units, SecondsSince(start), batch_failure.ok());
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(std::move(outcomes[i]));
  }
  if (batch_failure.ok() && case_change_listener_ && !changed_cases_.empty()) {
    std::sort(changed_cases_.begin(), changed_cases_.end());
    changed_cases_.erase(std::unique(changed_cases_.begin(), changed_cases_.end()),
                         changed_cases_.end());
    case_change_listener_(changed_cases_);
  }
}

int SqliteStore::OnWalCommit(void* store, sqlite3*, const char*, int wal_pages) {
  static_cast<SqliteStore*>(store)->RequestCheckpoint(wal_pages);
  return SQLITE_OK;
}

void SqliteStore::RequestCheckpoint(int wal_pages) {
  // The log keeps its length until a write starts it again from its beginning (after a
  // checkpoint copied every frame), so ask once per `checkpoint_wal_pages` new pages.
  if (wal_pages < last_wal_pages_) next_checkpoint_at_pages_ = options_.checkpoint_wal_pages;
  last_wal_pages_ = wal_pages;
  if (wal_pages < next_checkpoint_at_pages_) return;
  next_checkpoint_at_pages_ = wal_pages + options_.checkpoint_wal_pages;
  {
    std::lock_guard<std::mutex> lock(checkpoint_mutex_);
    checkpoint_wanted_ = true;
  }
  checkpoint_changed_.notify_one();
}

void SqliteStore::CheckpointLoop() {
  ConnectionOptions connection_options;
  connection_options.busy_timeout_ms = options_.busy_timeout_ms;
  connection_options.cache_kib = 1024;
  connection_options.mmap_bytes = options_.mmap_bytes;
  std::unique_ptr<SqliteConnection> connection;
  while (true) {
    {
      std::unique_lock<std::mutex> lock(checkpoint_mutex_);
      checkpoint_changed_.wait(lock, [this] { return checkpoint_stopping_ || checkpoint_wanted_; });
      if (checkpoint_stopping_) return;
      checkpoint_wanted_ = false;
    }
    if (connection == nullptr) {
      absl::StatusOr<std::unique_ptr<SqliteConnection>> opened =
          SqliteConnection::Open(path_, connection_options);
      if (!opened.ok()) continue;  // retried at the next request
      connection = std::move(*opened);
    }
    // PASSIVE copies committed frames into the database file without taking the write lock,
    // so commits go on meanwhile. The log starts again from its beginning only when a write
    // begins after a checkpoint copied every frame, so catch up on the frames committed
    // meanwhile a few times (each pass is shorter than the one before).
    std::lock_guard<std::mutex> running(checkpoint_running_);
    int log_frames = 0;
    int copied_frames = 0;
    for (int pass = 0; pass < 4; ++pass) {
      if (sqlite3_wal_checkpoint_v2(connection->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                    &log_frames, &copied_frames) != SQLITE_OK ||
          copied_frames >= log_frames) {
        break;
      }
    }
    metrics_.RecordCheckpoint();
  }
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteStore::AcquireReader() {
  {
    std::lock_guard<std::mutex> lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<SqliteConnection> reader = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return reader;
    }
  }
  ConnectionOptions connection_options;
  connection_options.read_only = true;
  connection_options.busy_timeout_ms = options_.busy_timeout_ms;
  connection_options.cache_kib = options_.reader_cache_kib;
  connection_options.mmap_bytes = options_.mmap_bytes;
  return SqliteConnection::Open(path_, connection_options);
}

void SqliteStore::ReleaseReader(std::unique_ptr<SqliteConnection> reader) {
  if (reader->InTransaction()) return;  // left in an unknown state: close it
  std::lock_guard<std::mutex> lock(readers_mutex_);
  if (idle_readers_.size() < options_.max_idle_readers) idle_readers_.push_back(std::move(reader));
}

absl::Status SqliteStore::Read(const ports::UnitOfWork& work) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<std::unique_ptr<SqliteConnection>> reader = AcquireReader();
  if (!reader.ok()) return Unavailable("cannot open a read connection", reader.status());
  absl::Status begun = (*reader)->Execute("BEGIN DEFERRED");
  if (!begun.ok()) return Unavailable("cannot begin a read", begun);
  absl::Status outcome;
  {
    SqliteTransaction transaction(**reader, TransactionMode::kReadOnly);
    outcome = work(transaction);
  }
  absl::Status ended = (*reader)->Execute("COMMIT");
  ReleaseReader(std::move(*reader));
  metrics_.RecordRead(SecondsSince(start));
  if (!outcome.ok()) return outcome;
  return ended.ok() ? ended : Unavailable("cannot end a read", ended);
}

absl::Status SqliteStore::Backup(const std::string& path) {
  ConnectionOptions connection_options;
  connection_options.read_only = true;
  connection_options.busy_timeout_ms = options_.busy_timeout_ms;
  connection_options.mmap_bytes = options_.mmap_bytes;
  absl::StatusOr<std::unique_ptr<SqliteConnection>> source =
      SqliteConnection::Open(path_, connection_options);
  if (!source.ok()) return Unavailable("backup cannot read the store", source.status());

  // Written beside the target, then renamed: a reader of `path` never sees a partial copy.
  const std::string temporary = path + ".partial";
  std::error_code ignored;
  std::filesystem::remove(temporary, ignored);
  sqlite3* destination = nullptr;
  int result = sqlite3_open_v2(temporary.c_str(), &destination,
                               SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (result != SQLITE_OK) {
    absl::Status status = StatusFromSqlite(result, destination, "backup cannot create " + temporary);
    sqlite3_close_v2(destination);
    return status;
  }
  sqlite3_exec(destination, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
  // One step copies every page under one read transaction on the source: a consistent
  // snapshot, while the writer goes on appending to the WAL.
  sqlite3_backup* backup = sqlite3_backup_init(destination, "main", (*source)->handle(), "main");
  if (backup == nullptr) {
    absl::Status status = StatusFromSqlite(sqlite3_errcode(destination), destination, "backup");
    sqlite3_close_v2(destination);
    std::filesystem::remove(temporary, ignored);
    return status;
  }
  result = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (result == SQLITE_DONE) result = finished;
  absl::Status status = StatusFromSqlite(result, destination, "backup failed");
  sqlite3_close_v2(destination);
  if (!status.ok()) {
    std::filesystem::remove(temporary, ignored);
    return status;
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return absl::UnavailableError("backup cannot rename: " + error.message());
  const std::filesystem::path parent = std::filesystem::absolute(path).parent_path();
  SyncDirectory(parent);
  return absl::OkStatus();
}

absl::Status SqliteStore::Migrate() {
  // Its own connection: the write connection belongs to the writer thread. BEGIN IMMEDIATE in
  // ApplyMigrations serialises it with the writer.
  ConnectionOptions connection_options;
  connection_options.busy_timeout_ms = options_.busy_timeout_ms;
  connection_options.mmap_bytes = options_.mmap_bytes;
  absl::StatusOr<std::unique_ptr<SqliteConnection>> connection =
      SqliteConnection::Open(path_, connection_options);
  if (!connection.ok()) return connection.status();
  return ApplyMigrations(**connection);
}

absl::StatusOr<int> SqliteStore::SchemaVersion() {
  absl::StatusOr<std::unique_ptr<SqliteConnection>> reader = AcquireReader();
  if (!reader.ok()) return reader.status();
  absl::StatusOr<int> version = CurrentSchemaVersion(**reader);
  ReleaseReader(std::move(*reader));
  return version;
}

absl::Status SqliteStore::Ping() {
  absl::StatusOr<std::unique_ptr<SqliteConnection>> reader = AcquireReader();
  if (!reader.ok()) return Unavailable("store unreachable", reader.status());
  absl::Status status = (*reader)->Execute("SELECT 1 FROM schema_migrations LIMIT 1");
  ReleaseReader(std::move(*reader));
  return status.ok() ? status : Unavailable("store unreachable", status);
}

std::string SqliteStore::MetricsText() const { return metrics_.Text(); }

}  // namespace casedesk::adapters::sqlite
