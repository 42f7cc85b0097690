// The console's admin index (/console/admin): one entry per configuration area, each with what
// it configures, so the navigation needs a single "Admin" item. Thread-safe: pure rendering.
#pragma once

#include <string>

#include "adapters/web/console_layout.h"

namespace casedesk::adapters::web {

std::string RenderConsoleAdminIndex(const ConsoleFrame& frame, bool may_edit);

}  // namespace casedesk::adapters::web
