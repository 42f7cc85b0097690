// The status page's admin REST handlers under /api/v1/status: components, incidents and
// maintenance with their updates and linked cases, the page's settings, the caller's own
// subscription, and (admins) visitor and webhook subscribers. Each handler authenticates,
// parses strictly, calls one use case and answers with JSON or problem+json; writes answer
// once durable.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "adapters/http/api_handlers.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_support.h"
#include "adapters/http/json_cases.h"
#include "adapters/http/json_status.h"
#include "adapters/http/problem.h"
#include "app/audit_trail.h"
#include "app/status_components.h"
#include "app/status_incidents.h"
#include "app/status_page_settings.h"
#include "app/status_subscriptions.h"
#include "app/store_calls.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

constexpr int kDefaultLimit = 25;
constexpr int kMaxLimit = 200;

json ListJson(const json& items) { return {{"items", items}, {"next_cursor", nullptr}}; }

HttpResponse NoContent() {
  HttpResponse response;
  response.status = 204;
  return response;
}

void RegisterComponentRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/status/components",
             Authenticated(context, [&context](const HttpRequest&, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::ListStatusComponents(context, caller.viewer),
                      [](const std::vector<core::StatusComponent>& components) {
                        json items = json::array();
                        for (const auto& component : components) {
                          items.push_back(StatusComponentToJson(component));
                        }
                        return ListJson(items);
                      });
             }));
  router.Add("POST", "/api/v1/status/components",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<app::NewStatusComponent> component =
                   ParseNewStatusComponent(request, JsonBodyLimit(context));
               if (!component.ok()) return respond(ProblemResponse(component.status()));
               app::CreateStatusComponent(context, caller.viewer, *std::move(component),
                                          AnswerWith<core::StatusComponent>(std::move(respond), 201,
                                                                            StatusComponentToJson));
             }));
  router.Add("PATCH", "/api/v1/status/components/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<app::StatusComponentPatch> patch =
                   ParseStatusComponentPatch(request, JsonBodyLimit(context));
               if (!patch.ok()) return respond(ProblemResponse(patch.status()));
               app::UpdateStatusComponent(context, caller.viewer, *id, *std::move(patch),
                                          AnswerWith<core::StatusComponent>(std::move(respond), 200,
                                                                            StatusComponentToJson));
             }));
}

