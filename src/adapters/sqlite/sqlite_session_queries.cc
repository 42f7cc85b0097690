// SqliteTransaction: web sign-in sessions, one row per session keyed by the SHA-256 digest of
// the cookie's token (stored as a blob, like API token digests).
#include <string>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::sqlite {
namespace {

constexpr char kSessionColumns[] = "digest, user_id, created_at, last_seen_at, expires_at";

core::WebSession SessionFromRow(const Statement& row) {
  core::WebSession session;
  session.digest = row.Blob(0);
  session.user_id = row.Int(1);
  session.created_at = TimeFromColumn(row.OptionalInt(2));
  session.last_seen_at = TimeFromColumn(row.OptionalInt(3));
  session.expires_at = TimeFromColumn(row.OptionalInt(4));
  return session;
}

}  // namespace

absl::Status SqliteTransaction::InsertWebSession(const core::WebSession& session) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (session.digest.empty()) return absl::InvalidArgumentError("digest: a session needs one");
  if (session.expires_at == absl::InfinitePast()) {
    return absl::InvalidArgumentError("expires_at: a session needs an expiry");
  }
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement insert,
                                connection_.Prepare(std::string("INSERT INTO web_sessions (") +
                                                    kSessionColumns + ") VALUES (?, ?, ?, ?, ?)"));
  insert.BindBlob(1, session.digest)
      .Bind(2, session.user_id)
      .Bind(3, TimeToColumn(session.created_at))
      .Bind(4, TimeToColumn(session.last_seen_at))
      .Bind(5, TimeToColumn(session.expires_at));
  absl::Status status = insert.Run();
  if (!status.ok()) {
    return ClassifyWriteError(status, insert, "digest: a session with this digest already exists");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<core::WebSession>> SqliteTransaction::FindWebSession(
    std::string_view digest) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kSessionColumns +
                                                    " FROM web_sessions WHERE digest = ?"));
  query.BindBlob(1, digest);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool found, query.Step());
  if (!found) return std::nullopt;
  return SessionFromRow(query);
}

absl::Status SqliteTransaction::TouchWebSession(std::string_view digest, absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE web_sessions SET last_seen_at = ? WHERE digest = ?"));
  update.Bind(1, TimeToColumn(at)).BindBlob(2, digest);
  return update.Run();
}

absl::Status SqliteTransaction::DeleteWebSession(std::string_view digest) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement remove,
                                connection_.Prepare("DELETE FROM web_sessions WHERE digest = ?"));
  remove.BindBlob(1, digest);
  return remove.Run();
}

absl::Status SqliteTransaction::DeleteUserWebSessions(core::UserId user_id) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement remove,
                                connection_.Prepare("DELETE FROM web_sessions WHERE user_id = ?"));
  remove.Bind(1, user_id);
  return remove.Run();
}

absl::StatusOr<int64_t> SqliteTransaction::DeleteExpiredWebSessions(absl::Time now) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement remove, connection_.Prepare("DELETE FROM web_sessions WHERE expires_at <= ?"));
  remove.Bind(1, absl::ToUnixMicros(now));
  SQLITE_STORE_RETURN_IF_ERROR(remove.Run());
  return int64_t{connection_.Changes()};
}

}  // namespace casedesk::adapters::sqlite
