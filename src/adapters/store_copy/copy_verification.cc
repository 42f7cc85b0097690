#include "adapters/store_copy/copy_verification.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"

namespace casedesk::adapters::store_copy {
namespace {

// Key order as both stores sort: integers numerically, text and bytes bytewise (unsigned).
bool KeyLess(const TableSpec& table, const std::vector<std::string>& a,
             const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == b[i]) continue;
    if (KeyKind(table, i) == ColumnKind::kInt) return std::stoll(a[i]) < std::stoll(b[i]);
    return a[i] < b[i];
  }
  return false;
}

// The first difference between the snapshot and PostgreSQL in one table ("" when none).
absl::StatusOr<std::string> CompareRows(SqliteSource& source, PostgresTarget& target,
                                        const TableSpec& table, int copy_batch_size,
                                        int64_t& compared) {
  const std::string name(table.name);
  const int batch_size = BatchRowsFor(table, copy_batch_size);
  std::optional<std::vector<std::string>> after;
  while (true) {
    auto expected = source.ReadByKey(table, after, batch_size);
    if (!expected.ok()) return expected.status();
    auto actual = target.ReadByKey(table, after, batch_size);
    if (!actual.ok()) return actual.status();
    const size_t common = std::min(expected->size(), actual->size());
    for (size_t i = 0; i < common; ++i) {
      const std::vector<std::string> want = KeyOf(table, (*expected)[i]);
      const std::vector<std::string> got = KeyOf(table, (*actual)[i]);
      if (want != got) {
        if (KeyLess(table, want, got)) {
          return name + ": row " + DescribeKey(table, want) + " is missing from PostgreSQL";
        }
        return name + ": PostgreSQL has a row " + DescribeKey(table, got) + " that SQLite does not";
      }
      const std::string column = FirstDifferingColumn(table, (*expected)[i], (*actual)[i]);
      if (!column.empty()) {
        return name + ": row " + DescribeKey(table, want) + " differs in column " + column;
      }
      ++compared;
    }
    if (expected->size() > common) {
      return name + ": row " + DescribeKey(table, KeyOf(table, (*expected)[common])) +
             " is missing from PostgreSQL";
    }
    if (actual->size() > common) {
      return name + ": PostgreSQL has a row " +
             DescribeKey(table, KeyOf(table, (*actual)[common])) + " that SQLite does not";
    }
    if (static_cast<int>(common) < batch_size) return std::string();
    after = KeyOf(table, expected->back());
  }
}

absl::Status CheckSequences(SqliteSource& source, PostgresTarget& target,
                            std::vector<std::string>& differences) {
  auto sqlite_next = source.NextCaseNumber();
  if (!sqlite_next.ok()) return sqlite_next.status();
  auto postgres_next = target.NextCaseNumber();
  if (!postgres_next.ok()) return postgres_next.status();
  if (*postgres_next < *sqlite_next) {
    differences.push_back("case numbers: PostgreSQL would hand out " +
                          std::to_string(*postgres_next) + " next, SQLite " +
                          std::to_string(*sqlite_next));
  }
  for (const TableSpec& table : CopiedTables()) {
    if (!table.identity_id) continue;
    auto highest = source.HighestId(table);
    if (!highest.ok()) return highest.status();
    auto next = target.NextId(table);
    if (!next.ok()) return next.status();
    if (*highest > 0 && *next <= *highest) {
      differences.push_back(std::string(table.name) + ": PostgreSQL would hand out id " +
                            std::to_string(*next) + " next, but SQLite has used ids up to " +
                            std::to_string(*highest));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyTables(SqliteSource& source, PostgresTarget& target, int batch_size,
                          std::ostream* progress) {
  absl::Status status = target.BeginSnapshot();
  if (!status.ok()) return status;
  std::vector<std::string> differences;
  int64_t cases = 0;
  int64_t comments = 0;
  for (const TableSpec& table : CopiedTables()) {
    const std::string name(table.name);
    auto sqlite_rows = source.Count(table);
    if (!sqlite_rows.ok()) return sqlite_rows.status();
    auto postgres_rows = target.Count(table);
    if (!postgres_rows.ok()) return postgres_rows.status();
    if (name == "cases") cases = *postgres_rows;
    if (name == "comments") comments = *postgres_rows;
    if (*sqlite_rows != *postgres_rows) {
      differences.push_back(name + ": SQLite has " + std::to_string(*sqlite_rows) +
                            " rows, PostgreSQL " + std::to_string(*postgres_rows));
    }
    int64_t compared = 0;
    auto difference = CompareRows(source, target, table, batch_size, compared);
    if (!difference.ok()) return difference.status();
    if (!difference->empty()) differences.push_back(*difference);
    if (progress != nullptr) {
      *progress << "verify " << name << ": "
                << (difference->empty() && *sqlite_rows == *postgres_rows ? "ok, " : "DIFFERENT, ")
                << compared << " rows equal" << std::endl;
    }
  }
  auto search_rows = target.SearchRowCount();
  if (!search_rows.ok()) return search_rows.status();
  // Triggers index each case's subject and description and each comment.
  if (*search_rows != 2 * cases + comments) {
    differences.push_back("search index: " + std::to_string(*search_rows) + " rows, expected " +
                          std::to_string(2 * cases + comments) + " (2 per case and 1 per comment)");
  }
  status = CheckSequences(source, target, differences);
  if (!status.ok()) return status;
  target.EndSnapshot().IgnoreError();  // read only: nothing to keep
  if (differences.empty()) return absl::OkStatus();
  constexpr size_t kShown = 8;
  std::vector<std::string> shown(differences.begin(),
                                 differences.begin() + std::min(differences.size(), kShown));
  std::string message = "verification failed: PostgreSQL does not match the SQLite desk: " +
                        absl::StrJoin(shown, "; ");
  if (differences.size() > kShown) {
    message += "; and " + std::to_string(differences.size() - kShown) + " more";
  }
  return absl::FailedPreconditionError(message);
}

}  // namespace casedesk::adapters::store_copy
