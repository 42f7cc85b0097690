#include "adapters/http/console_saved_views.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_cases_queues.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "app/saved_views.h"

namespace casedesk::adapters::http {
namespace {

void SaveViewForm(app::AppContext& context, const HttpRequest& request, Respond respond,
                  const WebCaller& web) {
  if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
  web::PostedForm form{.name = "save-view"};
  std::optional<std::vector<std::pair<std::string, std::string>>> fields = FormFields(request);
  if (!fields) {
    form.error = "form: could not be read; send it again";
    return respond(ConsoleViewRefused(context, web, {}, std::move(form), 400));
  }
  form.fields = *std::move(fields);
  // The filter is the page's own hidden field; a tampered one is refused on the first page.
  absl::StatusOr<core::QueueViewFilter> filter =
      core::DecodeQueueViewFilter(FormValue(form.fields, "filter"));
  if (!filter.ok()) {
    form.error = RefusalText(filter.status());
    return respond(ConsoleViewRefused(context, web, {}, std::move(form), 400));
  }
  // Read before the form moves into the callback (argument order is unspecified).
  std::string name = FormValue(form.fields, "name");
  app::SaveView(
      context, web.caller, std::move(name), *filter,
      [&context, web, filter = *filter, form = std::move(form),
       respond = std::move(respond)](absl::StatusOr<core::SavedView> saved) mutable {
        if (saved.ok()) {
          return respond(SeeOther(absl::StrCat(QueueHref(saved->filter), "&notice=view-saved")));
        }
        form.error = RefusalText(saved.status());
        respond(ConsoleViewRefused(context, web, filter, std::move(form),
                                   HttpStatusFor(saved.status())));
      });
}

void DeleteViewForm(app::AppContext& context, const HttpRequest& request, Respond respond,
                    const WebCaller& web) {
  absl::StatusOr<int64_t> id = IdFromPath(request, "id");
  if (!MayUseCaseConsole(web) || !id.ok()) return respond(ConsoleNotFound());
  app::DeleteSavedView(context, web.caller, *id,
                       [respond = std::move(respond)](absl::StatusOr<bool> deleted) {
                         if (deleted.ok()) {
                           return respond(SeeOther("/console/cases?notice=view-deleted"));
                         }
                         if (absl::IsNotFound(deleted.status())) {
                           return respond(ConsoleNotFound());
                         }
                         respond(ProblemResponse(deleted.status()));
                       });
}

}  // namespace

void RegisterConsoleSavedViewRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/console/views",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               SaveViewForm(context, request, std::move(respond), web);
             }));
  router.Add("POST", "/console/views/{id}/delete",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               DeleteViewForm(context, request, std::move(respond), web);
             }));
}

}  // namespace casedesk::adapters::http
