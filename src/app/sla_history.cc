#include "app/sla_history.h"

#include <optional>
#include <string>

#include "app/case_support.h"
#include "core/enum_names.h"
#include "core/service_task.h"

namespace casedesk::app {
namespace {

const core::FieldChange* FindChange(const core::AuditEvent& event, std::string_view field) {
  for (const core::FieldChange& change : event.changes) {
    if (change.field == field) return &change;
  }
  return nullptr;
}

bool SeverityAfter(const core::FieldChange* change, core::Severity* severity) {
  if (change == nullptr) return false;
  int level = 0;
  try {
    level = std::stoi(change->after);
  } catch (...) {
    return false;
  }
  return core::SeverityFromLevel(level, severity);
}

bool StatusAfter(const core::FieldChange* change, core::CaseStatus* status) {
  if (change == nullptr) return false;
  const std::optional<core::CaseStatus> parsed =
      core::EnumFromName<core::CaseStatus>(core::kCaseStatusNames, change->after);
  if (!parsed) return false;
  *status = *parsed;
  return true;
}

}  // namespace

core::SlaFacts SlaFactsFromHistory(const core::Case& record,
                                   const std::vector<core::AuditEvent>& events) {
  core::SlaFacts facts;
  facts.start = record.created_at;
  facts.severity = record.severity;
  facts.status = record.status;
  for (const core::AuditEvent& event : events) {
    if (event.kind == kCaseCreated) {
      SeverityAfter(FindChange(event, "severity"), &facts.severity);
      StatusAfter(FindChange(event, "status"), &facts.status);
      continue;
    }
    core::Severity severity;
    core::CaseStatus status;
    if (event.kind == kCaseUpdated) {
      if (SeverityAfter(FindChange(event, "severity"), &severity)) {
        facts.events.push_back(core::SlaEvent::SeverityChanged(event.at, severity));
      }
      const core::FieldChange* confirmed = FindChange(event, "severity_confirmed");
      const core::FieldChange* assignee = FindChange(event, "assignee_id");
      if ((confirmed != nullptr && confirmed->after == "true") ||
          (assignee != nullptr && !assignee->after.empty())) {
        facts.events.push_back(core::SlaEvent::Triaged(event.at));
      }
      if (StatusAfter(FindChange(event, "status"), &status)) {
        facts.events.push_back(core::SlaEvent::StatusChanged(event.at, status));
      }
    } else if (event.kind == core::kServiceTaskRequestedEvent) {
      facts.events.push_back(core::SlaEvent::EstimateRequested(event.at));
    } else if (event.kind == core::kServiceTaskEstimatedEvent) {
      facts.events.push_back(core::SlaEvent::EstimateGiven(event.at));
    } else if (event.kind == kCommentAdded) {
      const core::FieldChange* side = FindChange(event, "author_side");
      if (side != nullptr && side->after == kProviderSide) {
        facts.events.push_back(core::SlaEvent::StaffPublicReply(event.at));
      } else if (side != nullptr && side->after == kCustomerSide) {
        facts.events.push_back(core::SlaEvent::CustomerPublicReply(event.at));
      }
      if (StatusAfter(FindChange(event, "status"), &status)) {
        facts.events.push_back(core::SlaEvent::StatusChanged(event.at, status));
      }
    }
  }
  return facts;
}

}  // namespace casedesk::app
