// SqliteTransaction: throttle hits, one row per counted hit. SQLite has one writer, so an
// admission's count and insert cannot interleave with another's.
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"

namespace casedesk::adapters::sqlite {

absl::StatusOr<int> SqliteTransaction::CountThrottleHits(std::string_view key, absl::Time since) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT count(*) FROM throttle_hits WHERE key = ? AND at >= ?"));
  query.BindBlob(1, key).Bind(2, absl::ToUnixMicros(since));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  return found ? static_cast<int>(query.Int(0)) : 0;
}

absl::StatusOr<bool> SqliteTransaction::AdmitThrottleHit(std::string_view key, absl::Time at,
                                                         absl::Time since, int max_hits) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (key.empty()) return absl::InvalidArgumentError("key: a throttle hit needs one");
  SQLITE_STORE_ASSIGN_OR_RETURN(int counted, CountThrottleHits(key, since));
  if (counted >= max_hits) return false;
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert, connection_.Prepare("INSERT INTO throttle_hits (key, at) VALUES (?, ?)"));
  insert.BindBlob(1, key).Bind(2, absl::ToUnixMicros(at));
  SQLITE_STORE_RETURN_IF_ERROR(insert.Run());
  return true;
}

absl::Status SqliteTransaction::ClearThrottleHits(std::string_view key) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement remove,
                                connection_.Prepare("DELETE FROM throttle_hits WHERE key = ?"));
  remove.BindBlob(1, key);
  return remove.Run();
}

absl::StatusOr<int64_t> SqliteTransaction::DeleteThrottleHitsBefore(absl::Time before) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement remove,
                                connection_.Prepare("DELETE FROM throttle_hits WHERE at < ?"));
  remove.Bind(1, absl::ToUnixMicros(before));
  SQLITE_STORE_RETURN_IF_ERROR(remove.Run());
  return int64_t{connection_.Changes()};
}

}  // namespace casedesk::adapters::sqlite
