// What `casedesk store copy` knows about the desk's tables: every table both stores hold, its
// columns with the kind of value each carries, its key (the order rows are copied and compared
// in), and the columns one store has that the other derives. The copy refuses to run when either
// store has a table or column this list does not account for, so a schema that grows without a
// matching change here stops the copy instead of silently dropping data.
// Thread-safety: constant data.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace casedesk::adapters::store_copy {

// How a value is read, written and compared. SQLite keeps booleans as integers and PostgreSQL
// as boolean; both keep times as microseconds in integers.
enum class ColumnKind { kInt, kBool, kText, kBytes };

struct Column {
  std::string_view name;
  ColumnKind kind;
};

struct TableSpec {
  std::string_view name{};
  std::vector<Column> columns{};
  // Key columns, a prefix-free subset of `columns`, in sort order. Text keys sort by bytes
  // (SQLite BINARY, PostgreSQL COLLATE "C").
  std::vector<std::string_view> key{};
  // Copied in SQLite rowid order rather than key order (attachments: PostgreSQL numbers them in
  // insertion order and lists a case's attachments by (created_at, that number), as SQLite does
  // by (created_at, rowid)). Such a table resumes after the rowid of the row PostgreSQL
  // numbered last in `postgres_insertion_column`.
  bool copy_in_rowid_order = false;
  std::string_view postgres_insertion_column{};
  // Columns of one store that the other has no use for (SQLite's pointer into its FTS index;
  // PostgreSQL's own insertion number).
  std::vector<std::string_view> sqlite_only{};
  std::vector<std::string_view> postgres_only{};
  // Has an identity column `id` whose sequence must continue past the copied ids.
  bool identity_id = false;
  // At most this many rows per batch (0: the copy's batch size); for rows that may each hold
  // megabytes (blobs).
  int max_batch_rows = 0;
};

// The rows per batch for `table` under a copy whose batch size is `batch_size`.
int BatchRowsFor(const TableSpec& table, int batch_size);

// Every copied table, parents before children (foreign keys hold batch by batch).
std::span<const TableSpec> CopiedTables();

// Tables each store keeps for itself and the copy does not carry row by row: schema versions,
// the search index (PostgreSQL builds its own with triggers as cases and comments arrive), the
// case number sequence (carried as a sequence value) and SQLite's internal tables.
bool IsSqliteInternalTable(std::string_view name);
bool IsPostgresInternalTable(std::string_view name);

// "number", or "(case_number, key)": for messages.
std::string KeyName(const TableSpec& table);

}  // namespace casedesk::adapters::store_copy
