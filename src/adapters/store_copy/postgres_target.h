// The PostgreSQL side of `casedesk store copy`: one connection that migrates the target, keeps
// the copy's own marker row (store_copy_state: which SQLite desk is being copied, when it
// started and finished), writes batches of rows (one transaction per batch, bound parameters,
// ids and case numbers as given), reads rows back in key order for verification, and moves the
// sequences past what was copied.
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/postgres/pg_connection.h"
#include "adapters/store_copy/rows.h"
#include "adapters/store_copy/table_spec.h"

namespace casedesk::adapters::store_copy {

class PostgresTarget {
 public:
  // Connects and takes the copy lock (FailedPrecondition while another copy holds it).
  static absl::StatusOr<std::unique_ptr<PostgresTarget>> Connect(const std::string& url);
  // Gives the copy lock back before closing the connection.
  ~PostgresTarget();
  PostgresTarget(const PostgresTarget&) = delete;
  PostgresTarget& operator=(const PostgresTarget&) = delete;

  // Applies the PostgreSQL store's migrations; returns the schema version reached.
  absl::StatusOr<int> Migrate();
  // FailedPrecondition naming any table or column that CopiedTables() does not account for.
  absl::Status CheckSchema();

  // Claims the database for a copy of `source`: records the marker on an empty database,
  // accepts a database whose marker names the same source (a resumed copy), and refuses a
  // database that holds rows store copy did not write, or a copy of another desk.
  absl::Status Claim(const std::string& source);
  absl::Status MarkFinished();

  absl::StatusOr<int64_t> Count(const TableSpec& table);
  // The key of the last row copied: the greatest key, or for a table copied in rowid order the
  // key of the row inserted last. nullopt for an empty table.
  absl::StatusOr<std::optional<std::vector<std::string>>> LastCopiedKey(const TableSpec& table);

  // Inserts `rows` in one transaction (all or none).
  absl::Status InsertBatch(const TableSpec& table, const std::vector<Row>& rows);

  // For verification: a REPEATABLE READ READ ONLY snapshot, and rows in key order from it.
  absl::Status BeginSnapshot();
  absl::Status EndSnapshot();
  absl::StatusOr<std::vector<Row>> ReadByKey(const TableSpec& table,
                                             const std::optional<std::vector<std::string>>& after,
                                             int limit);

  // Moves the identity sequence of `table` so the next id is above `highest_id` (never back).
  absl::Status ContinueIdsAfter(const TableSpec& table, int64_t highest_id);
  // Makes the next case number `next_number` (or above the highest copied case, if higher).
  absl::Status ContinueCaseNumbersAt(int64_t next_number);
  // The next case number nextval would hand out, and the next id of `table`'s identity.
  absl::StatusOr<int64_t> NextCaseNumber();
  absl::StatusOr<int64_t> NextId(const TableSpec& table);
  absl::StatusOr<int64_t> SearchRowCount();

 private:
  explicit PostgresTarget(std::unique_ptr<postgres::PgConnection> connection)
      : connection_(std::move(connection)) {}
  absl::Status InsertRows(const TableSpec& table, const std::vector<Row>& rows, size_t begin,
                          size_t end);
  absl::StatusOr<int64_t> QueryInt(const std::string& sql,
                                   const postgres::PgParams& params = postgres::PgParams());

  std::unique_ptr<postgres::PgConnection> connection_;
  bool holds_copy_lock_ = false;
};

}  // namespace casedesk::adapters::store_copy
