// A thin RAII layer over one sqlite3 connection: opening with the store's pragmas, executing
// scripts, and a cache of prepared statements handed out as Statement handles that reset
// themselves when they go out of scope. SQLite result codes become absl::Status values here.
//
// Thread-safety: a SqliteConnection is used by one thread at a time (the store hands each
// connection to exactly one thread for the duration of a unit of work).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3;
struct sqlite3_stmt;

namespace casedesk::adapters::sqlite {

// Turns a SQLite result code into a status. Constraint failures become InvalidArgument (the
// transaction code refines them where it knows the meaning); everything else is Unavailable.
absl::Status StatusFromSqlite(int result_code, sqlite3* db, std::string_view context);

// A prepared statement borrowed from a connection's cache. Bind indices start at 1, column
// indices at 0. Destruction resets the statement and clears its bindings, so a cached statement
// may be borrowed again; several different statements may be borrowed at once.
class Statement {
 public:
  // `owned` statements are finalized on destruction (used when the cache is full).
  Statement(sqlite3_stmt* statement, sqlite3* db, bool owned)
      : statement_(statement), db_(db), owned_(owned) {}
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& BindBlob(int index, std::string_view bytes);
  Statement& BindNull(int index);
  Statement& Bind(int index, const std::optional<int64_t>& value);

  // Advances: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Runs a statement to completion (ignoring rows) and resets it for another Bind + Run.
  absl::Status Run();

  bool IsNull(int column) const;
  int64_t Int(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::string Text(int column) const;
  std::string Blob(int column) const;

  // The extended result code of the last failed step (for constraint classification).
  int last_error() const { return last_error_; }

 private:
  sqlite3_stmt* statement_;
  sqlite3* db_;
  bool owned_;
  int last_error_ = 0;
};

struct ConnectionOptions {
  bool read_only = false;  // query_only: any write attempt fails
  int busy_timeout_ms = 5000;
  int cache_kib = 16 * 1024;  // page cache of this connection
  // Memory-mapped reads: pages come from the OS page cache without a copy per read.
  int64_t mmap_bytes = int64_t{256} * 1024 * 1024;
};

class SqliteConnection {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                                const ConnectionOptions& options);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  // Runs one or more statements without parameters (schema, BEGIN/COMMIT, pragmas). A single
  // statement (no ';') is prepared once and kept, like Prepare's: every read and every write
  // batch begins and ends a transaction, and parsing BEGIN and COMMIT each time was about 3 %
  // of a case read.
  absl::Status Execute(std::string_view sql);

  // A cached prepared statement for `sql`.
  absl::StatusOr<Statement> Prepare(const std::string& sql);

  bool InTransaction() const;
  int64_t LastInsertRowId() const;
  int Changes() const;
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}

  static constexpr size_t kMaxCachedStatements = 512;

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace casedesk::adapters::sqlite
