// Handing one composed message to the SMTP relay. Implemented with libcurl (adapters/smtp).
// Errors: Unavailable for what a retry may cure (connection refused, timeouts, 4xx replies),
// FailedPrecondition for a permanent refusal (5xx), InvalidArgument for a message that cannot
// be sent as given. Messages never appear in errors or logs, credentials never. Implementations
// must be thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace casedesk::ports {

struct OutgoingMail {
  std::string envelope_from;            // MAIL FROM address; empty: the null sender <>
  std::vector<std::string> recipients;  // RCPT TO addresses
  std::string data;                     // the whole RFC 5322 message, CRLF line ends
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  virtual absl::Status Send(const OutgoingMail& mail) = 0;
};

}  // namespace casedesk::ports
