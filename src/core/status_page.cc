// The public status page's pure rules: wire names, validation, the overall indicator, group
// status, automatic maintenance transitions and per-day uptime from a status history.
// Thread-safe: pure functions over constant tables.
#include "core/status_page.h"

#include <algorithm>
#include <array>
#include <utility>

#include "absl/strings/str_cat.h"

namespace casedesk::core {
namespace {

constexpr std::array<std::pair<ComponentStatus, std::string_view>, 5> kComponentStatusNames{{
    {ComponentStatus::kOperational, "operational"},
    {ComponentStatus::kDegradedPerformance, "degraded_performance"},
    {ComponentStatus::kPartialOutage, "partial_outage"},
    {ComponentStatus::kMajorOutage, "major_outage"},
    {ComponentStatus::kUnderMaintenance, "under_maintenance"},
}};

constexpr std::array<std::pair<IncidentKind, std::string_view>, 2> kIncidentKindNames{{
    {IncidentKind::kIncident, "incident"},
    {IncidentKind::kMaintenance, "maintenance"},
}};

constexpr std::array<std::pair<IncidentImpact, std::string_view>, 5> kIncidentImpactNames{{
    {IncidentImpact::kNone, "none"},
    {IncidentImpact::kMinor, "minor"},
    {IncidentImpact::kMajor, "major"},
    {IncidentImpact::kCritical, "critical"},
    {IncidentImpact::kMaintenance, "maintenance"},
}};

constexpr std::array<std::pair<IncidentStatus, std::string_view>, 9> kIncidentStatusNames{{
    {IncidentStatus::kInvestigating, "investigating"},
    {IncidentStatus::kIdentified, "identified"},
    {IncidentStatus::kMonitoring, "monitoring"},
    {IncidentStatus::kResolved, "resolved"},
    {IncidentStatus::kPostmortem, "postmortem"},
    {IncidentStatus::kScheduled, "scheduled"},
    {IncidentStatus::kInProgress, "in_progress"},
    {IncidentStatus::kVerifying, "verifying"},
    {IncidentStatus::kCompleted, "completed"},
}};

constexpr size_t kMaxNameBytes = 255;

// Worst-of ranking for components: under_maintenance is planned, so it ranks above operational
// but below every unplanned problem.
int ComponentRank(ComponentStatus status) {
  switch (status) {
    case ComponentStatus::kOperational:
      return 0;
    case ComponentStatus::kUnderMaintenance:
      return 1;
    case ComponentStatus::kDegradedPerformance:
      return 2;
    case ComponentStatus::kPartialOutage:
      return 3;
    case ComponentStatus::kMajorOutage:
      return 4;
  }
  return 0;
}

ComponentStatus Worse(ComponentStatus a, ComponentStatus b) {
  return ComponentRank(b) > ComponentRank(a) ? b : a;
}

// Page indicator levels, ordered; maintenance shows only when nothing is wrong.
enum class Level { kNone, kMaintenance, kMinor, kMajor, kCritical };

Level ComponentLevel(ComponentStatus status) {
  switch (status) {
    case ComponentStatus::kOperational:
      return Level::kNone;
    case ComponentStatus::kUnderMaintenance:
      return Level::kMaintenance;
    case ComponentStatus::kDegradedPerformance:
      return Level::kMinor;
    case ComponentStatus::kPartialOutage:
      return Level::kMajor;
    case ComponentStatus::kMajorOutage:
      return Level::kCritical;
  }
  return Level::kNone;
}

Level ImpactLevel(IncidentImpact impact) {
  switch (impact) {
    case IncidentImpact::kNone:
      return Level::kNone;
    case IncidentImpact::kMaintenance:
      return Level::kMaintenance;
    case IncidentImpact::kMinor:
      return Level::kMinor;
    case IncidentImpact::kMajor:
      return Level::kMajor;
    case IncidentImpact::kCritical:
      return Level::kCritical;
  }
  return Level::kNone;
}

bool IsMaintenanceUnderway(IncidentStatus status) {
  return status == IncidentStatus::kInProgress || status == IncidentStatus::kVerifying;
}

absl::Status CheckName(std::string_view name) {
  if (name.empty() || name.find_first_not_of(' ') == std::string_view::npos) {
    return absl::InvalidArgumentError("name: must not be empty");
  }
  if (name.size() > kMaxNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("name: must be at most ", kMaxNameBytes, " bytes, got ", name.size()));
  }
  for (char ch : name) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte < 0x20 || byte == 0x7f) {
      return absl::InvalidArgumentError("name: must not contain control characters");
    }
  }
  return absl::OkStatus();
}

