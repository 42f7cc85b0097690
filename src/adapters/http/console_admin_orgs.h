// The staff console's organisation routes (issue 5's admin: organisations and partners):
//   GET  /console/admin/orgs                 ?kind=&parent_id=&cursor=: the list and add form
//   POST /console/admin/orgs                 adds a partner or customer (CreateOrganisation)
//   GET  /console/admin/orgs/{id}            details, contacts and a partner's customers
//   POST /console/admin/orgs/{id}            saves what changed (UpdateOrganisation), 303 back
//   POST /console/admin/orgs/{id}/contacts   adds a contact or partner agent (CreateUser)
// Provider staff read; every write goes through the same use case as the JSON API, so its
// permission rules decide (a refusal is shown beside the form with what was typed). Anyone else,
// and any id the viewer may not see, gets the console's 404 page. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

void RegisterConsoleOrgRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
