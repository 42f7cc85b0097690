// PostgresTransaction: web sign-in sessions, one row per session keyed by the SHA-256 digest of
// the cookie's token (bytea, like API token digests). A failed statement would abort the whole
// transaction, so a duplicate digest is found with ON CONFLICT DO NOTHING, not by an error.
#include <string>

#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::postgres {
namespace {

const std::string kSessionColumns = "digest, user_id, created_at, last_seen_at, expires_at";

core::WebSession SessionFromRow(const PgResult& rows, int row) {
  core::WebSession session;
  session.digest = rows.Bytes(row, 0);
  session.user_id = rows.Int(row, 1);
  session.created_at = TimeFromColumn(rows.OptionalInt(row, 2));
  session.last_seen_at = TimeFromColumn(rows.OptionalInt(row, 3));
  session.expires_at = TimeFromColumn(rows.OptionalInt(row, 4));
  return session;
}

}  // namespace

absl::Status PostgresTransaction::InsertWebSession(const core::WebSession& session) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (session.digest.empty()) return absl::InvalidArgumentError("digest: a session needs one");
  if (session.expires_at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("expires_at: a session needs an expiry");
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute("INSERT INTO web_sessions (" + kSessionColumns +
                              ") VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                          PgParams()
                              .AddBytes(session.digest)
                              .Add(session.user_id)
                              .Add(TimeToColumn(session.created_at))
                              .Add(TimeToColumn(session.last_seen_at))
                              .Add(TimeToColumn(session.expires_at))));
  if (inserted.affected() == 0) {
    return absl::AlreadyExistsError("digest: a session with this digest already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<core::WebSession>> PostgresTransaction::FindWebSession(
    std::string_view digest) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kSessionColumns + " FROM web_sessions WHERE digest = $1",
                          PgParams().AddBytes(digest)));
  if (rows.rows() == 0) return std::nullopt;
  return SessionFromRow(rows, 0);
}

absl::Status PostgresTransaction::TouchWebSession(std::string_view digest, absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  return connection_
      .Execute("UPDATE web_sessions SET last_seen_at = $2 WHERE digest = $1",
               PgParams().AddBytes(digest).Add(TimeToColumn(at)))
      .status();
}

absl::Status PostgresTransaction::DeleteWebSession(std::string_view digest) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  return connection_
      .Execute("DELETE FROM web_sessions WHERE digest = $1", PgParams().AddBytes(digest))
      .status();
}

absl::Status PostgresTransaction::DeleteUserWebSessions(core::UserId user_id) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  return connection_.Execute("DELETE FROM web_sessions WHERE user_id = $1", PgParams().Add(user_id))
      .status();
}

absl::StatusOr<int64_t> PostgresTransaction::DeleteExpiredWebSessions(absl::Time now) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(PgResult deleted,
                            connection_.Execute("DELETE FROM web_sessions WHERE expires_at <= $1",
                                                PgParams().Add(absl::ToUnixMicros(now))));
  return deleted.affected();
}

}  // namespace casedesk::adapters::postgres
