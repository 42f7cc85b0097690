// Row inserts that travel together. A write batch queues the rows of many units (a case, its
// SLA summary, its event, its mail, its timers, then the next case's); sent as they were
// queued, each row is a statement of its own, with the per-statement cost on the server (bind,
// executor start-up, trigger set-up) paid for every row. A PgRowsInsert takes any number of
// rows at once: each parameter is an array holding one column's value for every row. Merging
// the queue puts the rows of each kind into one statement. (PgRowsInsert and PgQueuedWrite are
// declared with the connection that queues them.)
#pragma once

#include <vector>

#include "adapters/postgres/pg_connection.h"

namespace casedesk::adapters::postgres {

// The rows' values column by column, each column one array parameter in PostgreSQL's array
// text form (binary values, bytea, as hex). Every row must have the same number of values.
PgParams RowsAsArrays(const std::vector<PgParams>& rows);
// One row as arrays: a PgRowsInsert's statement (with RETURNING, say) run for a single row.
PgParams RowAsArrays(PgParams row);

// The statements that apply `queued` in one pipeline. A statement queued as it is keeps its
// place; each run of row inserts between two of them becomes one statement per kind (more
// for repeated upsert keys), ordered by PgRowsInsert::rank.
std::vector<PgStatement> MergeQueuedWrites(std::vector<PgQueuedWrite> queued);

}  // namespace casedesk::adapters::postgres
