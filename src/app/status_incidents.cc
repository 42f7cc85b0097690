#include "app/status_incidents.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/add_comment.h"
#include "app/case_support.h"
#include "app/status_components.h"
#include "app/update_case.h"
#include "core/text.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxBodyLength = 20000;
constexpr int kOpenIncidentEventsLimit = 500;
inline constexpr std::string_view kCaseIncidentLinked = "case.incident_linked";
inline constexpr std::string_view kCaseIncidentUnlinked = "case.incident_unlinked";

template <typename Enum>
std::string Name(core::EnumNameTable<Enum> table, Enum value) {
  return std::string(core::NameOf(table, value));
}

absl::Status IncidentNotFound(core::IncidentId id) {
  return absl::NotFoundError(absl::StrCat("incident ", id, " not found"));
}

absl::Status RequireIncidentStaff(const core::Viewer& viewer) {
  if (core::IsProviderStaff(viewer.role)) return absl::OkStatus();
  return absl::NotFoundError("not found");
}

std::string EntityOf(const core::Incident& incident) {
  return incident.kind == core::IncidentKind::kMaintenance ? "status_maintenance"
                                                           : "status_incident";
}

absl::Status CheckBody(const std::string& body) {
  if (body.size() > kMaxBodyLength) {
    return absl::InvalidArgumentError("body: must be at most 20000 characters");
  }
  return absl::OkStatus();
}

// The components, in the given order without repeats; InvalidArgument for an unknown one or a
// group (a group's status follows its members).
absl::StatusOr<std::vector<core::StatusComponent>> LoadComponents(
    ports::StoreTransaction& txn, const std::vector<core::ComponentId>& ids) {
  std::vector<core::StatusComponent> components;
  std::set<core::ComponentId> seen;
  for (core::ComponentId id : ids) {
    if (!seen.insert(id).second) continue;
    absl::StatusOr<core::StatusComponent> component = txn.GetStatusComponent(id);
    if (absl::IsNotFound(component.status()) || (component.ok() && component->is_group)) {
      return absl::InvalidArgumentError(
          absl::StrCat("component_ids: ", id, " is not a status component"));
    }
    if (!component.ok()) return component.status();
    components.push_back(*std::move(component));
  }
  return components;
}

// What open events other than `self` still hold a component at: an open incident leaves the
// component as it is (that incident sets its status); maintenance in progress alone puts it
// under maintenance.
absl::StatusOr<std::map<core::ComponentId, std::optional<core::ComponentStatus>>>
ComponentsOfOtherOpenEvents(ports::StoreTransaction& txn, core::IncidentId self) {
  ports::IncidentFilter filter;
  filter.open_only = true;
  filter.limit = kOpenIncidentEventsLimit;
  absl::StatusOr<std::vector<core::Incident>> open = txn.ListIncidents(filter);
  if (!open.ok()) return open.status();
  std::map<core::ComponentId, std::optional<core::ComponentStatus>> held;
  for (const core::Incident& other : *open) {
    if (other.id == self) continue;
    // Maintenance only holds its components while it is under way.
    if (other.status == core::IncidentStatus::kScheduled) continue;
    for (core::ComponentId id : other.component_ids) {
      if (other.kind == core::IncidentKind::kIncident) {
        held[id] = std::nullopt;
      } else if (!held.contains(id)) {
        held[id] = core::ComponentStatus::kUnderMaintenance;
      }
    }
  }
  return held;
}

