// The staff console's business-hours calendar routes:
//   GET  /console/admin/calendars                  the list (?new=NAME: 303 to a new calendar)
//   GET  /console/admin/calendars/{name}           the form, with due times previewed from now
//   POST /console/admin/calendars/{name}           action=preview: due times for the posted
//        form (not saved); action=save (admins): stores it, 303 back with a notice
//   POST /console/admin/calendars/{name}/delete    (admins) 303 to the list
// Provider staff only; anyone else gets the console's 404 page. A refused form is shown again
// with what was typed and the reason. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleCalendarRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
