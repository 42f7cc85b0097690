// PostgresTransaction: leases on work only one node does at a time, one row per name. Two nodes
// claiming at once meet on the row's unique key: the second waits for the first's commit and
// then finds the lease held.
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"

namespace casedesk::adapters::postgres {

absl::StatusOr<bool> PostgresTransaction::ClaimLease(std::string_view name, std::string_view holder,
                                                     absl::Time now, absl::Time until) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (name.empty() || holder.empty()) {
    return absl::InvalidArgumentError("lease: a name and a holder are required");
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult claimed,
      connection_.Execute("INSERT INTO leases (name, holder, until) VALUES ($1, $2, $3) "
                          "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                          "until = excluded.until "
                          "WHERE leases.until <= $4 OR leases.holder = excluded.holder",
                          PgParams()
                              .Add(name)
                              .Add(holder)
                              .Add(absl::ToUnixMicros(until))
                              .Add(absl::ToUnixMicros(now))));
  return claimed.affected() == 1;
}

absl::Status PostgresTransaction::ReleaseLease(std::string_view name, std::string_view holder) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  return connection_
      .Execute("DELETE FROM leases WHERE name = $1 AND holder = $2",
               PgParams().Add(name).Add(holder))
      .status();
}

}  // namespace casedesk::adapters::postgres
