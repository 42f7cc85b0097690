#include "adapters/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <mutex>
#include <string>
#include <utility>

namespace casedesk::adapters::sqlite {

absl::Status StatusFromSqlite(int result_code, sqlite3* db, std::string_view context) {
  if (result_code == SQLITE_OK || result_code == SQLITE_DONE || result_code == SQLITE_ROW) {
    return absl::OkStatus();
  }
  std::string message = std::string(context) + ": ";
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(result_code);
  if ((result_code & 0xff) == SQLITE_CONSTRAINT) return absl::InvalidArgumentError(message);
  return absl::UnavailableError(message);
}

Statement::Statement(Statement&& other) noexcept
    : statement_(std::exchange(other.statement_, nullptr)),
      db_(other.db_),
      owned_(other.owned_),
      last_error_(other.last_error_) {}

Statement::~Statement() {
  if (statement_ != nullptr && owned_) {
    sqlite3_finalize(statement_);
  } else if (statement_ != nullptr) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
  }
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view text) {
  sqlite3_bind_text64(statement_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Statement& Statement::BindBlob(int index, std::string_view bytes) {
  // A zero-length blob must still be a blob, not NULL: pass a non-null pointer.
  static const char kEmpty = 0;
  sqlite3_bind_blob64(statement_, index, bytes.empty() ? &kEmpty : bytes.data(), bytes.size(),
                      SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

Statement& Statement::Bind(int index, const std::optional<int64_t>& value) {
  return value.has_value() ? Bind(index, *value) : BindNull(index);
}

absl::StatusOr<bool> Statement::Step() {
  const int result = sqlite3_step(statement_);
  if (result == SQLITE_ROW) return true;
  if (result == SQLITE_DONE) return false;
  last_error_ = sqlite3_extended_errcode(db_);
  return StatusFromSqlite(result, db_, "statement failed");
}

absl::Status Statement::Run() {
  absl::Status status;
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok() || !*row) {
      status = row.status();
      break;
    }
  }
  // Ready for the next Bind + Run of the same handle (bindings are rebound by the caller).
  sqlite3_reset(statement_);
  return status;
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(statement_, column) == SQLITE_NULL;
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(statement_, column); }

std::optional<int64_t> Statement::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int(column);
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

std::string Statement::Blob(int column) const {
  const void* bytes = sqlite3_column_blob(statement_, column);
  if (bytes == nullptr) return "";
  return std::string(static_cast<const char*>(bytes),
                     static_cast<size_t>(sqlite3_column_bytes(statement_, column)));
}

absl::StatusOr<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(
    const std::string& path, const ConnectionOptions& options) {
  // Process-wide settings, which only take effect before SQLite initialises (later calls are
  // ignored). SQLite's allocation statistics take a process-wide mutex on every malloc; nothing
  // here reads them. Statement journals stay in memory: a statement that may abort halfway
  // inside a transaction (a case INSERT touching its many indexes, a range's deadlines in one
  // UPDATE) copies every page it changes into one, which spilled to a temporary file past
  // 64 KiB and then stayed a file for the rest of the batch, so every later statement paid two
  // write calls per page (several GB per million recomputed cases; docs/PERFORMANCE.md). A
  // journal holds the pages of one statement and is freed when the statement ends; only a
  // migration rewriting a large table at once would hold much (see docs/ARCHITECTURE.md).
  static std::once_flag configured;
  std::call_once(configured, [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
  });
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  const int result = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (result != SQLITE_OK) {
    absl::Status status = StatusFromSqlite(result, db, "cannot open " + path);
    sqlite3_close_v2(db);
    return status;
  }
  auto connection = std::unique_ptr<SqliteConnection>(new SqliteConnection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // WAL with synchronous=FULL: every commit fsyncs the log, so an acknowledged write survives
  // power loss; readers never block the writer.
  absl::Status status = connection->Execute(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
      " PRAGMA cache_size=-" + std::to_string(options.cache_kib) +
      "; PRAGMA mmap_size=" + std::to_string(options.mmap_bytes) + ";");
  if (!status.ok()) return status;
  if (options.read_only) {
    status = connection->Execute("PRAGMA query_only=ON;");
    if (!status.ok()) return status;
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close_v2(db_);
}

absl::Status SqliteConnection::Execute(std::string_view sql) {
  const std::string script(sql);
  if (script.find(';') == std::string::npos) {
    absl::StatusOr<Statement> statement = Prepare(script);
    if (!statement.ok()) return statement.status();
    return statement->Run();
  }
  char* error = nullptr;
  const int result = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &error);
  if (error != nullptr) sqlite3_free(error);
  return StatusFromSqlite(result, db_, "execute failed");
}

absl::StatusOr<Statement> SqliteConnection::Prepare(const std::string& sql) {
  auto found = statements_.find(sql);
  if (found != statements_.end()) return Statement(found->second, db_, /*owned=*/false);
  sqlite3_stmt* statement = nullptr;
  const int result = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                        SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
  if (result != SQLITE_OK) return StatusFromSqlite(result, db_, "prepare failed");
  // Dynamic queries (filter combinations) are bounded in number, but never let the cache grow
  // without limit: past the bound a statement is used once and finalized.
  if (statements_.size() >= kMaxCachedStatements) return Statement(statement, db_, /*owned=*/true);
  statements_.emplace(sql, statement);
  return Statement(statement, db_, /*owned=*/false);
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

int64_t SqliteConnection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int SqliteConnection::Changes() const { return sqlite3_changes(db_); }

}  // namespace casedesk::adapters::sqlite
