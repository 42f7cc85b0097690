// A thin RAII layer over one libpq connection: connecting, running statements with bound
// parameters through per-connection prepared statements (prepared on first use, keyed by their
// SQL text), and turning PostgreSQL errors (SQLSTATE codes) into absl::Status values.
//
// Values never enter SQL text: every statement takes its values as parameters ($1, $2, ...),
// sent as text except byte strings, which are sent binary (bytea). Results come back as text.
//
// Thread-safety: a PgConnection is used by one thread at a time (the pool hands each connection
// to exactly one thread for the duration of a unit of work).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct pg_conn;
struct pg_result;

namespace casedesk::adapters::postgres {

// The parameters of one statement, in $1.. order.
class PgParams {
 public:
  PgParams& Add(int64_t value);
  PgParams& Add(std::string_view text);
  PgParams& Add(const char* text) { return Add(std::string_view(text)); }
  PgParams& Add(const std::string& text) { return Add(std::string_view(text)); }
  PgParams& Add(const std::optional<int64_t>& value);
  PgParams& Add(bool value);
  PgParams& AddBytes(std::string_view bytes);  // sent as binary bytea
  PgParams& AddNull();

  size_t size() const { return values_.size(); }
  const std::optional<std::string>& value(size_t i) const { return values_[i]; }
  bool is_binary(size_t i) const { return formats_[i] == 1; }
  // A text parameter with a NUL byte cannot be sent (libpq text values are C strings).
  bool has_nul_in_text() const { return has_nul_in_text_; }

 private:
  friend class PgConnection;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> formats_;  // 0 text, 1 binary
  bool has_nul_in_text_ = false;
};

// The rows of one statement's result, read as text.
class PgResult {
 public:
  explicit PgResult(pg_result* result);
  PgResult(PgResult&& other) noexcept;
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int rows() const;
  int columns() const;
  // Rows changed by INSERT/UPDATE/DELETE.
  int64_t affected() const;
  bool IsNull(int row, int column) const;
  std::string_view Text(int row, int column) const;
  int64_t Int(int row, int column) const;
  std::optional<int64_t> OptionalInt(int row, int column) const;
  bool Bool(int row, int column) const;
  // A bytea column in PostgreSQL's hex text form, decoded.
  std::string Bytes(int row, int column) const;