std::string StatusName(IncidentStatus status) {
  return std::string(NameOf(IncidentStatusNames(), status));
}

std::string KindName(IncidentKind kind) { return std::string(NameOf(IncidentKindNames(), kind)); }

// The first instant of `day` in `zone`. When local midnight is skipped by a DST change the day
// starts at the transition; when it is repeated, at its first occurrence.
absl::Time DayStart(absl::CivilDay day, absl::TimeZone zone) {
  const absl::TimeZone::TimeInfo info = zone.At(absl::CivilSecond(day));
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

}  // namespace

EnumNameTable<ComponentStatus> ComponentStatusNames() { return kComponentStatusNames; }
EnumNameTable<IncidentKind> IncidentKindNames() { return kIncidentKindNames; }
EnumNameTable<IncidentImpact> IncidentImpactNames() { return kIncidentImpactNames; }
EnumNameTable<IncidentStatus> IncidentStatusNames() { return kIncidentStatusNames; }

bool StatusBelongsTo(IncidentKind kind, IncidentStatus status) {
  switch (status) {
    case IncidentStatus::kInvestigating:
    case IncidentStatus::kIdentified:
    case IncidentStatus::kMonitoring:
    case IncidentStatus::kResolved:
    case IncidentStatus::kPostmortem:
      return kind == IncidentKind::kIncident;
    case IncidentStatus::kScheduled:
    case IncidentStatus::kInProgress:
    case IncidentStatus::kVerifying:
    case IncidentStatus::kCompleted:
      return kind == IncidentKind::kMaintenance;
  }
  return false;
}

bool IsClosedStatus(IncidentStatus status) {
  return status == IncidentStatus::kResolved || status == IncidentStatus::kPostmortem ||
         status == IncidentStatus::kCompleted;
}

absl::Status ValidateComponent(const StatusComponent& component) {
  if (absl::Status status = CheckName(component.name); !status.ok()) return status;
  if (component.group_id < 0) {
    return absl::InvalidArgumentError("group_id: must not be negative");
  }
  if (component.group_id != 0 && component.group_id == component.id) {
    return absl::InvalidArgumentError("group_id: a component cannot be its own group");
  }
  return absl::OkStatus();
}

absl::Status ValidateIncident(const Incident& incident) {
  if (absl::Status status = CheckName(incident.name); !status.ok()) return status;
  const std::string kind = KindName(incident.kind);
  if (!StatusBelongsTo(incident.kind, incident.status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("status: ", StatusName(incident.status), " is not a status of ", kind));
  }
  for (size_t i = 0; i < incident.updates.size(); ++i) {
    if (!StatusBelongsTo(incident.kind, incident.updates[i].status)) {
      return absl::InvalidArgumentError(
          absl::StrCat("updates[", i, "].status: ", StatusName(incident.updates[i].status),
                       " is not a status of ", kind));
    }
  }
  const bool maintenance = incident.kind == IncidentKind::kMaintenance;
  if (maintenance != (incident.impact == IncidentImpact::kMaintenance)) {
    return absl::InvalidArgumentError(maintenance
                                          ? "impact: must be maintenance for a maintenance"
                                          : "impact: maintenance is only for a maintenance");
  }
  for (ComponentId id : incident.component_ids) {
    if (id <= 0) {
      return absl::InvalidArgumentError(absl::StrCat("component_ids: must be positive, got ", id));
    }
  }
  if (!maintenance) {
    if (incident.scheduled_for.has_value()) {
      return absl::InvalidArgumentError("scheduled_for: only a maintenance has a window");
    }
    if (incident.scheduled_until.has_value()) {
      return absl::InvalidArgumentError("scheduled_until: only a maintenance has a window");
    }
    return absl::OkStatus();
  }
  if (!incident.scheduled_for.has_value()) {
    return absl::InvalidArgumentError("scheduled_for: required for a maintenance");
  }
  if (!incident.scheduled_until.has_value()) {
    return absl::InvalidArgumentError("scheduled_until: required for a maintenance");
  }
  if (*incident.scheduled_until <= *incident.scheduled_for) {
    return absl::InvalidArgumentError("scheduled_until: must be after scheduled_for");
  }
  return absl::OkStatus();
}

