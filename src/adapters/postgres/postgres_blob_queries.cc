// PostgresTransaction: blobs (attachment and raw-mail bytes) by the hex SHA-256 of their
// content; the content goes out as a binary parameter.
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"

namespace casedesk::adapters::postgres {

absl::Status PostgresTransaction::PutBlob(std::string_view digest, std::string_view content) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (digest.empty()) return absl::InvalidArgumentError("digest: a blob needs one");
  return connection_
      .Execute("INSERT INTO blobs (digest, content) VALUES ($1, $2) ON CONFLICT DO NOTHING",
               PgParams().Add(digest).AddBytes(content))
      .status();
}

absl::StatusOr<std::optional<std::string>> PostgresTransaction::GetBlob(std::string_view digest) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT content FROM blobs WHERE digest = $1", PgParams().Add(digest)));
  if (rows.rows() == 0) return std::nullopt;
  return rows.Bytes(0, 0);
}

}  // namespace casedesk::adapters::postgres
