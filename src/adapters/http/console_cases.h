// The staff console's case routes (issue 5): GET /console (to the queues), the queue page
// (GET /console/cases), the case page and its whole history (GET /console/cases/{number},
// .../history), attachment downloads (GET /console/attachments/{id}), console.js, and the case
// page's plain HTML forms (POST .../reply, note, status, severity, assignee, group, escalate,
// flag), each answered 303 back to the case page with a notice once the change is durable, or
// with the page again, the error beside the form and what was typed kept. Signed-in provider
// staff only; anyone else gets a 404 page. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleCaseRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
