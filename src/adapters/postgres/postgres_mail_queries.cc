// PostgresTransaction: what the email channel keeps -- the notification outbox (with delivery
// leases and retries), inbound messages, Message-ID threading and per-address mail state.
//
// Several nodes deliver the same outbox: ClaimNotifications takes due rows with
// FOR UPDATE SKIP LOCKED and sets a lease in the same statement, so two senders never hold one
// row, and a dead sender's lease simply expires. Statements that could violate a unique key use
// ON CONFLICT, because a failed statement would abort the whole transaction.
#include <algorithm>
#include <utility>

#include "adapters/postgres/pg_row_inserts.h"
#include "adapters/postgres/pg_transaction_support.h"
#include "adapters/postgres/postgres_transaction.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::postgres {
namespace {

const std::string kNotificationColumns =
    "id, case_number, kind, recipient_id, recipient_email, subject, body, created_at, sent_at,"
    " attempts, last_error, message_id, in_reply_to, thread_references, from_address, from_name,"
    " automatic, next_attempt_at, failed_at, claimed_until, extra_headers";

std::vector<ports::Notification> NotificationsFromRows(const PgResult& rows) {
  std::vector<ports::Notification> notifications;
  notifications.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    ports::Notification notification;
    notification.id = rows.Int(row, 0);
    notification.case_number = rows.Int(row, 1);
    notification.kind = std::string(rows.Text(row, 2));
    notification.recipient_id = rows.Int(row, 3);
    notification.recipient_email = std::string(rows.Text(row, 4));
    notification.subject = std::string(rows.Text(row, 5));
    notification.body = std::string(rows.Text(row, 6));
    notification.created_at = TimeFromColumn(rows.OptionalInt(row, 7));
    notification.sent_at = OptionalTimeFromColumn(rows.OptionalInt(row, 8));
    notification.attempts = static_cast<int>(rows.Int(row, 9));
    notification.last_error = std::string(rows.Text(row, 10));
    notification.message_id = std::string(rows.Text(row, 11));
    notification.in_reply_to = std::string(rows.Text(row, 12));
    notification.references = std::string(rows.Text(row, 13));
    notification.from_address = std::string(rows.Text(row, 14));
    notification.from_name = std::string(rows.Text(row, 15));
    notification.automatic = rows.Bool(row, 16);
    notification.next_attempt_at = OptionalTimeFromColumn(rows.OptionalInt(row, 17));
    notification.failed_at = OptionalTimeFromColumn(rows.OptionalInt(row, 18));
    notification.claimed_until = OptionalTimeFromColumn(rows.OptionalInt(row, 19));
    notification.extra_headers = std::string(rows.Text(row, 20));
    notifications.push_back(std::move(notification));
  }
  return notifications;
}

const std::string kInboundColumns =
    "id, received_at, channel, envelope_from, envelope_to, raw_digest, raw_size, message_id,"
    " from_address, subject, status, case_number, comment_id, reason, decided_at, decided_by";

std::vector<ports::InboundMail> InboundFromRows(const PgResult& rows) {
  std::vector<ports::InboundMail> out;
  out.reserve(rows.rows());
  for (int row = 0; row < rows.rows(); ++row) {
    ports::InboundMail mail;
    mail.id = rows.Int(row, 0);
    mail.received_at = TimeFromColumn(rows.OptionalInt(row, 1));
    mail.channel = std::string(rows.Text(row, 2));
    mail.envelope_from = std::string(rows.Text(row, 3));
    mail.envelope_to = std::string(rows.Text(row, 4));
    mail.raw_digest = std::string(rows.Text(row, 5));
    mail.raw_size = rows.Int(row, 6);
    mail.message_id = std::string(rows.Text(row, 7));
    mail.from_address = std::string(rows.Text(row, 8));
    mail.subject = std::string(rows.Text(row, 9));
    mail.status = ports::InboundMailStatusFromName(rows.Text(row, 10))
                      .value_or(ports::InboundMailStatus::kFailed);
    mail.case_number = rows.Int(row, 11);
    mail.comment_id = rows.Int(row, 12);
    mail.reason = std::string(rows.Text(row, 13));
    mail.decided_at = OptionalTimeFromColumn(rows.OptionalInt(row, 14));
    mail.decided_by = rows.Int(row, 15);
    out.push_back(std::move(mail));
  }
  return out;
}

