// The staff console's status page routes: the overview and the incident/maintenance pages
// (GET), and the plain HTML forms that change components, open incidents, schedule
// maintenance, post updates and link cases (POST, answered 303 back to the page with a notice
// code, or the page again with the error next to the form). Signed-in provider staff only;
// anyone else gets a 404 page. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleStatusRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
