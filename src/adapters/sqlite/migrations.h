// Versioned schema migrations for the SQLite store, embedded as SQL text. Each migration runs
// once, inside the same transaction that records it in `schema_migrations`, so a crash leaves
// the schema either before or after a migration, never in between.
// Thread-safety: ApplyMigrations uses the given connection only; SQLite's write lock
// (BEGIN IMMEDIATE) serialises concurrent callers, even across processes.
#pragma once

#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "adapters/sqlite/sqlite_connection.h"

namespace casedesk::adapters::sqlite {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// All migrations, in version order.
std::span<const Migration> AllMigrations();

// Applies every migration not yet recorded. Idempotent.
absl::Status ApplyMigrations(SqliteConnection& connection);

// The highest applied version (0 for an empty database).
absl::StatusOr<int> CurrentSchemaVersion(SqliteConnection& connection);

}  // namespace casedesk::adapters::sqlite