// The columns of kInboundColumns after id, as $1..$15.
PgParams InboundParams(const ports::InboundMail& mail) {
  return PgParams()
      .Add(TimeToColumn(mail.received_at))
      .Add(mail.channel)
      .Add(mail.envelope_from)
      .Add(mail.envelope_to)
      .Add(mail.raw_digest)
      .Add(mail.raw_size)
      .Add(mail.message_id)
      .Add(mail.from_address)
      .Add(mail.subject)
      .Add(ports::InboundMailStatusName(mail.status))
      .Add(mail.case_number)
      .Add(mail.comment_id)
      .Add(mail.reason)
      .Add(OptionalTimeToColumn(mail.decided_at))
      .Add(mail.decided_by);
}

}  // namespace

// ---- Outbox ----

namespace {

// Notifications: one at a time with their id back (InsertNotification), or queued with the
// batch's other rows (RecordNotification, PostgresTransaction::WriteRows).
const PgRowsInsert kInsertNotifications{
    .sql =
        "INSERT INTO notifications (case_number, kind, recipient_id, recipient_email,"
        " subject, body, created_at, sent_at, attempts, last_error, message_id, in_reply_to,"
        " thread_references, from_address, from_name, automatic, next_attempt_at, failed_at,"
        " claimed_until, extra_headers) SELECT * FROM unnest($1::bigint[], $2::text[],"
        " $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],"
        " $9::integer[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],"
        " $15::text[], $16::boolean[], $17::bigint[], $18::bigint[], $19::bigint[],"
        " $20::text[])",
    .rank = 1};

PgParams NotificationParams(const ports::Notification& notification) {
  return PgParams()
      .Add(notification.case_number)
      .Add(notification.kind)
      .Add(notification.recipient_id)
      .Add(notification.recipient_email)
      .Add(notification.subject)
      .Add(notification.body)
      .Add(TimeToColumn(notification.created_at))
      .Add(OptionalTimeToColumn(notification.sent_at))
      .Add(int64_t{notification.attempts})
      .Add(notification.last_error)
      .Add(notification.message_id)
      .Add(notification.in_reply_to)
      .Add(notification.references)
      .Add(notification.from_address)
      .Add(notification.from_name)
      .Add(notification.automatic)
      .Add(OptionalTimeToColumn(notification.next_attempt_at))
      .Add(OptionalTimeToColumn(notification.failed_at))
      .Add(OptionalTimeToColumn(notification.claimed_until))
      .Add(notification.extra_headers);
}

}  // namespace

absl::StatusOr<int64_t> PostgresTransaction::InsertNotification(
    const ports::Notification& notification) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(PgResult inserted,
                            connection_.Execute(std::string(kInsertNotifications.sql) +
                                                    " ON CONFLICT DO NOTHING RETURNING id",
                                                RowAsArrays(NotificationParams(notification))));
  if (inserted.rows() == 0) {
    return absl::AlreadyExistsError("a notification with this Message-ID exists");
  }
  return inserted.Int(0, 0);
}

absl::Status PostgresTransaction::RecordNotification(const ports::Notification& notification) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // No ON CONFLICT: the caller's Message-ID is random, and a clash fails the unit.
  return WriteRow(kInsertNotifications, NotificationParams(notification));
}

absl::StatusOr<std::vector<ports::Notification>> PostgresTransaction::ListCaseNotifications(
    core::CaseNumber number) {
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows,
                            connection_.Execute("SELECT " + kNotificationColumns +
                                                    " FROM notifications WHERE case_number = $1"
                                                    " ORDER BY id",
                                                PgParams().Add(number)));
  return NotificationsFromRows(rows);
}

