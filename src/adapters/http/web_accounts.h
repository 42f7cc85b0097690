// The customer-account pages (web_accounts.cc): GET/POST /signup, GET/POST /verify (the
// verification and invitation links), GET/POST /password/forgot and GET/POST /password/reset;
// and, for organisation admins, their authorised contacts at /portal/contacts
// (web_accounts_contacts.cc). Signed-out forms carry a pre-session CSRF token
// (web_accounts_forms.h); every POST answers with a redirect or the form again with its error.
// Thread-safe once registered.
#pragma once

#include "adapters/http/http_types.h"
#include "app/app_context.h"

namespace casedesk::adapters::http {

// `context` must outlive the router. Requests are counted per address in the store
// (app/throttle.h).
// Registers the Contacts routes too.
void RegisterAccountRoutes(Router& router, app::AppContext& context);

// The organisation admin's Contacts page alone (web_accounts_contacts.cc).
void RegisterAccountContactRoutes(Router& router, app::AppContext& context);

}  // namespace casedesk::adapters::http
