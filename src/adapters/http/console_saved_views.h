// The staff console's saved views (issue 5): POST /console/views saves the view a queue page
// shows (its canonical filter, core/queue_view.h) under a name; POST
// /console/views/{id}/delete deletes one of the signed-in person's views. Each answers 303 to
// the queue page with a notice once the change is durable, or the queue page again with the
// refusal beside the save form and the name as typed. Signed-in provider staff only; anyone
// else, and another person's view, gets a 404 page. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleSavedViewRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
