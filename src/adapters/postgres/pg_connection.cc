#include "adapters/postgres/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <utility>

#include "adapters/postgres/pg_row_inserts.h"

namespace casedesk::adapters::postgres {
namespace {

int HexValue(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  if (digit >= 'a' && digit <= 'f') return digit - 'a' + 10;
  if (digit >= 'A' && digit <= 'F') return digit - 'A' + 10;
  return -1;
}

// libpq sends text values as C strings.
absl::Status RefuseNulInText(const PgParams& params) {
  if (!params.has_nul_in_text()) return absl::OkStatus();
  return absl::InvalidArgumentError("text values may not contain NUL characters");
}

// Server notices ("query contains only stop words", ...) are expected; never print them.
void IgnoreNotice(void*, const PGresult*) {}

}  // namespace

// ---- PgParams ----

PgParams& PgParams::Add(int64_t value) {
  values_.emplace_back(std::to_string(value));
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Add(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) has_nul_in_text_ = true;
  values_.emplace_back(std::string(text));
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::Add(const std::optional<int64_t>& value) {
  if (!value.has_value()) return AddNull();
  return Add(*value);
}

PgParams& PgParams::Add(bool value) {
  values_.emplace_back(value ? "true" : "false");
  formats_.push_back(0);
  return *this;
}

PgParams& PgParams::AddBytes(std::string_view bytes) {
  values_.emplace_back(std::string(bytes));
  formats_.push_back(1);
  return *this;
}

PgParams& PgParams::AddNull() {
  values_.emplace_back(std::nullopt);
  formats_.push_back(0);
  return *this;
}

// ---- PgResult ----

PgResult::PgResult(pg_result* result) : result_(result) {}
PgResult::PgResult(PgResult&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (result_ != nullptr) PQclear(result_);
    result_ = std::exchange(other.result_, nullptr);
  }
  return *this;
}
PgResult::~PgResult() {
  if (result_ != nullptr) PQclear(result_);
}

int PgResult::rows() const { return PQntuples(result_); }

int PgResult::columns() const { return PQnfields(result_); }

int64_t PgResult::affected() const {
  const char* text = PQcmdTuples(result_);
  int64_t value = 0;
  std::from_chars(text, text + std::strlen(text), value);
  return value;
}

bool PgResult::IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }

std::string_view PgResult::Text(int row, int column) const {
  return std::string_view(PQgetvalue(result_, row, column),
                          static_cast<size_t>(PQgetlength(result_, row, column)));
}

