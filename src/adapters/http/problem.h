// The one place that maps an absl::Status to an HTTP status and an RFC 9457
// application/problem+json body {type, title, status, detail}. Thread-safe: pure functions.
#pragma once

#include "absl/status/status.h"
#include "adapters/http/http_types.h"

namespace casedesk::adapters::http {

int HttpStatusFor(const absl::Status& status);

// A problem response for a failed status. Internal errors keep their detail out of the body.
HttpResponse ProblemResponse(const absl::Status& status);

// A problem response for a status code the server decides itself (404 no route, 405, 413, 503).
HttpResponse ProblemResponse(int http_status, std::string_view detail);

}  // namespace casedesk::adapters::http
