// POSTs webhook deliveries with libcurl, following ports/webhook_sender.h: https:// to anywhere
// or http:// to a loopback address (127.0.0.0/8, [::1], localhost), nothing else; no redirects;
// connect and total timeouts; the answer's body read up to a cap and dropped. One curl easy
// handle per Post, so concurrent posts share nothing. Errors name the host, never the URL's path
// or query (a subscriber's secret may be there) nor the body. Thread-safe.
#pragma once

#include <cstddef>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "ports/webhook_sender.h"

namespace casedesk::adapters::webhook {

struct CurlWebhookOptions {
  absl::Duration connect_timeout = absl::Seconds(10);
  absl::Duration timeout = absl::Seconds(30);  // the whole exchange, connection included
  size_t max_response_bytes = 64 * 1024;       // more is not read: the answer's code decides
};

class CurlWebhookSender final : public ports::WebhookSender {
 public:
  // InvalidArgument (naming the option) for a timeout that is not positive.
  static absl::StatusOr<std::unique_ptr<CurlWebhookSender>> Create(CurlWebhookOptions options = {});

  absl::Status Post(const ports::WebhookRequest& request) override;

 private:
  explicit CurlWebhookSender(CurlWebhookOptions options) : options_(options) {}

  const CurlWebhookOptions options_;
};

}  // namespace casedesk::adapters::webhook
