// The console case page's Engineering forms (issue 7), post/redirect/get:
//   POST /console/cases/{number}/engineering            link an issue {tracker, key, state,
//                                                        url, title}: 303 back to the section,
//                                                        or the case page again (4xx) with the
//                                                        refusal beside the form and what was typed
//   POST /console/cases/{number}/engineering/{id}/send  send the link's suggested public update
//                                                        (one click): 303 with "Reply sent."
// Provider staff only; anyone else gets the plain not-found page. CSRF and same-site checks come
// from WebAuthenticated. Also RegisterConsoleEngineeringRoutes. Thread-safe once registered.
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/http/api_engineering.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "app/engineering_links.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

HttpResponse RefusedEngineering(app::AppContext& context, const WebCaller& web,
                                core::CaseNumber number, web::PostedForm form,
                                const absl::Status& refusal) {
  if (absl::IsNotFound(refusal)) return ConsoleNotFound();
  form.error = RefusalText(refusal);
  return ConsoleCaseResponse(context, web, number, HttpStatusFor(refusal), "", form, false);
}

std::string SectionPath(core::CaseNumber number, std::string_view notice) {
  return absl::StrCat("/console/cases/", number,
                      notice.empty() ? "" : "?notice=", std::string(notice), "#cc-engineering");
}

}  // namespace

void RegisterConsoleEngineeringRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/console/cases/{number}/engineering",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number || !MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               web::PostedForm form;
               form.name = "engineering";
               std::optional<Fields> fields = FormFields(request);
               if (!fields) {
                 return respond(RefusedEngineering(
                     context, web, *number, std::move(form),
                     absl::InvalidArgumentError("form: could not be read; send it again")));
               }
               form.fields = *std::move(fields);
               app::EngineeringLinkInput input;
               input.tracker = FormValue(form.fields, "tracker");
               input.key = FormValue(form.fields, "key");
               input.state = FormValue(form.fields, "state");
               input.url = FormValue(form.fields, "url");
               input.title = FormValue(form.fields, "title");
               app::LinkEngineeringIssue(
                   context, web.caller, *number, std::move(input),
                   [&context, web, number = *number, form = std::move(form),
                    respond = std::move(respond)](absl::StatusOr<core::EngineeringLink> outcome) {
                     if (outcome.ok()) return respond(SeeOther(SectionPath(number, "")));
                     respond(RefusedEngineering(context, web, number, form, outcome.status()));
                   });
             }));

  router.Add(
      "POST", "/console/cases/{number}/engineering/{id}/send",
      WebAuthenticated(
          context, [&context](const HttpRequest& request, Respond respond, const WebCaller& web) {
            const std::optional<core::CaseNumber> number = CaseNumberOf(request);
            absl::StatusOr<int64_t> id = IdFromPath(request, "id");
            if (!number || !id.ok() || !MayUseCaseConsole(web)) {
              return respond(ConsoleNotFound());
            }
            app::SendPendingUpdate(
                context, web.caller, *number, *id,
                [&context, web, number = *number,
                 respond = std::move(respond)](absl::StatusOr<core::EngineeringLink> outcome) {
                  if (outcome.ok()) return respond(SeeOther(SectionPath(number, "reply-sent")));
                  if (absl::IsNotFound(outcome.status())) return respond(ConsoleNotFound());
                  // No form to show it beside: the refusal is the page's one-line message.
                  respond(ConsoleCaseResponse(context, web, number, HttpStatusFor(outcome.status()),
                                              RefusalText(outcome.status()), {}, false));
                });
          }));
}

}  // namespace casedesk::adapters::http
