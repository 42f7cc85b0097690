#include "app/outbox_delivery.h"

#include <future>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "app/mail_inbound_support.h"
#include "app/mail_ingest.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "app/status_notices.h"
#include "app/store_calls.h"
#include "core/mail_compose.h"
#include "core/mail_threading.h"

namespace casedesk::app {
namespace {

bool IsPermanent(const absl::Status& status) {
  return absl::IsFailedPrecondition(status) || absl::IsInvalidArgument(status);
}

std::string ErrorText(const absl::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ", status.message());
}

}  // namespace

std::optional<absl::Time> NextDeliveryAttempt(const OutboxDeliveryOptions& options,
                                              absl::Time created_at, int attempts, absl::Time now) {
  const absl::Time deadline = created_at + options.give_up_after;
  if (now >= deadline) return std::nullopt;
  absl::Duration delay = options.first_retry;
  for (int i = 1; i < attempts && delay < options.max_retry; ++i) delay *= 2;
  delay = std::min(delay, options.max_retry);
  // The last try happens at the deadline; a failure then gives up.
  return std::min(now + delay, deadline);
}

OutboxDelivery::OutboxDelivery(AppContext& context, ports::MailSender& sender,
                               OutboxDeliveryOptions options)
    : OutboxDelivery(context, &sender, nullptr, std::move(options)) {}

OutboxDelivery::OutboxDelivery(AppContext& context, ports::MailSender* mail_sender,
                               ports::WebhookSender* webhook_sender, OutboxDeliveryOptions options)
    : context_(context),
      mail_sender_(mail_sender),
      webhook_sender_(webhook_sender),
      options_(std::move(options)) {}

namespace {

// The row's extra header lines ("Name: value", one per line); lines without a colon are skipped.
std::vector<std::pair<std::string, std::string>> HeaderLines(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    const size_t colon = line.find(':');
    if (colon == absl::string_view::npos) continue;
    headers.emplace_back(std::string(absl::StripAsciiWhitespace(line.substr(0, colon))),
                         std::string(absl::StripAsciiWhitespace(line.substr(colon + 1))));
  }
  return headers;
}

// The message exactly as every attempt sends it: everything comes from the row, and the date is
// the row's creation.
absl::StatusOr<ports::OutgoingMail> ComposeNotification(const ports::Notification& row,
                                                        const MailDeskSettings& desk,
                                                        const AppContext& context,
                                                        const OutboxDeliveryOptions& options) {
  const std::string desk_from = desk.from_address.empty() ? context.mail_from : desk.from_address;
  core::OutgoingMessage message;
  message.from.address = row.from_address.empty() ? desk_from : row.from_address;
  message.from.name =
      row.from_address.empty() && row.from_name.empty() ? desk.from_name : row.from_name;
  if (message.from.address.empty()) {
    // The operator has to configure a sender; until then the row waits (and is retried).
    return absl::UnavailableError(
        "no sender address: set smtp.from or from_address in the mail/desk settings");
  }
  message.to = {{row.recipient_email, ""}};
  // Signed reply addresses belong to the desk: a partner's customers never see them.
  if (!desk.reply_domain.empty() && row.case_number != 0 && message.from.address == desk_from) {
    message.reply_to = {
        {core::FormatReplyAddress(desk.reply_local_part, row.case_number,
                                  ExpectedReplyToken(context.crypto, row.case_number),
                                  desk.reply_domain),
         message.from.name}};
  }
  message.subject = row.subject;
  message.text_body = row.body;
  if (options.html_alternative) message.html_body = TextToHtml(row.body);
  message.message_id = row.message_id;
  message.in_reply_to = row.in_reply_to;
  for (absl::string_view id : absl::StrSplit(row.references, ' ', absl::SkipEmpty())) {
    message.references.emplace_back(id);
  }
  message.automatic = row.automatic;
  message.date = row.created_at;
  if (row.case_number != 0) {
    message.extra_headers.push_back({"X-Casedesk-Case", absl::StrCat(row.case_number)});
  }
  for (auto& [name, value] : HeaderLines(row.extra_headers)) {
    message.extra_headers.push_back({std::move(name), std::move(value)});
  }
  // Marks the mail as ours, so ingest recognises it if a forwarder sends it back (mail loops).
  const std::string domain = core::MailDomainOf(message.from.address);
  message.extra_headers.push_back({std::string(kLoopHeader), domain.empty() ? "casedesk" : domain});
  absl::StatusOr<std::string> data = core::ComposeMessage(message);
  if (!data.ok()) return data.status();
  ports::OutgoingMail mail;
  mail.envelope_from = options.envelope_from.empty() ? message.from.address : options.envelope_from;
  mail.recipients = {row.recipient_email};
  mail.data = *std::move(data);
  return mail;
}

}  // namespace

