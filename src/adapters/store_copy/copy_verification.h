// The verification pass of `casedesk store copy` (described in store_copy.h), over an open
// SQLite snapshot and PostgreSQL connection. Internal to the store_copy library.
// Thread-safety: uses the given source and target from the calling thread only.
#pragma once

#include <ostream>

#include "absl/status/status.h"
#include "adapters/store_copy/postgres_target.h"
#include "adapters/store_copy/sqlite_source.h"

namespace casedesk::adapters::store_copy {

// OK when PostgreSQL holds exactly the snapshot's rows; else FailedPrecondition listing the
// differences found (the first per table, at most a few tables' worth in the message).
absl::Status VerifyTables(SqliteSource& source, PostgresTarget& target, int batch_size,
                          std::ostream* progress);

}  // namespace casedesk::adapters::store_copy
