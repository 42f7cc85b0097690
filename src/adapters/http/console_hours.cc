// POST /console/cases/{number}/time: the console case page's "Log time" form (minutes, billable,
// kind, activity, note) as app::LogCaseTime, post/redirect/get: 303 back to the case page's time
// section with a notice, or the case page again (4xx) with the refusal beside the form and what
// was typed. Also RegisterHoursRoutes, which registers every hours route. Thread-safe once
// registered.
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_support.h"
#include "adapters/http/api_hours.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "app/hours.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

absl::StatusOr<app::TimeEntryInput> ParseTimeForm(const Fields& fields) {
  app::TimeEntryInput input;
  const std::string minutes_text(absl::StripAsciiWhitespace(FormValue(fields, "minutes")));
  if (minutes_text.empty()) return absl::InvalidArgumentError("minutes: required");
  if (!absl::SimpleAtoi(minutes_text, &input.minutes)) {
    return absl::InvalidArgumentError("minutes: must be a whole number from 1 to 1440");
  }
  input.billable = !FormValue(fields, "billable").empty();
  const std::optional<core::HoursKind> kind =
      core::EnumFromName<core::HoursKind>(core::kHoursKindNames, FormValue(fields, "kind"));
  if (!kind) return absl::InvalidArgumentError("kind: choose one from the list");
  input.kind = *kind;
  const std::string activity = FormValue(fields, "activity");
  if (!activity.empty()) {
    input.activity = core::EnumFromName<core::Activity>(core::kActivityNames, activity);
    if (!input.activity) return absl::InvalidArgumentError("activity: choose one from the list");
  }
  input.note = FormValue(fields, "note");
  return input;
}

HttpResponse RefusedTimeEntry(app::AppContext& context, const WebCaller& web,
                              core::CaseNumber number, web::PostedForm form,
                              const absl::Status& refusal) {
  if (absl::IsNotFound(refusal)) return ConsoleNotFound();
  form.error = RefusalText(refusal);
  return ConsoleCaseResponse(context, web, number, HttpStatusFor(refusal), "", form, false);
}

}  // namespace

void RegisterConsoleHoursRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/console/cases/{number}/time",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number || !MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               web::PostedForm form;
               form.name = "time";
               std::optional<Fields> fields = FormFields(request);
               if (!fields) {
                 return respond(RefusedTimeEntry(
                     context, web, *number, std::move(form),
                     absl::InvalidArgumentError("form: could not be read; send it again")));
               }
               form.fields = *std::move(fields);
               absl::StatusOr<app::TimeEntryInput> input = ParseTimeForm(form.fields);
               if (!input.ok())
                 return respond(RefusedTimeEntry(context, web, *number, form, input.status()));
               app::LogCaseTime(
                   context, web.caller, *number, *std::move(input),
                   [&context, web, number = *number, form = std::move(form),
                    respond = std::move(respond)](absl::StatusOr<core::TimeEntry> outcome) {
                     if (outcome.ok()) {
                       return respond(SeeOther(
                           absl::StrCat("/console/cases/", number, "?notice=time-logged#cc-time")));
                     }
                     respond(RefusedTimeEntry(context, web, number, form, outcome.status()));
                   });
             }));
}

void RegisterHoursRoutes(Router& router, app::AppContext& context, app::StatusPageCache& cache) {
  RegisterHoursApiRoutes(router, context);
  RegisterPortalHoursRoutes(router, context, cache);
  RegisterConsoleHoursRoutes(router, context);
}

}  // namespace casedesk::adapters::http
