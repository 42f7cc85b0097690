// SqliteTransaction: what the email channel keeps -- the notification outbox (with delivery
// leases and retries), inbound messages, Message-ID threading and per-address mail state.
#include <algorithm>
#include <utility>

#include "adapters/sqlite/sqlite_transaction.h"
#include "adapters/sqlite/transaction_support.h"
#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters::sqlite {
namespace {

constexpr char kNotificationColumns[] =
    "id, case_number, kind, recipient_id, recipient_email, subject, body, created_at, sent_at,"
    " attempts, last_error, message_id, in_reply_to, thread_references, from_address, from_name,"
    " automatic, next_attempt_at, failed_at, claimed_until, extra_headers";

ports::Notification NotificationFromRow(const Statement& row) {
  ports::Notification notification;
  notification.id = row.Int(0);
  notification.case_number = row.Int(1);
  notification.kind = row.Text(2);
  notification.recipient_id = row.Int(3);
  notification.recipient_email = row.Text(4);
  notification.subject = row.Text(5);
  notification.body = row.Text(6);
  notification.created_at = TimeFromColumn(row.OptionalInt(7));
  notification.sent_at = OptionalTimeFromColumn(row.OptionalInt(8));
  notification.attempts = static_cast<int>(row.Int(9));
  notification.last_error = row.Text(10);
  notification.message_id = row.Text(11);
  notification.in_reply_to = row.Text(12);
  notification.references = row.Text(13);
  notification.from_address = row.Text(14);
  notification.from_name = row.Text(15);
  notification.automatic = row.Int(16) != 0;
  notification.next_attempt_at = OptionalTimeFromColumn(row.OptionalInt(17));
  notification.failed_at = OptionalTimeFromColumn(row.OptionalInt(18));
  notification.claimed_until = OptionalTimeFromColumn(row.OptionalInt(19));
  notification.extra_headers = row.Text(20);
  return notification;
}

constexpr char kInboundColumns[] =
    "id, received_at, channel, envelope_from, envelope_to, raw_digest, raw_size, message_id,"
    " from_address, subject, status, case_number, comment_id, reason, decided_at, decided_by";

ports::InboundMail InboundFromRow(const Statement& row) {
  ports::InboundMail mail;
  mail.id = row.Int(0);
  mail.received_at = TimeFromColumn(row.OptionalInt(1));
  mail.channel = row.Text(2);
  mail.envelope_from = row.Text(3);
  mail.envelope_to = row.Text(4);
  mail.raw_digest = row.Text(5);
  mail.raw_size = row.Int(6);
  mail.message_id = row.Text(7);
  mail.from_address = row.Text(8);
  mail.subject = row.Text(9);
  mail.status =
      ports::InboundMailStatusFromName(row.Text(10)).value_or(ports::InboundMailStatus::kFailed);
  mail.case_number = row.Int(11);
  mail.comment_id = row.Int(12);
  mail.reason = row.Text(13);
  mail.decided_at = OptionalTimeFromColumn(row.OptionalInt(14));
  mail.decided_by = row.Int(15);
  return mail;
}

// Binds the columns of kInboundColumns after id, starting at parameter 1.
void BindInbound(Statement& statement, const ports::InboundMail& mail) {
  statement.Bind(1, TimeToColumn(mail.received_at))
      .Bind(2, mail.channel)
      .Bind(3, mail.envelope_from)
      .Bind(4, mail.envelope_to)
      .Bind(5, mail.raw_digest)
      .Bind(6, mail.raw_size)
      .Bind(7, mail.message_id)
      .Bind(8, mail.from_address)
      .Bind(9, mail.subject)
      .Bind(10, ports::InboundMailStatusName(mail.status))
      .Bind(11, mail.case_number)
      .Bind(12, mail.comment_id)
      .Bind(13, mail.reason)
      .Bind(14, OptionalTimeToColumn(mail.decided_at))
      .Bind(15, mail.decided_by);
}

}  // namespace

// ---- Outbox ----

