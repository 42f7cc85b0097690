// The public status page's domain: components (in groups), incidents and scheduled maintenance
// with their timelines of updates, and the pure rules over them: which statuses belong to which
// kind of event, the page's overall indicator, which maintenance transition is due at an
// instant, and each component's uptime per day computed from its recorded status history.
// Wire names follow Atlassian Statuspage's public v2 API so its widgets work unchanged.
// Thread-safe: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/enum_names.h"
#include "core/ids.h"

namespace casedesk::core {

using ComponentId = int64_t;
using IncidentId = int64_t;

// Ordered from best to worst except under_maintenance, which is planned and ranks apart.
enum class ComponentStatus {
  kOperational,
  kDegradedPerformance,
  kPartialOutage,
  kMajorOutage,
  kUnderMaintenance,
};
EnumNameTable<ComponentStatus> ComponentStatusNames();  // "operational", "degraded_performance"..

enum class IncidentKind { kIncident, kMaintenance };
EnumNameTable<IncidentKind> IncidentKindNames();  // "incident", "maintenance"

enum class IncidentImpact { kNone, kMinor, kMajor, kCritical, kMaintenance };
EnumNameTable<IncidentImpact> IncidentImpactNames();  // "none", "minor", ... "maintenance"

// Incidents use the first five, maintenance the last four.
enum class IncidentStatus {
  kInvestigating,
  kIdentified,
  kMonitoring,
  kResolved,
  kPostmortem,
  kScheduled,
  kInProgress,
  kVerifying,
  kCompleted,
};
EnumNameTable<IncidentStatus> IncidentStatusNames();  // "investigating", ... "in_progress", ...

struct StatusComponent {
  ComponentId id = 0;
  std::string name;
  std::string description;
  ComponentId group_id = 0;  // the group it belongs to; 0 at the top level
  bool is_group = false;     // a group: its status is the worst of its members'
  int position = 0;          // order among its siblings
  ComponentStatus status = ComponentStatus::kOperational;
  bool only_show_if_degraded = false;
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();
};

// A component whose status an update changed.
struct AffectedComponent {
  ComponentId component_id = 0;
  std::string name;
  ComponentStatus old_status = ComponentStatus::kOperational;
  ComponentStatus new_status = ComponentStatus::kOperational;
};

struct IncidentUpdate {
  int64_t id = 0;
  IncidentId incident_id = 0;
  IncidentStatus status = IncidentStatus::kInvestigating;
  std::string body;  // plain text
  absl::Time created_at = absl::InfinitePast();
  absl::Time display_at = absl::InfinitePast();  // the time shown; created_at unless backdated
  std::vector<AffectedComponent> affected_components;
  UserId author_id = 0;  // 0 for the desk itself (an automatic maintenance transition)
  bool notify = true;    // subscribers were notified of it (Statuspage: deliver_notifications)
};

struct Incident {
  IncidentId id = 0;
  IncidentKind kind = IncidentKind::kIncident;
  std::string name;
  IncidentStatus status = IncidentStatus::kInvestigating;
  IncidentImpact impact = IncidentImpact::kNone;
  std::vector<ComponentId> component_ids;  // affected components
  absl::Time created_at = absl::InfinitePast();
  absl::Time updated_at = absl::InfinitePast();
  absl::Time started_at = absl::InfinitePast();
  std::optional<absl::Time> monitoring_at;
  std::optional<absl::Time> resolved_at;  // resolved, or completed for maintenance
  // Maintenance only: the announced window, and whether it moves by itself at the edges.
  std::optional<absl::Time> scheduled_for;
  std::optional<absl::Time> scheduled_until;
  bool auto_transition = true;
  std::vector<IncidentUpdate> updates;  // newest first, as the store loads them
};

// Whether `status` is one of `kind`'s statuses.
bool StatusBelongsTo(IncidentKind kind, IncidentStatus status);
// Resolved, postmortem or completed: no longer shown as active.
bool IsClosedStatus(IncidentStatus status);

// Checks names (1..255 bytes, no control characters), statuses against the kind, the
// maintenance window (both edges, until after for) and impact (maintenance iff kind is
// maintenance). InvalidArgument naming the field.
absl::Status ValidateComponent(const StatusComponent& component);
absl::Status ValidateIncident(const Incident& incident);

// The page's overall status in Statuspage's terms.
struct PageIndicator {
  std::string_view indicator;    // "none", "minor", "major", "critical", "maintenance"
  std::string_view description;  // "All Systems Operational", "Partial System Outage", ...
};
// From the components (groups ignored) and the open incidents and active maintenance: the worst
// of the incidents' impacts and the components' statuses (degraded -> minor, partial -> major,
// major outage -> critical); "maintenance" when nothing is wrong but maintenance is in progress.
PageIndicator OverallIndicator(std::span<const StatusComponent> components,
                               std::span<const Incident> open_events);

// A group's shown status: the worst of its members' (under maintenance only when nothing is
// worse than operational); operational for an empty group.
ComponentStatus GroupStatus(std::span<const StatusComponent> members);

// The status an automatic maintenance should move to at `now`, if any: scheduled ->
// in_progress from scheduled_for on; scheduled, in_progress or verifying -> completed from
// scheduled_until on. Nothing for incidents, closed or non-automatic maintenance.
std::optional<IncidentStatus> DueMaintenanceTransition(const Incident& maintenance, absl::Time now);
// The next instant at which DueMaintenanceTransition would return something, if any.
std::optional<absl::Time> NextMaintenanceEdge(const Incident& maintenance);

// One recorded status of a component from `at` on.
struct ComponentStatusChange {
  ComponentId component_id = 0;
  absl::Time at = absl::InfinitePast();
  ComponentStatus status = ComponentStatus::kOperational;
};

// One day of a component's uptime bar.
struct UptimeDay {
  absl::CivilDay day;
  bool has_data = false;  // false before the component existed, or a day still to come
  double uptime = 1.0;    // 0..1 over the day's known part
  ComponentStatus worst = ComponentStatus::kOperational;  // worst status seen that day
  int64_t partial_outage_seconds = 0;
  int64_t major_outage_seconds = 0;
};

// The uptime of one component on each of `days` local days ending with the day containing
// `now`, oldest first. `history` holds that component's changes in ascending time; the status
// before the first change is `initial` from `created_at` on. As Statuspage does, a partial
// outage counts 30 % of a major outage; degraded performance and maintenance count as up.
// A day counts only its part after created_at and before now.
std::vector<UptimeDay> DailyUptime(std::span<const ComponentStatusChange> history,
                                   ComponentStatus initial, absl::Time created_at, absl::Time now,
                                   int days, absl::TimeZone zone);
// Uptime over the days that have data, weighted by their known seconds; 1 when none has.
double OverallUptime(std::span<const UptimeDay> days);

}  // namespace casedesk::core
