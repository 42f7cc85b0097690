// Registration of the time entries and contract hours routes (issue 7): the REST API
// (api_hours.cc), the portal's Hours page (portal_hours.cc) and the console case page's
// "Log time" form (console_hours.cc). Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"
#include "app/status_page_cache.h"

namespace casedesk::adapters::http {

// Everything below; `cache` (the portal frame's incident banner) must outlive the router.
void RegisterHoursRoutes(Router& router, app::AppContext& context, app::StatusPageCache& cache);

// /api/v1/cases/{number}/time, /api/v1/orgs/{id}/time, /hours and /packages.
void RegisterHoursApiRoutes(Router& router, app::AppContext& context);
// GET /portal/hours.
void RegisterPortalHoursRoutes(Router& router, app::AppContext& context,
                               app::StatusPageCache& cache);
// POST /console/cases/{number}/time.
void RegisterConsoleHoursRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
