// The console case page's "Time" section (issue 7): the case's time entries (who, when, how
// long, billable or not, kind, activity, note) with their total, and the "Log time" form
// (minutes, billable, kind, activity, note) posting to /console/cases/{number}/time; a refused
// form comes back with its error beside it and what was typed. All text is escaped.
// Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <string_view>

#include "adapters/web/console_case_view.h"

namespace casedesk::adapters::web {

// The section's data (the page sets it as "time").
kainjow::mustache::data ConsoleTimeData(const ConsoleCaseView& view);
// The section's template (the page sets it as the partial "time_section"); it reads {{number}}
// and the "csrf"/"option" partials from the page and everything else from {{#time}}.
std::string_view ConsoleTimeSectionPartial();

}  // namespace casedesk::adapters::web
