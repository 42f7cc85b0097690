#include "adapters/store_copy/sqlite_source.h"

#include <filesystem>
#include <set>

#include "adapters/sqlite/migrations.h"

namespace casedesk::adapters::store_copy {
namespace {

std::string SourceColumnList(const TableSpec& table) {
  std::string list;
  for (const Column& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += "\"" + std::string(column.name) + "\"";
  }
  return list;
}

std::string KeyList(const TableSpec& table) {
  std::string list;
  for (std::string_view column : table.key) {
    if (!list.empty()) list += ", ";
    list += "\"" + std::string(column) + "\"";
  }
  return list;
}

void BindKey(sqlite::Statement& statement, const TableSpec& table,
             const std::vector<std::string>& key, int first_index) {
  for (size_t i = 0; i < key.size(); ++i) {
    const int index = first_index + static_cast<int>(i);
    if (KeyKind(table, i) == ColumnKind::kInt) {
      statement.Bind(index, static_cast<int64_t>(std::stoll(key[i])));
    } else if (KeyKind(table, i) == ColumnKind::kBytes) {
      // A blob compares with blobs only (SQLite orders every text before every blob).
      statement.BindBlob(index, key[i]);
    } else {
      statement.Bind(index, std::string_view(key[i]));
    }
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteSource>> SqliteSource::Open(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    return absl::NotFoundError("no SQLite desk at " + path);
  }
  auto connection =
      sqlite::SqliteConnection::Open(path, sqlite::ConnectionOptions{.read_only = true});
  if (!connection.ok()) return connection.status();
  std::unique_ptr<SqliteSource> source(new SqliteSource(*std::move(connection)));
  // BEGIN is deferred: the snapshot is taken by the first read, so read once now.
  absl::Status status = source->connection_->Execute("BEGIN");
  if (status.ok()) status = source->connection_->Execute("SELECT count(*) FROM sqlite_master");
  if (!status.ok()) return status;
  return source;
}

SqliteSource::~SqliteSource() {
  if (connection_->InTransaction()) connection_->Execute("ROLLBACK").IgnoreError();
}

absl::StatusOr<int> SqliteSource::SchemaVersion() {
  return sqlite::CurrentSchemaVersion(*connection_);
}

absl::Status SqliteSource::CheckSchema() {
  std::set<std::string> known;
  for (const TableSpec& table : CopiedTables()) known.insert(std::string(table.name));
  {
    auto tables = connection_->Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    if (!tables.ok()) return tables.status();
    std::set<std::string> present;
    while (true) {
      absl::StatusOr<bool> row = tables->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      const std::string name = tables->Text(0);
      present.insert(name);
      if (!known.contains(name) && !IsSqliteInternalTable(name)) {
        return absl::FailedPreconditionError("the SQLite desk has a table `" + name +
                                             "` that store copy does not know how to copy");
      }
    }
    for (const std::string& name : known) {
      if (!present.contains(name)) {
        return absl::FailedPreconditionError("the SQLite desk has no table `" + name + "`");
      }
    }
  }
  for (const TableSpec& table : CopiedTables()) {
    std::set<std::string> expected;
    for (const Column& column : table.columns) expected.insert(std::string(column.name));
    for (std::string_view column : table.sqlite_only) expected.insert(std::string(column));
    auto columns = connection_->Prepare("SELECT name FROM pragma_table_info(?)");
    if (!columns.ok()) return columns.status();
    columns->Bind(1, table.name);
    std::set<std::string> present;
    while (true) {
      absl::StatusOr<bool> row = columns->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      present.insert(columns->Text(0));
    }
    if (present != expected) {
      for (const std::string& name : present) {
        if (!expected.contains(name)) {
          return absl::FailedPreconditionError("the SQLite table `" + std::string(table.name) +
                                               "` has a column `" + name +
                                               "` that store copy does not know how to copy");
        }
      }
      return absl::FailedPreconditionError("the SQLite table `" + std::string(table.name) +
                                           "` lacks columns store copy expects");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteSource::Count(const TableSpec& table) {
  auto query = connection_->Prepare("SELECT count(*) FROM \"" + std::string(table.name) + "\"");
  if (!query.ok()) return query.status();
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  return query->Int(0);
}

absl::StatusOr<std::vector<Row>> SqliteSource::ReadRows(sqlite::Statement& statement,
                                                        const TableSpec& table, int first_column,
                                                        std::vector<int64_t>* rowids) {
  std::vector<Row> rows;
  while (true) {
    absl::StatusOr<bool> more = statement.Step();
    if (!more.ok()) return more.status();
    if (!*more) break;
    if (rowids != nullptr) rowids->push_back(statement.Int(0));
    Row row;
    row.reserve(table.columns.size());
    for (size_t i = 0; i < table.columns.size(); ++i) {
      const int column = first_column + static_cast<int>(i);
      if (statement.IsNull(column)) {
        row.emplace_back(std::nullopt);
        continue;
      }
      switch (table.columns[i].kind) {
        case ColumnKind::kInt:
          row.emplace_back(std::to_string(statement.Int(column)));
          break;
        case ColumnKind::kBool:
          row.emplace_back(statement.Int(column) != 0 ? "1" : "0");
          break;
        case ColumnKind::kText:
          row.emplace_back(statement.Text(column));
          break;
        case ColumnKind::kBytes:
          row.emplace_back(statement.Blob(column));
          break;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

absl::StatusOr<std::vector<Row>> SqliteSource::ReadByKey(
    const TableSpec& table, const std::optional<std::vector<std::string>>& after, int limit) {
  std::string sql =
      "SELECT " + SourceColumnList(table) + " FROM \"" + std::string(table.name) + "\"";
  if (after.has_value()) {
    std::string placeholders;
    for (size_t i = 0; i < table.key.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
    sql += " WHERE (" + KeyList(table) + ") > (" + placeholders + ")";
  }
  sql += " ORDER BY " + KeyList(table) + " LIMIT ?";
  auto statement = connection_->Prepare(sql);
  if (!statement.ok()) return statement.status();
  int next = 1;
  if (after.has_value()) {
    BindKey(*statement, table, *after, next);
    next += static_cast<int>(after->size());
  }
  statement->Bind(next, int64_t{limit});
  return ReadRows(*statement, table, 0, nullptr);
}

absl::StatusOr<std::vector<Row>> SqliteSource::ReadByRowid(const TableSpec& table,
                                                           int64_t after_rowid, int limit,
                                                           std::vector<int64_t>& rowids) {
  auto statement =
      connection_->Prepare("SELECT rowid, " + SourceColumnList(table) + " FROM \"" +
                           std::string(table.name) + "\" WHERE rowid > ? ORDER BY rowid LIMIT ?");
  if (!statement.ok()) return statement.status();
  statement->Bind(1, after_rowid).Bind(2, int64_t{limit});
  return ReadRows(*statement, table, 1, &rowids);
}

absl::StatusOr<int64_t> SqliteSource::RowidOf(const TableSpec& table,
                                              const std::vector<std::string>& key) {
  std::string placeholders;
  for (size_t i = 0; i < table.key.size(); ++i) placeholders += i == 0 ? "?" : ", ?";
  auto statement =
      connection_->Prepare("SELECT rowid FROM \"" + std::string(table.name) + "\" WHERE (" +
                           KeyList(table) + ") = (" + placeholders + ")");
  if (!statement.ok()) return statement.status();
  BindKey(*statement, table, key, 1);
  absl::StatusOr<bool> row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::NotFoundError("the SQLite desk has no " + std::string(table.name) + " row " +
                               DescribeKey(table, key));
  }
  return statement->Int(0);
}

absl::StatusOr<int64_t> SqliteSource::NextCaseNumber() {
  auto query = connection_->Prepare("SELECT next_number FROM case_number_sequence WHERE id = 1");
  if (!query.ok()) return query.status();
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  if (!*row) return absl::FailedPreconditionError("the SQLite desk has no case number sequence");
  return query->Int(0);
}

absl::StatusOr<int64_t> SqliteSource::HighestId(const TableSpec& table) {
  // sqlite_sequence exists: notifications and severity_flags use AUTOINCREMENT (version 4).
  auto query = connection_->Prepare(
      "SELECT max(COALESCE((SELECT max(id) FROM \"" + std::string(table.name) +
      "\"), 0), COALESCE((SELECT seq FROM sqlite_sequence WHERE name = ?), 0))");
  if (!query.ok()) return query.status();
  query->Bind(1, table.name);
  absl::StatusOr<bool> row = query->Step();
  if (!row.ok()) return row.status();
  return query->Int(0);
}

}  // namespace casedesk::adapters::store_copy
