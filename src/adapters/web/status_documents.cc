#include "adapters/web/status_documents.h"

#include <cstdint>
#include <functional>

#include "adapters/web/statuspage_json.h"

namespace casedesk::adapters::web {
namespace {

using core::IncidentStatus;
using nlohmann::ordered_json;

ordered_json Events(const StatuspageJson& json, const std::vector<core::Incident>& events,
                    const std::function<bool(const core::Incident&)>& keep,
                    size_t limit = SIZE_MAX) {
  ordered_json out = ordered_json::array();
  for (const core::Incident& event : events) {
    if (out.size() >= limit) break;
    if (keep(event)) out.push_back(json.Incident(event));
  }
  return out;
}

bool Any(const core::Incident&) { return true; }
bool Open(const core::Incident& event) { return !core::IsClosedStatus(event.status); }
bool Upcoming(const core::Incident& event) { return event.status == IncidentStatus::kScheduled; }
bool Active(const core::Incident& event) {
  return event.status == IncidentStatus::kInProgress || event.status == IncidentStatus::kVerifying;
}

}  // namespace

std::string RenderStatusJson(const app::StatusPageSnapshot& snapshot, StatusDocument document) {
  const StatuspageJson json(snapshot);
  ordered_json out = ordered_json::object();
  out["page"] = json.Page();
  switch (document) {
    case StatusDocument::kStatus:
      out["status"] = json.Status();
      break;
    case StatusDocument::kSummary:
      out["components"] = json.Components();
      out["incidents"] = Events(json, snapshot.incidents, Open);
      out["scheduled_maintenances"] = Events(json, snapshot.maintenances, Open);
      out["status"] = json.Status();
      break;
    case StatusDocument::kComponents:
      out["components"] = json.Components();
      break;
    case StatusDocument::kIncidents:
      out["incidents"] = Events(json, snapshot.incidents, Any, kStatuspageListLimit);
      break;
    case StatusDocument::kIncidentsUnresolved:
      out["incidents"] = Events(json, snapshot.incidents, Open);
      break;
    case StatusDocument::kMaintenances:
      out["scheduled_maintenances"] =
          Events(json, snapshot.maintenances, Any, kStatuspageListLimit);
      break;
    case StatusDocument::kMaintenancesUpcoming:
      out["scheduled_maintenances"] = Events(json, snapshot.maintenances, Upcoming);
      break;
    case StatusDocument::kMaintenancesActive:
      out["scheduled_maintenances"] = Events(json, snapshot.maintenances, Active);
      break;
  }
  return out.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace casedesk::adapters::web
