// GET /console/admin: the admin index, linking every configuration area (provider staff only;
// anyone else gets the console's 404 page). Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleAdminIndexRoute(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