absl::StatusOr<int64_t> SqliteTransaction::InsertNotification(
    const ports::Notification& notification) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO notifications (case_number, kind, recipient_id,"
                          " recipient_email, subject, body, created_at, sent_at, attempts,"
                          " last_error, message_id, in_reply_to, thread_references, from_address,"
                          " from_name, automatic, next_attempt_at, failed_at, claimed_until,"
                          " extra_headers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                          " ?, ?, ?, ?)"));
  insert.Bind(1, notification.case_number)
      .Bind(2, notification.kind)
      .Bind(3, notification.recipient_id)
      .Bind(4, notification.recipient_email)
      .Bind(5, notification.subject)
      .Bind(6, notification.body)
      .Bind(7, TimeToColumn(notification.created_at))
      .Bind(8, OptionalTimeToColumn(notification.sent_at))
      .Bind(9, int64_t{notification.attempts})
      .Bind(10, notification.last_error)
      .Bind(11, notification.message_id)
      .Bind(12, notification.in_reply_to)
      .Bind(13, notification.references)
      .Bind(14, notification.from_address)
      .Bind(15, notification.from_name)
      .Bind(16, int64_t{notification.automatic ? 1 : 0})
      .Bind(17, OptionalTimeToColumn(notification.next_attempt_at))
      .Bind(18, OptionalTimeToColumn(notification.failed_at))
      .Bind(19, OptionalTimeToColumn(notification.claimed_until))
      .Bind(20, notification.extra_headers);
  absl::Status inserted = insert.Run();
  if (!inserted.ok()) {
    return ClassifyWriteError(inserted, insert, "a notification with this Message-ID exists");
  }
  return connection_.LastInsertRowId();
}

absl::StatusOr<std::vector<ports::Notification>> SqliteTransaction::ListCaseNotifications(
    core::CaseNumber number) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kNotificationColumns +
                          " FROM notifications WHERE case_number = ? ORDER BY id"));
  query.Bind(1, number);
  return CollectRows<ports::Notification>(query, NotificationFromRow);
}

absl::StatusOr<std::vector<ports::Notification>> SqliteTransaction::ListUnsentNotifications(
    int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kNotificationColumns +
                          " FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL"
                          " ORDER BY id LIMIT ?"));
  query.Bind(1, int64_t{ClampLimit(limit)});
  return CollectRows<ports::Notification>(query, NotificationFromRow);
}

absl::StatusOr<std::vector<ports::Notification>> SqliteTransaction::ListPendingNotifications(
    int64_t after_id, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kNotificationColumns +
                          " FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL"
                          " AND id > ? ORDER BY id LIMIT ?"));
  query.Bind(1, after_id).Bind(2, int64_t{ClampLimit(limit)});
  return CollectRows<ports::Notification>(query, NotificationFromRow);
}

absl::StatusOr<std::vector<ports::Notification>> SqliteTransaction::ListFailedNotifications(
    int64_t before_id, int limit) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kNotificationColumns +
                          " FROM notifications WHERE sent_at IS NULL AND failed_at IS NOT NULL"
                          " AND (?1 = 0 OR id < ?1) ORDER BY id DESC LIMIT ?2"));
  query.Bind(1, before_id).Bind(2, int64_t{ClampLimit(limit)});
  return CollectRows<ports::Notification>(query, NotificationFromRow);
}

absl::StatusOr<std::vector<ports::Notification>> SqliteTransaction::ClaimNotifications(
    absl::Time now, absl::Time lease_until, int limit) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  // The single writer serialises claims, so selecting then updating inside this transaction
  // cannot hand one row to two senders.
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kNotificationColumns +
                          " FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL"
                          " AND COALESCE(next_attempt_at, created_at) <= ?1"
                          " AND (claimed_until IS NULL OR claimed_until <= ?1)"
                          " ORDER BY COALESCE(next_attempt_at, created_at), id LIMIT ?2"));
  query.Bind(1, TimeToColumn(now)).Bind(2, int64_t{ClampLimit(limit)});
  SQLITE_STORE_ASSIGN_OR_RETURN(std::vector<ports::Notification> claimed,
                                CollectRows<ports::Notification>(query, NotificationFromRow));
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement lease,
      connection_.Prepare("UPDATE notifications SET claimed_until = ? WHERE id = ?"));
  for (ports::Notification& notification : claimed) {
    lease.Bind(1, TimeToColumn(lease_until)).Bind(2, notification.id);
    SQLITE_STORE_RETURN_IF_ERROR(lease.Run());
    notification.claimed_until = lease_until;
  }
  // Claimed earliest due first (notifications_ready, migration 25); handed out in id order.
  std::sort(claimed.begin(), claimed.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return claimed;
}

