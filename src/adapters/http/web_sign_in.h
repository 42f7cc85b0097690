// Signing in and out of the web pages (web_sign_in.cc): GET /login shows the form, POST /login
// checks it and sets the session cookie, POST /logout (a signed-in form, with its CSRF token)
// ends the session. Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

// `context` must outlive the router. Failed attempts are counted in the store (app/throttle.h).
void RegisterSignInRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
