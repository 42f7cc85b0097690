#include "main/mail_services.h"

#include <iostream>
#include <utility>

#include "absl/strings/escaping.h"
#include "adapters/mail/gmime_parser.h"
#include "adapters/mailin/imap_poller.h"
#include "adapters/mailin/lmtp_server.h"
#include "adapters/smtp/curl_smtp_sender.h"
#include "adapters/webhook/curl_webhook_sender.h"
#include "app/mail_ingest.h"
#include "app/outbox_delivery.h"
#include "app/work_leases.h"

namespace casedesk {

struct MailServices::Parts {
  adapters::mail::GmimeMailParser parser;
  std::unique_ptr<adapters::smtp::CurlSmtpSender> sender;  // null without smtp.url
  std::unique_ptr<adapters::webhook::CurlWebhookSender> webhooks;
  std::unique_ptr<app::OutboxDelivery> delivery;
  std::unique_ptr<app::OutboxWorker> outbox;
  std::unique_ptr<adapters::mailin::LmtpServer> lmtp;
  std::unique_ptr<adapters::mailin::ImapPoller> imap;
  std::string imap_lease;    // the mailbox's lease name
  std::string lease_holder;  // this node's random id
};

namespace {

void Log(std::string_view message) { std::cerr << "casedesk: mail: " << message << "\n"; }

// How long a node's claim on polling a mailbox lasts without renewal: a node that dies stops
// renewing, and another node takes the mailbox over when this has passed.
absl::Duration ImapLeaseTerm(absl::Duration poll_interval) {
  return 2 * poll_interval + absl::Minutes(1);
}

// Every inbound path ends here: OK only once the message is stored, whatever became of it.
adapters::mailin::DeliverFn IngestInto(app::AppContext& context, const ports::MailParser& parser) {
  return [&context, &parser](std::string_view raw,
                             const adapters::mailin::MailDelivery& delivery) -> absl::Status {
    app::MailEnvelope envelope;
    envelope.channel = delivery.channel;
    envelope.mail_from = delivery.mail_from;
    envelope.rcpt_to = delivery.rcpt_to;
    absl::StatusOr<app::IngestResult> result = app::IngestMail(context, parser, raw, envelope);
    return result.status();
  };
}

absl::StatusOr<adapters::mailin::ImapPoller::Options> ImapOptions(
    const adapters::system::MailConfig& mail) {
  adapters::mailin::ImapPoller::Options options;
  options.url = mail.imap_url;
  options.username = mail.imap_username;
  options.password = mail.imap_password;
  options.poll_interval = absl::Seconds(mail.imap_interval_seconds);
  options.max_message_bytes = static_cast<size_t>(mail.max_message_bytes);
  options.log = Log;
  if (mail.imap_after == "seen") {
    options.after = adapters::mailin::ImapPoller::After::kMarkSeen;
  } else if (mail.imap_after == "delete") {
    options.after = adapters::mailin::ImapPoller::After::kDelete;
  } else {
    options.after = adapters::mailin::ImapPoller::After::kMove;
    options.folder = mail.imap_after.substr(std::string_view("move:").size());
  }
  if (absl::Status valid = adapters::mailin::ImapPoller::ValidateOptions(options); !valid.ok()) {
    return absl::InvalidArgumentError("mail.imap_*: " + std::string(valid.message()));
  }
  return options;
}

}  // namespace

MailServices::MailServices(Desk& desk) : desk_(desk), parts_(std::make_unique<Parts>()) {}

MailServices::~MailServices() { Stop(); }

absl::Status MailServices::Start() {
  const adapters::system::Config& config = desk_.config;
  app::AppContext& context = *desk_.context;
  if (!config.smtp.url.empty()) {
    adapters::smtp::CurlSmtpOptions smtp;
    smtp.url = config.smtp.url;
    smtp.username = config.smtp.username;
    smtp.password = config.smtp.password;
    smtp.starttls = config.smtp.starttls;
    auto sender = adapters::smtp::CurlSmtpSender::Create(std::move(smtp));
    if (!sender.ok())
      return absl::InvalidArgumentError("smtp: " + std::string(sender.status().message()));
    parts_->sender = *std::move(sender);
  }
  auto webhooks = adapters::webhook::CurlWebhookSender::Create();
  if (!webhooks.ok()) return webhooks.status();
  parts_->webhooks = *std::move(webhooks);
  // The worker always runs: status-page webhooks need no SMTP relay. Without smtp.url, mail rows
  // are retried with "no mail sender" as their error (and given up after 48 h like any outage).
  app::OutboxDeliveryOptions delivery;
  delivery.first_retry = absl::Seconds(config.smtp.first_retry_seconds);
  parts_->delivery = std::make_unique<app::OutboxDelivery>(
      context, parts_->sender.get(), parts_->webhooks.get(), std::move(delivery));
  parts_->outbox = std::make_unique<app::OutboxWorker>(*parts_->delivery, desk_.clock);
  app::OutboxWorker* outbox = parts_->outbox.get();
  context.outbox_changed = [outbox] { outbox->Wake(); };
  parts_->outbox->Start();
  if (!config.mail.lmtp_listen.empty()) {
    adapters::mailin::LmtpServer::Options options;
    options.listen = config.mail.lmtp_listen;
    options.max_message_bytes = static_cast<size_t>(config.mail.max_message_bytes);
    options.log = Log;
    parts_->lmtp = std::make_unique<adapters::mailin::LmtpServer>(
        options, IngestInto(context, parts_->parser));
    absl::StatusOr<int> port = parts_->lmtp->Start();
    if (!port.ok()) {
      Stop();
      return absl::UnavailableError("mail.lmtp_listen: " + std::string(port.status().message()));
    }
    // Tests and operators read the bound port from here (lmtp_listen may say port 0).
    std::cout << "lmtp listening on port " << *port << std::endl;
  }
  if (!config.mail.imap_url.empty()) {
    absl::StatusOr<adapters::mailin::ImapPoller::Options> options = ImapOptions(config.mail);
    if (!options.ok()) {
      Stop();
      return options.status();
    }
    // One node polls a mailbox at a time: the one holding its lease, renewed before each poll.
    // Named by a digest: the URL may carry credentials, which the store must not hold.
    parts_->imap_lease =
        "imap " +
        absl::BytesToHexString(context.crypto.Digest(options->username + "\n" + options->url));
    parts_->lease_holder = context.crypto.RandomToken();
    options->may_poll = [&context, name = parts_->imap_lease, holder = parts_->lease_holder,
                         term = ImapLeaseTerm(options->poll_interval)] {
      absl::StatusOr<bool> held = app::ClaimWorkLease(context, name, holder, term);
      if (!held.ok()) Log("IMAP: " + std::string(held.status().message()));
      return held.value_or(false);
    };
    parts_->imap = std::make_unique<adapters::mailin::ImapPoller>(
        *std::move(options), IngestInto(context, parts_->parser));
    parts_->imap->Start();
  }
  return absl::OkStatus();
}

void MailServices::Stop() {
  // Inbound first (nothing new arrives), then the outbox finishes the message it is sending.
  if (parts_->imap) {
    parts_->imap->Stop();
    // Another node may take the mailbox over at once rather than when the lease runs out.
    app::ReleaseWorkLease(*desk_.context, parts_->imap_lease, parts_->lease_holder).IgnoreError();
    parts_->imap.reset();
  }
  if (parts_->lmtp) parts_->lmtp->Stop();
  if (parts_->outbox) {
    desk_.context->outbox_changed = nullptr;
    parts_->outbox->Stop();
  }
}

}  // namespace casedesk
