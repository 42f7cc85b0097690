// POSTing one webhook delivery (a status-page subscriber's URL). Implemented with libcurl
// (adapters/webhook). The request goes out as given: the body as application/json with the
// given extra headers, a User-Agent of "Casedesk-Webhook/1"; redirects are not followed; the
// connection gets 10 s, the whole exchange 30 s; the answer's body is read (at most 64 KiB) and
// discarded.
// Errors: OK for a 2xx answer; Unavailable for what a retry may cure (connection errors,
// timeouts, 5xx, 429); InvalidArgument for a permanent refusal (any other answer, e.g. 4xx) or a
// request that cannot be sent as given (a bad URL or header). Neither the body nor the URL's
// path and query (they may hold the subscriber's secret) appear in errors. Implementations must
// be thread-safe.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"

namespace casedesk::ports {

struct WebhookRequest {
  std::string url;   // https://..., or http:// to a loopback address
  std::string body;  // JSON text
  std::vector<std::pair<std::string, std::string>> headers;  // name, value; added as given
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual absl::Status Post(const WebhookRequest& request) = 0;
};

}  // namespace casedesk::ports
