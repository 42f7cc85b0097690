// The REST routes of time entries and contract hours (issue 7):
//   POST /api/v1/cases/{number}/time    log time on a case (staff, partner agents)   -> 201
//   GET  /api/v1/cases/{number}/time    a case's entries (staff, partner agents)
//   POST /api/v1/orgs/{id}/time         log account work that is not a case (staff) -> 201
//   GET  /api/v1/orgs/{id}/hours        the period's packages: included, used, remaining by
//                                       kind (?period=YYYY-MM); the org's contacts, its partner
//   PUT  /api/v1/orgs/{id}/packages     the organisation's own packages (provider admins)
// Each handler authenticates, parses strictly, calls one app use case and maps its outcome;
// writes answer from the durable-commit callback. Thread-safe once registered.
#include "adapters/http/api_hours.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_support.h"
#include "adapters/http/json_hours.h"
#include "adapters/http/problem.h"
#include "app/hours.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

// The fields of a new time entry (ParseJsonObject refuses any other).
absl::StatusOr<json> ParseEntryBody(const HttpRequest& request, const app::AppContext& context) {
  return ParseJsonObject(request, context.limits.max_json_body_bytes,
                         {"minutes", "billable", "note", "activity", "kind", "worked_at"});
}

json EntriesToJson(const std::vector<core::TimeEntry>& entries) {
  json items = json::array();
  int64_t total = 0;
  int64_t billable = 0;
  for (const core::TimeEntry& entry : entries) {
    items.push_back(TimeEntryToJson(entry));
    total += entry.minutes;
    if (entry.billable) billable += entry.minutes;
  }
  return {{"items", std::move(items)},
          {"next_cursor", nullptr},
          {"total_minutes", total},
          {"billable_minutes", billable}};
}

}  // namespace

void RegisterHoursApiRoutes(Router& router, app::AppContext& context) {
  router.Add("POST", "/api/v1/cases/{number}/time",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               absl::StatusOr<json> body = ParseEntryBody(request, context);
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::TimeEntryInput> input = TimeEntryInputFromJson(*body);
               if (!input.ok()) return respond(ProblemResponse(input.status()));
               app::LogCaseTime(
                   context, caller, *number, *std::move(input),
                   AnswerWith<core::TimeEntry>(std::move(respond), 201, TimeEntryToJson));
             }));

  router.Add("GET", "/api/v1/cases/{number}/time",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               Answer(respond, app::ListCaseTime(context, caller, *number), EntriesToJson);
             }));

  router.Add("POST", "/api/v1/orgs/{id}/time",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<json> body = ParseEntryBody(request, context);
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<app::TimeEntryInput> input = TimeEntryInputFromJson(*body);
               if (!input.ok()) return respond(ProblemResponse(input.status()));
               app::LogOrgTime(
                   context, caller, *id, *std::move(input),
                   AnswerWith<core::TimeEntry>(std::move(respond), 201, TimeEntryToJson));
             }));

  router.Add("GET", "/api/v1/orgs/{id}/hours",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               std::optional<std::string> period;
               if (std::optional<std::string_view> text = request.Query("period")) {
                 period = std::string(*text);
               }
               Answer(respond, app::GetOrgHours(context, caller, *id, std::move(period)),
                      OrgHoursToJson);
             }));

  router.Add("PUT", "/api/v1/orgs/{id}/packages",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<json> body =
                   ParseJsonObject(request, context.limits.max_json_body_bytes, {"packages"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               absl::StatusOr<std::vector<core::HoursPackage>> packages =
                   PackagesFromRequestJson(*body);
               if (!packages.ok()) return respond(ProblemResponse(packages.status()));
               app::SetOrgPackages(
                   context, caller, *id, *std::move(packages),
                   AnswerWith<ports::OrgHoursPackages>(std::move(respond), 200, OrgPackagesToJson));
             }));
}

}  // namespace casedesk::adapters::http