absl::StatusOr<std::vector<ports::Notification>> PostgresTransaction::ListUnsentNotifications(
    int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kNotificationColumns +
                              " FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL"
                              " ORDER BY id LIMIT $1",
                          PgParams().Add(int64_t{ClampLimit(limit)})));
  return NotificationsFromRows(rows);
}

absl::StatusOr<std::vector<ports::Notification>> PostgresTransaction::ListPendingNotifications(
    int64_t after_id, int limit) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kNotificationColumns +
                              " FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL"
                              " AND id > $1 ORDER BY id LIMIT $2",
                          PgParams().Add(after_id).Add(int64_t{ClampLimit(limit)})));
  return NotificationsFromRows(rows);
}

absl::StatusOr<std::vector<ports::Notification>> PostgresTransaction::ListFailedNotifications(
    int64_t before_id, int limit) {
  PgParams params;
  std::string sql = "SELECT " + kNotificationColumns +
                    " FROM notifications WHERE sent_at IS NULL AND failed_at IS NOT NULL";
  if (before_id > 0) {
    params.Add(before_id);
    sql += " AND id < $" + std::to_string(params.size());
  }
  params.Add(int64_t{ClampLimit(limit)});
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  return NotificationsFromRows(rows);
}

absl::StatusOr<std::vector<ports::Notification>> PostgresTransaction::ClaimNotifications(
    absl::Time now, absl::Time lease_until, int limit) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute(
                         "UPDATE notifications SET claimed_until = $2 WHERE id IN ("
                         " SELECT id FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL"
                         " AND COALESCE(next_attempt_at, created_at) <= $1"
                         " AND (claimed_until IS NULL OR claimed_until <= $1)"
                         " ORDER BY COALESCE(next_attempt_at, created_at), id LIMIT $3"
                         " FOR UPDATE SKIP LOCKED) RETURNING " +
                             kNotificationColumns,
                         PgParams()
                             .Add(TimeToColumn(now))
                             .Add(TimeToColumn(lease_until))
                             .Add(int64_t{ClampLimit(limit)})));
  std::vector<ports::Notification> claimed = NotificationsFromRows(rows);
  std::sort(claimed.begin(), claimed.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return claimed;
}

absl::Status PostgresTransaction::RecordNotificationAttempt(int64_t id, absl::Time at,
                                                            std::string_view error,
                                                            std::optional<absl::Time> retry_at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  absl::StatusOr<PgResult> updated =
      error.empty() ? connection_.Execute(
                          "UPDATE notifications SET sent_at = $2, attempts = attempts + 1,"
                          " claimed_until = NULL WHERE id = $1",
                          PgParams().Add(id).Add(TimeToColumn(at)))
                    : connection_.Execute(
                          "UPDATE notifications SET attempts = attempts + 1, last_error = $2,"
                          " claimed_until = NULL, next_attempt_at = $3,"
                          " failed_at = CASE WHEN $3::bigint IS NULL THEN $4 ELSE failed_at END"
                          " WHERE id = $1",
                          PgParams()
                              .Add(id)
                              .Add(error)
                              .Add(OptionalTimeToColumn(retry_at))
                              .Add(TimeToColumn(at)));
  if (!updated.ok()) return updated.status();
  if (updated->affected() == 0) return absl::NotFoundError("no such notification");
  return absl::OkStatus();
}

absl::Status PostgresTransaction::RequeueNotification(int64_t id, absl::Time at) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // A conditional update, then a look at why nothing changed: a failing statement would abort
  // the whole transaction.
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute("UPDATE notifications SET failed_at = NULL, claimed_until = NULL,"
                          " next_attempt_at = $2 WHERE id = $1 AND sent_at IS NULL"
                          " AND failed_at IS NOT NULL",
                          PgParams().Add(id).Add(TimeToColumn(at))));
  if (updated.affected() > 0) return absl::OkStatus();
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult exists,
      connection_.Execute("SELECT 1 FROM notifications WHERE id = $1", PgParams().Add(id)));
  if (exists.rows() == 0) return absl::NotFoundError("no such notification");
  return absl::FailedPreconditionError(
      "the notification was not given up: it is sent or still waiting for delivery");
}

