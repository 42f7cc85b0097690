// Delivering the outbox: OutboxDelivery claims due notifications for a lease (so a second node
// or a second worker never sends the same row at the same time), delivers each one and records
// the attempt. A mail row is composed (core/mail_compose: the Message-ID, date and threading
// headers fixed when it was queued, so a retry sends the same message) and handed to the
// MailSender; a status-page webhook row (kind kStatusWebhookKind, status_notices.h) is POSTed
// to its URL (recipient_email) by the WebhookSender with its body and signed headers as queued.
// A temporary failure (Unavailable and the like) is retried with exponential backoff (1 min
// doubling, at most 1 h) until 48 h after the notification was created; a permanent refusal
// (FailedPrecondition, InvalidArgument) gives up at once. A row whose sender is not configured
// (no SMTP relay, no webhook sender) waits like a temporary failure, naming what is missing.
//
// OutboxWorker runs DeliverDue on its own thread: woken by Wake() (a unit of work queued mail)
// or every second, it delivers until nothing is due. Stop() finishes the message in progress;
// claimed rows it did not get to are released by their lease expiring.
// Thread-safe: OutboxDelivery may be used from several threads (each DeliverDue claims its own
// rows); OutboxWorker: Start/Stop from the owning thread, Wake from any.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "ports/mail_sender.h"
#include "ports/sla_records.h"
#include "ports/webhook_sender.h"

namespace casedesk::app {

struct MailDeskSettings;  // app/mail_settings.h

struct OutboxDeliveryOptions {
  absl::Duration lease = absl::Minutes(2);
  int batch = 50;
  absl::Duration first_retry = absl::Minutes(1);
  absl::Duration max_retry = absl::Hours(1);
  absl::Duration give_up_after = absl::Hours(48);
  // No message is started this close to the end of its lease (it could outlive the lease).
  absl::Duration lease_margin = absl::Seconds(40);
  // Adds an HTML alternative made by escaping the text (mail_templates.h TextToHtml).
  bool html_alternative = false;
  // MAIL FROM (where bounces go); empty: the message's From address.
  std::string envelope_from;
};

struct DeliveryReport {
  int claimed = 0;
  int sent = 0;
  int retrying = 0;  // failed for now, retried later
  int failed = 0;    // given up
};

// When a notification that has failed `attempts` times (this one included) is tried next, or
// nullopt when it is given up: after `give_up_after` since `created_at`.
std::optional<absl::Time> NextDeliveryAttempt(const OutboxDeliveryOptions& options,
                                              absl::Time created_at, int attempts, absl::Time now);

class OutboxDelivery {
 public:
  // Mail only: webhook rows wait ("no webhook sender").
  OutboxDelivery(AppContext& context, ports::MailSender& sender,
                 OutboxDeliveryOptions options = {});
  // Either sender may be null: the rows it would deliver wait, retried with backoff and given up
  // 48 h after they were queued, like any temporary failure.
  OutboxDelivery(AppContext& context, ports::MailSender* mail_sender,
                 ports::WebhookSender* webhook_sender, OutboxDeliveryOptions options = {});

  // Claims up to one batch due at `now` and delivers it. `stop`, when given and set, abandons
  // the rest of the batch (its lease releases it).
  absl::StatusOr<DeliveryReport> DeliverDue(absl::Time now,
                                            const std::atomic<bool>* stop = nullptr);

  const OutboxDeliveryOptions& options() const { return options_; }

 private:
  // One row: OK when sent, else why not (the status decides retry or give up).
  absl::Status Deliver(const ports::Notification& row, const MailDeskSettings& desk);

  AppContext& context_;
  ports::MailSender* const mail_sender_;        // null: mail rows wait
  ports::WebhookSender* const webhook_sender_;  // null: webhook rows wait
  const OutboxDeliveryOptions options_;
};

class OutboxWorker {
 public:
  explicit OutboxWorker(OutboxDelivery& delivery, ports::Clock& clock,
                        absl::Duration poll = absl::Seconds(1));
  ~OutboxWorker();
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  void Start();
  // Finishes the message being sent and joins the thread.
  void Stop();
  // Look now: mail was queued.
  void Wake();

  int64_t sent_total() const { return sent_total_.load(); }
  // The last DeliverDue error (a store outage), OK when the last pass worked.
  absl::Status last_error() const;

 private:
  void Run();

  OutboxDelivery& delivery_;
  ports::Clock& clock_;
  const absl::Duration poll_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool woken_ = false;       // guarded by mutex_
  absl::Status last_error_;  // guarded by mutex_
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> sent_total_{0};
  std::thread thread_;
};

}  // namespace casedesk::app
