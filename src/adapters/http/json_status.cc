#include "adapters/http/json_status.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/http/api_support.h"
#include "adapters/system/calendar_file.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

template <typename Enum>
json NameJson(core::EnumNameTable<Enum> table, Enum value) {
  return std::string(core::NameOf(table, value));
}

json OptionalStatusTime(const std::optional<absl::Time>& at) {
  return at ? json(http::FormatTime(*at)) : json(nullptr);
}

template <typename Enum>
absl::StatusOr<std::optional<Enum>> OptionalEnum(const json& body, std::string_view field,
                                                 core::EnumNameTable<Enum> table) {
  absl::StatusOr<std::optional<std::string>> text = OptionalString(body, field);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::optional<Enum>();
  std::optional<Enum> value = core::EnumFromName(table, **text);
  if (!value) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), ": unknown value '", **text, "'"));
  }
  return value;
}

absl::StatusOr<std::optional<std::vector<core::ComponentId>>> OptionalIds(const json& body,
                                                                          std::string_view field) {
  auto it = body.find(std::string(field));
  if (it == body.end() || it->is_null()) return std::optional<std::vector<core::ComponentId>>();
  if (!it->is_array()) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": must be an array"));
  }
  std::vector<core::ComponentId> ids;
  for (const json& item : *it) {
    if (!item.is_number_integer() || item.get<int64_t>() <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(std::string(field), ": must hold positive integer ids"));
    }
    ids.push_back(item.get<int64_t>());
  }
  return ids;
}

absl::StatusOr<std::optional<absl::Time>> OptionalInstant(const json& body,
                                                          std::string_view field) {
  absl::StatusOr<std::optional<std::string>> text = OptionalString(body, field);
  if (!text.ok()) return text.status();
  if (!text->has_value()) return std::optional<absl::Time>();
  absl::StatusOr<absl::Time> at = adapters::ParseRfc3339Instant(**text);
  if (!at.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), ": must be an RFC 3339 instant"));
  }
  return std::optional<absl::Time>(*at);
}

absl::StatusOr<app::LinkedCaseAction> ParseLinkedCases(const json& body) {
  absl::StatusOr<std::optional<std::string>> text = OptionalString(body, "linked_cases");
  if (!text.ok()) return text.status();
  if (!text->has_value() || **text == "none") return app::LinkedCaseAction::kNone;
  if (**text == "update") return app::LinkedCaseAction::kUpdate;
  if (**text == "solve") return app::LinkedCaseAction::kSolve;
  return absl::InvalidArgumentError("linked_cases: must be none, update or solve");
}

}  // namespace

json StatusComponentToJson(const core::StatusComponent& component) {
  return {{"id", component.id},
          {"name", component.name},
          {"description", component.description},
          {"group", component.is_group},
          {"group_id", component.group_id == 0 ? json(nullptr) : json(component.group_id)},
          {"status", NameJson(core::ComponentStatusNames(), component.status)},
          {"position", component.position},
          {"only_show_if_degraded", component.only_show_if_degraded},
          {"created_at", http::FormatTime(component.created_at)},
          {"updated_at", http::FormatTime(component.updated_at)}};
}

json IncidentToJson(const core::Incident& incident) {
  json updates = json::array();
  for (const core::IncidentUpdate& update : incident.updates) {
    json affected = json::array();
    for (const core::AffectedComponent& component : update.affected_components) {
      affected.push_back(
          {{"component_id", component.component_id},
           {"name", component.name},
           {"old_status", NameJson(core::ComponentStatusNames(), component.old_status)},
           {"new_status", NameJson(core::ComponentStatusNames(), component.new_status)}});
    }
    updates.push_back(
        {{"id", update.id},
         {"status", NameJson(core::IncidentStatusNames(), update.status)},
         {"body", update.body},
         {"created_at", http::FormatTime(update.created_at)},
         {"display_at", http::FormatTime(update.display_at)},
         {"affected_components", std::move(affected)},
         {"author_id", update.author_id == 0 ? json(nullptr) : json(update.author_id)},
         {"notify", update.notify}});
  }
  json body = {{"id", incident.id},
               {"kind", NameJson(core::IncidentKindNames(), incident.kind)},
               {"name", incident.name},
               {"status", NameJson(core::IncidentStatusNames(), incident.status)},
               {"impact", NameJson(core::IncidentImpactNames(), incident.impact)},
               {"component_ids", incident.component_ids},
               {"created_at", http::FormatTime(incident.created_at)},
               {"updated_at", http::FormatTime(incident.updated_at)},
               {"started_at", http::FormatTime(incident.started_at)},
               {"monitoring_at", OptionalStatusTime(incident.monitoring_at)},
               {"resolved_at", OptionalStatusTime(incident.resolved_at)},
               {"updates", std::move(updates)}};
  if (incident.kind == core::IncidentKind::kMaintenance) {
    body["scheduled_for"] = OptionalStatusTime(incident.scheduled_for);
    body["scheduled_until"] = OptionalStatusTime(incident.scheduled_until);
    body["auto_transition"] = incident.auto_transition;
  }
  return body;
}