// The status the update gives the incident's components, if any (see IncidentUpdateRequest).
std::optional<core::ComponentStatus> TargetComponentStatus(const core::Incident& incident,
                                                           core::IncidentStatus previous,
                                                           const IncidentUpdateRequest& request) {
  if (request.component_status) return request.component_status;
  if (core::IsClosedStatus(request.status) && !core::IsClosedStatus(previous)) {
    return core::ComponentStatus::kOperational;
  }
  if (incident.kind == core::IncidentKind::kMaintenance &&
      request.status == core::IncidentStatus::kInProgress &&
      previous == core::IncidentStatus::kScheduled) {
    return core::ComponentStatus::kUnderMaintenance;
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<core::AffectedComponent>> ApplyComponentStatus(
    ports::StoreTransaction& txn, const core::Incident& incident, core::IncidentStatus previous,
    const IncidentUpdateRequest& request, absl::Time now) {
  std::vector<core::AffectedComponent> affected;
  const std::optional<core::ComponentStatus> target =
      TargetComponentStatus(incident, previous, request);
  if (!target) return affected;
  std::map<core::ComponentId, std::optional<core::ComponentStatus>> held;
  if (!request.component_status) {
    // An automatic change gives way to what another open event still holds.
    absl::StatusOr<std::map<core::ComponentId, std::optional<core::ComponentStatus>>> others =
        ComponentsOfOtherOpenEvents(txn, incident.id);
    if (!others.ok()) return others.status();
    held = *std::move(others);
  }
  absl::StatusOr<std::vector<core::StatusComponent>> components =
      LoadComponents(txn, incident.component_ids);
  if (!components.ok()) return components.status();
  for (core::StatusComponent& component : *components) {
    core::ComponentStatus wanted = *target;
    if (const auto holder = held.find(component.id); holder != held.end()) {
      if (!holder->second) continue;
      wanted = *holder->second;
    }
    const core::ComponentStatus old_status = component.status;
    absl::StatusOr<bool> changed = SetComponentStatus(txn, component, wanted, now);
    if (!changed.ok()) return changed.status();
    if (*changed) affected.push_back({component.id, component.name, old_status, wanted});
  }
  return affected;
}

// Posts the update on every linked case the author may see; solves them too when asked.
// Cases that cannot take it (closed, no longer visible) are skipped: the incident moves on.
absl::Status UpdateLinkedCases(ports::StoreTransaction& txn, AppContext& context,
                               const core::Incident& incident, const IncidentUpdateRequest& request,
                               const core::Viewer& author, absl::Time now) {
  absl::StatusOr<std::vector<core::CaseNumber>> cases = txn.ListIncidentCases(incident.id);
  if (!cases.ok()) return cases.status();
  for (core::CaseNumber number : *cases) {
    if (!request.body.empty()) {
      core::Comment draft;
      draft.case_number = number;
      draft.author_id = author.user_id;
      draft.body = request.body;
      draft.visibility = core::Visibility::kPublic;
      draft.channel = "status";
      draft.created_at = now;
      absl::StatusOr<CommentWrite> written =
          InsertCommentOnCase(txn, context, author, std::move(draft), {});
      if (absl::IsNotFound(written.status()) || absl::IsFailedPrecondition(written.status())) {
        continue;
      }
      if (!written.ok()) return written.status();
    }
    if (request.linked_cases == LinkedCaseAction::kSolve) {
      UpdateCaseRequest solve;
      solve.status = core::CaseStatus::kSolved;
      absl::StatusOr<CaseView> solved =
          UpdateCaseInTransaction(txn, context, author, number, solve, now);
      // A case already solved or closed, or one the lifecycle does not let solve, stays.
      if (!solved.ok() && !absl::IsNotFound(solved.status()) &&
          !absl::IsFailedPrecondition(solved.status()) &&
          !absl::IsInvalidArgument(solved.status())) {
        return solved.status();
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<IncidentView> ViewOf(ports::StoreTransaction& txn, const core::Viewer& viewer,
                                    core::Incident incident) {
  IncidentView view;
  absl::StatusOr<std::vector<core::CaseNumber>> cases = txn.ListIncidentCases(incident.id);
  if (!cases.ok()) return cases.status();
  for (core::CaseNumber number : *cases) {
    if (LoadVisibleCase(txn, viewer, number).ok()) view.cases.push_back(number);
  }
  view.incident = std::move(incident);
  return view;
}

absl::StatusOr<core::Incident> LoadIncident(ports::StoreTransaction& txn, core::IncidentId id) {
  absl::StatusOr<core::Incident> incident = txn.GetIncident(id);
  if (absl::IsNotFound(incident.status())) return IncidentNotFound(id);
  return incident;
}

}  // namespace

absl::StatusOr<core::IncidentUpdate> AppendIncidentUpdate(ports::StoreTransaction& txn,
                                                          AppContext& context,
                                                          core::Incident& incident,
                                                          const IncidentUpdateRequest& request,
                                                          core::UserId author, absl::Time now,
                                                          const core::Viewer* case_author) {
  if (!core::StatusBelongsTo(incident.kind, request.status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("status: '", Name(core::IncidentStatusNames(), request.status),
                     "' is not a status of ", Name(core::IncidentKindNames(), incident.kind)));
  }
  if (absl::Status body = CheckBody(request.body); !body.ok()) return body;
  if (request.linked_cases == LinkedCaseAction::kSolve && !core::IsClosedStatus(request.status)) {
    return absl::InvalidArgumentError(
        "linked_cases: cases are solved only by an update that resolves the incident");
  }
  if (request.linked_cases != LinkedCaseAction::kNone && case_author == nullptr) {
    return absl::InvalidArgumentError("linked_cases: needs a person to write on the cases");
  }
  const core::Incident before = incident;
  const absl::Time expected_updated_at = incident.updated_at;
  if (request.component_ids) {
    absl::StatusOr<std::vector<core::StatusComponent>> components =
        LoadComponents(txn, *request.component_ids);
    if (!components.ok()) return components.status();
    incident.component_ids.clear();
    for (const core::StatusComponent& component : *components) {
      incident.component_ids.push_back(component.id);
    }
  }
  if (request.impact) incident.impact = *request.impact;
  incident.status = request.status;
  incident.updated_at = now;
  if (request.status == core::IncidentStatus::kMonitoring && !incident.monitoring_at) {
    incident.monitoring_at = now;
  }
  if (request.status == core::IncidentStatus::kInProgress &&
      before.status == core::IncidentStatus::kScheduled) {
    incident.started_at = now;
  }
  if (core::IsClosedStatus(request.status) && !incident.resolved_at) incident.resolved_at = now;
  if (!core::IsClosedStatus(request.status)) incident.resolved_at.reset();
  if (absl::Status valid = core::ValidateIncident(incident); !valid.ok()) return valid;

  absl::StatusOr<std::vector<core::AffectedComponent>> affected =
      ApplyComponentStatus(txn, incident, before.status, request, now);
  if (!affected.ok()) return affected.status();
  absl::StatusOr<bool> updated = txn.UpdateIncident(incident, expected_updated_at);
  if (!updated.ok()) return updated.status();
  if (!*updated) {
    return absl::AbortedError(absl::StrCat("incident ", incident.id, " changed meanwhile"));
  }
  core::IncidentUpdate update;
  update.incident_id = incident.id;
  update.status = request.status;
  update.body = request.body;
  update.created_at = now;
  update.display_at = now;
  update.affected_components = *std::move(affected);
  update.author_id = author;
  update.notify = request.notify;
  absl::StatusOr<int64_t> update_id = txn.InsertIncidentUpdate(update);
  if (!update_id.ok()) return update_id.status();
  update.id = *update_id;
  incident.updates.insert(incident.updates.begin(), update);

  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "status", Name(core::IncidentStatusNames(), before.status),
                     Name(core::IncidentStatusNames(), incident.status));
  core::RecordChange(changes, "impact", Name(core::IncidentImpactNames(), before.impact),
                     Name(core::IncidentImpactNames(), incident.impact));
  core::RecordChange(changes, "component_ids", absl::StrJoin(before.component_ids, ","),
                     absl::StrJoin(incident.component_ids, ","));
  for (const core::AffectedComponent& component : update.affected_components) {
    core::RecordChange(changes, absl::StrCat("component.", component.component_id),
                       Name(core::ComponentStatusNames(), component.old_status),
                       Name(core::ComponentStatusNames(), component.new_status));
  }
  core::AuditEvent event = MakeAuditEvent(EntityOf(incident), absl::StrCat(incident.id), author,
                                          now, "status.update_posted", std::move(changes));
  event.reason = request.body;
  if (absl::StatusOr<core::EventId> id = txn.AppendEvent(event); !id.ok()) return id.status();
  if (request.notify) {
    ports::StatusNotice notice;
    notice.incident_id = incident.id;
    notice.update_id = update.id;
    notice.created_at = now;
    if (absl::StatusOr<int64_t> id = txn.InsertStatusNotice(notice); !id.ok()) return id.status();
  }
  if (request.linked_cases != LinkedCaseAction::kNone) {
    if (absl::Status cases = UpdateLinkedCases(txn, context, incident, request, *case_author, now);
        !cases.ok()) {
      return cases;
    }
  }
  if (absl::Status marked = MarkStatusPageChanged(txn, context); !marked.ok()) return marked;
  return update;
}

void CreateIncident(AppContext& context, const core::Viewer& viewer, NewIncident request,
                    Done<IncidentView> done) {
  if (absl::Status staff = RequireIncidentStaff(viewer); !staff.ok()) return done(staff);
  const absl::Time now = context.clock.Now();
  auto work = [request = std::move(request), viewer, now,
               &context](ports::StoreTransaction& txn) -> absl::StatusOr<IncidentView> {
    const bool maintenance = request.kind == core::IncidentKind::kMaintenance;
    core::Incident incident;
    incident.kind = request.kind;
    incident.name = request.name;
    incident.status = request.status.value_or(maintenance ? core::IncidentStatus::kScheduled
                                                          : core::IncidentStatus::kInvestigating);
    incident.impact = maintenance ? core::IncidentImpact::kMaintenance
                                  : request.impact.value_or(core::IncidentImpact::kNone);
    if (maintenance && request.impact && *request.impact != core::IncidentImpact::kMaintenance) {
      return absl::InvalidArgumentError("impact: maintenance always has impact 'maintenance'");
    }
    incident.created_at = now;
    incident.updated_at = now;
    incident.started_at = now;
    incident.scheduled_for = request.scheduled_for;
    incident.scheduled_until = request.scheduled_until;
    incident.auto_transition = request.auto_transition;
    if (maintenance && request.scheduled_for) incident.started_at = *request.scheduled_for;
    if (absl::Status body = CheckBody(request.body); !body.ok()) return body;
    absl::StatusOr<std::vector<core::StatusComponent>> components =
        LoadComponents(txn, request.component_ids);
    if (!components.ok()) return components.status();
    for (const core::StatusComponent& component : *components) {
      incident.component_ids.push_back(component.id);
    }
    // The first update carries the opening status; the row starts one step before it so the
    // update applies the opening's component changes like any other.
    const core::IncidentStatus opening = incident.status;
    if (core::IsClosedStatus(opening)) {
      return absl::InvalidArgumentError("status: a new incident cannot start closed");
    }
    if (absl::Status valid = core::ValidateIncident(incident); !valid.ok()) return valid;
    // Maintenance is stored as scheduled first, so an opening "in_progress" puts its components
    // under maintenance like the transition at the window's start does.
    if (maintenance) incident.status = core::IncidentStatus::kScheduled;
    absl::StatusOr<core::IncidentId> id = txn.InsertIncident(incident);
    if (!id.ok()) return id.status();
    incident.id = *id;
    absl::StatusOr<core::EventId> event = txn.AppendEvent(
        MakeAuditEvent(EntityOf(incident), absl::StrCat(*id), viewer.user_id, now,
                       maintenance ? "status_maintenance.created" : "status_incident.created",
                       {{"name", "", incident.name}}));
    if (!event.ok()) return event.status();
    IncidentUpdateRequest first;
    first.status = opening;
    first.body = request.body;
    first.component_status = request.component_status;
    first.notify = request.notify;
    absl::StatusOr<core::IncidentUpdate> update =
        AppendIncidentUpdate(txn, context, incident, first, viewer.user_id, now, &viewer);
    if (!update.ok()) return update.status();
    return ViewOf(txn, viewer, std::move(incident));
  };
  WriteValue<IncidentView>(context.store, std::move(work),
                           AfterStatusChange(context, std::move(done)));
}

void PostIncidentUpdate(AppContext& context, const core::Viewer& viewer, core::IncidentId id,
                        IncidentUpdateRequest request, Done<IncidentView> done) {
  if (absl::Status staff = RequireIncidentStaff(viewer); !staff.ok()) return done(staff);
  const absl::Time now = context.clock.Now();
  auto work = [id, request = std::move(request), viewer, now,
               &context](ports::StoreTransaction& txn) -> absl::StatusOr<IncidentView> {
    absl::StatusOr<core::Incident> incident = LoadIncident(txn, id);
    if (!incident.ok()) return incident.status();
    absl::StatusOr<core::IncidentUpdate> update =
        AppendIncidentUpdate(txn, context, *incident, request, viewer.user_id, now, &viewer);
    if (!update.ok()) return update.status();
    return ViewOf(txn, viewer, *std::move(incident));
  };
  WriteValue<IncidentView>(context.store, std::move(work),
                           AfterStatusChange(context, std::move(done)));
}

absl::StatusOr<IncidentView> GetIncident(AppContext& context, const core::Viewer& viewer,
                                         core::IncidentId id) {
  if (absl::Status staff = RequireIncidentStaff(viewer); !staff.ok()) return staff;
  return ReadValue<IncidentView>(
      context.store, [id, &viewer](ports::StoreTransaction& txn) -> absl::StatusOr<IncidentView> {
        absl::StatusOr<core::Incident> incident = LoadIncident(txn, id);
        if (!incident.ok()) return incident.status();
        return ViewOf(txn, viewer, *std::move(incident));
      });
}

absl::StatusOr<std::vector<core::Incident>> ListIncidents(AppContext& context,
                                                          const core::Viewer& viewer,
                                                          const ports::IncidentFilter& filter) {
  if (absl::Status staff = RequireIncidentStaff(viewer); !staff.ok()) return staff;
  return ReadValue<std::vector<core::Incident>>(
      context.store, [&filter](ports::StoreTransaction& txn) { return txn.ListIncidents(filter); });
}

namespace {

void ChangeCaseLink(AppContext& context, const core::Viewer& viewer, core::IncidentId id,
                    core::CaseNumber number, bool link, Done<IncidentView> done) {
  if (absl::Status staff = RequireIncidentStaff(viewer); !staff.ok()) return done(staff);
  const absl::Time now = context.clock.Now();
  auto work = [id, number, link, viewer,
               now](ports::StoreTransaction& txn) -> absl::StatusOr<IncidentView> {
    absl::StatusOr<core::Incident> incident = LoadIncident(txn, id);
    if (!incident.ok()) return incident.status();
    absl::StatusOr<core::Case> record = LoadVisibleCase(txn, viewer, number);
    if (!record.ok()) return record.status();
    absl::StatusOr<std::vector<core::IncidentId>> linked = txn.ListCaseIncidents(number);
    if (!linked.ok()) return linked.status();
    const bool was_linked = std::find(linked->begin(), linked->end(), id) != linked->end();
    if (was_linked != link) {
      absl::Status changed =
          link ? txn.LinkCaseToIncident(id, number, now) : txn.UnlinkCaseFromIncident(id, number);
      if (!changed.ok()) return changed;
      core::AuditEvent event = CaseEvent(number, viewer.user_id, now,
                                         link ? kCaseIncidentLinked : kCaseIncidentUnlinked);
      event.changes.push_back(
          {"incident", link ? "" : absl::StrCat(id), link ? absl::StrCat(id) : ""});
      if (absl::StatusOr<core::EventId> event_id = txn.AppendEvent(event); !event_id.ok()) {
        return event_id.status();
      }
    }
    return ViewOf(txn, viewer, *std::move(incident));
  };
  WriteValue<IncidentView>(context.store, std::move(work),
                           AfterStatusChange(context, std::move(done)));
}

}  // namespace

void LinkCaseToIncident(AppContext& context, const core::Viewer& viewer, core::IncidentId id,
                        core::CaseNumber number, Done<IncidentView> done) {
  ChangeCaseLink(context, viewer, id, number, true, std::move(done));
}

void UnlinkCaseFromIncident(AppContext& context, const core::Viewer& viewer, core::IncidentId id,
                            core::CaseNumber number, Done<IncidentView> done) {
  ChangeCaseLink(context, viewer, id, number, false, std::move(done));
}

absl::Status LinkOpenedCaseToIncidents(ports::StoreTransaction& txn, const core::Case& record,
                                       absl::Time now) {
  if (record.component.empty()) return absl::OkStatus();
  ports::IncidentFilter filter;
  filter.kind = core::IncidentKind::kIncident;
  filter.open_only = true;
  filter.limit = kOpenIncidentEventsLimit;
  absl::StatusOr<std::vector<core::Incident>> open = txn.ListIncidents(filter);
  if (!open.ok() || open->empty()) return open.status();
  absl::StatusOr<std::vector<core::StatusComponent>> components = txn.ListStatusComponents();
  if (!components.ok()) return components.status();
  const std::string wanted = core::AsciiLower(record.component);
  std::set<core::ComponentId> matching;
  for (const core::StatusComponent& component : *components) {
    if (!component.is_group && core::AsciiLower(component.name) == wanted) {
      matching.insert(component.id);
    }
  }
  for (const core::Incident& incident : *open) {
    const bool affects = std::any_of(incident.component_ids.begin(), incident.component_ids.end(),
                                     [&](core::ComponentId id) { return matching.contains(id); });
    if (!affects) continue;
    if (absl::Status linked = txn.LinkCaseToIncident(incident.id, record.number, now);
        !linked.ok()) {
      return linked;
    }
    core::AuditEvent event =
        CaseEvent(record.number, record.requester_id, now, kCaseIncidentLinked);
    event.changes.push_back({"incident", "", absl::StrCat(incident.id)});
    if (absl::StatusOr<core::EventId> id = txn.AppendEvent(event); !id.ok()) return id.status();
  }
  return absl::OkStatus();
}

}  // namespace casedesk::app
