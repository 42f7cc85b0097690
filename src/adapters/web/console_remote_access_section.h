// The console case page's "Remote access" section (issue 7): the case's requests (method,
// purpose, window, who asked, the effective status, who decided and why, which credentials
// were given, never their values), a "Show credentials" link while a grant is active, a
// "Withdraw" button while a request waits for the customer, and the "Ask for remote access"
// form (method, purpose, window start and end in UTC) posting to
// /console/cases/{number}/remote-access. A refused form comes back with its error beside it and
// what was typed. Also the credentials page itself. All text is escaped.
// Thread-safe: pure functions.
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

#include "adapters/web/console_case_view.h"
#include "adapters/web/console_layout.h"
#include "app/remote_access.h"

namespace casedesk::adapters::web {

// The section's data (the page sets it as "remote_access").
kainjow::mustache::data ConsoleRemoteAccessData(const ConsoleCaseView& view);
// The section's template (the page sets it as the partial "remote_access_section"); it reads
// {{number}} and the "csrf"/"option"/"form_error_partial" partials from the page and everything
// else from {{#remote_access}}.
std::string_view ConsoleRemoteAccessSectionPartial();

// The page showing one grant's credentials (GET /console/cases/{n}/remote-access/{id}/credentials).
std::string RenderConsoleCredentialsPage(const ConsoleFrame& frame, core::CaseNumber number,
                                         const app::RemoteAccessCredentials& credentials);

}  // namespace casedesk::adapters::web