int64_t PgResult::Int(int row, int column) const {
  const std::string_view text = Text(row, column);
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::optional<int64_t> PgResult::OptionalInt(int row, int column) const {
  if (IsNull(row, column)) return std::nullopt;
  return Int(row, column);
}

bool PgResult::Bool(int row, int column) const {
  const std::string_view text = Text(row, column);
  return !text.empty() && text[0] == 't';
}

std::string PgResult::Bytes(int row, int column) const {
  const std::string_view text = Text(row, column);
  std::string bytes;
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x') return bytes;
  bytes.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i + 1 < text.size(); i += 2) {
    const int high = HexValue(text[i]);
    const int low = HexValue(text[i + 1]);
    if (high < 0 || low < 0) return std::string();
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

// ---- Errors ----

absl::Status StatusFromSqlState(std::string_view sqlstate, std::string_view message) {
  const std::string text = std::string(message);
  if (sqlstate == "23505") return absl::AlreadyExistsError(text);
  if (sqlstate == "23503") {
    return absl::InvalidArgumentError("refers to a record that does not exist");
  }
  if (sqlstate == "25006") return absl::FailedPreconditionError(text);
  // Class 22: data exceptions (invalid UTF-8, out-of-range numbers); 23514 check violations.
  if (sqlstate.substr(0, 2) == "22" || sqlstate == "23514" || sqlstate == "23502") {
    return absl::InvalidArgumentError(text);
  }
  return absl::UnavailableError(text);
}

// ---- PgConnection ----

absl::StatusOr<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo) {
  // Session settings travel in the startup packet: no extra round trip per connection.
  const char* keywords[] = {"dbname", "options", "client_encoding", "connect_timeout",
                            "application_name", nullptr};
  const char* values[] = {conninfo.c_str(),
                          "-c synchronous_commit=on -c TimeZone=UTC",
                          "UTF8", "5", "casedesk", nullptr};
  PGconn* connection = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (connection == nullptr) return absl::UnavailableError("postgres: out of memory");
  if (PQstatus(connection) != CONNECTION_OK) {
    // The message names host and port, never the password.
    std::string message = PQerrorMessage(connection);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    PQfinish(connection);
    return absl::UnavailableError("cannot connect to PostgreSQL: " + message);
  }
  PQsetNoticeReceiver(connection, IgnoreNotice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(connection));
}

PgConnection::~PgConnection() { PQfinish(connection_); }

bool PgConnection::IsHealthy() const { return !broken_ && PQstatus(connection_) == CONNECTION_OK; }

bool PgConnection::InTransaction() const {
  const PGTransactionStatusType status = PQtransactionStatus(connection_);
  return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE;
}

bool PgConnection::CheckHealthy() {
  if (!IsHealthy()) return false;
  // Reads what the server sent while the connection was idle. A server shutting down sends a
  // FATAL message and then closes the socket; libpq notices the close only on a later read,
  // so read again while there is something to read (twice is enough for both).
  for (int reads = 0; reads < 2; ++reads) {
    pollfd socket{.fd = PQsocket(connection_), .events = POLLIN, .revents = 0};
    if (poll(&socket, 1, 0) <= 0 || !PQconsumeInput(connection_)) break;
  }
  return PQstatus(connection_) == CONNECTION_OK;
}

bool PgConnection::InOpenTransaction() const {
  return PQtransactionStatus(connection_) == PQTRANS_INTRANS;
}

bool PgConnection::InFailedTransaction() const {
  return PQtransactionStatus(connection_) == PQTRANS_INERROR;
}

absl::Status PgConnection::StatusFromResult(pg_result* result, std::string_view context) const {
  if (result == nullptr || PQstatus(connection_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection_);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    return absl::UnavailableError("lost the connection to PostgreSQL (" + std::string(context) +
                                  "): " + message);
  }
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return absl::OkStatus();
  const char* sqlstate = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  // Deadlock detected, serialization failure: the statement lost a race with another
  // transaction, and running it again will normally succeed.
  if (sqlstate != nullptr &&
      (std::string_view(sqlstate) == "40P01" || std::string_view(sqlstate) == "40001")) {
    lost_race_ = true;
  }
  const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  std::string message = primary != nullptr ? primary : PQresultErrorMessage(result);
  return StatusFromSqlState(sqlstate != nullptr ? sqlstate : "", message);
}

absl::StatusOr<std::string> PgConnection::Prepare(const std::string& sql) {
  auto found = prepared_.find(sql);
  if (found != prepared_.end()) return found->second;
  std::string name = "s" + std::to_string(prepared_.size() + 1);
  PGresult* raw = PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr);
  PgResult result(raw);
  absl::Status status = StatusFromResult(raw, "prepare");
  if (!status.ok()) return status;
  prepared_.emplace(sql, name);
  return name;
}

absl::StatusOr<PgConnection::Bound> PgConnection::Bind(const std::string& sql,
                                                       const PgParams& params) {
  if (absl::Status sendable = RefuseNulInText(params); !sendable.ok()) return sendable;
  absl::StatusOr<std::string> name = Prepare(sql);
  if (!name.ok()) return name.status();
  Bound bound{*std::move(name), std::vector<const char*>(params.values_.size()),
              std::vector<int>(params.values_.size()), &params.formats_};
  for (size_t i = 0; i < params.values_.size(); ++i) {
    const std::optional<std::string>& value = params.values_[i];
    bound.values[i] = value.has_value() ? value->data() : nullptr;
    bound.lengths[i] = value.has_value() ? static_cast<int>(value->size()) : 0;
  }
  return bound;
}

