// The SLA configuration's REST handlers: business-hours calendars, each plan's SLA policy,
// escalation policies, on-call schedules and "who is on call now". Each handler authenticates,
// parses strictly, calls one use case of app/sla_configuration.h and answers with JSON or
// problem+json. Reads answer on the calling thread; writes answer from the durable-commit
// callback. A successful DELETE answers 204, except that deleting a calendar which replaced a
// shipped one answers 200 with the shipped calendar that applies again.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_support.h"
#include "adapters/http/json_sla_config.h"
#include "adapters/http/problem.h"
#include "app/escalation_json.h"
#include "app/sla_configuration.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

std::string SlaPathParam(const HttpRequest& request, const std::string& name) {
  const auto it = request.path_params.find(name);
  return it == request.path_params.end() ? std::string() : it->second;
}

template <typename T, typename ToJson>
json ItemsJson(const std::vector<T>& values, ToJson to_json) {
  json items = json::array();
  for (const T& value : values) items.push_back(to_json(value));
  return {{"items", std::move(items)}, {"next_cursor", nullptr}};
}

// Answers 204 once the deletion is durable, or the problem.
template <typename T>
std::function<void(absl::StatusOr<T>)> AnswerNoContent(Respond respond) {
  return [respond = std::move(respond)](absl::StatusOr<T> outcome) {
    if (!outcome.ok()) return respond(ProblemResponse(outcome.status()));
    HttpResponse response;
    response.status = 204;
    respond(std::move(response));
  };
}

json ScheduleJson(const core::OnCallSchedule& schedule) {
  return app::OnCallScheduleToJson(schedule);
}

json EscalationJson(const core::EscalationPolicy& policy) {
  return app::EscalationPolicyToJson(policy);
}

void RegisterCalendarRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/calendars",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::ListCalendars(context, caller.viewer),
                      [](const std::vector<app::CalendarEntry>& entries) {
                        return ItemsJson(entries, CalendarEntryToJson);
                      });
             }));
  router.Add("GET", "/api/v1/calendars/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond,
                      app::GetCalendar(context, caller.viewer, SlaPathParam(request, "name")),
                      CalendarEntryToJson);
             }));
  router.Add("PUT", "/api/v1/calendars/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               const std::string name = SlaPathParam(request, "name");
               absl::StatusOr<core::CalendarSpec> spec =
                   ParseCalendarBody(request, JsonBodyLimit(context), name);
               if (!spec.ok()) return respond(ProblemResponse(spec.status()));
               app::PutCalendar(
                   context, caller.viewer, name, *std::move(spec),
                   AnswerWith<app::CalendarEntry>(std::move(respond), 200, CalendarEntryToJson));
             }));
  router.Add(
      "DELETE", "/api/v1/calendars/{name}",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        app::DeleteCalendar(
            context, caller.viewer, SlaPathParam(request, "name"),
            [respond = std::move(respond)](absl::StatusOr<std::optional<app::CalendarEntry>> done) {
              if (!done.ok()) return respond(ProblemResponse(done.status()));
              if (done->has_value()) return respond(JsonResponse(200, CalendarEntryToJson(**done)));
              HttpResponse response;
              response.status = 204;
              respond(std::move(response));
            });
      }));
}

void RegisterSlaPolicyRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/plans/{name}/sla-policy",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond,
                      app::GetPlanSlaPolicy(context, caller.viewer, SlaPathParam(request, "name")),
                      PlanSlaPolicyToJson);
             }));
  // The use case queues the recomputation of the plan's open cases (context.sla_config_changed).
  router.Add("PUT", "/api/v1/plans/{name}/sla-policy",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               const std::string plan = SlaPathParam(request, "name");
               absl::StatusOr<core::SlaPolicy> policy =
                   ParseSlaPolicyBody(request, JsonBodyLimit(context), plan);
               if (!policy.ok()) return respond(ProblemResponse(policy.status()));
               app::PutPlanSlaPolicy(
                   context, caller.viewer, plan, *std::move(policy),
                   AnswerWith<app::PlanSlaPolicy>(std::move(respond), 200, PlanSlaPolicyToJson));
             }));
}

void RegisterEscalationPolicyRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/escalation-policies",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::ListEscalationPolicies(context, caller.viewer),
                      [](const std::vector<core::EscalationPolicy>& policies) {
                        return ItemsJson(policies, EscalationJson);
                      });
             }));
  router.Add("GET", "/api/v1/escalation-policies/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(
                   respond,
                   app::GetEscalationPolicy(context, caller.viewer, SlaPathParam(request, "name")),
                   EscalationJson);
             }));
  router.Add("PUT", "/api/v1/escalation-policies/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               const std::string name = SlaPathParam(request, "name");
               absl::StatusOr<core::EscalationPolicy> policy =
                   ParseEscalationPolicyBody(request, JsonBodyLimit(context), name);
               if (!policy.ok()) return respond(ProblemResponse(policy.status()));
               app::PutEscalationPolicy(
                   context, caller.viewer, name, *std::move(policy),
                   AnswerWith<core::EscalationPolicy>(std::move(respond), 200, EscalationJson));
             }));
  router.Add("DELETE", "/api/v1/escalation-policies/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               app::DeleteEscalationPolicy(
                   context, caller.viewer, SlaPathParam(request, "name"),
                   AnswerNoContent<core::EscalationPolicy>(std::move(respond)));
             }));
}

void RegisterOnCallRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/oncall-schedules",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::ListOnCallSchedules(context, caller.viewer),
                      [](const std::vector<core::OnCallSchedule>& schedules) {
                        return ItemsJson(schedules, ScheduleJson);
                      });
             }));
  router.Add("GET", "/api/v1/oncall-schedules/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond,
                      app::GetOnCallSchedule(context, caller.viewer, SlaPathParam(request, "name")),
                      ScheduleJson);
             }));
  router.Add("PUT", "/api/v1/oncall-schedules/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               const std::string name = SlaPathParam(request, "name");
               absl::StatusOr<core::OnCallSchedule> schedule =
                   ParseOnCallScheduleBody(request, JsonBodyLimit(context), name);
               if (!schedule.ok()) return respond(ProblemResponse(schedule.status()));
               app::PutOnCallSchedule(
                   context, caller.viewer, name, *std::move(schedule),
                   AnswerWith<core::OnCallSchedule>(std::move(respond), 200, ScheduleJson));
             }));
  router.Add("DELETE", "/api/v1/oncall-schedules/{name}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               app::DeleteOnCallSchedule(context, caller.viewer, SlaPathParam(request, "name"),
                                         AnswerNoContent<core::OnCallSchedule>(std::move(respond)));
             }));
  router.Add("GET", "/api/v1/oncall/{schedule}/now",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<absl::Time> at = InstantFromQuery(request, "at", context.clock.Now());
               if (!at.ok()) return respond(ProblemResponse(at.status()));
               Answer(respond,
                      app::WhoIsOnCallNow(context, caller.viewer, SlaPathParam(request, "schedule"),
                                          *at),
                      OnCallNowToJson);
             }));
}

}  // namespace

void RegisterSlaConfigRoutes(Router& router, app::AppContext& context) {
  RegisterCalendarRoutes(router, context);
  RegisterSlaPolicyRoutes(router, context);
  RegisterEscalationPolicyRoutes(router, context);
  RegisterOnCallRoutes(router, context);
}

}  // namespace casedesk::adapters::http
