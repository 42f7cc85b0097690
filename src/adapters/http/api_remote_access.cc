// The REST routes of remote access requests (issue 7):
//   POST /api/v1/cases/{number}/remote-access            ask (staff) {method, purpose,
//                                                        window_start, window_end}      -> 201
//   GET  /api/v1/cases/{number}/remote-access            the case's requests (whoever sees it)
//   GET  /api/v1/cases/{number}/remote-access/{id}       one request
//   POST /api/v1/cases/{number}/remote-access/{id}/grant     {credentials?: {name: text}}
//   POST /api/v1/cases/{number}/remote-access/{id}/refuse    {reason?}
//   POST /api/v1/cases/{number}/remote-access/{id}/revoke    (customer side)
//   POST /api/v1/cases/{number}/remote-access/{id}/withdraw  (staff)
//   GET  /api/v1/cases/{number}/remote-access/{id}/credentials  (staff, while active)
// Unknown cases, cases of other tenants and ids of other cases' requests are 404; a move the
// request's state does not allow (granting an expired request, reading credentials of a
// revoked grant) is 409; a move the caller may not make is 403. Thread-safe once registered.
#include "adapters/http/api_remote_access.h"

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_support.h"
#include "adapters/http/problem.h"
#include "app/remote_access.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

// The body of a move: an empty body counts as {}.
absl::StatusOr<json> MoveBody(const HttpRequest& request, const app::AppContext& context,
                              std::initializer_list<std::string_view> allowed) {
  if (request.body.empty()) return json::object();
  return ParseJsonObject(request, context.limits.max_json_body_bytes, allowed);
}

absl::StatusOr<std::map<std::string, std::string>> CredentialsFromJson(const json& body) {
  std::map<std::string, std::string> credentials;
  const auto found = body.find("credentials");
  if (found == body.end() || found->is_null()) return credentials;
  if (!found->is_object()) {
    return absl::InvalidArgumentError("credentials: must be an object of strings");
  }
  for (const auto& [name, value] : found->items()) {
    if (!value.is_string()) {
      return absl::InvalidArgumentError("credentials." + name + ": must be a string");
    }
    credentials[name] = value.get<std::string>();
  }
  return credentials;
}

// The {number} and {id} of a request's route.
struct RequestPath {
  core::CaseNumber number = 0;
  core::RemoteAccessId id = 0;
};

absl::StatusOr<RequestPath> PathOf(const HttpRequest& request) {
  absl::StatusOr<int64_t> number = IdFromPath(request, "number");
  if (!number.ok()) return number.status();
  absl::StatusOr<int64_t> id = IdFromPath(request, "id");
  if (!id.ok()) return id.status();
  return RequestPath{*number, *id};
}

app::Done<app::RemoteAccessView> AnswerView(Respond respond) {
  return [respond = std::move(respond)](absl::StatusOr<app::RemoteAccessView> outcome) {
    if (!outcome.ok()) return respond(ProblemResponse(AsConflict(outcome.status())));
    respond(JsonResponse(200, RemoteAccessToJson(*outcome)));
  };
}

}  // namespace

void RegisterRemoteAccessApiRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/api/v1/cases/{number}/remote-access",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes,
                                   {"method", "purpose", "window_start", "window_end"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::RemoteAccessInput> input = RemoteAccessInputFromJson(*body);
               if (!input.ok()) return respond(ProblemResponse(input.status()));
               app::RequestRemoteAccess(
                   context, caller, *number, *std::move(input),
                   [respond = std::move(respond)](absl::StatusOr<app::RemoteAccessView> outcome) {
                     if (!outcome.ok())
                       return respond(ProblemResponse(AsConflict(outcome.status())));
                     respond(JsonResponse(201, RemoteAccessToJson(*outcome)));
                   });
             }));

  router.Add("GET", "/api/v1/cases/{number}/remote-access",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               Answer(respond, app::ListRemoteAccess(context, caller, *number),
                      RemoteAccessListToJson);
             }));

  router.Add("GET", "/api/v1/cases/{number}/remote-access/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<RequestPath> path = PathOf(request);
               if (!path.ok()) return respond(ProblemResponse(path.status()));
               Answer(respond, app::GetRemoteAccess(context, caller, path->number, path->id),
                      RemoteAccessToJson);
             }));

  router.Add("POST", "/api/v1/cases/{number}/remote-access/{id}/grant",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<RequestPath> path = PathOf(request);
               if (!path.ok()) return respond(ProblemResponse(path.status()));
               absl::StatusOr<json> body = MoveBody(request, context, {"credentials"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<std::map<std::string, std::string>> credentials =
                   CredentialsFromJson(*body);
               if (!credentials.ok()) return respond(ProblemResponse(credentials.status()));
               app::GrantRemoteAccess(context, caller, path->number, path->id,
                                      *std::move(credentials), AnswerView(std::move(respond)));
             }));

  router.Add("POST", "/api/v1/cases/{number}/remote-access/{id}/refuse",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<RequestPath> path = PathOf(request);
               if (!path.ok()) return respond(ProblemResponse(path.status()));
               absl::StatusOr<json> body = MoveBody(request, context, {"reason"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<std::optional<std::string>> reason = OptionalString(*body, "reason");
               if (!reason.ok()) return respond(ProblemResponse(reason.status()));
               app::RefuseRemoteAccess(context, caller, path->number, path->id,
                                       reason->value_or(""), AnswerView(std::move(respond)));
             }));

  router.Add("POST", "/api/v1/cases/{number}/remote-access/{id}/revoke",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<RequestPath> path = PathOf(request);
               if (!path.ok()) return respond(ProblemResponse(path.status()));
               absl::StatusOr<json> body = MoveBody(request, context, {});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               app::RevokeRemoteAccess(context, caller, path->number, path->id,
                                       AnswerView(std::move(respond)));
             }));

  router.Add("POST", "/api/v1/cases/{number}/remote-access/{id}/withdraw",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<RequestPath> path = PathOf(request);
               if (!path.ok()) return respond(ProblemResponse(path.status()));
               absl::StatusOr<json> body = MoveBody(request, context, {});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               app::WithdrawRemoteAccess(context, caller, path->number, path->id,
                                         AnswerView(std::move(respond)));
             }));

  router.Add("GET", "/api/v1/cases/{number}/remote-access/{id}/credentials",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<RequestPath> path = PathOf(request);
               if (!path.ok()) return respond(ProblemResponse(path.status()));
               absl::StatusOr<app::RemoteAccessCredentials> credentials =
                   app::ReadRemoteAccessCredentials(context, caller, path->number, path->id);
               if (!credentials.ok()) {
                 return respond(ProblemResponse(AsConflict(credentials.status())));
               }
               HttpResponse response =
                   JsonResponse(200, RemoteAccessCredentialsToJson(*credentials));
               // Secrets: never kept by a cache along the way.
               response.headers.emplace_back("Cache-Control", "no-store");
               respond(std::move(response));
             }));
}

}  // namespace casedesk::adapters::http
