// Use cases for incidents and scheduled maintenance on the status page. Provider staff open
// them, post updates to their timeline (each update may set the affected components' status,
// notify subscribers, and be posted as a public reply on every linked case, solving those cases
// when the incident is resolved), and link customer cases to them. Everyone else gets NotFound.
// Every change writes its audit event, its component history and its subscriber notice (a
// StatusNotice fanned out by status_notices.h) in the same unit of work.
// Thread-safe: functions over the thread-safe ports.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/status_page.h"
#include "ports/store.h"

namespace casedesk::app {

// What an update does to the cases linked to its incident.
enum class LinkedCaseAction {
  kNone,
  kUpdate,  // post the update's body on each as a public reply
  kSolve,   // the same, then solve each (only when the update closes the incident)
};

struct IncidentUpdateRequest {
  core::IncidentStatus status = core::IncidentStatus::kInvestigating;
  std::string body;
  std::optional<core::IncidentImpact> impact;
  std::optional<std::vector<core::ComponentId>> component_ids;  // replaces the affected list
  // Given to every affected component. Unset: closing the event returns its components to
  // operational (unless another open event affects them) and maintenance in progress puts them
  // under maintenance; otherwise they stay.
  std::optional<core::ComponentStatus> component_status;
  bool notify = true;  // notify subscribers
  LinkedCaseAction linked_cases = LinkedCaseAction::kNone;
};

struct NewIncident {
  core::IncidentKind kind = core::IncidentKind::kIncident;
  std::string name;
  // Default: investigating for an incident, scheduled for maintenance.
  std::optional<core::IncidentStatus> status;
  // Default: none for an incident; always maintenance for maintenance.
  std::optional<core::IncidentImpact> impact;
  std::string body;  // the first update's text
  std::vector<core::ComponentId> component_ids;
  std::optional<core::ComponentStatus> component_status;
  std::optional<absl::Time> scheduled_for;  // maintenance
  std::optional<absl::Time> scheduled_until;
  bool auto_transition = true;
  bool notify = true;
};

struct IncidentView {
  core::Incident incident;
  std::vector<core::CaseNumber> cases;  // linked cases the viewer may see
};

void CreateIncident(AppContext& context, const core::Viewer& viewer, NewIncident request,
                    Done<IncidentView> done);
void PostIncidentUpdate(AppContext& context, const core::Viewer& viewer, core::IncidentId id,
                        IncidentUpdateRequest request, Done<IncidentView> done);
absl::StatusOr<IncidentView> GetIncident(AppContext& context, const core::Viewer& viewer,
                                         core::IncidentId id);
absl::StatusOr<std::vector<core::Incident>> ListIncidents(AppContext& context,
                                                          const core::Viewer& viewer,
                                                          const ports::IncidentFilter& filter);
// Links a case the viewer may see (NotFound otherwise) to an incident, with an audit event on
// the case. Linking twice is harmless.
void LinkCaseToIncident(AppContext& context, const core::Viewer& viewer, core::IncidentId id,
                        core::CaseNumber number, Done<IncidentView> done);
void UnlinkCaseFromIncident(AppContext& context, const core::Viewer& viewer, core::IncidentId id,
                            core::CaseNumber number, Done<IncidentView> done);

// Inside a unit of work: appends an update to `incident` (loaded in this unit) as `author`
// (0 for the desk itself), with everything IncidentUpdateRequest describes. `case_author` is
// who writes on linked cases (required when request.linked_cases is not kNone). Aborted when
// the incident changed since it was loaded (another node moved it first).
absl::StatusOr<core::IncidentUpdate> AppendIncidentUpdate(ports::StoreTransaction& txn,
                                                          AppContext& context,
                                                          core::Incident& incident,
                                                          const IncidentUpdateRequest& request,
                                                          core::UserId author, absl::Time now,
                                                          const core::Viewer* case_author);

// Inside a unit of work, when a case is opened: links it to every open incident affecting the
// status component its `component` field names (case-insensitively).
absl::Status LinkOpenedCaseToIncidents(ports::StoreTransaction& txn, const core::Case& record,
                                       absl::Time now);

}  // namespace casedesk::app
