// The PostgreSQL schema as numbered migrations, applied in order and recorded in
// schema_migrations. Applying is idempotent and safe when several processes (nodes, the CLI)
// migrate at once: each migration runs in its own transaction under an advisory lock.
// Thread-safety: pure data and functions of the connection passed in.
#pragma once

#include <span>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/postgres/pg_connection.h"

namespace casedesk::adapters::postgres {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

std::span<const Migration> AllMigrations();

// The highest applied version (0 for an empty database).
absl::StatusOr<int> CurrentSchemaVersion(PgConnection& connection);

// Applies every migration above the current version.
absl::Status ApplyMigrations(PgConnection& connection);

}  // namespace casedesk::adapters::postgres
