// Helpers shared by the files that implement PostgresTransaction: page-size clamping, severity
// columns, shared row readers and early-return macros for Status/StatusOr. Thread-safe: pure
// functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/postgres/pg_connection.h"
#include "core/audit_event.h"
#include "core/organisation.h"
#include "core/severity.h"

#define PG_STORE_RETURN_IF_ERROR(expression)             \
  do {                                                   \
    absl::Status pg_store_status_ = (expression);        \
    if (!pg_store_status_.ok()) return pg_store_status_; \
  } while (false)

#define PG_STORE_CONCAT_INNER(a, b) a##b
#define PG_STORE_CONCAT(a, b) PG_STORE_CONCAT_INNER(a, b)
#define PG_STORE_ASSIGN_OR_RETURN(target, expression) \
  PG_STORE_ASSIGN_OR_RETURN_IMPL(PG_STORE_CONCAT(pg_store_or_, __LINE__), target, expression)
#define PG_STORE_ASSIGN_OR_RETURN_IMPL(temporary, target, expression) \
  auto temporary = (expression);                                      \
  if (!temporary.ok()) return temporary.status();                     \
  target = std::move(*temporary)

namespace casedesk::adapters::postgres {

inline constexpr int kMaxPageLimit = 1000;

// Row readers defined beside their own queries in postgres_transaction.cc, for the files whose
// queries read such rows too.
extern const std::string kOrganisationColumns;
core::Organisation OrganisationFromRow(const PgResult& rows, int row);
extern const std::string kEventColumns;
core::AuditEvent EventFromRow(const PgResult& rows, int row);

inline int ClampLimit(int limit) { return std::clamp(limit, 1, kMaxPageLimit); }

// A bigint[] parameter in PostgreSQL's array literal form, e.g. {1,2,3}.
inline std::string IdArray(const std::vector<int64_t>& ids) {
  std::string literal = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    literal += (i == 0 ? "" : ",") + std::to_string(ids[i]);
  }
  return literal + "}";
}

// Severities are stored as their level; an unknown level (a corrupt row) reads as minor.
inline core::Severity SeverityFromColumn(int64_t level) {
  core::Severity severity = core::Severity::kMinor;
  core::SeverityFromLevel(static_cast<int>(level), &severity);
  return severity;
}

}  // namespace casedesk::adapters::postgres
