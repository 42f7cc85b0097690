// Test support: a hand-built status page snapshot with a group, a hidden component, open and
// closed incidents, and upcoming, active and completed maintenance, in a zone with DST.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "app/status_page_view.h"
#include "core/status_page.h"

namespace casedesk::adapters::web::testing {

inline absl::Time Utc(int y, int mo, int d, int h, int mi, int s = 0) {
  return absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, s), absl::UTCTimeZone());
}

inline core::StatusComponent MakeComponent(core::ComponentId id, std::string name,
                                           core::ComponentId group_id, bool is_group, int position,
                                           core::ComponentStatus status) {
  core::StatusComponent component;
  component.id = id;
  component.name = std::move(name);
  component.group_id = group_id;
  component.is_group = is_group;
  component.position = position;
  component.status = status;
  component.created_at = Utc(2025, 3, 10, 5, 0);  // 2025-03-09 23:00 MDT in Denver
  component.updated_at = Utc(2026, 7, 1, 12, 0);
  return component;
}

inline core::IncidentUpdate MakeUpdate(int64_t id, core::IncidentId incident_id,
                                       core::IncidentStatus status, std::string body,
                                       absl::Time at) {
  core::IncidentUpdate update;
  update.id = id;
  update.incident_id = incident_id;
  update.status = status;
  update.body = std::move(body);
  update.created_at = at;
  update.display_at = at;
  return update;
}

// 90 days ending 2026-11-22, all up except a partial outage on Nov 3.
inline std::vector<core::UptimeDay> MakeUptime() {
  std::vector<core::UptimeDay> days;
  const absl::CivilDay last(2026, 11, 22);
  for (int i = app::kUptimeDays - 1; i >= 0; --i) {
    core::UptimeDay day;
    day.day = last - i;
    day.has_data = i < 80;  // the first ten days are before the component existed
    if (day.day == absl::CivilDay(2026, 11, 3)) {
      day.uptime = 0.99125;
      day.worst = core::ComponentStatus::kPartialOutage;
      day.partial_outage_seconds = 2520;
    }
    days.push_back(day);
  }
  return days;
}

inline app::StatusPageSnapshot MakeSnapshot() {
  using core::ComponentStatus;
  using core::IncidentStatus;
  app::StatusPageSnapshot s;
  s.page = {"casedesk", "Example Cloud Status", "https://status.example.com", "America/Denver"};
  s.now = Utc(2026, 11, 22, 21, 5);
  s.updated_at = Utc(2026, 11, 22, 21, 0, 0) + absl::Milliseconds(473);
  s.indicator = {"major", "Partial System Outage"};
  s.components = {
      MakeComponent(1, "API", 0, false, 1, ComponentStatus::kOperational),
      MakeComponent(2, "Voice", 0, true, 2, ComponentStatus::kPartialOutage),
      MakeComponent(3, "EU West", 2, false, 1, ComponentStatus::kPartialOutage),
      MakeComponent(4, "US East", 2, false, 2, ComponentStatus::kOperational),
      MakeComponent(5, "Legacy Fax Gateway", 0, false, 3, ComponentStatus::kOperational),
  };
  s.components[0].description = "The public REST API";
  s.components[4].only_show_if_degraded = true;

  core::Incident open;
  open.id = 7;
  open.name = "Voice calls dropping in EU West";
  open.status = IncidentStatus::kIdentified;
  open.impact = core::IncidentImpact::kMajor;
  open.component_ids = {3};
  open.created_at = Utc(2026, 11, 22, 20, 0);
  open.started_at = Utc(2026, 11, 22, 19, 55);
  open.updated_at = Utc(2026, 11, 22, 21, 0);
  core::IncidentUpdate identified =
      MakeUpdate(12, 7, IncidentStatus::kIdentified,
                 "A faulty router was found.\nWe are replacing it.", Utc(2026, 11, 22, 21, 0));
  identified.affected_components = {
      {3, "EU West", ComponentStatus::kOperational, ComponentStatus::kPartialOutage}};
  core::IncidentUpdate investigating =
      MakeUpdate(11, 7, IncidentStatus::kInvestigating, "We are looking into dropped calls.",
                 Utc(2026, 11, 22, 20, 0));
  investigating.notify = false;
  open.updates = {identified, investigating};

  core::Incident closed;
  closed.id = 5;
  closed.name = "Slow API responses";
  closed.status = IncidentStatus::kResolved;
  closed.impact = core::IncidentImpact::kMinor;
  closed.component_ids = {1};
  closed.created_at = Utc(2026, 11, 3, 10, 0);
  closed.started_at = Utc(2026, 11, 3, 10, 0);
  closed.updated_at = Utc(2026, 11, 3, 11, 0);
  closed.monitoring_at = Utc(2026, 11, 3, 10, 30);
  closed.resolved_at = Utc(2026, 11, 3, 11, 0);
  closed.updates = {
      MakeUpdate(9, 5, IncidentStatus::kResolved, "Fixed.", Utc(2026, 11, 3, 11, 0)),
      MakeUpdate(8, 5, IncidentStatus::kInvestigating, "Looking.", Utc(2026, 11, 3, 10, 0))};
  s.incidents = {open, closed};

  const auto maintenance = [](core::IncidentId id, std::string name, IncidentStatus status,
                              absl::Time from) {
    core::Incident m;
    m.id = id;
    m.kind = core::IncidentKind::kMaintenance;
    m.name = std::move(name);
    m.status = status;
    m.impact = core::IncidentImpact::kMaintenance;
    m.component_ids = {4};
    m.created_at = from - absl::Hours(72);
    m.updated_at = from - absl::Hours(72);
    m.started_at = from;
    m.scheduled_for = from;
    m.scheduled_until = from + absl::Hours(2);
    m.updates = {MakeUpdate(id * 10, id, status, "Window for " + m.name, from - absl::Hours(72))};
    if (status == IncidentStatus::kCompleted) m.resolved_at = from + absl::Hours(2);
    return m;
  };
  s.maintenances = {
      maintenance(10, "Database upgrade", IncidentStatus::kScheduled, Utc(2026, 11, 25, 6, 0)),
      maintenance(9, "Network work", IncidentStatus::kInProgress, Utc(2026, 11, 22, 20, 30)),
      maintenance(6, "Old upgrade", IncidentStatus::kCompleted, Utc(2026, 10, 1, 6, 0)),
  };
  for (const core::ComponentId id : {1, 3, 4, 5}) s.uptime[id] = MakeUptime();
  return s;
}

}  // namespace casedesk::adapters::web::testing
