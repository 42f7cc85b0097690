// The REST routes of engineering links (issue 7). Provider staff only; anyone else gets 404,
// as for a case that does not exist.
//   GET   /api/v1/cases/{number}/engineering-links               the case's links
//   POST  /api/v1/cases/{number}/engineering-links               link {tracker, key, url?,
//                                                                state?, title?} -> 201
//   PATCH /api/v1/cases/{number}/engineering-links/{id}          {state?, title?, url?}
//   POST  /api/v1/cases/{number}/engineering-links/{id}/send-update   send the suggested text
//   GET   /api/v1/engineering/issues/{tracker}/{key}             every case linking the key
//   PATCH /api/v1/engineering/issues/{tracker}/{key}             {state, title?, url?} on all
//   GET   /api/v1/engineering/settings                           (admins) policy and templates
//   PUT   /api/v1/engineering/settings                           (admins) {secret?, policies?,
//                                                                templates?}
//   POST  /api/v1/hooks/tracker                                  the tracker's signed webhook:
//         {tracker, key, state, title?, url?} with X-Casedesk-Signature: sha256=<hex HMAC>
// Writes answer from the durable-commit callback. Thread-safe once registered.
#include "adapters/http/api_engineering.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "adapters/http/api_engineering_json.h"
#include "adapters/http/api_handlers.h"
#include "adapters/http/api_support.h"
#include "adapters/http/problem.h"
#include "app/engineering_links.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json LinksToJson(const std::vector<core::EngineeringLink>& links) {
  json items = json::array();
  for (const core::EngineeringLink& link : links) items.push_back(EngineeringLinkToJson(link));
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

// The tracker hears how many cases the update reached, not which.
json WebhookAnswer(const app::TrackerUpdateResult& result) {
  json answer = TrackerUpdateToJson(result);
  answer.erase("links");
  return answer;
}

std::string PathText(const HttpRequest& request, const std::string& name) {
  const auto found = request.path_params.find(name);
  return found == request.path_params.end() ? "" : found->second;
}

}  // namespace

void RegisterEngineeringApiRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/cases/{number}/engineering-links",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               Answer(respond, app::ListEngineeringLinks(context, caller, *number), LinksToJson);
             }));

  router.Add(
      "POST", "/api/v1/cases/{number}/engineering-links",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<int64_t> number = IdFromPath(request, "number");
        if (!number.ok()) return respond(ProblemResponse(number.status()));
        // Customers learn nothing, not even that the body was wrong.
        if (!core::IsProviderStaff(caller.viewer.role)) {
          return respond(ProblemResponse(absl::NotFoundError("not found")));
        }
        absl::StatusOr<json> body = ParseJsonObject(request, context.limits.max_json_body_bytes,
                                                    {"tracker", "key", "url", "state", "title"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<app::EngineeringLinkInput> input = LinkInputFromJson(*body);
        if (!input.ok()) return respond(ProblemResponse(input.status()));
        app::LinkEngineeringIssue(
            context, caller, *number, *std::move(input),
            AnswerWith<core::EngineeringLink>(std::move(respond), 201, EngineeringLinkToJson));
      }));

  router.Add("PATCH", "/api/v1/cases/{number}/engineering-links/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               if (!core::IsProviderStaff(caller.viewer.role)) {
                 return respond(ProblemResponse(absl::NotFoundError("not found")));
               }
               absl::StatusOr<json> body = ParseJsonObject(
                   request, context.limits.max_json_body_bytes, {"state", "title", "url"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::TrackerStateUpdate> update = StateUpdateFromJson(*body, false);
               if (!update.ok()) return respond(ProblemResponse(update.status()));
               app::UpdateEngineeringLink(context, caller, *number, *id, *std::move(update),
                                          AnswerWith<app::TrackerUpdateResult>(
                                              std::move(respond), 200, TrackerUpdateToJson));
             }));

  router.Add("POST", "/api/v1/cases/{number}/engineering-links/{id}/send-update",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               app::SendPendingUpdate(context, caller, *number, *id,
                                      AnswerWith<core::EngineeringLink>(std::move(respond), 200,
                                                                        EngineeringLinkToJson));
             }));

  router.Add("GET", "/api/v1/engineering/issues/{tracker}/{key}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond,
                      app::ListTrackerIssueLinks(context, caller, PathText(request, "tracker"),
                                                 PathText(request, "key")),
                      LinksToJson);
             }));

  router.Add("PATCH", "/api/v1/engineering/issues/{tracker}/{key}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               if (!core::IsProviderStaff(caller.viewer.role)) {
                 return respond(ProblemResponse(absl::NotFoundError("not found")));
               }
               absl::StatusOr<json> body = ParseJsonObject(
                   request, context.limits.max_json_body_bytes, {"state", "title", "url"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::TrackerStateUpdate> update = StateUpdateFromJson(*body, true);
               if (!update.ok()) return respond(ProblemResponse(update.status()));
               app::UpdateTrackerIssue(context, caller, PathText(request, "tracker"),
                                       PathText(request, "key"), *std::move(update),
                                       AnswerWith<app::TrackerUpdateResult>(std::move(respond), 200,
                                                                            TrackerUpdateToJson));
             }));

  router.Add("GET", "/api/v1/engineering/settings",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::GetEngineeringSettings(context, caller),
                      EngineeringSettingsToJson);
             }));

  router.Add("PUT", "/api/v1/engineering/settings",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               if (!core::IsProviderStaff(caller.viewer.role)) {
                 return respond(ProblemResponse(absl::NotFoundError("not found")));
               }
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes,
                                   {"secret", "policies", "templates"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::EngineeringSettingsInput> input = SettingsInputFromJson(*body);
               if (!input.ok()) return respond(ProblemResponse(input.status()));
               app::SetEngineeringSettings(context, caller, *std::move(input),
                                           AnswerWith<app::EngineeringSettings>(
                                               std::move(respond), 200, EngineeringSettingsToJson));
             }));

  // The signature is checked over the raw bytes before anything else is read from them.
  router.Add(
      "POST", "/api/v1/hooks/tracker", [&context](const HttpRequest& request, Respond respond) {
        if (static_cast<int64_t>(request.body.size()) > context.limits.max_json_body_bytes) {
          return respond(ProblemResponse(absl::ResourceExhaustedError("body: too large")));
        }
        absl::Status verified = app::VerifyTrackerSignature(
            context, request.body, request.Header("x-casedesk-signature").value_or(""));
        if (!verified.ok()) return respond(ProblemResponse(verified));
        absl::StatusOr<json> body = ParseJsonObject(request, context.limits.max_json_body_bytes,
                                                    {"tracker", "key", "state", "title", "url"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<std::string> tracker = RequiredString(*body, "tracker");
        if (!tracker.ok()) return respond(ProblemResponse(tracker.status()));
        absl::StatusOr<std::string> key = RequiredString(*body, "key");
        if (!key.ok()) return respond(ProblemResponse(key.status()));
        absl::StatusOr<app::TrackerStateUpdate> update = StateUpdateFromJson(*body, true);
        if (!update.ok()) return respond(ProblemResponse(update.status()));
        app::ApplyTrackerWebhook(
            context, *std::move(tracker), *std::move(key), *std::move(update),
            AnswerWith<app::TrackerUpdateResult>(std::move(respond), 200, WebhookAnswer));
      });
}

void RegisterEngineeringRoutes(Router& router, app::AppContext& context) {
  RegisterEngineeringApiRoutes(router, context);
  RegisterProblemApiRoutes(router, context);
  RegisterConsoleEngineeringRoutes(router, context);
  RegisterConsoleProblemRoutes(router, context);
}

}  // namespace casedesk::adapters::http