absl::StatusOr<ports::Notification> PostgresTransaction::GetNotification(int64_t id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kNotificationColumns + " FROM notifications WHERE id = $1",
                          PgParams().Add(id)));
  std::vector<ports::Notification> found = NotificationsFromRows(rows);
  if (found.empty()) return absl::NotFoundError("no such notification");
  return std::move(found.front());
}

absl::StatusOr<std::pair<int64_t, int64_t>>
PostgresTransaction::CountPendingAndFailedNotifications() {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL),"
                          " count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NOT NULL)"
                          " FROM notifications"));
  return std::pair<int64_t, int64_t>{rows.Int(0, 0), rows.Int(0, 1)};
}

// ---- Inbound mail ----

absl::StatusOr<int64_t> PostgresTransaction::InsertInboundMail(const ports::InboundMail& mail) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection_.Execute(
          "INSERT INTO inbound_mail (received_at, channel, envelope_from, envelope_to,"
          " raw_digest, raw_size, message_id, from_address, subject, status, case_number,"
          " comment_id, reason, decided_at, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
          " $9, $10, $11, $12, $13, $14, $15) RETURNING id",
          InboundParams(mail)));
  return inserted.Int(0, 0);
}

absl::StatusOr<ports::InboundMail> PostgresTransaction::GetInboundMail(int64_t id) {
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kInboundColumns + " FROM inbound_mail WHERE id = $1",
                          PgParams().Add(id)));
  std::vector<ports::InboundMail> found = InboundFromRows(rows);
  if (found.empty()) return absl::NotFoundError("no such inbound message");
  return std::move(found.front());
}

absl::Status PostgresTransaction::UpdateInboundMail(const ports::InboundMail& mail) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult updated,
      connection_.Execute(
          "UPDATE inbound_mail SET received_at = $1, channel = $2, envelope_from = $3,"
          " envelope_to = $4, raw_digest = $5, raw_size = $6, message_id = $7,"
          " from_address = $8, subject = $9, status = $10, case_number = $11,"
          " comment_id = $12, reason = $13, decided_at = $14, decided_by = $15 WHERE id = $16",
          InboundParams(mail).Add(mail.id)));
  if (updated.affected() == 0) return absl::NotFoundError("no such inbound message");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ports::InboundMail>> PostgresTransaction::ListInboundMail(
    const ports::InboundMailFilter& filter) {
  PgParams params;
  std::string sql = "SELECT " + kInboundColumns + " FROM inbound_mail WHERE true";
  if (filter.status) {
    params.Add(ports::InboundMailStatusName(*filter.status));
    sql += " AND status = $" + std::to_string(params.size());
  }
  if (filter.before_id > 0) {
    params.Add(filter.before_id);
    sql += " AND id < $" + std::to_string(params.size());
  }
  params.Add(int64_t{ClampLimit(filter.limit)});
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  PG_STORE_ASSIGN_OR_RETURN(PgResult rows, connection_.Execute(sql, params));
  return InboundFromRows(rows);
}

absl::StatusOr<std::optional<ports::InboundMail>> PostgresTransaction::FindInboundMailByMessageId(
    std::string_view message_id) {
  if (message_id.empty()) return std::nullopt;
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Execute("SELECT " + kInboundColumns +
                              " FROM inbound_mail WHERE message_id = $1"
                              " AND status NOT IN ('duplicate', 'failed') ORDER BY id LIMIT 1",
                          PgParams().Add(message_id)));
  std::vector<ports::InboundMail> found = InboundFromRows(rows);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

// ---- Threading ----

absl::Status PostgresTransaction::RecordMailThread(std::string_view message_id,
                                                   core::CaseNumber number) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  if (message_id.empty()) return absl::InvalidArgumentError("message_id: must not be empty");
  // A Message-ID already known keeps its case (the first row queued wins).
  static constexpr PgRowsInsert kRecordMailThreads{
      .sql =
          "INSERT INTO mail_threads (message_id, case_number)"
          " SELECT * FROM unnest($1::text[], $2::bigint[]) ON CONFLICT DO NOTHING",
      .rank = 1};
  return WriteRow(kRecordMailThreads, PgParams().Add(message_id).Add(number));
}

