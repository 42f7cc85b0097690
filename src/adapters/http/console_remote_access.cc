// The console's remote access forms and page (issue 7), post/redirect/get:
//   POST /console/cases/{number}/remote-access                 ask (method, purpose,
//                                                              window_start, window_end in UTC)
//   POST /console/cases/{number}/remote-access/{id}/withdraw   withdraw an undecided request
//   GET  /console/cases/{number}/remote-access/{id}/credentials   the credentials while active
// A write answers 303 to the case page's remote access section, or the case page again (4xx)
// with the refusal beside the form and what was typed. The credentials page is never cached.
// Also RegisterRemoteAccessRoutes, which registers every remote access route.
// Thread-safe once registered.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "adapters/http/api_remote_access.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_remote_access_section.h"
#include "app/remote_access.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

std::string ConsoleRemoteAccessPath(core::CaseNumber number) {
  return absl::StrCat("/console/cases/", number, "#cc-remote-access");
}

// A datetime-local value ("2026-03-09T13:00", seconds optional), read as UTC.
absl::StatusOr<absl::Time> FormTime(const Fields& fields, std::string_view field) {
  const std::string text(absl::StripAsciiWhitespace(FormValue(fields, field)));
  if (text.empty())
    return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": required"));
  absl::Time at;
  std::string error;
  for (const char* format : {"%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"}) {
    if (absl::ParseTime(format, text, absl::UTCTimeZone(), &at, &error)) return at;
  }
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(field), ": a date and time such as 2026-03-09T13:00 (UTC)"));
}

absl::StatusOr<app::RemoteAccessInput> ParseRequestForm(const Fields& fields) {
  app::RemoteAccessInput input;
  const std::optional<core::RemoteAccessMethod> method =
      core::EnumFromName<core::RemoteAccessMethod>(core::kRemoteAccessMethodNames,
                                                   FormValue(fields, "method"));
  if (!method) return absl::InvalidArgumentError("method: choose one from the list");
  input.method = *method;
  input.purpose = FormValue(fields, "purpose");
  absl::StatusOr<absl::Time> start = FormTime(fields, "window_start");
  if (!start.ok()) return start.status();
  input.window_start = *start;
  absl::StatusOr<absl::Time> end = FormTime(fields, "window_end");
  if (!end.ok()) return end.status();
  input.window_end = *end;
  return input;
}

HttpResponse RefusedRemoteAccess(app::AppContext& context, const WebCaller& web,
                                 core::CaseNumber number, web::PostedForm form,
                                 const absl::Status& refusal) {
  if (absl::IsNotFound(refusal)) return ConsoleNotFound();
  form.error = RefusalText(refusal);
  return ConsoleCaseResponse(context, web, number, HttpStatusFor(AsConflict(refusal)), "", form,
                             false);
}

std::optional<core::RemoteAccessId> RequestIdOf(const HttpRequest& request) {
  absl::StatusOr<int64_t> id = IdFromPath(request, "id");
  if (!id.ok()) return std::nullopt;
  return *id;
}

}  // namespace

void RegisterConsoleRemoteAccessRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/console/cases/{number}/remote-access",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number || !MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               web::PostedForm form;
               form.name = "remote-access";
               std::optional<Fields> fields = FormFields(request);
               if (!fields) {
                 return respond(RefusedRemoteAccess(
                     context, web, *number, std::move(form),
                     absl::InvalidArgumentError("form: could not be read; send it again")));
               }
               form.fields = *std::move(fields);
               absl::StatusOr<app::RemoteAccessInput> input = ParseRequestForm(form.fields);
               if (!input.ok()) {
                 return respond(RefusedRemoteAccess(context, web, *number, form, input.status()));
               }
               app::RequestRemoteAccess(
                   context, web.caller, *number, *std::move(input),
                   [&context, web, number = *number, form = std::move(form),
                    respond = std::move(respond)](absl::StatusOr<app::RemoteAccessView> outcome) {
                     if (outcome.ok()) return respond(SeeOther(ConsoleRemoteAccessPath(number)));
                     respond(RefusedRemoteAccess(context, web, number, form, outcome.status()));
                   });
             }));

  router.Add("POST", "/console/cases/{number}/remote-access/{id}/withdraw",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               const std::optional<core::RemoteAccessId> id = RequestIdOf(request);
               if (!number || !id || !MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               web::PostedForm form;
               form.name = "remote-access-withdraw";
               app::WithdrawRemoteAccess(
                   context, web.caller, *number, *id,
                   [&context, web, number = *number, form = std::move(form),
                    respond = std::move(respond)](absl::StatusOr<app::RemoteAccessView> outcome) {
                     if (outcome.ok()) return respond(SeeOther(ConsoleRemoteAccessPath(number)));
                     respond(RefusedRemoteAccess(context, web, number, form, outcome.status()));
                   });
             }));

  router.Add("GET", "/console/cases/{number}/remote-access/{id}/credentials",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               const std::optional<core::RemoteAccessId> id = RequestIdOf(request);
               if (!number || !id || !MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               absl::StatusOr<app::RemoteAccessCredentials> credentials =
                   app::ReadRemoteAccessCredentials(context, web.caller, *number, *id);
               if (absl::IsNotFound(credentials.status()) &&
                   credentials.status().message().find("not found") != std::string_view::npos) {
                 return respond(ConsoleNotFound());
               }
               web::ConsoleFrame frame = MakeConsoleFrame(
                   context, web, "cases", absl::StrCat("Remote access credentials · #", *number));
               HttpResponse response;
               if (!credentials.ok()) {
                 response = HtmlPage(
                     HttpStatusFor(AsConflict(credentials.status())),
                     web::RenderConsoleMessagePage(frame, RefusalText(credentials.status())));
               } else {
                 response =
                     HtmlPage(200, web::RenderConsoleCredentialsPage(frame, *number, *credentials));
               }
               // Secrets: never kept by the browser's or anyone's cache.
               response.headers.emplace_back("Cache-Control", "no-store");
               respond(std::move(response));
             }));
}

void RegisterRemoteAccessRoutes(Router& router, app::AppContext& context,
                                app::StatusPageCache& cache) {
  RegisterRemoteAccessApiRoutes(router, context);
  RegisterPortalRemoteAccessRoutes(router, context, cache);
  RegisterConsoleRemoteAccessRoutes(router, context);
}

}  // namespace casedesk::adapters::http
