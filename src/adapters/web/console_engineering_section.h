// The console case page's "Engineering" section (issue 7): the case's links to tracker issues
// (tracker, key with its URL, state, title), a one-click "Send to the customer" form for a
// suggested public update waiting on a link, the problems the case belongs to, and the
// "Link an issue" form posting to /console/cases/{number}/engineering. Provider staff only (the
// case console is theirs). A refused form comes back with its error and what was typed. All
// text is escaped. Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <string_view>

#include "adapters/web/console_case_view.h"

namespace casedesk::adapters::web {

// The section's data (the page sets it as "engineering").
kainjow::mustache::data ConsoleEngineeringData(const ConsoleCaseView& view);
// The section's template (the page sets it as the partial "engineering_section"); it reads
// {{number}} and the "csrf" partial from the page and everything else from {{#engineering}}.
std::string_view ConsoleEngineeringSectionPartial();

}  // namespace casedesk::adapters::web
