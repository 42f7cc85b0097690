// The REST routes of saved queue views (issue 5): the signed-in staff member's own views, the
// same records the console's queue page saves. Provider staff only; anyone else, and another
// person's view, gets 404.
//   GET    /api/v1/views        {items: [view]} by name
//   POST   /api/v1/views        {name, queue?, severity?, group_id?, org_id?} -> 201 view
//   DELETE /api/v1/views/{id}   -> 204
// A view is {id, name, queue, severity|null, group_id|null, org_id|null, href, created_at};
// `href` is the console address that shows it. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterSavedViewApiRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
