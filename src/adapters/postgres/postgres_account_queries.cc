// PostgresTransaction: customer-account links (verification, password reset, invitations), one
// row per link keyed by the SHA-256 digest of its token (bytea, like session digests). A failed
// statement would abort the whole transaction, so a duplicate digest is found with ON CONFLICT
// DO NOTHING, not by an error. Using a link is a conditional UPDATE: of two concurrent uses the
// second waits for the first's row lock and then finds used_at set.
#include <string>

#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"
#include "core/enum_names.h"

namespace casedesk::adapters::postgres {
namespace {

const std::string kAccountTokenColumns =
    "digest, purpose, user_id, created_at, expires_at, used_at";

absl::StatusOr<ports::AccountToken> AccountTokenFromRow(const PgResult& rows, int row) {
  ports::AccountToken token;
  token.digest = rows.Bytes(row, 0);
  const std::string purpose(rows.Text(row, 1));
  const std::optional<ports::AccountTokenPurpose> parsed =
      core::EnumFromName<ports::AccountTokenPurpose>(ports::kAccountTokenPurposeNames, purpose);
  if (!parsed) return absl::DataLossError("account_tokens.purpose: unknown '" + purpose + "'");
  token.purpose = *parsed;
  token.user_id = rows.Int(row, 2);
  token.created_at = TimeFromColumn(rows.OptionalInt(row, 3));
  token.expires_at = TimeFromColumn(rows.OptionalInt(row, 4));
  token.used_at = OptionalTimeFromColumn(rows.OptionalInt(row, 5));
  return token;
}

}  // namespace

absl::Status PostgresTransaction::InsertAccountToken(const ports::AccountToken& token) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (token.digest.empty()) return absl::InvalidArgumentError("digest: a link needs one");
  if (token.expires_at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("expires_at: a link needs an expiry");
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO account_tokens (" + kAccountTokenColumns +
                              ") VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                          PgParams()
                              .AddBytes(token.digest)
                              .Add(core::NameOf<ports::AccountTokenPurpose>(
                                  ports::kAccountTokenPurposeNames, token.purpose))
                              .Add(token.user_id)
                              .Add(TimeToColumn(token.created_at))
                              .Add(TimeToColumn(token.expires_at))
                              .Add(OptionalTimeToColumn(token.used_at))));
  if (inserted.affected() == 0) {
    return absl::AlreadyExistsError("digest: a link with this digest already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<ports::AccountToken>> PostgresTransaction::FindAccountToken(
    std::string_view digest) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kAccountTokenColumns +
                                                    " FROM account_tokens WHERE digest = $1",
                                                PgParams().AddBytes(digest)));
  if (rows.rows() == 0) return std::nullopt;
  PG_STORE_ASSIGN_OR_RETURN(ports::AccountToken token, AccountTokenFromRow(rows, 0));
  return token;
}

absl::StatusOr<bool> PostgresTransaction::UseAccountToken(std::string_view digest, absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute(
          "UPDATE account_tokens SET used_at = $2 WHERE digest = $1 AND used_at IS NULL",
          PgParams().AddBytes(digest).Add(absl::ToUnixMicros(at))));
  return updated.affected() == 1;
}

absl::Status PostgresTransaction::UseUserAccountTokens(core::UserId user_id, absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  return connection_
      .Execute("UPDATE account_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL",
               PgParams().Add(user_id).Add(absl::ToUnixMicros(at)))
      .status();
}

absl::StatusOr<int64_t> PostgresTransaction::DeleteExpiredAccountTokens(absl::Time now) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(PgResult deleted,
                            connection_.Execute("DELETE FROM account_tokens WHERE expires_at <= $1",
                                                PgParams().Add(absl::ToUnixMicros(now))));
  return deleted.affected();
}

}  // namespace casedesk::adapters::postgres
