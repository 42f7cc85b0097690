#include "adapters/store_copy/postgres_target.h"

#include <algorithm>
#include <set>

#include "adapters/postgres/migrations.h"

namespace casedesk::adapters::store_copy {
namespace {

using postgres::PgParams;
using postgres::PgResult;

// PostgreSQL takes at most 65535 parameters per statement.
constexpr size_t kMaxParameters = 65535;

// Held for the whole copy: two copies into one database would race for the same keys.
constexpr char kCopyLock[] = "SELECT pg_try_advisory_lock(7243102)";
constexpr char kCopyUnlock[] = "SELECT pg_advisory_unlock(7243102)";

std::string Quoted(std::string_view name) { return "\"" + std::string(name) + "\""; }

std::string CastOf(ColumnKind kind) {
  switch (kind) {
    case ColumnKind::kInt:
      return "::bigint";
    case ColumnKind::kBool:
      return "::boolean";
    case ColumnKind::kText:
      return "::text";
    case ColumnKind::kBytes:
      return "::bytea";
  }
  return "";
}

// A key column as it sorts: text by bytes, as SQLite's BINARY collation does.
std::string KeyExpression(const TableSpec& table, size_t index) {
  const std::string column = Quoted(table.key[index]);
  return KeyKind(table, index) == ColumnKind::kText ? column + " COLLATE \"C\"" : column;
}

std::string KeyOrder(const TableSpec& table, bool descending) {
  std::string order;
  for (size_t i = 0; i < table.key.size(); ++i) {
    if (i > 0) order += ", ";
    order += KeyExpression(table, i) + (descending ? " DESC" : "");
  }
  return order;
}

std::string ColumnList(const TableSpec& table) {
  std::string list;
  for (const Column& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += Quoted(column.name);
  }
  return list;
}

Value CanonicalValue(const PgResult& result, int row, int column, ColumnKind kind) {
  if (result.IsNull(row, column)) return std::nullopt;
  switch (kind) {
    case ColumnKind::kInt:
    case ColumnKind::kText:
      return std::string(result.Text(row, column));
    case ColumnKind::kBool:
      return std::string(result.Bool(row, column) ? "1" : "0");
    case ColumnKind::kBytes:
      return result.Bytes(row, column);
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresTarget>> PostgresTarget::Connect(const std::string& url) {
  auto connection = postgres::PgConnection::Connect(url);
  if (!connection.ok()) return connection.status();
  std::unique_ptr<PostgresTarget> target(new PostgresTarget(*std::move(connection)));
  auto locked = target->connection_->Execute(kCopyLock);
  if (!locked.ok()) return locked.status();
  if (!locked->Bool(0, 0)) {
    return absl::FailedPreconditionError(
        "another store copy is running against this PostgreSQL database");
  }
  target->holds_copy_lock_ = true;
  return target;
}

PostgresTarget::~PostgresTarget() {
  // Closing the connection releases the lock only once the server has seen it close, so a
  // verification started right after a copy could still find it taken.
  if (holds_copy_lock_ && connection_->IsHealthy()) {
    connection_->Execute(kCopyUnlock).IgnoreError();
  }
}

absl::StatusOr<int> PostgresTarget::Migrate() {
  absl::Status status = postgres::ApplyMigrations(*connection_);
  if (!status.ok()) return status;
  return postgres::CurrentSchemaVersion(*connection_);
}

absl::Status PostgresTarget::CheckSchema() {
  std::set<std::string> known;
  for (const TableSpec& table : CopiedTables()) known.insert(std::string(table.name));
  auto tables = connection_->Execute(
      "SELECT table_name::text FROM information_schema.tables"
      " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'");
  if (!tables.ok()) return tables.status();
  for (int i = 0; i < tables->rows(); ++i) {
    const std::string name(tables->Text(i, 0));
    if (!known.contains(name) && !IsPostgresInternalTable(name)) {
      return absl::FailedPreconditionError("the PostgreSQL schema has a table `" + name +
                                           "` that store copy does not know how to fill");
    }
  }
  for (const TableSpec& table : CopiedTables()) {
    std::set<std::string> expected;
    for (const Column& column : table.columns) expected.insert(std::string(column.name));
    for (std::string_view column : table.postgres_only) expected.insert(std::string(column));
    auto columns = connection_->Execute(
        "SELECT column_name::text FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = $1",
        PgParams().Add(table.name));
    if (!columns.ok()) return columns.status();
    std::set<std::string> present;
    for (int i = 0; i < columns->rows(); ++i) present.insert(std::string(columns->Text(i, 0)));
    if (present != expected) {
      return absl::FailedPreconditionError("the PostgreSQL table `" + std::string(table.name) +
                                           "` does not have the columns store copy expects");
    }
  }
  return absl::OkStatus();
}

absl::Status PostgresTarget::Claim(const std::string& source) {
  absl::Status status = connection_->ExecuteScript(
      "CREATE TABLE IF NOT EXISTS store_copy_state (id integer PRIMARY KEY CHECK (id = 1),"
      " source text NOT NULL, started_at bigint NOT NULL, finished_at bigint)");
  if (!status.ok()) return status;
  auto marker = connection_->Execute("SELECT source FROM store_copy_state WHERE id = 1");
  if (!marker.ok()) return marker.status();
  if (marker->rows() == 1) {
    if (marker->Text(0, 0) == source) return absl::OkStatus();
    return absl::FailedPreconditionError("this PostgreSQL database holds a copy of " +
                                         std::string(marker->Text(0, 0)) + ", not of " + source +
                                         ": copy into an empty database");
  }
  for (const TableSpec& table : CopiedTables()) {
    auto rows = Count(table);
    if (!rows.ok()) return rows.status();
    if (*rows > 0) {
      return absl::FailedPreconditionError(
          "the PostgreSQL database already holds a desk (" + std::string(table.name) + " has " +
          std::to_string(*rows) +
          " rows) that store copy did not write: copy into an empty "
          "database");
    }
  }
  return connection_
      ->Execute(
          "INSERT INTO store_copy_state (id, source, started_at)"
          " VALUES (1, $1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint)",
          PgParams().Add(source))
      .status();
}

absl::Status PostgresTarget::MarkFinished() {
  return connection_
      ->Execute(
          "UPDATE store_copy_state"
          " SET finished_at = (extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
          " WHERE id = 1")
      .status();
}

absl::StatusOr<int64_t> PostgresTarget::QueryInt(const std::string& sql, const PgParams& params) {
  auto result = connection_->Execute(sql, params);
  if (!result.ok()) return result.status();
  if (result->rows() != 1 || result->IsNull(0, 0)) return int64_t{0};
  return result->Int(0, 0);
}

absl::StatusOr<int64_t> PostgresTarget::Count(const TableSpec& table) {
  return QueryInt("SELECT count(*) FROM " + Quoted(table.name));
}

absl::StatusOr<std::optional<std::vector<std::string>>> PostgresTarget::LastCopiedKey(
    const TableSpec& table) {
  std::string key_list;
  for (std::string_view column : table.key) {
    if (!key_list.empty()) key_list += ", ";
    key_list += Quoted(column);
  }
  const std::string order = table.copy_in_rowid_order
                                ? Quoted(table.postgres_insertion_column) + " DESC"
                                : KeyOrder(table, /*descending=*/true);
  auto result = connection_->Execute("SELECT " + key_list + " FROM " + Quoted(table.name) +
                                     " ORDER BY " + order + " LIMIT 1");
  if (!result.ok()) return result.status();
  if (result->rows() == 0) return std::nullopt;
  std::vector<std::string> key;
  for (size_t i = 0; i < table.key.size(); ++i) {
    const int column = static_cast<int>(i);
    key.push_back(KeyKind(table, i) == ColumnKind::kBytes ? result->Bytes(0, column)
                                                          : std::string(result->Text(0, column)));
  }
  return key;
}

absl::Status PostgresTarget::InsertRows(const TableSpec& table, const std::vector<Row>& rows,
                                        size_t begin, size_t end) {
  std::string sql = "INSERT INTO " + Quoted(table.name) + " (" + ColumnList(table) + ") VALUES ";
  PgParams params;
  int next = 1;
  for (size_t r = begin; r < end; ++r) {
    sql += r == begin ? "(" : ", (";
    for (size_t c = 0; c < table.columns.size(); ++c) {
      if (c > 0) sql += ", ";
      sql += "$" + std::to_string(next++) + CastOf(table.columns[c].kind);
      const Value& value = rows[r][c];
      if (!value.has_value()) {
        params.AddNull();
      } else if (table.columns[c].kind == ColumnKind::kBytes) {
        params.AddBytes(*value);
      } else {
        params.Add(std::string_view(*value));
      }
    }
    sql += ")";
  }
  auto inserted = connection_->Execute(sql, params);
  if (!inserted.ok()) {
    return absl::Status(inserted.status().code(),
                        "copying " + std::string(table.name) + " rows from " +
                            DescribeKey(table, KeyOf(table, rows[begin])) + " to " +
                            DescribeKey(table, KeyOf(table, rows[end - 1])) + ": " +
                            std::string(inserted.status().message()));
  }
  return absl::OkStatus();
}

absl::Status PostgresTarget::InsertBatch(const TableSpec& table, const std::vector<Row>& rows) {
  if (rows.empty()) return absl::OkStatus();
  const size_t per_statement = std::max<size_t>(1, kMaxParameters / table.columns.size());
  absl::Status status = connection_->ExecuteScript("BEGIN");
  for (size_t begin = 0; status.ok() && begin < rows.size(); begin += per_statement) {
    status = InsertRows(table, rows, begin, std::min(rows.size(), begin + per_statement));
  }
  if (status.ok()) status = connection_->ExecuteScript("COMMIT");
  if (!status.ok() && connection_->InTransaction()) {
    connection_->ExecuteScript("ROLLBACK").IgnoreError();
  }
  return status;
}

absl::Status PostgresTarget::BeginSnapshot() {
  return connection_->ExecuteScript("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
}

absl::Status PostgresTarget::EndSnapshot() { return connection_->ExecuteScript("COMMIT"); }

absl::StatusOr<std::vector<Row>> PostgresTarget::ReadByKey(
    const TableSpec& table, const std::optional<std::vector<std::string>>& after, int limit) {
  std::string sql = "SELECT " + ColumnList(table) + " FROM " + Quoted(table.name);
  PgParams params;
  if (after.has_value()) {
    std::string left;
    std::string right;
    for (size_t i = 0; i < table.key.size(); ++i) {
      if (i > 0) {
        left += ", ";
        right += ", ";
      }
      left += KeyExpression(table, i);
      right += "$" + std::to_string(i + 1) + CastOf(KeyKind(table, i));
      if (KeyKind(table, i) == ColumnKind::kBytes) {
        params.AddBytes((*after)[i]);
      } else {
        params.Add(std::string_view((*after)[i]));
      }
    }
    sql += " WHERE (" + left + ") > (" + right + ")";
  }
  sql += " ORDER BY " + KeyOrder(table, /*descending=*/false) + " LIMIT " + std::to_string(limit);
  auto result = connection_->Execute(sql, params);
  if (!result.ok()) return result.status();
  std::vector<Row> rows;
  rows.reserve(result->rows());
  for (int r = 0; r < result->rows(); ++r) {
    Row row;
    row.reserve(table.columns.size());
    for (size_t c = 0; c < table.columns.size(); ++c) {
      row.push_back(CanonicalValue(*result, r, static_cast<int>(c), table.columns[c].kind));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::Status PostgresTarget::ContinueIdsAfter(const TableSpec& table, int64_t highest_id) {
  const std::string name = Quoted(table.name);
  return connection_
      ->Execute(
          "SELECT setval(pg_get_serial_sequence($2, 'id'), GREATEST($1::bigint,"
          " COALESCE((SELECT max(id) FROM " +
              name +
              "), 0),"
              " COALESCE(pg_sequence_last_value(pg_get_serial_sequence($2, 'id')::regclass),"
              " 0), 1), true)",
          PgParams().Add(highest_id).Add(name))
      .status();
}

absl::Status PostgresTarget::ContinueCaseNumbersAt(int64_t next_number) {
  return connection_
      ->Execute(
          "SELECT setval('case_numbers', GREATEST($1::bigint,"
          " COALESCE((SELECT max(number) + 1 FROM cases), 0),"
          " (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END"
          " FROM case_numbers)), false)",
          PgParams().Add(next_number))
      .status();
}

absl::StatusOr<int64_t> PostgresTarget::NextCaseNumber() {
  return QueryInt(
      "SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM case_numbers");
}

absl::StatusOr<int64_t> PostgresTarget::NextId(const TableSpec& table) {
  return QueryInt(
      "SELECT COALESCE(pg_sequence_last_value(pg_get_serial_sequence($1, 'id')::regclass), 0)"
      " + 1",
      PgParams().Add(Quoted(table.name)));
}

absl::StatusOr<int64_t> PostgresTarget::SearchRowCount() {
  return QueryInt("SELECT count(*) FROM search_parts");
}

}  // namespace casedesk::adapters::store_copy
