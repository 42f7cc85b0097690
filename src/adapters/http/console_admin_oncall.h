// The staff console's on-call schedule routes:
//   GET  /console/admin/oncall                the list with who is on call now (?after=NAME
//        pages; ?new=NAME: 303 to a new schedule)
//   GET  /console/admin/oncall/{name}         the schedule's form, who is on call now and the
//        next hand-overs (a new schedule for admins)
//   POST /console/admin/oncall/{name}         (admins) stores it, 303 back with a notice
//   POST /console/admin/oncall/{name}/delete  (admins) 303 to the list
// Registered by RegisterConsoleEscalationRoutes. Provider staff read; anyone else gets the
// console's 404 page. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleOnCallRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
