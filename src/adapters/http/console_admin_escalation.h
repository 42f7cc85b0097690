// The staff console's escalation policy and on-call schedule routes:
//   GET  /console/admin/escalation               the list (?after=NAME pages; ?new=NAME: 303 to
//        a new policy)
//   GET  /console/admin/escalation/{name}        the policy's form (a new one for admins)
//   POST /console/admin/escalation/{name}        (admins) stores it, 303 back with a notice
//   POST /console/admin/escalation/{name}/delete (admins) 303 to the list
// and the same four for on-call schedules under /console/admin/oncall (see
// console_admin_oncall.h). The pages call the use cases the JSON API calls
// (app/sla_configuration.h), so its rules and permissions apply. Provider staff read; anyone
// else gets the console's 404 page. A refused form is shown again with what was typed and the
// reason. Thread-safe once registered.
#pragma once

#include <vector>

#include "adapters/http/http_types.h"
#include "adapters/web/console_escalation_pages.h"
#include "app/app_context.h"
#include "core/access.h"

namespace casedesk::adapters::http {

void RegisterConsoleEscalationRoutes(Router& router, app::AppContext& context);

// Active provider staff for the pages' person selects ("Ana Agent <ana@...>"), the first
// `limit` by the directory's order.
std::vector<web::EscalationChoice> EscalationStaffChoices(app::AppContext& context,
                                                          const core::Viewer& viewer, int limit);

}  // namespace casedesk::adapters::http
