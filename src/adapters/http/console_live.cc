// The console's live routes (see console_live.h).
#include "adapters/http/console_live.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "app/get_case.h"

namespace casedesk::adapters::http {
namespace {

// The opening of every stream: how long EventSource waits before reconnecting.
constexpr char kStreamStart[] = "retry: 3000\n\n";

HttpResponse EventStream(std::function<void(std::shared_ptr<ResponseStream>)> on_stream) {
  HttpResponse response;
  response.content_type = "text/event-stream; charset=utf-8";
  response.body = kStreamStart;
  response.headers.emplace_back("Cache-Control", "no-store");
  // Proxies such as nginx would otherwise buffer the events.
  response.headers.emplace_back("X-Accel-Buffering", "no");
  response.on_stream = std::move(on_stream);
  return response;
}

// The staff member may see case `number` (NotFound otherwise, like the case page).
absl::Status CheckCaseVisible(app::AppContext& context, const WebCaller& web,
                              core::CaseNumber number) {
  return app::GetCase(context, web.caller, number).status();
}

}  // namespace

void RegisterConsoleLiveRoutes(Router& router, app::AppContext& context, LiveUpdates& live) {
  router.Add(
      "GET", "/console/events",
      WebAuthenticated(context, [&live](const HttpRequest&, Respond respond, const WebCaller& web) {
        if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
        respond(EventStream([&live](std::shared_ptr<ResponseStream> stream) {
          live.WatchQueues(std::move(stream));
        }));
      }));
  router.Add("GET", "/console/cases/{number}/events",
             WebAuthenticated(context, [&context, &live](const HttpRequest& request,
                                                         Respond respond, const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number || !MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               const absl::Status visible = CheckCaseVisible(context, web, *number);
               if (absl::IsNotFound(visible)) return respond(ConsoleNotFound());
               if (!visible.ok()) return respond(ProblemResponse(visible));
               const core::UserId viewer = web.caller.user.id;
               respond(EventStream(
                   [&live, number = *number, viewer](std::shared_ptr<ResponseStream> stream) {
                     live.WatchCase(number, viewer, std::move(stream));
                   }));
             }));
  router.Add("POST", "/console/cases/{number}/presence",
             WebAuthenticated(context, [&context, &live](const HttpRequest& request,
                                                         Respond respond, const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number || !MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               const auto fields = FormFields(request);
               const std::optional<PresenceState> state =
                   fields ? PresenceStateFromName(FormValue(*fields, "state")) : std::nullopt;
               if (!state) {
                 return respond(ProblemResponse(400, "state: must be viewing, typing or left"));
               }
               const absl::Status visible = CheckCaseVisible(context, web, *number);
               if (absl::IsNotFound(visible)) return respond(ConsoleNotFound());
               if (!visible.ok()) return respond(ProblemResponse(visible));
               const core::User& user = web.caller.user;
               live.SetPresence(*number, user.id, user.name.empty() ? user.email : user.name,
                                *state);
               HttpResponse done;
               done.status = 204;
               respond(std::move(done));
             }));
}

}  // namespace casedesk::adapters::http
