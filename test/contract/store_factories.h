// The Store implementations the contract suite runs against. Each factory opens a fresh, empty
// store inside a scratch directory the suite creates and removes. Store specifics (file names,
// options, servers) live here and nowhere in the suite itself.
// Thread-safety: factories are called from the test thread only.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "adapters/sqlite/sqlite_store.h"
#include "ports/store.h"

namespace casedesk::contract {

struct StoreFactory {
  std::string name;  // a GoogleTest parameter name: letters, digits and underscores
  std::function<absl::StatusOr<std::unique_ptr<ports::Store>>(const std::string& scratch_directory)>
      open;
};

// Test output names the factory instead of dumping its bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* out) { *out << factory.name; }

inline std::vector<StoreFactory> AllStoreFactories() {
  return {
      {"Sqlite",
       [](const std::string& scratch_directory)
           -> absl::StatusOr<std::unique_ptr<ports::Store>> {
         auto store = adapters::sqlite::SqliteStore::Open(scratch_directory + "/casedesk.db");
         if (!store.ok()) return store.status();
         return std::unique_ptr<ports::Store>(std::move(*store));
       }},
  };
}

}  // namespace casedesk::contract
