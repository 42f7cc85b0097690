// SqliteTransaction: leases on work only one node does at a time, one row per name.
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"

namespace casedesk::adapters::sqlite {

absl::StatusOr<bool> SqliteTransaction::ClaimLease(std::string_view name, std::string_view holder,
                                                   absl::Time now, absl::Time until) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (name.empty() || holder.empty()) {
    return absl::InvalidArgumentError("lease: a name and a holder are required");
  }
  // The update applies only to a free, run-out or own lease; otherwise nothing changes.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement claim,
      connection_.Prepare("INSERT INTO leases (name, holder, until) VALUES (?1, ?2, ?3) "
                          "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, "
                          "until = excluded.until "
                          "WHERE leases.until <= ?4 OR leases.holder = excluded.holder"));
  claim.Bind(1, name)
      .Bind(2, holder)
      .Bind(3, absl::ToUnixMicros(until))
      .Bind(4, absl::ToUnixMicros(now));
  SQLITE_STORE_RETURN_IF_ERROR(claim.Run());
  return connection_.Changes() == 1;
}

absl::Status SqliteTransaction::ReleaseLease(std::string_view name, std::string_view holder) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement release, connection_.Prepare("DELETE FROM leases WHERE name = ? AND holder = ?"));
  release.Bind(1, name).Bind(2, holder);
  return release.Run();
}

}  // namespace casedesk::adapters::sqlite