// Incidents and maintenance share their routes' shape under different collections.
void RegisterEventRoutes(Router& router, app::AppContext& context, core::IncidentKind kind,
                         const std::string& collection) {
  router.Add(
      "GET", collection,
      Authenticated(context, [&context, kind](const HttpRequest& request, Respond respond,
                                              const app::Caller& caller) {
        ports::IncidentFilter filter;
        filter.kind = kind;
        const std::optional<std::string_view> open = request.Query("open");
        filter.open_only = open && *open == "true";
        absl::StatusOr<ports::PageRequest> page = PageFromQuery(request, kDefaultLimit, kMaxLimit);
        if (!page.ok()) return respond(ProblemResponse(page.status()));
        filter.limit = page->limit;
        if (!page->cursor.empty() && !absl::SimpleAtoi(page->cursor, &filter.before_id)) {
          return respond(ProblemResponse(absl::InvalidArgumentError("cursor: malformed")));
        }
        absl::StatusOr<std::vector<core::Incident>> events =
            app::ListIncidents(context, caller.viewer, filter);
        if (!events.ok()) return respond(ProblemResponse(events.status()));
        json items = json::array();
        for (const core::Incident& event : *events) items.push_back(IncidentToJson(event));
        const bool full = static_cast<int>(events->size()) == filter.limit;
        respond(JsonResponse(
            200, {{"items", std::move(items)},
                  {"next_cursor", full ? json(absl::StrCat(events->back().id)) : json(nullptr)}}));
      }));
  router.Add("POST", collection,
             Authenticated(context, [&context, kind](const HttpRequest& request, Respond respond,
                                                     const app::Caller& caller) {
               absl::StatusOr<app::NewIncident> incident =
                   ParseNewIncident(request, JsonBodyLimit(context), kind);
               if (!incident.ok()) return respond(ProblemResponse(incident.status()));
               app::CreateIncident(
                   context, caller.viewer, *std::move(incident),
                   AnswerWith<app::IncidentView>(std::move(respond), 201, IncidentViewToJson));
             }));
  // An id of the other kind is not found here, as if it did not exist.
  auto of_kind = [kind](Respond respond) {
    return [kind, respond = std::move(respond)](absl::StatusOr<app::IncidentView> view) {
      if (view.ok() && view->incident.kind != kind) {
        return respond(ProblemResponse(absl::NotFoundError("not found")));
      }
      if (!view.ok()) return respond(ProblemResponse(view.status()));
      respond(JsonResponse(200, IncidentViewToJson(*view)));
    };
  };
  router.Add("GET", collection + "/{id}",
             Authenticated(context, [&context, of_kind](const HttpRequest& request, Respond respond,
                                                        const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               of_kind(std::move(respond))(app::GetIncident(context, caller.viewer, *id));
             }));
  // Checks the kind before writing, so an update never lands on the other collection's event.
  auto checked = [&context, kind](const app::Caller& caller, int64_t id) -> absl::Status {
    absl::StatusOr<app::IncidentView> view = app::GetIncident(context, caller.viewer, id);
    if (!view.ok()) return view.status();
    if (view->incident.kind != kind) return absl::NotFoundError("not found");
    return absl::OkStatus();
  };
  router.Add("POST", collection + "/{id}/updates",
             Authenticated(
                 context, [&context, checked, of_kind](const HttpRequest& request, Respond respond,
                                                       const app::Caller& caller) {
                   absl::StatusOr<int64_t> id = IdFromPath(request, "id");
                   if (!id.ok()) return respond(ProblemResponse(id.status()));
                   if (absl::Status found = checked(caller, *id); !found.ok()) {
                     return respond(ProblemResponse(found));
                   }
                   absl::StatusOr<app::IncidentUpdateRequest> update =
                       ParseIncidentUpdate(request, JsonBodyLimit(context));
                   if (!update.ok()) return respond(ProblemResponse(update.status()));
                   app::PostIncidentUpdate(
                       context, caller.viewer, *id, *std::move(update),
                       AnswerWith<app::IncidentView>(std::move(respond), 201, IncidentViewToJson));
                 }));
  router.Add(
      "POST", collection + "/{id}/cases",
      Authenticated(context, [&context, checked](const HttpRequest& request, Respond respond,
                                                 const app::Caller& caller) {
        absl::StatusOr<int64_t> id = IdFromPath(request, "id");
        if (!id.ok()) return respond(ProblemResponse(id.status()));
        absl::StatusOr<json> body =
            ParseJsonObject(request, JsonBodyLimit(context), {"case_number"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<std::optional<int64_t>> number = OptionalInteger(*body, "case_number");
        if (!number.ok()) return respond(ProblemResponse(number.status()));
        if (!number->has_value()) {
          return respond(ProblemResponse(absl::InvalidArgumentError("case_number: required")));
        }
        if (absl::Status found = checked(caller, *id); !found.ok()) {
          return respond(ProblemResponse(found));
        }
        app::LinkCaseToIncident(
            context, caller.viewer, *id, **number,
            AnswerWith<app::IncidentView>(std::move(respond), 200, IncidentViewToJson));
      }));
  router.Add("DELETE", collection + "/{id}/cases/{number}",
             Authenticated(context, [&context, checked](const HttpRequest& request, Respond respond,
                                                        const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<int64_t> number = IdFromPath(request, "number");
               if (!number.ok()) return respond(ProblemResponse(number.status()));
               if (absl::Status found = checked(caller, *id); !found.ok()) {
                 return respond(ProblemResponse(found));
               }
               app::UnlinkCaseFromIncident(
                   context, caller.viewer, *id, *number,
                   [respond = std::move(respond)](absl::StatusOr<app::IncidentView> view) {
                     if (!view.ok()) return respond(ProblemResponse(view.status()));
                     respond(NoContent());
                   });
             }));
}

void RegisterPageSettingRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/status/page",
             Authenticated(context, [&context](const HttpRequest&, Respond respond,
                                               const app::Caller& caller) {
               if (!core::IsProviderStaff(caller.viewer.role)) {
                 return respond(ProblemResponse(absl::NotFoundError("not found")));
               }
               Answer(respond,
                      app::ReadValue<app::StatusPageInfo>(context.store,
                                                          [&context](ports::StoreTransaction& txn) {
                                                            return app::LoadStatusPageInfo(
                                                                txn, context.public_url);
                                                          }),
                      StatusPageInfoToJson);
             }));
  router.Add(
      "PUT", "/api/v1/status/page",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        if (!core::IsAdmin(caller.viewer)) {
          return respond(ProblemResponse(
              core::IsProviderStaff(caller.viewer.role)
                  ? absl::PermissionDeniedError("only an admin may change the status page")
                  : absl::NotFoundError("not found")));
        }
        absl::StatusOr<json> body =
            ParseJsonObject(request, JsonBodyLimit(context), {"name", "url", "time_zone"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        app::StatusPageInfo info;
        for (auto [field, target] : {std::pair{"name", &info.name}, std::pair{"url", &info.url},
                                     std::pair{"time_zone", &info.time_zone}}) {
          absl::StatusOr<std::string> text = RequiredString(*body, field);
          if (!text.ok()) return respond(ProblemResponse(text.status()));
          *target = *std::move(text);
        }
        const absl::Time now = context.clock.Now();
        const core::UserId actor = caller.viewer.user_id;
        app::WriteValue<app::StatusPageInfo>(
            context.store,
            [info, &context, now,
             actor](ports::StoreTransaction& txn) -> absl::StatusOr<app::StatusPageInfo> {
              absl::StatusOr<app::StatusPageInfo> before =
                  app::LoadStatusPageInfo(txn, context.public_url);
              if (!before.ok()) return before.status();
              if (absl::Status saved = app::SaveStatusPageInfo(txn, info); !saved.ok()) {
                return saved;
              }
              std::vector<core::FieldChange> changes;
              core::RecordChange(changes, "name", before->name, info.name);
              core::RecordChange(changes, "url", before->url, info.url);
              core::RecordChange(changes, "time_zone", before->time_zone, info.time_zone);
              absl::StatusOr<core::EventId> event = txn.AppendEvent(app::MakeAuditEvent(
                  "status_page", "page", actor, now, "status_page.updated", std::move(changes)));
              if (!event.ok()) return event.status();
              if (absl::Status marked = app::MarkStatusPageChanged(txn, context); !marked.ok()) {
                return marked;
              }
              return app::LoadStatusPageInfo(txn, context.public_url);
            },
            app::AfterStatusChange<app::StatusPageInfo>(
                context,
                AnswerWith<app::StatusPageInfo>(std::move(respond), 200, StatusPageInfoToJson)));
      }));
}

void RegisterSubscriptionRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/api/v1/status/subscription",
             Authenticated(context, [&context](const HttpRequest&, Respond respond,
                                               const app::Caller& caller) {
               Answer(respond, app::GetMyStatusSubscription(context, caller),
                      MyStatusSubscriptionToJson);
             }));
  router.Add(
      "PUT", "/api/v1/status/subscription",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<json> body =
            ParseJsonObject(request, JsonBodyLimit(context), {"subscribed", "component_ids"});
        if (!body.ok()) return respond(ProblemResponse(body.status()));
        absl::StatusOr<std::optional<bool>> subscribed = OptionalBool(*body, "subscribed");
        if (!subscribed.ok()) return respond(ProblemResponse(subscribed.status()));
        std::vector<core::ComponentId> ids;
        if (auto it = body->find("component_ids"); it != body->end() && !it->is_null()) {
          if (!it->is_array()) {
            return respond(
                ProblemResponse(absl::InvalidArgumentError("component_ids: must be an array")));
          }
          for (const json& item : *it) {
            if (!item.is_number_integer()) {
              return respond(ProblemResponse(
                  absl::InvalidArgumentError("component_ids: must hold integer ids")));
            }
            ids.push_back(item.get<int64_t>());
          }
        }
        app::SetMyStatusSubscription(context, caller, subscribed->value_or(true), std::move(ids),
                                     AnswerWith<app::MyStatusSubscription>(
                                         std::move(respond), 200, MyStatusSubscriptionToJson));
      }));
  router.Add(
      "GET", "/api/v1/status/subscribers",
      Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                        const app::Caller& caller) {
        absl::StatusOr<ports::PageRequest> page = PageFromQuery(request, kDefaultLimit, kMaxLimit);
        if (!page.ok()) return respond(ProblemResponse(page.status()));
        int64_t after = 0;
        if (!page->cursor.empty() && !absl::SimpleAtoi(page->cursor, &after)) {
          return respond(ProblemResponse(absl::InvalidArgumentError("cursor: malformed")));
        }
        absl::StatusOr<std::vector<ports::StatusSubscriber>> subscribers =
            app::ListStatusSubscribers(context, caller.viewer, after, page->limit);
        if (!subscribers.ok()) return respond(ProblemResponse(subscribers.status()));
        json items = json::array();
        for (const auto& subscriber : *subscribers) {
          items.push_back(StatusSubscriberToJson(subscriber));
        }
        const bool full = static_cast<int>(subscribers->size()) == page->limit;
        respond(JsonResponse(200, {{"items", std::move(items)},
                                   {"next_cursor", full ? json(absl::StrCat(subscribers->back().id))
                                                        : json(nullptr)}}));
      }));
  router.Add("POST", "/api/v1/status/webhooks",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<json> body =
                   ParseJsonObject(request, JsonBodyLimit(context), {"url", "component_ids"});
               if (!body.ok()) return respond(ProblemResponse(body.status()));
               app::NewStatusWebhook webhook;
               absl::StatusOr<std::string> url = RequiredString(*body, "url");
               if (!url.ok()) return respond(ProblemResponse(url.status()));
               webhook.url = *std::move(url);
               if (auto it = body->find("component_ids"); it != body->end() && !it->is_null()) {
                 if (!it->is_array()) {
                   return respond(ProblemResponse(
                       absl::InvalidArgumentError("component_ids: must be an array")));
                 }
                 for (const json& item : *it) {
                   if (!item.is_number_integer()) {
                     return respond(ProblemResponse(
                         absl::InvalidArgumentError("component_ids: must hold integer ids")));
                   }
                   webhook.component_ids.push_back(item.get<int64_t>());
                 }
               }
               app::AddStatusWebhook(
                   context, caller.viewer, std::move(webhook),
                   AnswerWith<app::StatusWebhookCreated>(
                       std::move(respond), 201, [](const app::StatusWebhookCreated& created) {
                         json body = StatusSubscriberToJson(created.subscriber);
                         body["secret"] = created.secret;
                         return body;
                       }));
             }));
  router.Add("DELETE", "/api/v1/status/subscribers/{id}",
             Authenticated(context, [&context](const HttpRequest& request, Respond respond,
                                               const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               app::RemoveStatusSubscriber(
                   context, caller.viewer, *id,
                   [respond = std::move(respond)](absl::StatusOr<bool> removed) {
                     if (!removed.ok()) return respond(ProblemResponse(removed.status()));
                     respond(NoContent());
                   });
             }));
}

