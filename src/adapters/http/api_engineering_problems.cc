// The REST routes of problem records and incident trends (issue 7). Provider staff only;
// anyone else gets 404.
//   GET    /api/v1/problems                          newest first (?status=, ?before_id=, ?limit=)
//   POST   /api/v1/problems                          {title, status?, component?, root_cause?}
//                                                    -> 201
//   GET    /api/v1/problems/{id}                     with its cases and audit trail
//   PATCH  /api/v1/problems/{id}                     {title?, status?, component?, root_cause?}
//   POST   /api/v1/problems/{id}/cases               link {case_number}
//   DELETE /api/v1/problems/{id}/cases/{number}      unlink
//   GET    /api/v1/incident-trends?from=&to=         cases opened in [from, to) (RFC 3339) by
//                                                    problem, component and organisation
// Thread-safe once registered.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "adapters/http/api_engineering.h"
#include "adapters/http/api_engineering_json.h"
#include "adapters/http/api_handlers.h"
#include "adapters/http/api_support.h"
#include "adapters/http/problem.h"
#include "app/problems.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

absl::Status NotFound() { return absl::NotFoundError("not found"); }

absl::StatusOr<absl::Time> TimeFromQuery(const HttpRequest& request, std::string_view name) {
  const std::optional<std::string_view> text = request.Query(name);
  const std::string field(name);
  if (!text || text->empty()) return absl::InvalidArgumentError(field + ": required (RFC 3339)");
  absl::Time time;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, std::string(*text), &time, &error)) {
    return absl::InvalidArgumentError(field + ": not an RFC 3339 time (2026-03-01T00:00:00Z)");
  }
  return time;
}

absl::StatusOr<ports::ProblemFilter> FilterFromQuery(const HttpRequest& request) {
  ports::ProblemFilter filter;
  if (const auto status = request.Query("status"); status && !status->empty()) {
    filter.status = core::EnumFromName<core::ProblemStatus>(core::kProblemStatusNames, *status);
    if (!filter.status) {
      return absl::InvalidArgumentError("status: must be investigating, known_error or resolved");
    }
  }
  if (const auto before = request.Query("before_id"); before && !before->empty()) {
    int64_t id = 0;
    if (!absl::SimpleAtoi(std::string(*before), &id) || id <= 0) {
      return absl::InvalidArgumentError("before_id: a problem id");
    }
    filter.before_id = id;
  }
  if (const auto limit = request.Query("limit"); limit && !limit->empty()) {
    int value = 0;
    if (!absl::SimpleAtoi(std::string(*limit), &value) || value < 1 || value > 500) {
      return absl::InvalidArgumentError("limit: 1 to 500");
    }
    filter.limit = value;
  }
  return filter;
}

json ProblemsToJson(const std::vector<core::Problem>& problems) {
  json items = json::array();
  for (const core::Problem& problem : problems) items.push_back(ProblemToJson(problem));
  return {{"items", std::move(items)}};
}

}  // namespace

void RegisterProblemApiRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/problems",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               if (!core::IsProviderStaff(caller.viewer.role)) {
                 return respond(ProblemResponse(NotFound()));
               }
               absl::StatusOr<ports::ProblemFilter> filter = FilterFromQuery(request);
               if (!filter.ok()) return respond(ProblemResponse(filter.status()));
               Answer(respond, app::ListProblems(context, caller, *filter), ProblemsToJson);
             }));

  router.Add(
      "POST", "/api/v1/problems",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        if (!core::IsProviderStaff(caller.viewer.role)) {
          return respond(ProblemResponse(NotFound()));
        }
        absl::StatusOr<json> body = ParseJsonObject(request, context.limits.max_json_body_bytes,
                                                    {"title", "status", "component", "root_cause"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<app::ProblemInput> input = ProblemInputFromJson(*body);
        if (!input.ok()) return respond(ProblemResponse(input.status()));
        app::CreateProblem(context, caller, *std::move(input),
                           AnswerWith<core::Problem>(std::move(respond), 201, ProblemToJson));
      }));

  router.Add("GET", "/api/v1/problems/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               Answer(respond, app::GetProblemDetail(context, caller, *id), ProblemDetailToJson);
             }));

  router.Add(
      "PATCH", "/api/v1/problems/{id}",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<int64_t> id = IdFromPath(request, "id");
        if (!id.ok()) return respond(ProblemResponse(id.status()));
        if (!core::IsProviderStaff(caller.viewer.role)) {
          return respond(ProblemResponse(NotFound()));
        }
        absl::StatusOr<json> body = ParseJsonObject(request, context.limits.max_json_body_bytes,
                                                    {"title", "status", "component", "root_cause"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<app::ProblemInput> input = ProblemInputFromJson(*body);
        if (!input.ok()) return respond(ProblemResponse(input.status()));
        app::UpdateProblem(context, caller, *id, *std::move(input),
                           AnswerWith<core::Problem>(std::move(respond), 200, ProblemToJson));
      }));

  router.Add(
      "POST", "/api/v1/problems/{id}/cases",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<int64_t> id = IdFromPath(request, "id");
        if (!id.ok()) return respond(ProblemResponse(id.status()));
        if (!core::IsProviderStaff(caller.viewer.role)) {
          return respond(ProblemResponse(NotFound()));
        }
        absl::StatusOr<json> body =
            ParseJsonObject(request, context.limits.max_json_body_bytes, {"case_number"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<std::optional<int64_t>> number = OptionalInteger(*body, "case_number");
        if (!number.ok()) return respond(ProblemResponse(number.status()));
        if (!*number || **number <= 0) {
          return respond(
              ProblemResponse(absl::InvalidArgumentError("case_number: required, a case number")));
        }
        app::LinkProblemCase(context, caller, *id, **number,
                             AnswerWith<core::Problem>(std::move(respond), 200, ProblemToJson));
      }));

  router.Add("DELETE", "/api/v1/problems/{id}/cases/{number}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               app::UnlinkProblemCase(
                   context, caller, *id, *number,
                   AnswerWith<core::Problem>(std::move(respond), 200, ProblemToJson));
             }));

  router.Add("GET", "/api/v1/incident-trends",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               if (!core::IsProviderStaff(caller.viewer.role)) {
                 return respond(ProblemResponse(NotFound()));
               }
               absl::StatusOr<absl::Time> from = TimeFromQuery(request, "from");
               if (!from.ok()) return respond(ProblemResponse(from.status()));
               absl::StatusOr<absl::Time> to = TimeFromQuery(request, "to");
               if (!to.ok()) return respond(ProblemResponse(to.status()));
               Answer(respond, app::GetIncidentTrends(context, caller, *from, *to),
                      IncidentTrendsToJson);
             }));
}

}  // namespace casedesk::adapters::http
