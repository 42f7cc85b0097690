// The staff console's support plan, SLA policy and severity definition routes:
//   GET  /console/admin/plans                  the plans (?cursor=NAME: the next page) and, for
//                                              admins, the new plan form
//   POST /console/admin/plans                  (admins) creates a plan, 303 to its page
//   GET  /console/admin/plans/{name}           the plan's form and history (?events=CURSOR)
//   POST /console/admin/plans/{name}           (admins) saves it, 303 back with a notice
//   GET  /console/admin/plans/{name}/sla       the plan's SLA policy as a form
//   POST /console/admin/plans/{name}/sla       (admins) replaces the policy, 303 back
//   GET  /console/admin/severities             the severity levels' definitions as a form
//   POST /console/admin/severities             (admins) replaces them, 303 back
// Every write goes through the use case the JSON API calls (app/plans.h,
// app/sla_configuration.h, app/severity_definitions.h), so its rules and permissions apply:
// other provider staff read the pages and get the use case's refusal when they post. Anyone
// who is not provider staff gets the console's 404 page. A refused form is shown again with
// what was typed and the reason. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

// All the routes above.
void RegisterConsolePlanRoutes(Router& router, app::AppContext& context);

// The SLA policy routes and the severity definition routes on their own (called by
// RegisterConsolePlanRoutes).
void RegisterConsolePlanSlaRoutes(Router& router, app::AppContext& context);
void RegisterConsoleSeverityRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
