// What the console's mail administration routes (console_admin_mail*.cc) share: the
// organisation picker's bounded list; the pages' frame and staff-only wrapper; and the inbound
// mail and outbox routes' registration.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_layout.h"
#include "adapters/web/console_mail_pages.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "ports/mail_parser.h"

namespace casedesk::adapters::http {

// The first `limit` organisations (by id) other than the provider, for the pickers; `more` is set
// when there are further ones.
absl::StatusOr<std::vector<web::MailOrgChoice>> LoadMailOrgChoices(app::AppContext& context,
                                                                   const app::Caller& caller,
                                                                   int limit, bool* more);

// The value of path parameter `name`, or "".
std::string MailPathParam(const HttpRequest& request, const std::string& name);
// The frame of a mail page ("Admin" current in the navigation) with a notice.
web::ConsoleFrame MailAdminFrame(app::AppContext& context, const WebCaller& web, std::string title,
                                 std::string notice);
// A console message page for a failure to load a page (503 for server-side failures).
HttpResponse MailAdminFailure(app::AppContext& context, const WebCaller& web,
                              const std::string& title, const absl::Status& status);
// A console route for provider staff; everyone else gets the 404 page.
HttpHandler MailStaffPage(app::AppContext& context, WebHandler page);

// GET/POST /console/admin/mail/templates...
void RegisterConsoleMailTemplateRoutes(Router& router, app::AppContext& context);
// GET/POST /console/admin/mail/inbound..., GET/POST /console/admin/mail/outbox...
void RegisterConsoleMailQueueRoutes(Router& router, app::AppContext& context,
                                    const ports::MailParser& parser);

}  // namespace casedesk::adapters::http
