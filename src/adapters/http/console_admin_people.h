// The staff console's people and group routes (issue 5's admin: groups and people):
//   GET  /console/admin/people                ?role=&org_id=&cursor=: the list and the add form
//   POST /console/admin/people                adds a person (CreateUser), 303 to their page
//   GET  /console/admin/people/{id}           details, groups and recent history
//   POST /console/admin/people/{id}           saves what changed (UpdateUser: name, status,
//                                             tier, skills, role), 303 back
//   POST /console/admin/people/{id}/groups    action=add|remove, group_id: membership
// and the group routes of console_admin_groups.h. Provider staff read; every write goes through
// the same use case as the JSON API, so its permission rules decide (a refusal is shown beside
// the form with what was typed). Anyone else, and any id the viewer may not see, gets the
// console's 404 page. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

// Registers the people routes and RegisterConsoleGroupRoutes.
void RegisterConsolePeopleRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
