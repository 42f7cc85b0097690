// The staff console's group routes (issue 5's admin: groups):
//   GET  /console/admin/groups                 ?cursor=: the list; admins get the create form
//   POST /console/admin/groups                 creates a group (CreateGroup), 303 to its page
//   GET  /console/admin/groups/{id}            details and members
//   POST /console/admin/groups/{id}            saves what changed (UpdateGroup), 303 back
//   POST /console/admin/groups/{id}/members    action=add|remove, user_id
// Provider staff read; the group use cases decide who writes (admins), and a refusal is shown
// beside the form. Anyone else, and unknown ids, get the console's 404 page. Registered by
// RegisterConsolePeopleRoutes. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleGroupRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