absl::Status SqliteTransaction::RecordNotificationAttempt(int64_t id, absl::Time at,
                                                          std::string_view error,
                                                          std::optional<absl::Time> retry_at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare(
          "UPDATE notifications SET attempts = attempts + 1, claimed_until = NULL,"
          " sent_at = CASE WHEN ?2 = '' THEN ?1 ELSE sent_at END,"
          " last_error = CASE WHEN ?2 = '' THEN last_error ELSE ?2 END,"
          " next_attempt_at = CASE WHEN ?2 = '' THEN next_attempt_at ELSE ?4 END,"
          " failed_at = CASE WHEN ?2 <> '' AND ?4 IS NULL THEN ?1 ELSE failed_at END"
          " WHERE id = ?3"));
  update.Bind(1, TimeToColumn(at))
      .Bind(2, error)
      .Bind(3, id)
      .Bind(4, OptionalTimeToColumn(retry_at));
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() == 0) return absl::NotFoundError("no such notification");
  return absl::OkStatus();
}

absl::Status SqliteTransaction::RequeueNotification(int64_t id, absl::Time at) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE notifications SET failed_at = NULL, claimed_until = NULL,"
                          " next_attempt_at = ? WHERE id = ? AND sent_at IS NULL"
                          " AND failed_at IS NOT NULL"));
  update.Bind(1, TimeToColumn(at)).Bind(2, id);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() > 0) return absl::OkStatus();
  // Nothing changed: either there is no such row or it was not given up.
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement exists,
                                connection_.Prepare("SELECT 1 FROM notifications WHERE id = ?"));
  exists.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, exists.Step());
  if (!has_row) return absl::NotFoundError("no such notification");
  return absl::FailedPreconditionError(
      "the notification was not given up: it is sent or still waiting for delivery");
}

absl::StatusOr<ports::Notification> SqliteTransaction::GetNotification(int64_t id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kNotificationColumns +
                                                    " FROM notifications WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return absl::NotFoundError("no such notification");
  return NotificationFromRow(query);
}

absl::StatusOr<std::pair<int64_t, int64_t>>
SqliteTransaction::CountPendingAndFailedNotifications() {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare("SELECT (SELECT count(*) FROM notifications"
                                           "  WHERE sent_at IS NULL AND failed_at IS NULL),"
                                           " (SELECT count(*) FROM notifications"
                                           "  WHERE sent_at IS NULL AND failed_at IS NOT NULL)"));
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return std::pair<int64_t, int64_t>{0, 0};
  return std::pair<int64_t, int64_t>{query.Int(0), query.Int(1)};
}

// ---- Inbound mail ----

absl::StatusOr<int64_t> SqliteTransaction::InsertInboundMail(const ports::InboundMail& mail) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare("INSERT INTO inbound_mail (received_at, channel, envelope_from,"
                          " envelope_to, raw_digest, raw_size, message_id, from_address, subject,"
                          " status, case_number, comment_id, reason, decided_at, decided_by)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  BindInbound(insert, mail);
  SQLITE_STORE_RETURN_IF_ERROR(insert.Run());
  return connection_.LastInsertRowId();
}

