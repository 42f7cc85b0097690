// How the status page's values are written to and read from store columns (SQLite and
// PostgreSQL alike): enums by their Statuspage wire names, an update's affected components as
// JSON text [{"component_id", "name", "old_status", "new_status"}], and the SQL both stores
// share for "still open" and a maintenance's next edge.
// Thread-safe: pure functions and constants.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status_page.h"
#include "ports/status_records.h"

namespace casedesk::adapters {

// The statuses in which an incident or maintenance is closed (core::IsClosedStatus), as a SQL
// condition on the column `status`.
inline constexpr char kOpenIncidentCondition[] =
    "status NOT IN ('resolved', 'postmortem', 'completed')";
// Maintenance that may still move by itself (core::DueMaintenanceTransition): automatic, in one
// of maintenance's open statuses.
inline constexpr char kMovingMaintenanceCondition[] =
    "kind = 'maintenance' AND auto_transition AND status IN ('scheduled', 'in_progress',"
    " 'verifying')";
// The instant at which such a maintenance moves next (core::NextMaintenanceEdge): while scheduled
// the earlier of its start and end, afterwards its end; it is due once this is not after now.
// Both stores index this very expression (SQLite matches index expressions textually).
inline constexpr char kMaintenanceEdge[] =
    "(CASE WHEN status = 'scheduled' AND scheduled_for IS NOT NULL AND (scheduled_until IS NULL"
    " OR scheduled_for < scheduled_until) THEN scheduled_for ELSE scheduled_until END)";

std::string ComponentStatusToColumn(core::ComponentStatus status);
core::ComponentStatus ComponentStatusFromColumn(std::string_view name);
std::string IncidentKindToColumn(core::IncidentKind kind);
core::IncidentKind IncidentKindFromColumn(std::string_view name);
std::string IncidentStatusToColumn(core::IncidentStatus status);
core::IncidentStatus IncidentStatusFromColumn(std::string_view name);
std::string IncidentImpactToColumn(core::IncidentImpact impact);
core::IncidentImpact IncidentImpactFromColumn(std::string_view name);
std::string SubscriberKindToColumn(ports::SubscriberKind kind);  // "email", "webhook"
ports::SubscriberKind SubscriberKindFromColumn(std::string_view name);

std::string AffectedComponentsToJson(const std::vector<core::AffectedComponent>& components);
// A damaged value reads as no components.
std::vector<core::AffectedComponent> AffectedComponentsFromJson(std::string_view json);

}  // namespace casedesk::adapters
