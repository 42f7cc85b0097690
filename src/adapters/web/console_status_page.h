// The status console's pages, server-rendered inside the console frame: the overview
// (GET /console/status: indicator, components with their status forms, open and recent events,
// the forms to add a component, open an incident and schedule maintenance) and one incident's
// or maintenance's page (GET /console/status/incidents/{id}: timeline, linked cases, the
// post-update and link-a-case forms). Every form carries the frame's csrf_token; a refused form
// shows its error next to it with the typed values kept. All text is escaped.
// Thread-safe: pure functions.
#pragma once

#include <string>

#include "adapters/web/console_layout.h"
#include "adapters/web/console_status_view.h"

namespace casedesk::adapters::web {

std::string RenderConsoleStatusPage(const ConsoleFrame& frame, const ConsoleStatusView& view);
std::string RenderConsoleIncidentPage(const ConsoleFrame& frame, const ConsoleIncidentView& view);

}  // namespace casedesk::adapters::web
