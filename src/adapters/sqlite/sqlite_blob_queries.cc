// SqliteTransaction: blobs (attachment and raw-mail bytes) by the hex SHA-256 of their content.
#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"

namespace casedesk::adapters::sqlite {

absl::Status SqliteTransaction::PutBlob(std::string_view digest, std::string_view content) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (digest.empty()) return absl::InvalidArgumentError("digest: a blob needs one");
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert, connection_.Prepare("INSERT INTO blobs (digest, content) VALUES (?, ?) "
                                            "ON CONFLICT (digest) DO NOTHING"));
  insert.Bind(1, digest).BindBlob(2, content);
  return insert.Run();
}

absl::StatusOr<std::optional<std::string>> SqliteTransaction::GetBlob(std::string_view digest) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare("SELECT content FROM blobs WHERE digest = ?"));
  query.Bind(1, digest);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::nullopt;
  return query.Blob(0);
}

}  // namespace casedesk::adapters::sqlite
