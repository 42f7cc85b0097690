// console.js, the staff console's case pages' progressive script (served as /static/console.js):
// countdowns that tick, times in the agent's zone, polling the page with If-None-Match and
// swapping the live regions ([data-live]) when they changed, and keyboard shortcuts (j/k, Enter,
// r, n, ?). Every page works without it. Thread-safe: a constant.
#pragma once

#include <string_view>

namespace casedesk::adapters::web {

std::string_view ConsoleScript();

}  // namespace casedesk::adapters::web
