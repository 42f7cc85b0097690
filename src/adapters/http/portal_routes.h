// The customer and partner portal: its pages under /portal (the case list, opening a case, the
// case page and its forms, file downloads) and the admin API for its intake configuration
// (GET/PUT /api/v1/portal/intake). Customers and partner agents only; provider staff who open a
// portal page are sent to the front door (their console). Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"
#include "app/status_page_cache.h"

namespace casedesk::adapters::http {

// Everything: the pages and the API. `context` and `cache` must outlive the router.
void RegisterPortalRoutes(Router& router, app::AppContext& context, app::StatusPageCache& cache);

// Only the API routes (documented in docs/api/openapi.json).
void RegisterPortalApiRoutes(Router& router, app::AppContext& context);

// The page groups, one per file (portal_case_list.cc, portal_new_case.cc, portal_case.cc).
void RegisterPortalCaseListRoutes(Router& router, app::AppContext& context,
                                  app::StatusPageCache& cache);
void RegisterPortalNewCaseRoutes(Router& router, app::AppContext& context,
                                 app::StatusPageCache& cache);
void RegisterPortalCaseRoutes(Router& router, app::AppContext& context,
                              app::StatusPageCache& cache);

}  // namespace casedesk::adapters::http