absl::StatusOr<PgResult> PgConnection::Execute(const std::string& sql, const PgParams& params) {
  if (absl::Status finished = FinishPending(); !finished.ok()) return finished;
  absl::StatusOr<Bound> bound = Bind(sql, params);
  if (!bound.ok()) return bound.status();
  if (!unsent_command_.empty() || !queued_.empty()) {
    std::vector<PgStatement> sending;
    absl::StatusOr<std::vector<Bound>> statements = TakeQueued(sending);
    if (!statements.ok()) return statements.status();
    statements->push_back(*std::move(bound));
    absl::StatusOr<std::vector<PgResult>> results = ExecutePipelined(*statements);
    if (!results.ok()) return results.status();
    return std::move(results->back());
  }
  PGresult* raw =
      PQexecPrepared(connection_, bound->name.c_str(), static_cast<int>(bound->values.size()),
                     bound->values.data(), bound->lengths.data(), bound->formats->data(),
                     /*resultFormat=*/0);
  PgResult result(raw);
  absl::Status status = StatusFromResult(raw, "statement");
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<std::vector<PgResult>> PgConnection::ExecuteTogether(
    const std::vector<PgStatement>& statements) {
  if (absl::Status finished = FinishPending(); !finished.ok()) return finished;
  std::vector<PgStatement> sending;
  absl::StatusOr<std::vector<Bound>> bound = TakeQueued(sending);
  if (!bound.ok()) return bound.status();
  const size_t queued = bound->size();
  for (const PgStatement& statement : statements) {
    absl::StatusOr<Bound> one = Bind(statement.sql, statement.params);
    if (!one.ok()) return one.status();
    bound->push_back(*std::move(one));
  }
  absl::StatusOr<std::vector<PgResult>> results = ExecutePipelined(*bound);
  if (results.ok()) results->erase(results->begin(), results->begin() + queued);
  return results;
}

absl::Status PgConnection::Queue(const std::string& sql, PgParams params) {
  // Binding now reports what binding would report later, and prepares the statement (a round
  // trip the first time its text is seen on this connection, never inside the pipeline).
  if (absl::StatusOr<Bound> bound = Bind(sql, params); !bound.ok()) return bound.status();
  queued_.push_back(PgQueuedWrite{.statement = PgStatement{sql, std::move(params)}});
  return absl::OkStatus();
}

absl::Status PgConnection::QueueRows(const PgRowsInsert& insert, std::vector<PgParams> rows) {
  for (const PgParams& row : rows) {
    if (absl::Status sendable = RefuseNulInText(row); !sendable.ok()) return sendable;
  }
  if (absl::StatusOr<std::string> prepared = Prepare(std::string(insert.sql)); !prepared.ok()) {
    return prepared.status();
  }
  queued_.push_back(PgQueuedWrite{.insert = &insert, .rows = std::move(rows)});
  return absl::OkStatus();
}

absl::Status PgConnection::ExecuteRows(const PgRowsInsert& insert,
                                       const std::vector<PgParams>& rows) {
  if (rows.empty()) return absl::OkStatus();
  return Execute(std::string(insert.sql), RowsAsArrays(rows)).status();
}

absl::Status PgConnection::FlushQueued() {
  if (queued_.empty()) return absl::OkStatus();
  return ExecuteTogether({}).status();
}

absl::StatusOr<std::vector<PgConnection::Bound>> PgConnection::TakeQueued(
    std::vector<PgStatement>& sending) {
  sending = MergeQueuedWrites(std::exchange(queued_, {}));
  std::vector<Bound> bound;
  bound.reserve(sending.size() + 1);
  for (const PgStatement& statement : sending) {
    absl::StatusOr<Bound> one = Bind(statement.sql, statement.params);
    if (!one.ok()) return one.status();
    bound.push_back(*std::move(one));
  }
  return bound;
}

absl::Status PgConnection::ExecuteScript(const std::string& sql) {
  if (absl::Status finished = FinishPending(); !finished.ok()) return finished;
  // A rollback undoes whatever is queued (every savepoint was set before it was queued, as
  // setting one sends the queue), and must not be skipped for a queued statement's error.
  if (sql.rfind("ROLLBACK", 0) == 0) DropQueued();
  if (absl::Status flushed = FlushQueued(); !flushed.ok()) return flushed;
  if (!unsent_command_.empty()) {
    const std::string script = std::exchange(unsent_command_, "") + "; " + sql;
    return ExecuteScript(script);
  }
  PGresult* raw = PQexec(connection_, sql.c_str());
  PgResult result(raw);
  return StatusFromResult(raw, "command");
}

void PgConnection::SendBeforeNextStatement(std::string sql) { unsent_command_ = std::move(sql); }

bool PgConnection::TakeUnsentCommand() {
  const bool unsent = !unsent_command_.empty();
  unsent_command_.clear();
  return unsent;
}

absl::Status PgConnection::SendWithoutWaiting(const std::string& sql) {
  if (absl::Status finished = FinishPending(); !finished.ok()) return finished;
  if (absl::Status flushed = FlushQueued(); !flushed.ok()) return flushed;
  if (PQsendQuery(connection_, sql.c_str()) != 1) return StatusFromResult(nullptr, "command");
  awaiting_answer_ = true;
  return absl::OkStatus();
}

absl::Status PgConnection::FinishPending() {
  if (!awaiting_answer_) return absl::OkStatus();
  awaiting_answer_ = false;
  absl::Status status;
  // Every result up to the null that ends the command's answer.
  while (PGresult* raw = PQgetResult(connection_)) {
    PgResult result(raw);
    if (status.ok()) status = StatusFromResult(raw, "command");
  }
  if (status.ok() && PQstatus(connection_) != CONNECTION_OK) {
    status = StatusFromResult(nullptr, "command");
  }
  return status;
}

absl::StatusOr<std::vector<PgResult>> PgConnection::ExecutePipelined(
    const std::vector<Bound>& statements) {
  const std::string command = std::exchange(unsent_command_, "");
  if (PQenterPipelineMode(connection_) != 1) {
    return StatusFromResult(nullptr, "pipeline");
  }
  bool sent = command.empty() || PQsendQueryParams(connection_, command.c_str(), 0, nullptr,
                                                   nullptr, nullptr, nullptr, 0) == 1;
  for (const Bound& statement : statements) {
    sent = sent && PQsendQueryPrepared(connection_, statement.name.c_str(),
                                       static_cast<int>(statement.values.size()),
                                       statement.values.data(), statement.lengths.data(),
                                       statement.formats->data(), 0) == 1;
  }
  sent = sent && PQpipelineSync(connection_) == 1;
  // Each command's result (each answer ends with a null), then the sync marker. After an error
  // the later statements' answers are PGRES_PIPELINE_ABORTED; after a lost connection every
  // read comes back null at once.
  std::vector<PgResult> answers;
  answers.reserve(statements.size() + 1);
  if (sent) {
    for (size_t i = 0; i < statements.size() + (command.empty() ? 0 : 1); ++i) {
      PGresult* answer = nullptr;
      while (PGresult* raw = PQgetResult(connection_)) {
        if (answer != nullptr) PQclear(answer);
        answer = raw;
      }
      answers.emplace_back(answer);
    }
    if (PGresult* sync = PQgetResult(connection_)) PQclear(sync);
  }
  // Leaving pipeline mode fails only when answers are still unread: the connection cannot be
  // trusted then, and the pool discards it.
  if (PQexitPipelineMode(connection_) != 1) broken_ = true;
  if (!sent) return StatusFromResult(nullptr, "pipeline");
  if (!command.empty()) {
    if (absl::Status begun = StatusFromResult(answers.front().raw(), "command"); !begun.ok()) {
      return begun;
    }
    answers.erase(answers.begin());
  }
  for (PgResult& answer : answers) {
    if (absl::Status status = StatusFromResult(answer.raw(), "statement"); !status.ok()) {
      return status;
    }
  }
  return answers;
}

absl::StatusOr<std::vector<PgConnection::Notification>> PgConnection::WaitForNotifications(
    std::chrono::milliseconds timeout) {
  std::vector<Notification> payloads;
  const auto take_notifications = [&] {
    while (PGnotify* notification = PQnotifies(connection_)) {
      payloads.push_back(Notification{notification->relname, notification->extra});
      PQfreemem(notification);
    }
  };
  take_notifications();  // already read along with an earlier result
  if (!payloads.empty()) return payloads;
  const int socket = PQsocket(connection_);
  if (socket < 0) return absl::UnavailableError("the connection to PostgreSQL is closed");
  pollfd readable{socket, POLLIN, 0};
  const int ready = poll(&readable, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) {
    return absl::UnavailableError("waiting for PostgreSQL notifications failed");
  }
  if (ready > 0) {
    if (PQconsumeInput(connection_) == 0) {
      return absl::UnavailableError(std::string("lost the connection to PostgreSQL: ") +
                                    PQerrorMessage(connection_));
    }
    take_notifications();
  }
  return payloads;
}

}  // namespace casedesk::adapters::postgres
