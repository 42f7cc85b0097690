#include "adapters/store_support/status_codec.h"

#include <nlohmann/json.hpp>

#include "adapters/store_support/store_codec.h"

namespace casedesk::adapters {
namespace {

using Json = nlohmann::json;

// A member of the wrong type (a damaged row) reads as empty rather than throwing.
std::string TextMember(const Json& item, const char* key) {
  auto found = item.find(key);
  return found != item.end() && found->is_string() ? found->get<std::string>() : std::string();
}

}  // namespace

std::string ComponentStatusToColumn(core::ComponentStatus status) {
  return EnumName(core::ComponentStatusNames(), status);
}

core::ComponentStatus ComponentStatusFromColumn(std::string_view name) {
  return EnumFromColumn(core::ComponentStatusNames(), name, core::ComponentStatus::kOperational);
}

std::string IncidentKindToColumn(core::IncidentKind kind) {
  return EnumName(core::IncidentKindNames(), kind);
}

core::IncidentKind IncidentKindFromColumn(std::string_view name) {
  return EnumFromColumn(core::IncidentKindNames(), name, core::IncidentKind::kIncident);
}

std::string IncidentStatusToColumn(core::IncidentStatus status) {
  return EnumName(core::IncidentStatusNames(), status);
}

core::IncidentStatus IncidentStatusFromColumn(std::string_view name) {
  return EnumFromColumn(core::IncidentStatusNames(), name, core::IncidentStatus::kInvestigating);
}

std::string IncidentImpactToColumn(core::IncidentImpact impact) {
  return EnumName(core::IncidentImpactNames(), impact);
}

core::IncidentImpact IncidentImpactFromColumn(std::string_view name) {
  return EnumFromColumn(core::IncidentImpactNames(), name, core::IncidentImpact::kNone);
}

std::string SubscriberKindToColumn(ports::SubscriberKind kind) {
  return kind == ports::SubscriberKind::kWebhook ? "webhook" : "email";
}

ports::SubscriberKind SubscriberKindFromColumn(std::string_view name) {
  return name == "webhook" ? ports::SubscriberKind::kWebhook : ports::SubscriberKind::kEmail;
}

std::string AffectedComponentsToJson(const std::vector<core::AffectedComponent>& components) {
  Json list = Json::array();
  for (const core::AffectedComponent& component : components) {
    list.push_back({{"component_id", component.component_id},
                    {"name", component.name},
                    {"old_status", ComponentStatusToColumn(component.old_status)},
                    {"new_status", ComponentStatusToColumn(component.new_status)}});
  }
  return list.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::vector<core::AffectedComponent> AffectedComponentsFromJson(std::string_view json) {
  std::vector<core::AffectedComponent> components;
  Json parsed = Json::parse(json.begin(), json.end(), nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_array()) return components;
  for (const Json& item : parsed) {
    if (!item.is_object()) continue;
    core::AffectedComponent component;
    auto id = item.find("component_id");
    component.component_id = id != item.end() && id->is_number_integer() ? id->get<int64_t>() : 0;
    component.name = TextMember(item, "name");
    component.old_status = ComponentStatusFromColumn(TextMember(item, "old_status"));
    component.new_status = ComponentStatusFromColumn(TextMember(item, "new_status"));
    components.push_back(std::move(component));
  }
  return components;
}

}  // namespace casedesk::adapters
