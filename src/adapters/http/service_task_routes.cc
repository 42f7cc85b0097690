// RegisterServiceTaskRoutes: every service-task route (issue 7) -- the REST API, the portal's
// forms and the console's forms. Thread-safe once registered.
#include "adapters/http/api_service_tasks.h"

namespace casedesk::adapters::http {

void RegisterServiceTaskRoutes(Router& router, app::AppContext& context,
                               app::StatusPageCache& cache) {
  RegisterServiceTaskApiRoutes(router, context);
  RegisterPortalServiceTaskRoutes(router, context, cache);
  RegisterConsoleServiceTaskRoutes(router, context);
}

}  // namespace casedesk::adapters::http
