// SqliteTransaction: customer-account links (verification, password reset, invitations), one
// row per link keyed by the SHA-256 digest of its token (a blob, like session digests). Using a
// link is a conditional UPDATE, so of two concurrent uses exactly one succeeds.
#include <string>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::sqlite {
namespace {

constexpr char kAccountTokenColumns[] = "digest, purpose, user_id, created_at, expires_at, used_at";

absl::StatusOr<ports::AccountToken> AccountTokenFromRow(const Statement& row) {
  ports::AccountToken token;
  token.digest = row.Blob(0);
  const std::string purpose = row.Text(1);
  const std::optional<ports::AccountTokenPurpose> parsed =
      core::EnumFromName<ports::AccountTokenPurpose>(ports::kAccountTokenPurposeNames, purpose);
  if (!parsed) return absl::DataLossError("account_tokens.purpose: unknown '" + purpose + "'");
  token.purpose = *parsed;
  token.user_id = row.Int(2);
  token.created_at = TimeFromColumn(row.OptionalInt(3));
  token.expires_at = TimeFromColumn(row.OptionalInt(4));
  token.used_at = OptionalTimeFromColumn(row.OptionalInt(5));
  return token;
}

}  // namespace

absl::Status SqliteTransaction::InsertAccountToken(const ports::AccountToken& token) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (token.digest.empty()) return absl::InvalidArgumentError("digest: a link needs one");
  if (token.expires_at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("expires_at: a link needs an expiry");
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert, connection_.Prepare(std::string("INSERT INTO account_tokens (") +
                                            kAccountTokenColumns + ") VALUES (?, ?, ?, ?, ?, ?)"));
  insert.BindBlob(1, token.digest)
      .Bind(2, core::NameOf<ports::AccountTokenPurpose>(ports::kAccountTokenPurposeNames,
                                                        token.purpose))
      .Bind(3, token.user_id)
      .Bind(4, TimeToColumn(token.created_at))
      .Bind(5, TimeToColumn(token.expires_at))
      .Bind(6, OptionalTimeToColumn(token.used_at));
  absl::Status status = insert.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, insert, "digest: a link with this digest already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ports::AccountToken>> SqliteTransaction::FindAccountToken(
    std::string_view digest) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kAccountTokenColumns +
                                                    " FROM account_tokens WHERE digest = ?"));
  query.BindBlob(1, digest);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::nullopt;
  SQLITE_STORE_ASSIGN_OR_RETURN(ports::AccountToken token, AccountTokenFromRow(query));
  return token;
}

absl::StatusOr<bool> SqliteTransaction::UseAccountToken(std::string_view digest, absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare(
          "UPDATE account_tokens SET used_at = ? WHERE digest = ? AND used_at IS NULL"));
  update.Bind(1, absl::ToUnixMicros(at)).BindBlob(2, digest);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  return connection_.Changes() == 1;
}

absl::Status SqliteTransaction::UseUserAccountTokens(core::UserId user_id, absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare(
          "UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL"));
  update.Bind(1, absl::ToUnixMicros(at)).Bind(2, user_id);
  return update.Run();
}

absl::StatusOr<int64_t> SqliteTransaction::DeleteExpiredAccountTokens(absl::Time now) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement remove, connection_.Prepare("DELETE FROM account_tokens WHERE expires_at <= ?"));
  remove.Bind(1, absl::ToUnixMicros(now));
  SQLITE_STORE_RETURN_IF_ERROR(remove.Run());
  return int64_t{connection_.Changes()};
}

}  // namespace casedesk::adapters::sqlite
