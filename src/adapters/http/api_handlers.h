// Building blocks every REST handler shares: authenticate first, answer a use case's outcome as
// JSON or problem+json, and render a page of items. Thread-safe: stateless.
#pragma once

#include <functional>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "adapters/http/api_auth.h"
#include "adapters/http/api_support.h"
#include "adapters/http/http_types.h"
#include "adapters/http/problem.h"
#include "app/app_context.h"
#include "core/user.h"
#include "ports/store.h"

namespace casedesk::adapters::http {

using CallerHandler = std::function<void(const HttpRequest&, Respond, const app::Caller&)>;

// Wraps a handler so it runs only for an authenticated caller; others get 401.
inline HttpHandler Authenticated(app::AppContext& context, CallerHandler handler) {
  return [&context, handler = std::move(handler)](const HttpRequest& request, Respond respond) {
    absl::StatusOr<app::Caller> caller = AuthenticateRequest(context, request);
    if (!caller.ok()) {
      respond(ProblemResponse(caller.status()));
      return;
    }
    handler(request, std::move(respond), *caller);
  };
}

// Authenticated, and then only for provider staff; anyone else gets 404, as if the route did not
// exist (what staff-only resources look like from outside).
inline HttpHandler StaffOnly(app::AppContext& context, CallerHandler handler) {
  return Authenticated(context, [handler = std::move(handler)](const HttpRequest& request,
                                                               Respond respond,
                                                               const app::Caller& caller) {
    if (!core::IsProviderStaff(caller.viewer.role)) {
      respond(ProblemResponse(absl::NotFoundError("not found")));
      return;
    }
    handler(request, std::move(respond), caller);
  });
}

// A use case's completion callback that answers `status` with to_json(value), or the problem.
template <typename T, typename ToJson>
std::function<void(absl::StatusOr<T>)> AnswerWith(Respond respond, int status, ToJson to_json) {
  return [respond = std::move(respond), status, to_json](absl::StatusOr<T> outcome) {
    if (!outcome.ok()) {
      respond(ProblemResponse(outcome.status()));
      return;
    }
    respond(JsonResponse(status, to_json(*outcome)));
  };
}

// Answers a synchronous outcome with 200 and to_json(value), or the problem.
template <typename T, typename ToJson>
void Answer(const Respond& respond, const absl::StatusOr<T>& outcome, ToJson to_json) {
  if (!outcome.ok()) {
    respond(ProblemResponse(outcome.status()));
    return;
  }
  respond(JsonResponse(200, to_json(*outcome)));
}

// {"items": [...], "next_cursor": "..." | null}
template <typename T, typename ToJson>
nlohmann::json PageToJson(const ports::Page<T>& page, ToJson to_json) {
  nlohmann::json items = nlohmann::json::array();
  for (const T& item : page.items) items.push_back(to_json(item));
  return {{"items", std::move(items)},
          {"next_cursor",
           page.next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(page.next_cursor)}};
}

}  // namespace casedesk::adapters::http