json IncidentViewToJson(const app::IncidentView& view) {
  json body = IncidentToJson(view.incident);
  body["case_numbers"] = view.cases;
  return body;
}

json StatusSubscriberToJson(const ports::StatusSubscriber& subscriber) {
  return {{"id", subscriber.id},
          {"kind", subscriber.kind == ports::SubscriberKind::kWebhook ? "webhook" : "email"},
          {"address", subscriber.address},
          {"component_ids", subscriber.component_ids},
          {"confirmed_at", OptionalStatusTime(subscriber.confirmed_at)},
          {"unsubscribed_at", OptionalStatusTime(subscriber.unsubscribed_at)},
          {"created_at", http::FormatTime(subscriber.created_at)}};
}

json MyStatusSubscriptionToJson(const app::MyStatusSubscription& mine) {
  return {{"eligible", mine.eligible},
          {"subscribed", mine.subscribed},
          {"component_ids", mine.component_ids}};
}

json StatusPageInfoToJson(const app::StatusPageInfo& info) {
  return {{"id", info.id}, {"name", info.name}, {"url", info.url}, {"time_zone", info.time_zone}};
}

absl::StatusOr<app::NewStatusComponent> ParseNewStatusComponent(const HttpRequest& request,
                                                                int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes,
      {"name", "group", "description", "status", "position", "only_show_if_degraded"});
  if (!body.ok()) return body.status();
  app::NewStatusComponent component;
  absl::StatusOr<std::string> name = RequiredString(*body, "name");
  if (!name.ok()) return name.status();
  component.name = *std::move(name);
  absl::StatusOr<std::optional<std::string>> group = OptionalString(*body, "group");
  if (!group.ok()) return group.status();
  component.group = group->value_or("");
  absl::StatusOr<std::optional<std::string>> description = OptionalString(*body, "description");
  if (!description.ok()) return description.status();
  component.description = description->value_or("");
  absl::StatusOr<std::optional<core::ComponentStatus>> status =
      OptionalEnum(*body, "status", core::ComponentStatusNames());
  if (!status.ok()) return status.status();
  component.status = status->value_or(core::ComponentStatus::kOperational);
  absl::StatusOr<std::optional<int64_t>> position = OptionalInteger(*body, "position");
  if (!position.ok()) return position.status();
  if (*position) component.position = static_cast<int>(**position);
  absl::StatusOr<std::optional<bool>> degraded = OptionalBool(*body, "only_show_if_degraded");
  if (!degraded.ok()) return degraded.status();
  component.only_show_if_degraded = degraded->value_or(false);
  return component;
}

absl::StatusOr<app::StatusComponentPatch> ParseStatusComponentPatch(const HttpRequest& request,
                                                                    int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes,
      {"name", "group", "description", "status", "position", "only_show_if_degraded"});
  if (!body.ok()) return body.status();
  app::StatusComponentPatch patch;
  for (auto [field, target] : {std::pair{"name", &patch.name}, std::pair{"group", &patch.group},
                               std::pair{"description", &patch.description}}) {
    absl::StatusOr<std::optional<std::string>> text = OptionalString(*body, field);
    if (!text.ok()) return text.status();
    *target = *std::move(text);
  }
  absl::StatusOr<std::optional<core::ComponentStatus>> status =
      OptionalEnum(*body, "status", core::ComponentStatusNames());
  if (!status.ok()) return status.status();
  patch.status = *status;
  absl::StatusOr<std::optional<int64_t>> position = OptionalInteger(*body, "position");
  if (!position.ok()) return position.status();
  if (*position) patch.position = static_cast<int>(**position);
  absl::StatusOr<std::optional<bool>> degraded = OptionalBool(*body, "only_show_if_degraded");
  if (!degraded.ok()) return degraded.status();
  patch.only_show_if_degraded = *degraded;
  return patch;
}

