#include "adapters/store_copy/store_copy.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

#include "adapters/sqlite/migrations.h"
#include "adapters/store_copy/copy_verification.h"
#include "adapters/store_copy/postgres_target.h"
#include "adapters/store_copy/sqlite_source.h"

namespace casedesk::adapters::store_copy {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kMaxBatch = 100000;

bool IsPostgresUrl(const std::string& url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

absl::Status CheckOptions(const StoreCopyOptions& options) {
  if (options.sqlite_path.empty()) return absl::InvalidArgumentError("sqlite_path is empty");
  if (!IsPostgresUrl(options.postgres_url)) {
    return absl::InvalidArgumentError("--to must be a postgresql:// URL");
  }
  if (options.batch_size < 1 || options.batch_size > kMaxBatch) {
    return absl::InvalidArgumentError("--batch must be between 1 and " + std::to_string(kMaxBatch));
  }
  if (options.stop_after_batches < 0) {
    return absl::InvalidArgumentError("stop_after_batches must not be negative");
  }
  return absl::OkStatus();
}

// Progress lines for one table: at most one a second, and always the last.
class TableProgress {
 public:
  TableProgress(std::ostream* out, std::string_view table, int64_t total, int64_t done)
      : out_(out),
        table_(table),
        total_(total),
        done_(done),
        started_(Clock::now()),
        last_line_(started_) {}

  void Copied(int64_t rows) {
    done_ += rows;
    copied_ += rows;
    const Clock::time_point now = Clock::now();
    if (out_ == nullptr || now - last_line_ < std::chrono::seconds(1)) return;
    last_line_ = now;
    const double seconds = std::chrono::duration<double>(now - started_).count();
    const double rate = seconds > 0 ? static_cast<double>(copied_) / seconds : 0;
    *out_ << table_ << ": " << done_ << "/" << total_;
    if (total_ > 0) *out_ << " (" << (done_ * 100 / total_) << "%";
    *out_ << ", " << static_cast<int64_t>(rate) << " rows/s";
    if (rate > 0 && total_ > done_) {
      *out_ << ", ETA " << static_cast<int64_t>(static_cast<double>(total_ - done_) / rate) << "s";
    }
    *out_ << (total_ > 0 ? ")" : "") << std::endl;
  }

  void Finished() {
    if (out_ == nullptr) return;
    *out_ << table_ << ": " << done_ << "/" << total_;
    if (copied_ == 0) {
      *out_ << " already copied, skipped";
    } else {
      *out_ << " copied (" << copied_ << " this run)";
    }
    *out_ << std::endl;
  }

 private:
  std::ostream* out_;
  std::string table_;
  int64_t total_;
  int64_t done_;
  int64_t copied_ = 0;
  Clock::time_point started_;
  Clock::time_point last_line_;
};

class Copier {
 public:
  Copier(const StoreCopyOptions& options, SqliteSource& source, PostgresTarget& target)
      : options_(options), source_(source), target_(target) {}

  absl::StatusOr<TableCopyReport> CopyTable(const TableSpec& table) {
    TableCopyReport report;
    report.table = std::string(table.name);
    auto source_rows = source_.Count(table);
    if (!source_rows.ok()) return source_rows.status();
    report.source_rows = *source_rows;
    auto target_rows = target_.Count(table);
    if (!target_rows.ok()) return target_rows.status();
    auto last = target_.LastCopiedKey(table);
    if (!last.ok()) return last.status();
    std::optional<std::vector<std::string>> after = *std::move(last);
    int64_t after_rowid = 0;
    if (table.copy_in_rowid_order && after.has_value()) {
      auto rowid = source_.RowidOf(table, *after);
      if (!rowid.ok()) return rowid.status();
      after_rowid = *rowid;
    }

    TableProgress progress(options_.progress, table.name, *source_rows, *target_rows);
    const int batch_rows = BatchRowsFor(table, options_.batch_size);
    while (true) {
      absl::StatusOr<std::vector<Row>> rows;
      std::vector<int64_t> rowids;
      if (table.copy_in_rowid_order) {
        rows = source_.ReadByRowid(table, after_rowid, batch_rows, rowids);
      } else {
        rows = source_.ReadByKey(table, after, batch_rows);
      }
      if (!rows.ok()) return rows.status();
      if (rows->empty()) break;
      if (absl::Status status = target_.InsertBatch(table, *rows); !status.ok()) return status;
      report.copied_rows += static_cast<int64_t>(rows->size());
      progress.Copied(static_cast<int64_t>(rows->size()));
      after = KeyOf(table, rows->back());
      if (!rowids.empty()) after_rowid = rowids.back();
      ++batches_;
      if (options_.stop_after_batches > 0 && batches_ >= options_.stop_after_batches) {
        return absl::CancelledError("stopped after " + std::to_string(batches_) + " batches, in " +
                                    report.table + ": run the copy again to continue");
      }
      if (static_cast<int>(rows->size()) < batch_rows) break;
    }
    progress.Finished();
    report.skipped = report.copied_rows == 0;
    report.target_rows = *target_rows + report.copied_rows;
    return report;
  }

  absl::StatusOr<int64_t> ContinueSequences() {
    for (const TableSpec& table : CopiedTables()) {
      if (!table.identity_id) continue;
      auto highest = source_.HighestId(table);
      if (!highest.ok()) return highest.status();
      if (*highest == 0) continue;
      if (absl::Status status = target_.ContinueIdsAfter(table, *highest); !status.ok()) {
        return status;
      }
    }
    auto next = source_.NextCaseNumber();
    if (!next.ok()) return next.status();
    if (absl::Status status = target_.ContinueCaseNumbersAt(*next); !status.ok()) return status;
    return target_.NextCaseNumber();
  }

 private:
  const StoreCopyOptions& options_;
  SqliteSource& source_;
  PostgresTarget& target_;
  int64_t batches_ = 0;
};

// Opens both stores and checks they hold the same schema version and known tables.
absl::Status OpenBoth(const std::string& sqlite_path, const std::string& postgres_url,
                      std::unique_ptr<SqliteSource>& source,
                      std::unique_ptr<PostgresTarget>& target) {
  auto opened = SqliteSource::Open(sqlite_path);
  if (!opened.ok()) return opened.status();
  source = *std::move(opened);
  auto sqlite_version = source->SchemaVersion();
  if (!sqlite_version.ok()) return sqlite_version.status();
  const int latest = sqlite::AllMigrations().back().version;
  if (*sqlite_version != latest) {
    return absl::FailedPreconditionError(
        "the SQLite desk is at schema version " + std::to_string(*sqlite_version) +
        ", this casedesk copies version " + std::to_string(latest) +
        ": run `casedesk migrate` on the desk first");
  }
  if (absl::Status status = source->CheckSchema(); !status.ok()) return status;

  auto connected = PostgresTarget::Connect(postgres_url);
  if (!connected.ok()) return connected.status();
  target = *std::move(connected);
  auto postgres_version = target->Migrate();
  if (!postgres_version.ok()) return postgres_version.status();
  if (*postgres_version != *sqlite_version) {
    return absl::FailedPreconditionError(
        "the PostgreSQL schema is at version " + std::to_string(*postgres_version) +
        " and the SQLite desk at " + std::to_string(*sqlite_version) +
        ": store copy copies between equal versions");
  }
  return target->CheckSchema();
}

std::string SourceName(const std::string& sqlite_path) {
  std::error_code error;
  std::filesystem::path canonical = std::filesystem::weakly_canonical(sqlite_path, error);
  return error ? sqlite_path : canonical.string();
}

}  // namespace

absl::StatusOr<StoreCopyReport> CopySqliteToPostgres(const StoreCopyOptions& options) {
  if (absl::Status status = CheckOptions(options); !status.ok()) return status;
  std::unique_ptr<SqliteSource> source;
  std::unique_ptr<PostgresTarget> target;
  absl::Status status = OpenBoth(options.sqlite_path, options.postgres_url, source, target);
  if (!status.ok()) return status;
  status = target->Claim(SourceName(options.sqlite_path));
  if (!status.ok()) return status;

  StoreCopyReport report;
  Copier copier(options, *source, *target);
  for (const TableSpec& table : CopiedTables()) {
    auto copied = copier.CopyTable(table);
    if (!copied.ok()) return copied.status();
    report.tables.push_back(*std::move(copied));
  }
  auto next = copier.ContinueSequences();
  if (!next.ok()) return next.status();
  report.next_case_number = *next;
  if (options.progress != nullptr) {
    *options.progress << "sequences: next case number " << *next << std::endl;
  }
  if (options.verify) {
    status = VerifyTables(*source, *target, options.batch_size, options.progress);
    if (!status.ok()) return status;
  }
  status = target->MarkFinished();
  if (!status.ok()) return status;
  return report;
}

absl::Status VerifyCopy(const std::string& sqlite_path, const std::string& postgres_url,
                        int batch_size, std::ostream* progress) {
  StoreCopyOptions options;
  options.sqlite_path = sqlite_path;
  options.postgres_url = postgres_url;
  options.batch_size = batch_size;
  if (absl::Status status = CheckOptions(options); !status.ok()) return status;
  std::unique_ptr<SqliteSource> source;
  std::unique_ptr<PostgresTarget> target;
  absl::Status status = OpenBoth(sqlite_path, postgres_url, source, target);
  if (!status.ok()) return status;
  return VerifyTables(*source, *target, batch_size, progress);
}

}  // namespace casedesk::adapters::store_copy
