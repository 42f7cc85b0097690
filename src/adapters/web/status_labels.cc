#include "adapters/web/status_labels.h"

namespace casedesk::adapters::web {

using core::ComponentStatus;
using core::IncidentImpact;
using core::IncidentStatus;

StatusLabel ComponentStatusLabel(ComponentStatus status) {
  switch (status) {
    case ComponentStatus::kOperational:
      return {"operational", "\u2713", "Operational"};  // check mark
    case ComponentStatus::kDegradedPerformance:
      return {"degraded_performance", "\u25B2", "Degraded performance"};  // triangle
    case ComponentStatus::kPartialOutage:
      return {"partial_outage", "\u25C6", "Partial outage"};  // diamond
    case ComponentStatus::kMajorOutage:
      return {"major_outage", "\u2715", "Major outage"};  // cross
    case ComponentStatus::kUnderMaintenance:
      return {"under_maintenance", "\u25A0", "Under maintenance"};  // square
  }
  return {"operational", "\u2713", "Operational"};
}

StatusLabel IndicatorLabel(std::string_view indicator) {
  if (indicator == "minor") return {"minor", "\u25B2", "Minor"};
  if (indicator == "major") return {"major", "\u25C6", "Major"};
  if (indicator == "critical") return {"critical", "\u2715", "Critical"};
  if (indicator == "maintenance") return {"maintenance", "\u25A0", "Maintenance"};
  return {"none", "\u2713", "None"};
}

std::string_view IncidentStatusWord(IncidentStatus status) {
  switch (status) {
    case IncidentStatus::kInvestigating:
      return "Investigating";
    case IncidentStatus::kIdentified:
      return "Identified";
    case IncidentStatus::kMonitoring:
      return "Monitoring";
    case IncidentStatus::kResolved:
      return "Resolved";
    case IncidentStatus::kPostmortem:
      return "Postmortem";
    case IncidentStatus::kScheduled:
      return "Scheduled";
    case IncidentStatus::kInProgress:
      return "In progress";
    case IncidentStatus::kVerifying:
      return "Verifying";
    case IncidentStatus::kCompleted:
      return "Completed";
  }
  return "Unknown";
}

std::string_view ImpactWord(IncidentImpact impact) {
  switch (impact) {
    case IncidentImpact::kNone:
      return "None";
    case IncidentImpact::kMinor:
      return "Minor";
    case IncidentImpact::kMajor:
      return "Major";
    case IncidentImpact::kCritical:
      return "Critical";
    case IncidentImpact::kMaintenance:
      return "Maintenance";
  }
  return "Unknown";
}

std::string_view ComponentStatusPhrase(ComponentStatus status) {
  switch (status) {
    case ComponentStatus::kOperational:
      return "operational";
    case ComponentStatus::kDegradedPerformance:
      return "degraded performance";
    case ComponentStatus::kPartialOutage:
      return "partial outage";
    case ComponentStatus::kMajorOutage:
      return "major outage";
    case ComponentStatus::kUnderMaintenance:
      return "under maintenance";
  }
  return "unknown";
}

}  // namespace casedesk::adapters::web
