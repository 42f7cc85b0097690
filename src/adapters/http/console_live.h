// The staff console's live routes (issue 5): Server-Sent Events streams for the queue pages
// (GET /console/events) and a case page (GET /console/cases/{number}/events), and the case
// page's presence heartbeat (POST /console/cases/{number}/presence, a form with csrf_token and
// state = viewing | typing | left; 204). Signed-in provider staff only, and only for cases they
// may see; anyone else gets the console's 404 page. Thread-safe once registered; `live` must
// outlive the server.
#pragma once

#include "adapters/http/http_types.h"
#include "adapters/http/live_updates.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleLiveRoutes(Router& router, app::AppContext& context, LiveUpdates& live);

}  // namespace casedesk::adapters::http
