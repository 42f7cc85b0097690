// Registration of the engineering links and problems routes (issue 7): the REST API
// (api_engineering.cc, api_engineering_problems.cc), the tracker webhook, and the console's
// forms and pages (console_engineering.cc, console_engineering_problems.cc).
// Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

// Everything below.
void RegisterEngineeringRoutes(Router& router, app::AppContext& context);

// /api/v1/cases/{number}/engineering-links..., /api/v1/engineering/..., /api/v1/hooks/tracker.
void RegisterEngineeringApiRoutes(Router& router, app::AppContext& context);
// /api/v1/problems..., /api/v1/incident-trends.
void RegisterProblemApiRoutes(Router& router, app::AppContext& context);
// POST /console/cases/{number}/engineering... (the case page's Engineering section).
void RegisterConsoleEngineeringRoutes(Router& router, app::AppContext& context);
// /console/problems...
void RegisterConsoleProblemRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
