// The status console's pages as HTTP responses: loads what a page shows through the status use
// cases and renders it inside the console frame, with a notice, or with a refused form and its
// error. Used by console_status.cc for GETs and for re-rendering after a refusal.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "adapters/http/http_types.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_form.h"
#include "app/app_context.h"
#include "core/status_page.h"

namespace casedesk::adapters::http {

// Whether the signed-in person may use the status console (provider staff).
bool MayUseStatusConsole(const WebCaller& web);

// The plain 404 page (customers, unknown incidents, malformed addresses).
HttpResponse ConsoleNotFound();

// GET /console/status with `status` (200, or 4xx when re-rendering `form`), the notice text
// and the refused form (empty name: none).
HttpResponse StatusOverviewPage(app::AppContext& context, const WebCaller& web, int status,
                                const std::string& notice, const web::PostedForm& form);

// GET /console/status/incidents/{id}; the 404 page when there is no such event.
HttpResponse IncidentConsolePage(app::AppContext& context, const WebCaller& web,
                                 core::IncidentId id, int status, const std::string& notice,
                                 const web::PostedForm& form);

// What a form shows for a refusal: the use case's message, or for a server-side failure a
// fixed sentence that leaks nothing.
std::string RefusalText(const absl::Status& status);

// The page's time zone for reading the maintenance form's datetime-local fields.
absl::TimeZone StatusPageZone(app::AppContext& context);

}  // namespace casedesk::adapters::http