PageIndicator OverallIndicator(std::span<const StatusComponent> components,
                               std::span<const Incident> open_events) {
  Level from_components = Level::kNone;
  for (const StatusComponent& component : components) {
    if (component.is_group) continue;
    from_components = std::max(from_components, ComponentLevel(component.status));
  }
  Level from_events = Level::kNone;
  for (const Incident& event : open_events) {
    if (event.kind == IncidentKind::kMaintenance) {
      // Scheduled maintenance has not begun; only running maintenance shows.
      if (IsMaintenanceUnderway(event.status)) {
        from_events = std::max(from_events, Level::kMaintenance);
      }
    } else if (!IsClosedStatus(event.status)) {
      from_events = std::max(from_events, ImpactLevel(event.impact));
    }
  }
  switch (std::max(from_components, from_events)) {
    case Level::kNone:
      return {"none", "All Systems Operational"};
    case Level::kMaintenance:
      return {"maintenance", "Service Under Maintenance"};
    case Level::kMinor:
      // Statuspage words a merely degraded component more mildly than a declared incident.
      if (from_events < Level::kMinor) return {"minor", "Partially Degraded Service"};
      return {"minor", "Minor Service Outage"};
    case Level::kMajor:
      return {"major", "Partial System Outage"};
    case Level::kCritical:
      return {"critical", "Major System Outage"};
  }
  return {"none", "All Systems Operational"};
}

ComponentStatus GroupStatus(std::span<const StatusComponent> members) {
  ComponentStatus worst = ComponentStatus::kOperational;
  for (const StatusComponent& member : members) worst = Worse(worst, member.status);
  return worst;
}

std::optional<IncidentStatus> DueMaintenanceTransition(const Incident& maintenance,
                                                       absl::Time now) {
  if (maintenance.kind != IncidentKind::kMaintenance || !maintenance.auto_transition ||
      !StatusBelongsTo(IncidentKind::kMaintenance, maintenance.status) ||
      IsClosedStatus(maintenance.status)) {
    return std::nullopt;
  }
  if (maintenance.scheduled_until.has_value() && now >= *maintenance.scheduled_until) {
    return IncidentStatus::kCompleted;
  }
  if (maintenance.status == IncidentStatus::kScheduled && maintenance.scheduled_for.has_value() &&
      now >= *maintenance.scheduled_for) {
    return IncidentStatus::kInProgress;
  }
  return std::nullopt;
}

std::optional<absl::Time> NextMaintenanceEdge(const Incident& maintenance) {
  if (maintenance.kind != IncidentKind::kMaintenance || !maintenance.auto_transition ||
      !StatusBelongsTo(IncidentKind::kMaintenance, maintenance.status) ||
      IsClosedStatus(maintenance.status)) {
    return std::nullopt;
  }
  std::optional<absl::Time> edge = maintenance.scheduled_until;
  if (maintenance.status == IncidentStatus::kScheduled && maintenance.scheduled_for.has_value()) {
    edge =
        edge.has_value() ? std::min(*edge, *maintenance.scheduled_for) : *maintenance.scheduled_for;
  }
  return edge;
}