 private:
  friend class PgConnection;
  pg_result* raw() const { return result_; }
  pg_result* result_;
};

// One statement of PgConnection::ExecuteTogether.
struct PgStatement {
  std::string sql;
  PgParams params;
};

// An INSERT whose parameter $i is an array of the rows' values for its i-th column, as in
// "INSERT INTO t (a, b) SELECT * FROM unnest($1::bigint[], $2::text[])".
struct PgRowsInsert {
  std::string_view sql;
  // Within a run of queued row inserts, statements go out in rank order (then in the order
  // their first row was queued): a table's rank must be above that of every table its rows
  // refer to, as each unit's own order put the referred-to row first.
  int rank = 0;
  // For an upsert (ON CONFLICT DO UPDATE, which may change a row once per statement): its
  // first key_columns values are the conflict key, and a row whose key is already in the
  // statement starts the next one, so rows with one key still apply in the order queued.
  int key_columns = 0;
};

// Rows queued for one PgRowsInsert, or (with `insert` null) a statement queued as it is.
struct PgQueuedWrite {
  const PgRowsInsert* insert = nullptr;
  std::vector<PgParams> rows;  // with `insert`
  PgStatement statement;       // without
};

// Maps a failed result to a status: unique violations AlreadyExists, foreign-key violations and
// bad data InvalidArgument, writes in a read-only transaction FailedPrecondition, lost
// connections, shutdowns, deadlocks and everything else Unavailable.
absl::Status StatusFromSqlState(std::string_view sqlstate, std::string_view message);

class PgConnection {
 public:
  // Connects with `conninfo` (a postgresql:// URL or key=value string). The session uses UTC,
  // UTF-8 and synchronous_commit = on whatever the server default.
  static absl::StatusOr<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one parameterised statement (prepared on this connection the first time its text is
  // seen). An error result becomes a status (see StatusFromSqlState).
  absl::StatusOr<PgResult> Execute(const std::string& sql, const PgParams& params = PgParams());
  // Runs several independent statements in one round trip (libpq pipeline mode), after the
  // command kept by SendBeforeNextStatement if there is one. Results in order; the first
  // error is returned (PostgreSQL skips the statements after it).
  absl::StatusOr<std::vector<PgResult>> ExecuteTogether(const std::vector<PgStatement>& statements);
  // Runs parameterless commands (BEGIN, SAVEPOINT, migrations) through the simple protocol;
  // `sql` may hold several statements separated by semicolons. Queued statements go first.
  absl::Status ExecuteScript(const std::string& sql);

  // Writes nobody waits on. Queue keeps a statement (prepared at once, so bad parameters fail
  // here) to be sent in one pipeline with the next statement that is waited for (Execute,
  // ExecuteTogether), or by FlushQueued: a unit of work that inserts several rows and then
  // reads waits for one answer instead of one per row. A queued statement's error comes back
  // from whatever sends it; PostgreSQL skips the statements after it, so that call fails too.
  // DropQueued forgets them, for a unit that is being undone anyway.
  absl::Status Queue(const std::string& sql, PgParams params);
  // Queues rows for a PgRowsInsert (prepared at once, like Queue); when sent, queued rows are
  // merged as MergeQueuedWrites says (pg_row_inserts.h). ExecuteRows runs them at once.
  absl::Status QueueRows(const PgRowsInsert& insert, std::vector<PgParams> rows);
  absl::Status ExecuteRows(const PgRowsInsert& insert, const std::vector<PgParams>& rows);
  absl::Status FlushQueued();
  void DropQueued() { queued_.clear(); }
  size_t queued() const { return queued_.size(); }

  // Read transactions in fewer round trips. SendBeforeNextStatement keeps one parameterless
  // command (a BEGIN) to be sent together with the next Execute, in one pipeline, so it costs
  // no round trip of its own; if no statement follows, TakeUnsentCommand drops it (and says
  // so). SendWithoutWaiting sends a command (a read's COMMIT) and returns at once; its answer
  // is read by FinishPending, which every other use of the connection runs first, and by the
  // time the pool hands the connection out again it has normally arrived.
  void SendBeforeNextStatement(std::string sql);
  bool TakeUnsentCommand();
  absl::Status SendWithoutWaiting(const std::string& sql);
  absl::Status FinishPending();
  bool HasPendingAnswer() const { return awaiting_answer_; }

  // False once the connection to the server is lost; the owner then discards it.
  bool IsHealthy() const;
  // Reads whatever the server sent while the connection sat idle (without a round trip), so a
  // connection the server closed (restart, idle timeout) is seen as unhealthy before use.
  bool CheckHealthy();
  // True inside a transaction block (idle, active or failed).
  bool InTransaction() const;
  // True inside a transaction block that is idle and not aborted.
  bool InOpenTransaction() const;
  // True inside a transaction block that an error aborted (only ROLLBACK [TO] works).
  bool InFailedTransaction() const;
  // True when a statement failed since ForgetLostRace() because it lost a race with another
  // transaction (deadlock detected, serialization failure): running its work again will
  // normally succeed.
  bool LostRace() const { return lost_race_; }
  void ForgetLostRace() { lost_race_ = false; }
  // For a race its caller found itself (a row changed since the unit read it).
  void NoteLostRace() { lost_race_ = true; }
  size_t prepared_statements() const { return prepared_.size(); }

  // For a connection that ran LISTEN: waits up to `timeout` for notifications and returns them
  // (none when the time passed). Unavailable when the connection is lost.
  struct Notification {
    std::string channel;
    std::string payload;
  };
  absl::StatusOr<std::vector<Notification>> WaitForNotifications(std::chrono::milliseconds timeout);

 private:
  explicit PgConnection(pg_conn* connection) : connection_(connection) {}
  absl::Status StatusFromResult(pg_result* result, std::string_view context) const;
  absl::StatusOr<std::string> Prepare(const std::string& sql);
  // A prepared statement with its parameters as libpq takes them (pointing into PgParams).
  struct Bound {
    std::string name;
    std::vector<const char*> values;
    std::vector<int> lengths;
    const std::vector<int>* formats;
  };
  absl::StatusOr<Bound> Bind(const std::string& sql, const PgParams& params);
  // The command kept by SendBeforeNextStatement (if any), then the bound statements, in one
  // pipeline.
  absl::StatusOr<std::vector<PgResult>> ExecutePipelined(const std::vector<Bound>& statements);
  // The queued statements (their rows merged) bound, ahead of whatever is sent with them;
  // empties the queue into `sending`, which must outlive the pipeline (the bound values point
  // into it).
  absl::StatusOr<std::vector<Bound>> TakeQueued(std::vector<PgStatement>& sending);

  pg_conn* connection_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::string unsent_command_;
  std::vector<PgQueuedWrite> queued_;
  bool awaiting_answer_ = false;
  bool broken_ = false;             // left in a state no statement can follow
  mutable bool lost_race_ = false;  // set by StatusFromResult, which is const
};

}  // namespace casedesk::adapters::postgres
