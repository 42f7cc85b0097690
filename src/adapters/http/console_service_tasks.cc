// The console's service-task forms (issue 7): POST /console/cases/{number}/service-task/
// {estimate|schedule|start|done} as app::ActOnServiceTask, post/redirect/get: 303 back to the
// case page's "Service task" section, or the case page again (4xx) with the refusal beside the
// form and what was typed. Thread-safe once registered.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_service_tasks.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

absl::StatusOr<core::ServiceTaskCommand> ParseStepForm(core::ServiceTaskAction action,
                                                       const Fields& fields) {
  core::ServiceTaskCommand command;
  command.action = action;
  if (action == core::ServiceTaskAction::kEstimate) {
    const std::string hours(absl::StripAsciiWhitespace(FormValue(fields, "hours")));
    if (hours.empty()) return absl::InvalidArgumentError("hours: required");
    if (!absl::SimpleAtod(hours, &command.hours)) {
      return absl::InvalidArgumentError("hours: must be a number such as 2.5");
    }
    command.completion_date =
        std::string(absl::StripAsciiWhitespace(FormValue(fields, "completion_date")));
  } else if (action == core::ServiceTaskAction::kSchedule) {
    command.start_date = std::string(absl::StripAsciiWhitespace(FormValue(fields, "start_date")));
  }
  return command;
}

HttpResponse RefusedServiceTask(app::AppContext& context, const WebCaller& web,
                                core::CaseNumber number, web::PostedForm form,
                                const absl::Status& refusal) {
  if (absl::IsNotFound(refusal)) return ConsoleNotFound();
  form.error = RefusalText(refusal);
  return ConsoleCaseResponse(context, web, number, HttpStatusFor(refusal), "", form, false);
}

void AddStep(Router& router, app::AppContext& context, core::ServiceTaskAction action) {
  const std::string name(
      core::NameOf<core::ServiceTaskAction>(core::kServiceTaskActionNames, action));
  router.Add(
      "POST", "/console/cases/{number}/service-task/" + name,
      WebAuthenticated(context, [&context, action, name](const HttpRequest& request,
                                                         Respond respond, const WebCaller& web) {
        const std::optional<core::CaseNumber> number = CaseNumberOf(request);
        if (!number || !MayUseCaseConsole(web)) return respond(ConsoleNotFound());
        web::PostedForm form;
        form.name = "st-" + name;
        std::optional<Fields> fields = FormFields(request);
        if (!fields) {
          return respond(RefusedServiceTask(
              context, web, *number, std::move(form),
              absl::InvalidArgumentError("form: could not be read; send it again")));
        }
        form.fields = *std::move(fields);
        absl::StatusOr<core::ServiceTaskCommand> command = ParseStepForm(action, form.fields);
        if (!command.ok())
          return respond(RefusedServiceTask(context, web, *number, form, command.status()));
        app::ActOnServiceTask(
            context, web.caller, *number, *std::move(command),
            [&context, web, number = *number, form = std::move(form),
             respond = std::move(respond)](absl::StatusOr<app::ServiceTaskView> outcome) {
              if (outcome.ok()) {
                return respond(
                    SeeOther(absl::StrCat("/console/cases/", number, "#cc-service-task")));
              }
              respond(RefusedServiceTask(context, web, number, form, outcome.status()));
            });
      }));
}

}  // namespace

void RegisterConsoleServiceTaskRoutes(Router& router, app::AppContext& context) {
  for (core::ServiceTaskAction action :
       {core::ServiceTaskAction::kEstimate, core::ServiceTaskAction::kSchedule,
        core::ServiceTaskAction::kStart, core::ServiceTaskAction::kDone}) {
    AddStep(router, context, action);
  }
}

}  // namespace casedesk::adapters::http
