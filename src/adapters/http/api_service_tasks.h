// Service tasks (issue 7) over HTTP: the REST routes, the portal's and the console's forms, and
// the JSON shape of a task. Thread-safe once registered.
#pragma once

#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "adapters/http/http_types.h"
#include "adapters/web/portal_service_task_section.h"
#include "app/app_context.h"
#include "app/service_tasks.h"
#include "app/status_page_cache.h"

namespace casedesk::adapters::http {

// Everything below; `cache` (the portal frame's incident banner) must outlive the router.
void RegisterServiceTaskRoutes(Router& router, app::AppContext& context,
                               app::StatusPageCache& cache);

// POST /api/v1/service-tasks, GET and POST /api/v1/cases/{number}/service-task and its steps.
void RegisterServiceTaskApiRoutes(Router& router, app::AppContext& context);
// GET/POST /portal/service-tasks/new, POST /portal/cases/{number}/service-task/{approve|decline}.
void RegisterPortalServiceTaskRoutes(Router& router, app::AppContext& context,
                                     app::StatusPageCache& cache);
// POST /console/cases/{number}/service-task/{estimate|schedule|start|done}.
void RegisterConsoleServiceTaskRoutes(Router& router, app::AppContext& context);

// {"case_number", "state", "estimate": {"hours", "minutes", "completion_date", "count",
//  "estimated_at"} | null, "start_date", "decline_reason", "requested_at", "decided_at",
//  "started_at", "done_at", "revision", "estimate_clock": <SLA clock> | null,
//  "allowed_actions": [...], "history": [{"kind", "at", "actor_id", "changes", "reason"}]}
nlohmann::json ServiceTaskToJson(const app::ServiceTaskView& view);

// The portal case page's section for case `number` as `caller` sees it (not present when the
// case is not a service task or cannot be read); times in `zone`.
web::PortalServiceTaskSection PortalServiceTaskSectionFor(app::AppContext& context,
                                                          const app::Caller& caller,
                                                          core::CaseNumber number, absl::Time now,
                                                          absl::TimeZone zone);

}  // namespace casedesk::adapters::http
