// The REST routes of service tasks (issue 7):
//   POST /api/v1/service-tasks                      request one: the body of POST /api/v1/cases
//                                                   (category is service_request; an admin's
//                                                   created_at imports one requested then) ->
//                                                   201 + the task, Location /api/v1/cases/{n}
//   POST /api/v1/cases/{number}/service-task        make an existing case one (staff) -> 201
//   GET  /api/v1/cases/{number}/service-task        state, estimate, clock, history
//   POST /api/v1/cases/{number}/service-task/estimate  {hours, completion_date} (staff)
//   POST .../approve  {}  |  .../decline {reason}      (the customer's contacts, its partner)
//   POST .../schedule {start_date}  |  .../start  |  .../done                       (staff)
// Steps answer 200 with the task. A case the caller cannot see, or that is not a service task,
// is 404; a step the caller's side may not take 403, one the state does not allow 422, a step
// that raced another 409. Thread-safe once registered.
#include "adapters/http/api_service_tasks.h"

#include <algorithm>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/http/api_handlers.h"
#include "adapters/http/api_support.h"
#include "adapters/http/json_cases.h"
#include "adapters/http/problem.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

// The fields each step takes.
std::vector<std::string_view> StepFields(core::ServiceTaskAction action) {
  switch (action) {
    case core::ServiceTaskAction::kEstimate:
      return {"hours", "completion_date"};
    case core::ServiceTaskAction::kDecline:
      return {"reason"};
    case core::ServiceTaskAction::kSchedule:
      return {"start_date"};
    default:
      return {};
  }
}

// A step's body: a JSON object with only the step's fields; an empty body is an empty object
// (approve, start and done need nothing).
absl::StatusOr<json> ParseStepBody(const HttpRequest& request, const app::AppContext& context,
                                   const std::vector<std::string_view>& allowed) {
  if (request.body.empty()) return json::object();
  absl::StatusOr<json> body = ParseJsonObject(request, context.limits.max_json_body_bytes,
                                              {"hours", "completion_date", "reason", "start_date"});
  if (!body.ok()) return body.status();
  for (const auto& [key, value] : body->items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return absl::InvalidArgumentError("unknown field '" + key + "'");
    }
  }
  return body;
}

absl::StatusOr<double> RequiredHours(const json& body) {
  if (!body.contains("hours")) return absl::InvalidArgumentError("field 'hours' is required");
  const json& hours = body["hours"];
  if (!hours.is_number()) return absl::InvalidArgumentError("field 'hours' must be a number");
  return hours.get<double>();
}

absl::StatusOr<core::ServiceTaskCommand> CommandFromJson(core::ServiceTaskAction action,
                                                         const json& body) {
  core::ServiceTaskCommand command;
  command.action = action;
  switch (action) {
    case core::ServiceTaskAction::kEstimate: {
      absl::StatusOr<double> hours = RequiredHours(body);
      if (!hours.ok()) return hours.status();
      command.hours = *hours;
      absl::StatusOr<std::string> date = RequiredString(body, "completion_date");
      if (!date.ok()) return date.status();
      command.completion_date = *std::move(date);
      break;
    }
    case core::ServiceTaskAction::kDecline: {
      absl::StatusOr<std::optional<std::string>> reason = OptionalString(body, "reason");
      if (!reason.ok()) return reason.status();
      command.reason = reason->value_or("");
      break;
    }
    case core::ServiceTaskAction::kSchedule: {
      absl::StatusOr<std::string> date = RequiredString(body, "start_date");
      if (!date.ok()) return date.status();
      command.start_date = *std::move(date);
      break;
    }
    case core::ServiceTaskAction::kApprove:
    case core::ServiceTaskAction::kStart:
    case core::ServiceTaskAction::kDone:
      break;
  }
  return command;
}

}  // namespace

void RegisterServiceTaskApiRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/api/v1/service-tasks",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes,
                                   {"subject", "description", "severity", "org_id", "requester_id",
                                    "product", "component", "partner_reference", "followers",
                                    "fields", "secret_fields", "created_at"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::OpenCaseRequest> open = OpenCaseRequestFromJson(*body);
               if (!open.ok()) return respond(ProblemResponse(open.status()));
               app::RequestServiceTask(
                   context, caller, *std::move(open),
                   [respond = std::move(respond)](absl::StatusOr<app::ServiceTaskView> view) {
                     if (!view.ok()) return respond(ProblemResponse(view.status()));
                     HttpResponse response = JsonResponse(201, ServiceTaskToJson(*view));
                     response.headers.emplace_back(
                         "Location", absl::StrCat("/api/v1/cases/", view->record.number));
                     respond(std::move(response));
                   });
             }));

  router.Add("POST", "/api/v1/cases/{number}/service-task",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               if (absl::StatusOr<json> body = ParseStepBody(request, context, {}); !body.ok()) {
                 return respond(ProblemResponse(body.status()));
               }
               app::AttachServiceTask(
                   context, caller, *number,
                   AnswerWith<app::ServiceTaskView>(std::move(respond), 201, ServiceTaskToJson));
             }));

  router.Add("GET", "/api/v1/cases/{number}/service-task",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               Answer(respond, app::GetServiceTask(context, caller, *number), ServiceTaskToJson);
             }));

  for (const auto& [action, name] : core::kServiceTaskActionNames) {
    router.Add("POST", absl::StrCat("/api/v1/cases/{number}/service-task/", std::string(name)),
               Authenticated(context, [&context, action = action](const HttpRequest& request,
                                                                  Respond respond,
                                                                  const app::Caller& caller) {
                 absl::StatusOr<int64_t> number = IdFromPath(request, "number");
                 if (!number.ok()) return respond(ProblemResponse(number.status()));
                 absl::StatusOr<json> body = ParseStepBody(request, context, StepFields(action));
                 if (!body.ok()) return respond(ProblemResponse(body.status()));
                 absl::StatusOr<core::ServiceTaskCommand> command = CommandFromJson(action, *body);
                 if (!command.ok()) return respond(ProblemResponse(command.status()));
                 app::ActOnServiceTask(
                     context, caller, *number, *std::move(command),
                     AnswerWith<app::ServiceTaskView>(std::move(respond), 200, ServiceTaskToJson));
               }));
  }
}

}  // namespace casedesk::adapters::http
