// The staff console's API tokens routes: GET /console/tokens (the page), POST /console/tokens
// (create: answered with the page showing the new token once, 201; a refusal shows the page
// again with the error and what was typed) and POST /console/tokens/{id}/revoke (303 back with
// a notice once durable). Signed-in provider staff only; anyone else, or a token that is not
// theirs to see, gets the console's 404 page. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleTokenRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