absl::StatusOr<std::optional<core::CaseNumber>> PostgresTransaction::FindCaseByMessageIds(
    const std::vector<std::string>& message_ids) {
  std::vector<std::string> wanted;
  for (const std::string& id : message_ids) {
    if (!id.empty()) wanted.push_back(id);
  }
  if (wanted.empty()) return std::nullopt;
  // One round trip: the ids with their position, the first known one wins.
  PgParams params;
  std::string values;
  for (size_t i = 0; i < wanted.size(); ++i) {
    params.Add(wanted[i]);
    if (i > 0) values += ", ";
    values += "($" + std::to_string(params.size()) + "::text, " + std::to_string(i) + ")";
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT t.case_number FROM (VALUES " + values +
                                             ") AS w(message_id, position) JOIN mail_threads t"
                                             " ON t.message_id = w.message_id COLLATE \"C\""
                                             " ORDER BY w.position LIMIT 1",
                                         params));
  if (rows.rows() == 0) return std::nullopt;
  return std::optional<core::CaseNumber>(rows.Int(0, 0));
}

// ---- Address state ----

absl::StatusOr<std::optional<ports::MailAddressState>> PostgresTransaction::GetMailAddressState(
    std::string_view address) {
  const std::string key(address);
  // A read transaction uses the node's caches from its snapshot's epoch on; a unit of a write
  // batch from the epoch before this statement, unless its batch wrote the address (only the
  // server holds the batch's own, uncommitted state).
  PgNodeCaches* caches = cached_.caches;
  uint64_t epoch = cached_.epoch;
  if (caches == nullptr && mail_address_cache_ != nullptr &&
      (mail_addresses_changed_ == nullptr ||
       std::find(mail_addresses_changed_->begin(), mail_addresses_changed_->end(), key) ==
           mail_addresses_changed_->end())) {
    caches = mail_address_cache_;
    epoch = caches->Epoch();
  }
  const auto now = std::chrono::steady_clock::now();
  if (caches != nullptr) {
    if (auto hit = caches->mail_addresses.Get(key, now)) return *hit;
  }
  PG_STORE_ASSIGN_OR_RETURN(
      PgResult rows, connection_.Execute("SELECT address, last_notice_at, bounced_at, bounce_reason"
                                         " FROM mail_addresses WHERE address = $1",
                                         PgParams().Add(address)));
  std::optional<ports::MailAddressState> state;
  if (rows.rows() > 0) {
    state.emplace();
    state->address = std::string(rows.Text(0, 0));
    state->last_notice_at = OptionalTimeFromColumn(rows.OptionalInt(0, 1));
    state->bounced_at = OptionalTimeFromColumn(rows.OptionalInt(0, 2));
    state->bounce_reason = std::string(rows.Text(0, 3));
  }
  if (caches != nullptr) caches->mail_addresses.Put(key, state, epoch, now);
  return state;
}

absl::Status PostgresTransaction::PutMailAddressState(const ports::MailAddressState& state) {
  PG_STORE_RETURN_IF_ERROR(RequireWritable());
  // Every node's cached state of the address is forgotten after the commit (NOTIFY).
  if (mail_addresses_changed_ != nullptr) mail_addresses_changed_->push_back(state.address);
  return connection_
      .Execute(
          "INSERT INTO mail_addresses (address, last_notice_at, bounced_at, bounce_reason)"
          " VALUES ($1, $2, $3, $4) ON CONFLICT (address) DO UPDATE SET"
          " last_notice_at = EXCLUDED.last_notice_at, bounced_at = EXCLUDED.bounced_at,"
          " bounce_reason = EXCLUDED.bounce_reason",
          PgParams()
              .Add(state.address)
              .Add(OptionalTimeToColumn(state.last_notice_at))
              .Add(OptionalTimeToColumn(state.bounced_at))
              .Add(state.bounce_reason))
      .status();
}

}  // namespace casedesk::adapters::postgres
