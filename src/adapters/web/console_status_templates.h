// The status console's mustache templates (kainjow): the overview's and the incident page's
// main parts and the partials they share. They use the console frame's partials ("csrf",
// "form_error_partial", "option") and the status page's "status_badge". Every {{x}} is
// HTML-escaped; triple mustaches are never used.
// Thread-safe: constants.
#pragma once

#include <string_view>

namespace casedesk::adapters::web {

std::string_view ConsoleStatusMainPartial();    // "main" of GET /console/status
std::string_view ConsoleIncidentMainPartial();  // "main" of GET /console/status/incidents/{id}
std::string_view ConsoleEventItemPartial();     // "event_item": an event in a list
std::string_view ConsoleComponentRowPartial();  // "component_row": name, status, status form
std::string_view ConsoleChoicesPartial();       // "component_choices": component checkboxes

}  // namespace casedesk::adapters::web
