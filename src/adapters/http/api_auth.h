// Authentication of API requests: `Authorization: Bearer TOKEN` -> the calling user and viewer.
// Thread-safe.
#pragma once

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "app/app_context.h"
#include "app/authenticate.h"

namespace casedesk::adapters::http {

// Unauthenticated (401) when the header is missing, malformed, or the token is not valid.
absl::StatusOr<app::Caller> AuthenticateRequest(app::AppContext& context,
                                                const HttpRequest& request);

}  // namespace casedesk::adapters::http
