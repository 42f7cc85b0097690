// The frame around every console page: the provider's name, who is signed in, the CSRF token
// their forms carry and the navigation item shown as current. Thread-safe: reads the store.
#pragma once

#include <string>

#include "adapters/http/web_auth.h"
#include "adapters/web/console_layout.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

// The provider organisation's name, or "Casedesk" when there is none or it cannot be read
// (the page itself reports a store failure).
std::string ConsoleDeskName(app::AppContext& context);

// A frame for a page of the navigation item `active` ("cases", "kb", "tokens", ...).
web::ConsoleFrame MakeConsoleFrame(app::AppContext& context, const WebCaller& web,
                                   std::string active, std::string title);

}  // namespace casedesk::adapters::http
