// PostgresTransaction: throttle hits, one row per counted hit. Nodes admit hits for the same
// key concurrently, so an admission first takes a transaction-scoped advisory lock on the key:
// the count and the insert of one admission then never interleave with another's.
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"

namespace casedesk::adapters::postgres {

absl::StatusOr<int> PostgresTransaction::CountThrottleHits(std::string_view key, absl::Time since) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT count(*) FROM throttle_hits WHERE key = $1 AND at >= $2",
                          PgParams().AddBytes(key).Add(absl::ToUnixMicros(since))));
  return static_cast<int>(rows.Int(0, 0));
}

absl::StatusOr<bool> PostgresTransaction::AdmitThrottleHit(std::string_view key, absl::Time at,
                                                           absl::Time since, int max_hits) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (key.empty()) return absl::InvalidArgumentError("key: a throttle hit needs one");
  // The lock comes first, in a statement of its own: under READ COMMITTED the count that
  // follows then takes its snapshot after any admission that held the lock has committed.
  PG_STORE_RETURN_IF_ERROR(
      connection_
          .Execute("SELECT pg_advisory_xact_lock(hashtextextended(encode($1, 'hex'), 7243102))",
                   PgParams().AddBytes(key))
          .status());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO throttle_hits (key, at) SELECT $1, $2 "
                          "WHERE (SELECT count(*) FROM throttle_hits WHERE key = $1 AND at >= $3) "
                          "< $4",
                          PgParams()
                              .AddBytes(key)
                              .Add(absl::ToUnixMicros(at))
                              .Add(absl::ToUnixMicros(since))
                              .Add(int64_t{max_hits})));
  return inserted.affected() == 1;
}

absl::Status PostgresTransaction::ClearThrottleHits(std::string_view key) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  return connection_.Execute("DELETE FROM throttle_hits WHERE key = $1", PgParams().AddBytes(key))
      .status();
}

absl::StatusOr<int64_t> PostgresTransaction::DeleteThrottleHitsBefore(absl::Time before) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(PgResult deleted,
                            connection_.Execute("DELETE FROM throttle_hits WHERE at < $1",
                                                PgParams().Add(absl::ToUnixMicros(before))));
  return deleted.affected();
}

}  // namespace casedesk::adapters::postgres
