// What the status console's pages show: the overview (GET /console/status) and one incident's or
// maintenance's page (GET /console/status/incidents/{id}), each with the form to re-render after
// a refusal. Filled by the HTTP handlers from the status use cases.
// Thread-safe: values.
#pragma once

#include <vector>

#include "adapters/web/console_form.h"
#include "app/status_incidents.h"
#include "app/status_page_view.h"
#include "core/status_page.h"

namespace casedesk::adapters::web {

struct ConsoleStatusView {
  app::StatusPageInfo page;                       // its time zone reads the maintenance window
  std::vector<core::StatusComponent> components;  // every component and group, by (position, id)
  std::vector<core::Incident> open_events;        // open incidents and maintenance, newest first
  std::vector<core::Incident> recent_closed;      // closed ones, most recently closed first
  // The form to show again with its error and typed values: "add-component",
  // "component-{id}", "incident" or "maintenance".
  PostedForm form;
};

struct ConsoleIncidentView {
  app::StatusPageInfo page;
  app::IncidentView event;                        // the incident or maintenance, linked cases
  std::vector<core::StatusComponent> components;  // for the affected components' names
  // The form to show again: "update", "link-case" or "unlink-case-{number}".
  PostedForm form;
};

}  // namespace casedesk::adapters::web