absl::StatusOr<app::NewIncident> ParseNewIncident(const HttpRequest& request, int64_t max_bytes,
                                                  core::IncidentKind kind) {
  const bool maintenance = kind == core::IncidentKind::kMaintenance;
  absl::StatusOr<json> body =
      maintenance
          ? ParseJsonObject(request, max_bytes,
                            {"name", "status", "body", "component_ids", "component_status",
                             "scheduled_for", "scheduled_until", "auto_transition", "notify"})
          : ParseJsonObject(request, max_bytes,
                            {"name", "status", "impact", "body", "component_ids",
                             "component_status", "notify"});
  if (!body.ok()) return body.status();
  app::NewIncident incident;
  incident.kind = kind;
  absl::StatusOr<std::string> name = RequiredString(*body, "name");
  if (!name.ok()) return name.status();
  incident.name = *std::move(name);
  absl::StatusOr<std::optional<core::IncidentStatus>> status =
      OptionalEnum(*body, "status", core::IncidentStatusNames());
  if (!status.ok()) return status.status();
  incident.status = *status;
  absl::StatusOr<std::optional<core::IncidentImpact>> impact =
      OptionalEnum(*body, "impact", core::IncidentImpactNames());
  if (!impact.ok()) return impact.status();
  incident.impact = *impact;
  absl::StatusOr<std::optional<std::string>> text = OptionalString(*body, "body");
  if (!text.ok()) return text.status();
  incident.body = text->value_or("");
  absl::StatusOr<std::optional<std::vector<core::ComponentId>>> ids =
      OptionalIds(*body, "component_ids");
  if (!ids.ok()) return ids.status();
  incident.component_ids = ids->value_or(std::vector<core::ComponentId>());
  absl::StatusOr<std::optional<core::ComponentStatus>> component_status =
      OptionalEnum(*body, "component_status", core::ComponentStatusNames());
  if (!component_status.ok()) return component_status.status();
  incident.component_status = *component_status;
  absl::StatusOr<std::optional<absl::Time>> from = OptionalInstant(*body, "scheduled_for");
  if (!from.ok()) return from.status();
  incident.scheduled_for = *from;
  absl::StatusOr<std::optional<absl::Time>> until = OptionalInstant(*body, "scheduled_until");
  if (!until.ok()) return until.status();
  incident.scheduled_until = *until;
  absl::StatusOr<std::optional<bool>> automatic = OptionalBool(*body, "auto_transition");
  if (!automatic.ok()) return automatic.status();
  incident.auto_transition = automatic->value_or(true);
  absl::StatusOr<std::optional<bool>> notify = OptionalBool(*body, "notify");
  if (!notify.ok()) return notify.status();
  incident.notify = notify->value_or(true);
  return incident;
}

absl::StatusOr<app::IncidentUpdateRequest> ParseIncidentUpdate(const HttpRequest& request,
                                                               int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes,
      {"status", "body", "impact", "component_ids", "component_status", "notify", "linked_cases"});
  if (!body.ok()) return body.status();
  app::IncidentUpdateRequest update;
  absl::StatusOr<std::optional<core::IncidentStatus>> status =
      OptionalEnum(*body, "status", core::IncidentStatusNames());
  if (!status.ok()) return status.status();
  if (!status->has_value()) return absl::InvalidArgumentError("status: required");
  update.status = **status;
  absl::StatusOr<std::optional<std::string>> text = OptionalString(*body, "body");
  if (!text.ok()) return text.status();
  update.body = text->value_or("");
  absl::StatusOr<std::optional<core::IncidentImpact>> impact =
      OptionalEnum(*body, "impact", core::IncidentImpactNames());
  if (!impact.ok()) return impact.status();
  update.impact = *impact;
  absl::StatusOr<std::optional<std::vector<core::ComponentId>>> ids =
      OptionalIds(*body, "component_ids");
  if (!ids.ok()) return ids.status();
  update.component_ids = *ids;
  absl::StatusOr<std::optional<core::ComponentStatus>> component_status =
      OptionalEnum(*body, "component_status", core::ComponentStatusNames());
  if (!component_status.ok()) return component_status.status();
  update.component_status = *component_status;
  absl::StatusOr<std::optional<bool>> notify = OptionalBool(*body, "notify");
  if (!notify.ok()) return notify.status();
  update.notify = notify->value_or(true);
  absl::StatusOr<app::LinkedCaseAction> linked = ParseLinkedCases(*body);
  if (!linked.ok()) return linked.status();
  update.linked_cases = *linked;
  return update;
}

}  // namespace casedesk::adapters::http
