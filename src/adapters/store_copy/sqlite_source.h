// The SQLite side of `casedesk store copy`: one read-only connection holding ONE read
// transaction for its whole life, so everything the copy and its verification read comes from a
// single consistent snapshot of the desk (WAL: the live desk keeps writing meanwhile; its writes
// after the snapshot are not seen). Reads whole batches of rows in key (or rowid) order.
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/sqlite/sqlite_connection.h"
#include "adapters/store_copy/rows.h"
#include "adapters/store_copy/table_spec.h"

namespace casedesk::adapters::store_copy {

class SqliteSource {
 public:
  // NotFound when there is no database at `path` (nothing is created).
  static absl::StatusOr<std::unique_ptr<SqliteSource>> Open(const std::string& path);
  ~SqliteSource();

  absl::StatusOr<int> SchemaVersion();
  // FailedPrecondition naming any table or column that CopiedTables() does not account for.
  absl::Status CheckSchema();

  absl::StatusOr<int64_t> Count(const TableSpec& table);
  // Up to `limit` rows with a key above `after` (all from the start when unset), in key order.
  absl::StatusOr<std::vector<Row>> ReadByKey(const TableSpec& table,
                                             const std::optional<std::vector<std::string>>& after,
                                             int limit);
  // Up to `limit` rows with a rowid above `after_rowid`, in rowid order; `rowids` receives each
  // row's rowid.
  absl::StatusOr<std::vector<Row>> ReadByRowid(const TableSpec& table, int64_t after_rowid,
                                               int limit, std::vector<int64_t>& rowids);
  // The rowid of the row whose key is `key` (NotFound when there is none).
  absl::StatusOr<int64_t> RowidOf(const TableSpec& table, const std::vector<std::string>& key);

  // The next case number the desk would hand out.
  absl::StatusOr<int64_t> NextCaseNumber();
  // The highest id ever handed out for `table`: max(id), or AUTOINCREMENT's high-water mark
  // when larger (ids of deleted rows are never reused). 0 for an empty table.
  absl::StatusOr<int64_t> HighestId(const TableSpec& table);

 private:
  explicit SqliteSource(std::unique_ptr<sqlite::SqliteConnection> connection)
      : connection_(std::move(connection)) {}
  absl::StatusOr<std::vector<Row>> ReadRows(sqlite::Statement& statement, const TableSpec& table,
                                            int first_column, std::vector<int64_t>* rowids);

  std::unique_ptr<sqlite::SqliteConnection> connection_;
};

}  // namespace casedesk::adapters::store_copy
