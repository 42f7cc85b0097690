// The staff console's queue page (GET /console/cases): the queue tabs, one page of cases
// ordered by their next SLA deadline with a countdown each, and the paging links; inside the
// console frame, with the keyboard-shortcuts help and console.js. All text is escaped.
// Thread-safe: pure functions.
#pragma once

#include <string>

#include "adapters/web/console_case_view.h"
#include "adapters/web/console_layout.h"

namespace casedesk::adapters::web {

std::string RenderConsoleQueuePage(const ConsoleFrame& frame, const ConsoleQueueView& view);

}  // namespace casedesk::adapters::web
