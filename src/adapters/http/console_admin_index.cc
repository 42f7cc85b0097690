// The admin index route (see console_admin_index.h).
#include "adapters/http/console_admin_index.h"

#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_admin_index.h"
#include "core/access.h"

namespace casedesk::adapters::http {

void RegisterConsoleAdminIndexRoute(Router& router, app::AppContext& context) {
  router.Add("GET", "/console/admin",
             WebAuthenticated(
                 context, [&context](const HttpRequest&, Respond respond, const WebCaller& web) {
                   if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
                   const web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", "Admin");
                   respond(HtmlPage(
                       200, web::RenderConsoleAdminIndex(frame, core::IsAdmin(web.caller.viewer))));
                 }));
}

}  // namespace casedesk::adapters::http
