#include "adapters/web/statuspage_json.h"

#include "absl/strings/str_cat.h"
#include "adapters/web/status_time.h"

namespace casedesk::adapters::web {
namespace {

using nlohmann::ordered_json;

ordered_json TextOrNull(const std::string& text) {
  return text.empty() ? ordered_json(nullptr) : ordered_json(text);
}

std::string_view ComponentStatusName(core::ComponentStatus status) {
  return core::NameOf(core::ComponentStatusNames(), status);
}

}  // namespace

std::string ComponentPublicId(core::ComponentId id) { return absl::StrCat("c", id); }
std::string IncidentPublicId(core::IncidentId id) { return absl::StrCat("i", id); }
std::string UpdatePublicId(int64_t id) { return absl::StrCat("u", id); }

std::string IncidentUrl(const app::StatusPageInfo& page, core::IncidentId id) {
  return absl::StrCat(page.url, "/status/incidents/", id);
}

StatuspageJson::StatuspageJson(const app::StatusPageSnapshot& snapshot)
    : snapshot_(snapshot), zone_(PageTimeZone(snapshot.page.time_zone)) {}

ordered_json StatuspageJson::Time(absl::Time time) const {
  return IsSet(time) ? ordered_json(StatuspageTime(time, zone_)) : ordered_json(nullptr);
}

ordered_json StatuspageJson::Page() const {
  ordered_json page = ordered_json::object();
  page["id"] = snapshot_.page.id;
  page["name"] = snapshot_.page.name;
  page["url"] = snapshot_.page.url;
  page["time_zone"] = snapshot_.page.time_zone.empty() ? "UTC" : snapshot_.page.time_zone;
  page["updated_at"] = Time(snapshot_.updated_at);
  return page;
}

ordered_json StatuspageJson::Status() const {
  ordered_json status = ordered_json::object();
  status["indicator"] = std::string(snapshot_.indicator.indicator);
  status["description"] = std::string(snapshot_.indicator.description);
  return status;
}

ordered_json StatuspageJson::Components() const {
  ordered_json components = ordered_json::array();
  for (const core::StatusComponent& component : snapshot_.components) {
    components.push_back(Component(component));
  }
  return components;
}

ordered_json StatuspageJson::Component(const core::StatusComponent& component) const {
  ordered_json out = ordered_json::object();
  out["id"] = ComponentPublicId(component.id);
  out["name"] = component.name;
  out["status"] = std::string(ComponentStatusName(component.status));
  out["created_at"] = Time(component.created_at);
  out["updated_at"] = Time(component.updated_at);
  out["position"] = component.position;
  out["description"] = TextOrNull(component.description);
  // Statuspage showcases top-level components (those shown with their uptime bars).
  out["showcase"] = !component.is_group && component.group_id == 0;
  out["start_date"] = IsSet(component.created_at)
                          ? ordered_json(LocalDate(component.created_at, zone_))
                          : ordered_json(nullptr);
  out["group_id"] = component.group_id == 0 ? ordered_json(nullptr)
                                            : ordered_json(ComponentPublicId(component.group_id));
  out["page_id"] = snapshot_.page.id;
  out["group"] = component.is_group;
  out["only_show_if_degraded"] = component.only_show_if_degraded;
  if (component.is_group) {
    ordered_json members = ordered_json::array();
    for (const core::StatusComponent& member : snapshot_.components) {
      if (!member.is_group && member.group_id == component.id) {
        members.push_back(ComponentPublicId(member.id));
      }
    }
    out["components"] = std::move(members);
  }
  return out;
}

ordered_json StatuspageJson::Update(const core::IncidentUpdate& update) const {
  ordered_json out = ordered_json::object();
  out["id"] = UpdatePublicId(update.id);
  out["status"] = std::string(core::NameOf(core::IncidentStatusNames(), update.status));
  out["body"] = update.body;
  out["incident_id"] = IncidentPublicId(update.incident_id);
  out["created_at"] = Time(update.created_at);
  // Updates are not edited after posting, so they were last updated when created.
  out["updated_at"] = Time(update.created_at);
  out["display_at"] = Time(IsSet(update.display_at) ? update.display_at : update.created_at);
  if (update.affected_components.empty()) {
    out["affected_components"] = nullptr;
  } else {
    ordered_json affected = ordered_json::array();
    for (const core::AffectedComponent& component : update.affected_components) {
      ordered_json item = ordered_json::object();
      item["code"] = ComponentPublicId(component.component_id);
      item["name"] = component.name;
      item["old_status"] = std::string(ComponentStatusName(component.old_status));
      item["new_status"] = std::string(ComponentStatusName(component.new_status));
      affected.push_back(std::move(item));
    }
    out["affected_components"] = std::move(affected);
  }
  out["deliver_notifications"] = update.notify;
  out["custom_tweet"] = nullptr;
  out["tweet_id"] = nullptr;
  return out;
}

ordered_json StatuspageJson::Incident(const core::Incident& incident) const {
  const bool maintenance = incident.kind == core::IncidentKind::kMaintenance;
  ordered_json out = ordered_json::object();
  out["id"] = IncidentPublicId(incident.id);
  out["name"] = incident.name;
  out["status"] = std::string(core::NameOf(core::IncidentStatusNames(), incident.status));
  out["created_at"] = Time(incident.created_at);
  out["updated_at"] = Time(incident.updated_at);
  out["monitoring_at"] = incident.monitoring_at ? Time(*incident.monitoring_at) : nullptr;
  out["resolved_at"] = incident.resolved_at ? Time(*incident.resolved_at) : nullptr;
  out["impact"] = maintenance
                      ? std::string("maintenance")
                      : std::string(core::NameOf(core::IncidentImpactNames(), incident.impact));
  out["shortlink"] = IncidentUrl(snapshot_.page, incident.id);
  out["started_at"] = Time(incident.started_at);
  out["page_id"] = snapshot_.page.id;
  ordered_json updates = ordered_json::array();
  for (const core::IncidentUpdate& update : incident.updates) updates.push_back(Update(update));
  out["incident_updates"] = std::move(updates);
  // The affected components as whole component objects; ids no longer on the page are left out.
  ordered_json components = ordered_json::array();
  for (const core::ComponentId id : incident.component_ids) {
    for (const core::StatusComponent& component : snapshot_.components) {
      if (component.id == id) {
        components.push_back(Component(component));
        break;
      }
    }
  }
  out["components"] = std::move(components);
  if (maintenance) {
    out["scheduled_for"] = incident.scheduled_for ? Time(*incident.scheduled_for) : nullptr;
    out["scheduled_until"] = incident.scheduled_until ? Time(*incident.scheduled_until) : nullptr;
  }
  return out;
}

}  // namespace casedesk::adapters::web
