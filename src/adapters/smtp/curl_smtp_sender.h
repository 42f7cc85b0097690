// Sends composed mail to the configured SMTP relay with libcurl: smtp:// (with STARTTLS when
// the relay offers it, or required, or off) or smtps:// (implicit TLS), optional AUTH. One curl
// easy handle per Send, so concurrent sends share nothing; a relay round trip costs one
// connection. Errors follow ports/mail_sender.h: connection failures, timeouts, 4xx replies and
// relay configuration problems (login refused, TLS unavailable) are Unavailable so the outbox
// retries once the operator fixes them; 5xx replies to the message are FailedPrecondition.
// Errors name neither the password nor the message. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ports/mail_sender.h"

namespace casedesk::adapters::smtp {

struct CurlSmtpOptions {
  // smtp://host:port or smtps://host:port; a path names the EHLO domain (smtp://host/desk.example)
  std::string url;
  std::string username;  // empty: no AUTH
  std::string password;
  std::string starttls = "try";                // for smtp://: "try", "require" or "off"
  absl::Duration timeout = absl::Seconds(30);  // whole transaction, connection included
};

class CurlSmtpSender final : public ports::MailSender {
 public:
  // InvalidArgument (naming the option) for an unusable url, starttls value or timeout.
  static absl::StatusOr<std::unique_ptr<CurlSmtpSender>> Create(CurlSmtpOptions options);

  absl::Status Send(const ports::OutgoingMail& mail) override;

 private:
  explicit CurlSmtpSender(CurlSmtpOptions options) : options_(std::move(options)) {}

  const CurlSmtpOptions options_;
};

}  // namespace casedesk::adapters::smtp
