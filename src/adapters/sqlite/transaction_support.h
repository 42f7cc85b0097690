// Helpers shared by the files that implement SqliteTransaction: page-size clamping, mapping
// constraint failures to domain statuses, and early-return macros for Status/StatusOr.
// Thread-safe: pure functions.
#pragma once

#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/sqlite/sqlite_connection.h"

// Early returns for Status and StatusOr, local to the SQLite adapter.
#define SQLITE_STORE_RETURN_IF_ERROR(expression)                 \
  do {                                                           \
    absl::Status sqlite_store_status_ = (expression);            \
    if (!sqlite_store_status_.ok()) return sqlite_store_status_; \
  } while (false)

#define SQLITE_STORE_CONCAT_INNER(a, b) a##b
#define SQLITE_STORE_CONCAT(a, b) SQLITE_STORE_CONCAT_INNER(a, b)
#define SQLITE_STORE_ASSIGN_OR_RETURN(target, expression)                                     \
  SQLITE_STORE_ASSIGN_OR_RETURN_IMPL(SQLITE_STORE_CONCAT(sqlite_store_or_, __LINE__), target, \
                                     expression)
#define SQLITE_STORE_ASSIGN_OR_RETURN_IMPL(temporary, target, expression) \
  auto temporary = (expression);                                          \
  if (!temporary.ok()) return temporary.status();                         \
  target = std::move(*temporary)

namespace casedesk::adapters::sqlite {

inline constexpr int kMaxPageLimit = 1000;
// Comments get search part numbers 2.., below 2^20 (see the search_parts schema comment).
inline constexpr int kSearchPartBits = 20;
inline constexpr int64_t kMaxSearchPart = (int64_t{1} << kSearchPartBits) - 1;

// Every row of `query`, each turned into a T by `from_row`.
template <typename T, typename FromRow>
absl::StatusOr<std::vector<T>> CollectRows(Statement& query, FromRow from_row) {
  std::vector<T> rows;
  while (true) {
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (!has_row) return rows;
    rows.push_back(from_row(query));
  }
}

// "?, ?, ?" for `count` bound values.
inline std::string Placeholders(size_t count) {
  std::string list;
  for (size_t i = 0; i < count; ++i) list += i == 0 ? "?" : ", ?";
  return list;
}

inline int ClampLimit(int limit) { return std::clamp(limit, 1, kMaxPageLimit); }

inline int64_t SearchRowId(int64_t case_number, int64_t part) {
  return (case_number << kSearchPartBits) + part;
}

// Refines a failed write: duplicates become AlreadyExists with `duplicate_message`, dangling
// references InvalidArgument; other store failures stay Unavailable.
inline absl::Status ClassifyWriteError(const absl::Status& status, const Statement& statement,
                                       std::string_view duplicate_message) {
  switch (statement.last_error()) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(
          absl::string_view(duplicate_message.data(), duplicate_message.size()));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return absl::InvalidArgumentError("refers to a record that does not exist");
    default:
      return status;
  }
}

}  // namespace casedesk::adapters::sqlite