std::vector<UptimeDay> DailyUptime(std::span<const ComponentStatusChange> history,
                                   ComponentStatus initial, absl::Time created_at, absl::Time now,
                                   int days, absl::TimeZone zone) {
  if (days <= 0) return {};
  const auto count = static_cast<size_t>(days);
  const absl::CivilDay last(zone.At(now).cs);
  const absl::CivilDay first = last - (days - 1);

  // bounds[i] .. bounds[i + 1] is day i; local days are 23, 24 or 25 hours long.
  std::vector<absl::Time> bounds(count + 1);
  for (size_t i = 0; i <= count; ++i) bounds[i] = DayStart(first + static_cast<int>(i), zone);

  struct Tally {
    absl::Duration partial;
    absl::Duration major;
    ComponentStatus worst = ComponentStatus::kOperational;
  };
  std::vector<Tally> tallies(count);

  // One sweep over the known span [lo, hi), cut at status changes and day boundaries.
  const absl::Time lo = std::max(bounds.front(), created_at);
  const absl::Time hi = std::min(bounds.back(), now);
  if (lo < hi) {
    ComponentStatus current = initial;
    size_t next = 0;
    while (next < history.size() && history[next].at <= lo) current = history[next++].status;
    size_t day = 0;
    while (bounds[day + 1] <= lo) ++day;
    absl::Time from = lo;
    while (from < hi) {
      const absl::Time change = next < history.size() ? history[next].at : hi;
      const absl::Time until = std::min({change, hi, bounds[day + 1]});
      if (until > from) {
        Tally& tally = tallies[day];
        tally.worst = Worse(tally.worst, current);
        if (current == ComponentStatus::kPartialOutage) tally.partial += until - from;
        if (current == ComponentStatus::kMajorOutage) tally.major += until - from;
        from = until;
      }
      if (from == bounds[day + 1]) ++day;
      while (next < history.size() && history[next].at <= from) current = history[next++].status;
    }
  }

  std::vector<UptimeDay> result(count);
  for (size_t i = 0; i < count; ++i) {
    UptimeDay& out = result[i];
    out.day = first + static_cast<int>(i);
    const absl::Duration known = std::min(bounds[i + 1], now) - std::max(bounds[i], created_at);
    if (known <= absl::ZeroDuration()) continue;
    out.has_data = true;
    out.worst = tallies[i].worst;
    out.partial_outage_seconds = absl::ToInt64Seconds(tallies[i].partial);
    out.major_outage_seconds = absl::ToInt64Seconds(tallies[i].major);
    // Whole seconds, as reported, so OverallUptime can recover the known seconds exactly.
    const double lost = static_cast<double>(out.major_outage_seconds) +
                        0.3 * static_cast<double>(out.partial_outage_seconds);
    out.uptime = std::clamp(1.0 - lost / absl::ToDoubleSeconds(known), 0.0, 1.0);
  }
  return result;
}

double OverallUptime(std::span<const UptimeDay> days) {
  // UptimeDay does not carry its known seconds, so they are recovered: a day with downtime knows
  // them exactly from lost / (1 - uptime); a day without downtime is weighted as a full day.
  constexpr double kFullDaySeconds = 24 * 60 * 60;
  double known_total = 0;
  double lost_total = 0;
  for (const UptimeDay& day : days) {
    if (!day.has_data) continue;
    const double lost = static_cast<double>(day.major_outage_seconds) +
                        0.3 * static_cast<double>(day.partial_outage_seconds);
    const double known = day.uptime < 1.0 && lost > 0 ? lost / (1.0 - day.uptime) : kFullDaySeconds;
    known_total += known;
    lost_total += std::min(lost, known);
  }
  if (known_total <= 0) return 1.0;
  return 1.0 - lost_total / known_total;
}

}  // namespace casedesk::core
