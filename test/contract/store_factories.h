// The Store implementations the contract suite runs against. Each factory opens a fresh, empty
// store inside a scratch directory the suite creates and removes (PostgreSQL: a fresh database
// on the executable's shared test server). Store specifics (file names, options, servers) live
// here and nowhere in the suite itself.
// Thread-safety: factories are called from the test thread only.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/postgres/postgres_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "ports/store.h"
#include "test/support/postgres_server_environment.h"

namespace casedesk::contract {

struct StoreFactory {
  std::string name;  // a GoogleTest parameter name: letters, digits and underscores
  std::function<absl::StatusOr<std::unique_ptr<ports::Store>>(const std::string& scratch_directory)>
      open;
};

// Test output names the factory instead of dumping its bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* out) { *out << factory.name; }

// A PostgresStore on a fresh database of the executable's shared test server (started on first
// use; a missing PostgreSQL installation is an error, not a skip).
inline absl::StatusOr<std::unique_ptr<ports::Store>> OpenPostgres(
    adapters::postgres::PostgresStoreOptions options) {
  auto server = test_support::SharedPostgresServer();
  if (!server.ok()) return server.status();
  auto url = (*server)->CreateDatabase("contract");
  if (!url.ok()) return url.status();
  auto store = adapters::postgres::PostgresStore::Open(*url, options);
  if (!store.ok()) return store.status();
  return std::unique_ptr<ports::Store>(std::move(*store));
}

inline std::vector<StoreFactory> AllStoreFactories() {
  return {
      {"Sqlite",
       [](const std::string& scratch_directory)
           -> absl::StatusOr<std::unique_ptr<ports::Store>> {
         auto store = adapters::sqlite::SqliteStore::Open(scratch_directory + "/casedesk.db");
         if (!store.ok()) return store.status();
         return std::unique_ptr<ports::Store>(std::move(*store));
       }},
      // PostgreSQL in its default write mode (one unit per transaction on many connections)
      // and in group-commit mode (batches of units, a savepoint each, one COMMIT).
      {"Postgres",
       [](const std::string&) { return OpenPostgres(adapters::postgres::PostgresStoreOptions()); }},
      {"PostgresGroupCommit",
       [](const std::string&) {
         adapters::postgres::PostgresStoreOptions options;
         options.writer_connections = 2;
         options.max_batch_units = 64;
         return OpenPostgres(options);
       }},
  };
}

}  // namespace casedesk::contract