// The audit trail of a component, an incident or a maintenance (provider staff).
void RegisterStatusEventRoutes(Router& router, app::AppContext& context) {
  const std::pair<const char*, const char*> kTrails[] = {
      {"/api/v1/status/components/{id}/events", "status_component"},
      {"/api/v1/status/incidents/{id}/events", "status_incident"},
      {"/api/v1/status/maintenances/{id}/events", "status_maintenance"},
  };
  for (const auto& [pattern, entity] : kTrails) {
    router.Add("GET", pattern,
               Authenticated(context, [&context, entity = std::string(entity)](
                                          const HttpRequest& request, Respond respond,
                                          const app::Caller& caller) {
                 absl::StatusOr<ports::PageRequest> page = PageFromQuery(
                     request, context.limits.default_page_size, context.limits.max_page_size);
                 if (!page.ok()) return respond(ProblemResponse(page.status()));
                 Answer(respond,
                        app::ListEntityEvents(context, caller.viewer, entity,
                                              request.path_params.at("id"), *page),
                        [](const ports::Page<core::AuditEvent>& events) {
                          return PageToJson(events, EventToJson);
                        });
               }));
  }
}

}  // namespace

void RegisterStatusRoutes(Router& router, app::AppContext& context) {
  RegisterStatusEventRoutes(router, context);
  RegisterComponentRoutes(router, context);
  RegisterEventRoutes(router, context, core::IncidentKind::kIncident, "/api/v1/status/incidents");
  RegisterEventRoutes(router, context, core::IncidentKind::kMaintenance,
                      "/api/v1/status/maintenances");
  RegisterPageSettingRoutes(router, context);
  RegisterSubscriptionRoutes(router, context);
}

}  // namespace casedesk::adapters::http