absl::StatusOr<ports::InboundMail> SqliteTransaction::GetInboundMail(int64_t id) {
  SQLITE_STORE_ASSIGN_OR_RETURN(Statement query,
                                connection_.Prepare(std::string("SELECT ") + kInboundColumns +
                                                    " FROM inbound_mail WHERE id = ?"));
  query.Bind(1, id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return absl::NotFoundError("no such inbound message");
  return InboundFromRow(query);
}

absl::Status SqliteTransaction::UpdateInboundMail(const ports::InboundMail& mail) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement update,
      connection_.Prepare("UPDATE inbound_mail SET received_at = ?1, channel = ?2,"
                          " envelope_from = ?3, envelope_to = ?4, raw_digest = ?5, raw_size = ?6,"
                          " message_id = ?7, from_address = ?8, subject = ?9, status = ?10,"
                          " case_number = ?11, comment_id = ?12, reason = ?13, decided_at = ?14,"
                          " decided_by = ?15 WHERE id = ?16"));
  BindInbound(update, mail);
  update.Bind(16, mail.id);
  SQLITE_STORE_RETURN_IF_ERROR(update.Run());
  if (connection_.Changes() == 0) return absl::NotFoundError("no such inbound message");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ports::InboundMail>> SqliteTransaction::ListInboundMail(
    const ports::InboundMailFilter& filter) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query, connection_.Prepare(std::string("SELECT ") + kInboundColumns +
                                           " FROM inbound_mail WHERE (?1 IS NULL OR status = ?1)"
                                           " AND (?2 = 0 OR id < ?2) ORDER BY id DESC LIMIT ?3"));
  if (filter.status) {
    query.Bind(1, ports::InboundMailStatusName(*filter.status));
  } else {
    query.BindNull(1);
  }
  query.Bind(2, filter.before_id).Bind(3, int64_t{ClampLimit(filter.limit)});
  return CollectRows<ports::InboundMail>(query, InboundFromRow);
}

absl::StatusOr<std::optional<ports::InboundMail>> SqliteTransaction::FindInboundMailByMessageId(
    std::string_view message_id) {
  if (message_id.empty()) return std::nullopt;
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare(std::string("SELECT ") + kInboundColumns +
                          " FROM inbound_mail WHERE message_id = ?"
                          " AND status NOT IN ('duplicate', 'failed') ORDER BY id LIMIT 1"));
  query.Bind(1, message_id);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return std::nullopt;
  return InboundFromRow(query);
}

// ---- Threading ----

absl::Status SqliteTransaction::RecordMailThread(std::string_view message_id,
                                                 core::CaseNumber number) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  if (message_id.empty()) return absl::InvalidArgumentError("message_id: must not be empty");
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement insert,
      connection_.Prepare(
          "INSERT OR IGNORE INTO mail_threads (message_id, case_number) VALUES (?, ?)"));
  insert.Bind(1, message_id).Bind(2, number);
  return insert.Run();
}

absl::StatusOr<std::optional<core::CaseNumber>> SqliteTransaction::FindCaseByMessageIds(
    const std::vector<std::string>& message_ids) {
  for (const std::string& message_id : message_ids) {
    if (message_id.empty()) continue;
    SQLITE_STORE_ASSIGN_OR_RETURN(
        Statement query,
        connection_.Prepare("SELECT case_number FROM mail_threads WHERE message_id = ?"));
    query.Bind(1, message_id);
    SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
    if (has_row) return std::optional<core::CaseNumber>(query.Int(0));
  }
  return std::nullopt;
}

// ---- Address state ----

absl::StatusOr<std::optional<ports::MailAddressState>> SqliteTransaction::GetMailAddressState(
    std::string_view address) {
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement query,
      connection_.Prepare("SELECT address, last_notice_at, bounced_at, bounce_reason"
                          " FROM mail_addresses WHERE address = ?"));
  query.Bind(1, address);
  SQLITE_STORE_ASSIGN_OR_RETURN(bool has_row, query.Step());
  if (!has_row) return std::nullopt;
  ports::MailAddressState state;
  state.address = query.Text(0);
  state.last_notice_at = OptionalTimeFromColumn(query.OptionalInt(1));
  state.bounced_at = OptionalTimeFromColumn(query.OptionalInt(2));
  state.bounce_reason = query.Text(3);
  return state;
}

absl::Status SqliteTransaction::PutMailAddressState(const ports::MailAddressState& state) {
  SQLITE_STORE_RETURN_IF_ERROR(RequireWritable());
  SQLITE_STORE_ASSIGN_OR_RETURN(
      Statement upsert,
      connection_.Prepare("INSERT OR REPLACE INTO mail_addresses (address, last_notice_at,"
                          " bounced_at, bounce_reason) VALUES (?, ?, ?, ?)"));
  upsert.Bind(1, state.address)
      .Bind(2, OptionalTimeToColumn(state.last_notice_at))
      .Bind(3, OptionalTimeToColumn(state.bounced_at))
      .Bind(4, state.bounce_reason);
  return upsert.Run();
}

}  // namespace casedesk::adapters::sqlite