absl::Status OutboxDelivery::Deliver(const ports::Notification& row, const MailDeskSettings& desk) {
  if (row.kind == kStatusWebhookKind) {
    if (webhook_sender_ == nullptr) return absl::UnavailableError("no webhook sender");
    ports::WebhookRequest request;
    request.url = row.recipient_email;
    request.body = row.body;
    request.headers = HeaderLines(row.extra_headers);
    return webhook_sender_->Post(request);
  }
  if (mail_sender_ == nullptr) {
    return absl::UnavailableError("no mail sender: set smtp.url to deliver mail");
  }
  absl::StatusOr<ports::OutgoingMail> mail = ComposeNotification(row, desk, context_, options_);
  if (!mail.ok()) return mail.status();
  return mail_sender_->Send(*mail);
}

absl::StatusOr<DeliveryReport> OutboxDelivery::DeliverDue(absl::Time now,
                                                          const std::atomic<bool>* stop) {
  DeliveryReport report;
  const absl::Time lease_until = now + options_.lease;
  std::vector<ports::Notification> claimed;
  absl::Status status =
      context_.store.WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
        absl::StatusOr<std::vector<ports::Notification>> rows =
            txn.ClaimNotifications(now, lease_until, options_.batch);
        if (!rows.ok()) return rows.status();
        claimed = *std::move(rows);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  report.claimed = static_cast<int>(claimed.size());
  if (claimed.empty()) return report;
  absl::StatusOr<MailDeskSettings> desk = ReadValue<MailDeskSettings>(
      context_.store, [](ports::StoreTransaction& txn) { return LoadMailDeskSettings(txn); });
  if (!desk.ok()) return desk.status();

  // Attempts are recorded as they happen (so a crash repeats as few sends as possible) without
  // waiting for each commit: the store groups them.
  std::vector<std::future<absl::Status>> recorded;
  for (const ports::Notification& row : claimed) {
    if ((stop != nullptr && stop->load()) ||
        context_.clock.Now() >= lease_until - options_.lease_margin) {
      break;  // the lease releases the rest
    }
    const absl::Status sent = Deliver(row, *desk);
    const absl::Time at = context_.clock.Now();
    std::string error;
    std::optional<absl::Time> retry_at;
    if (sent.ok()) {
      ++report.sent;
    } else {
      error = ErrorText(sent);
      // Without SMTP configured, mail waits (it is not the recipient's failure): looked at again
      // after the longest retry interval, never given up.
      const bool awaiting_smtp = mail_sender_ == nullptr && row.kind != kStatusWebhookKind;
      if (awaiting_smtp) {
        retry_at = at + options_.max_retry;
      } else if (!IsPermanent(sent)) {
        retry_at = NextDeliveryAttempt(options_, row.created_at, row.attempts + 1, at);
      }
      ++(retry_at ? report.retrying : report.failed);
    }
    auto promise = std::make_shared<std::promise<absl::Status>>();
    recorded.push_back(promise->get_future());
    const int64_t id = row.id;
    context_.store.Write(
        [id, at, error, retry_at](ports::StoreTransaction& txn) -> absl::Status {
          return txn.RecordNotificationAttempt(id, at, error, retry_at);
        },
        [promise](absl::Status result) { promise->set_value(std::move(result)); });
  }
  absl::Status first_error;
  for (std::future<absl::Status>& result : recorded) {
    absl::Status outcome = result.get();
    if (first_error.ok()) first_error = outcome;
  }
  if (!first_error.ok()) return first_error;
  return report;
}

OutboxWorker::OutboxWorker(OutboxDelivery& delivery, ports::Clock& clock, absl::Duration poll)
    : delivery_(delivery), clock_(clock), poll_(poll) {}

OutboxWorker::~OutboxWorker() { Stop(); }

void OutboxWorker::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void OutboxWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxWorker::Wake() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    woken_ = true;
  }
  changed_.notify_all();
}

absl::Status OutboxWorker::last_error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return last_error_;
}

void OutboxWorker::Run() {
  while (!stopping_.load()) {
    // Deliver until a pass finds less than a full batch: then nothing more is due now.
    absl::Status error;
    while (!stopping_.load()) {
      absl::StatusOr<DeliveryReport> report = delivery_.DeliverDue(clock_.Now(), &stopping_);
      if (!report.ok()) {
        error = report.status();
        break;
      }
      sent_total_.fetch_add(report->sent);
      if (report->claimed < delivery_.options().batch) break;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    last_error_ = error;
    changed_.wait_for(lock, absl::ToChronoMilliseconds(poll_),
                      [this] { return stopping_.load() || woken_; });
    woken_ = false;
  }
}

}  // namespace casedesk::app
