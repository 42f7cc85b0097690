// `casedesk store copy`: moves a SQLite desk into a PostgreSQL database.
//
// CopySqliteToPostgres migrates the target to the PostgreSQL schema, then copies every table
// (CopiedTables(), parents first) in key order in batches. Each batch is read from SQLite and
// written to PostgreSQL in one PostgreSQL transaction with bound parameters; ids, case numbers
// and every column value are kept exactly. PostgreSQL's search index is not copied: its triggers
// build it as the cases and comments arrive, exactly as for cases created on PostgreSQL.
// Afterwards the identity sequences continue past the highest copied ids (or SQLite's
// AUTOINCREMENT high-water mark) and the case number sequence continues at SQLite's next
// number. Progress goes to `progress` as lines ("cases: 120000/500000 (24%, 5300 rows/s,
// ETA 72s)"), at most one per second per table plus one when the table is done.
//
// The target must be empty, or a copy of the same SQLite file that an earlier run left
// unfinished (a marker table, store_copy_state, records which). Resuming: each table continues
// after the last key PostgreSQL holds (for attachments, copied in SQLite rowid order so their
// listing order survives: after the rowid of the last attachment copied); a table with nothing
// above that key is skipped. A batch is all or nothing, so nothing is ever copied twice.
//
// Live desks: the whole run reads ONE SQLite snapshot (a single read transaction; the desk
// keeps serving and writing meanwhile, and its WAL cannot be truncated until the copy ends), so
// the copy is a consistent point-in-time image and its foreign keys hold. Writes after that
// snapshot are not carried. Re-running the copy takes a new snapshot and catches up only rows
// inserted with keys above each table's last copied key: new organisations, users, tokens,
// groups, cases, comments, attachments, events, notifications and severity flags (all keyed by
// increasing ids or numbers), and timers and SLA summaries of new cases. It does NOT carry
// changes to rows already copied (case updates, fired timers, sent notifications, revoked
// tokens, edited users, settings or plans), deletions (disarmed timers, deleted settings), or
// new rows whose key sorts below the last copied one (a new follower keyed by an existing user,
// a new member of an existing group, a new timer key of an existing case, a new plan or setting
// name that sorts earlier). Verification then reports those tables as different: stop the desk
// for the final copy (into an empty database) to cut over without losing writes.
//
// Verification (also VerifyCopy) compares, per table, the row counts and then every row
// column by column, in key order, between the SQLite snapshot and a PostgreSQL REPEATABLE READ
// snapshot; and that PostgreSQL's search index has one row per case subject, case description
// and comment, that the next case number is SQLite's, and that every identity sequence is past
// its table's highest id. Each difference is named (table, row key, column) and the first few
// are returned in a FailedPrecondition status.
//
// Thread-safety: each call uses its own connections; calls may run concurrently only against
// different target databases (a second copy into the same database is refused).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace casedesk::adapters::store_copy {

struct StoreCopyOptions {
  std::string sqlite_path;           // the desk's database file
  std::string postgres_url;          // postgresql://...
  int batch_size = 1000;             // rows per batch (and per PostgreSQL transaction), 1..100000
  std::ostream* progress = nullptr;  // progress lines; none when null
  // Stops the copy with Cancelled after this many batches in total (0: no limit). Copies a
  // large desk in slices; tests use it to interrupt a copy part way.
  int64_t stop_after_batches = 0;
  bool verify = true;  // run the verification pass after copying
};

struct TableCopyReport {
  std::string table;
  int64_t source_rows = 0;  // rows in the SQLite snapshot
  int64_t copied_rows = 0;  // rows this run inserted
  int64_t target_rows = 0;  // rows in PostgreSQL afterwards
  bool skipped = false;     // nothing left to copy when the run started
};

struct StoreCopyReport {
  std::vector<TableCopyReport> tables;
  int64_t next_case_number = 0;
};

// Copies (or resumes copying) the SQLite desk into PostgreSQL, then verifies unless disabled.
// Errors: NotFound (no SQLite desk), InvalidArgument (bad options), FailedPrecondition (target
// not empty or of another desk, unknown schema, a verification difference), Cancelled
// (stop_after_batches reached), Unavailable (a store failed).
absl::StatusOr<StoreCopyReport> CopySqliteToPostgres(const StoreCopyOptions& options);

// The verification pass on its own, against a fresh SQLite snapshot.
absl::Status VerifyCopy(const std::string& sqlite_path, const std::string& postgres_url,
                        int batch_size, std::ostream* progress);

}  // namespace casedesk::adapters::store_copy
