// The Statuspage v2 JSON documents of the public status page, rendered from a snapshot:
// /api/v2/status.json, summary.json, components.json, incidents.json,
// incidents/unresolved.json, scheduled-maintenances.json and its upcoming.json and active.json.
// Field names, order and enum values follow Atlassian Statuspage so its widgets and clients work.
// Thread-safe: pure functions.
#pragma once

#include <string>

#include "app/status_page_view.h"

namespace casedesk::adapters::web {

enum class StatusDocument {
  kStatus,
  kSummary,
  kComponents,
  kIncidents,
  kIncidentsUnresolved,
  kMaintenances,
  kMaintenancesUpcoming,
  kMaintenancesActive,
};

// Statuspage lists at most this many incidents (and maintenances) in incidents.json and
// scheduled-maintenances.json.
inline constexpr size_t kStatuspageListLimit = 50;

// The document as compact JSON text (invalid UTF-8 in user text is replaced, never an error).
std::string RenderStatusJson(const app::StatusPageSnapshot& snapshot, StatusDocument document);

}  // namespace casedesk::adapters::web
