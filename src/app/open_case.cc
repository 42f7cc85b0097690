#include "app/open_case.h"

#include <utility>

#include "app/case_notifications.h"
#include "app/escalations.h"
#include "app/outbox.h"
#include "app/sla_engine.h"
#include "app/status_incidents.h"

namespace casedesk::app {
namespace {

absl::Status BadOrganisation(core::OrgId id) {
  return absl::InvalidArgumentError("org_id " + std::to_string(id) +
                                    " is not an organisation you may open cases for");
}

// Resolves organisation and requester, both checked against what the caller may do.
absl::Status ResolveParties(ports::StoreTransaction& txn, const Caller& caller,
                            const OpenCaseRequest& request, core::Case& record) {
  const core::Viewer& viewer = caller.viewer;
  const bool staff = core::IsProviderStaff(viewer.role);
  if (staff && !request.org_id) {
    return absl::InvalidArgumentError("field 'org_id' is required for provider staff");
  }
  const core::OrgId org_id = request.org_id.value_or(viewer.org_id);
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
  if (!org.ok()) {
    if (absl::IsNotFound(org.status())) return BadOrganisation(org_id);
    return org.status();
  }
  if (!core::CanOpenCaseFor(viewer, *org)) return BadOrganisation(org_id);
  record.org_id = org->id;

  record.requester_id = viewer.user_id;
  if (request.requester_id && *request.requester_id != viewer.user_id) {
    if (!staff) {
      return absl::PermissionDeniedError("only provider staff may open a case for someone else");
    }
    absl::StatusOr<core::User> requester = txn.GetUser(*request.requester_id);
    if (!requester.ok() && !absl::IsNotFound(requester.status())) return requester.status();
    if (!requester.ok() || requester->org_id != org->id || !requester->active) {
      return absl::InvalidArgumentError("requester_id " + std::to_string(*request.requester_id) +
                                        " is not a person of organisation " +
                                        std::to_string(org->id));
    }
    record.requester_id = requester->id;
  }
  return absl::OkStatus();
}

core::AuditEvent CreatedEvent(const core::Case& record, const OpenedCaseWrite& write) {
  const core::UserId actor = write.actor;
  const SecretFields& secrets = write.secrets;
  core::AuditEvent event = CaseEvent(record.number, actor, record.created_at, kCaseCreated);
  using core::NameOf;
  core::RecordChange(event.changes, "subject", "", record.subject);
  core::RecordChange(event.changes, "status", "",
                     std::string(NameOf<core::CaseStatus>(core::kCaseStatusNames, record.status)));
  core::RecordChange(event.changes, "severity", "",
                     std::to_string(core::SeverityLevel(record.severity)));
  core::RecordChange(event.changes, "org_id", "", std::to_string(record.org_id));
  core::RecordChange(event.changes, "requester_id", "", std::to_string(record.requester_id));
  if (record.group_id) {
    core::RecordChange(event.changes, "group_id", "", std::to_string(*record.group_id));
  }
  // Which secrets were supplied, never their values.
  for (const auto& [name, value] : secrets) {
    event.changes.push_back({"secret_fields." + name, "", "(hidden)"});
  }
  event.changes.insert(event.changes.end(), write.extra_changes.begin(), write.extra_changes.end());
  return event;
}

}  // namespace

absl::StatusOr<std::optional<core::GroupId>> FindTriageGroup(ports::StoreTransaction& txn) {
  ports::PageRequest page;
  page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::Group>> groups = txn.ListGroups(page);
    if (!groups.ok()) return groups.status();
    for (const core::Group& group : groups->items) {
      if (group.triage) return group.id;
    }
    if (groups->next_cursor.empty()) return std::nullopt;
    page.cursor = groups->next_cursor;
  }
}

absl::StatusOr<core::Case> InsertOpenedCase(ports::StoreTransaction& txn, AppContext& context,
                                            core::Case draft, const OpenedCaseWrite& write,
                                            absl::Time now) {
  core::Case record = std::move(draft);
  absl::StatusOr<core::CaseNumber> number = txn.NextCaseNumber();
  if (!number.ok()) return number.status();
  record.number = *number;
  // The new case's whole history is its "created" event, so its clocks are known before it is
  // stored, and its row is written once, with its queue deadline.
  const std::vector<core::AuditEvent> history = {CreatedEvent(record, write)};
  absl::StatusOr<std::optional<CaseSla>> sla =
      context.sla->Compute(txn, record, now, /*explain=*/false, &history);
  if (!sla.ok()) return sla.status();
  if (absl::Status inserted = txn.InsertCaseWithDeadline(record, SlaEngine::QueueDeadline(*sla));
      !inserted.ok()) {
    return inserted;
  }
  if (absl::Status recorded = txn.RecordEvent(history.front()); !recorded.ok()) return recorded;
  if (absl::Status stored = context.sla->StoreOpened(txn, record, *sla); !stored.ok()) {
    return stored;
  }
  if (absl::Status raised =
          EscalateOnCaseOpened(txn, *context.sla, record, write.opened_by_staff, now);
      !raised.ok()) {
    return raised;
  }
  // A case about a component that an open incident affects is linked to that incident.
  if (absl::Status linked = LinkOpenedCaseToIncidents(txn, record, now); !linked.ok()) {
    return linked;
  }
  CaseChange change{.kind = CaseChangeKind::kOpened, .record = record, .actor = write.actor};
  change.in_reply_to = write.in_reply_to;
  if (absl::Status notified = NotifyCaseChange(context, txn, change); !notified.ok()) {
    return notified;
  }
  return record;
}

void OpenCase(AppContext& context, const Caller& caller, OpenCaseRequest request,
              Done<CaseView> done) {
  core::Case draft;
  if (!core::SeverityFromLevel(request.severity, &draft.proposed_severity)) {
    done(absl::InvalidArgumentError("field 'severity' must be an integer from 1 to 4"));
    return;
  }
  draft.severity = draft.proposed_severity;
  draft.severity_confirmed = false;
  draft.status = core::CaseStatus::kNew;
  draft.subject = std::move(request.subject);
  draft.description = std::move(request.description);
  draft.category = request.category;
  draft.product = std::move(request.product);
  draft.component = std::move(request.component);
  draft.partner_reference = std::move(request.partner_reference);
  draft.followers = request.followers;
  draft.fields = std::move(request.fields);
  if (absl::Status valid = core::ValidateCaseContent(draft); !valid.ok()) {
    done(valid);
    return;
  }
  if (absl::Status valid = ValidateSecretFields(request.secret_fields); !valid.ok()) {
    done(valid);
    return;
  }
  // Sealing happens here, on the caller's thread, to keep the store's writer short.
  draft.sealed_secrets = SealSecretFields(context.crypto, request.secret_fields);
  const absl::Time now = context.clock.Now();
  draft.created_at = now;
  draft.updated_at = now;
  if (request.created_at) {
    // Importing from another help desk: the clocks run from the case's real creation.
    if (!core::IsAdmin(caller.viewer)) {
      done(absl::PermissionDeniedError("only an admin may set 'created_at' (importing cases)"));
      return;
    }
    if (*request.created_at > now) {
      done(absl::InvalidArgumentError("field 'created_at' must not be in the future"));
      return;
    }
    draft.created_at = *request.created_at;
  }

  // References are resolved in a read on the caller's thread, so the store's single writer only
  // numbers and inserts. People and organisations are never deleted, so what was checked here
  // still holds when the write runs.
  absl::Status resolved = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    if (absl::Status parties = ResolveParties(txn, caller, request, draft); !parties.ok()) {
      return parties;
    }
    if (absl::Status followers = CheckFollowers(txn, draft.org_id, draft.followers);
        !followers.ok()) {
      return followers;
    }
    absl::StatusOr<std::optional<core::GroupId>> triage = FindTriageGroup(txn);
    if (!triage.ok()) return triage.status();
    draft.group_id = *triage;
    return absl::OkStatus();
  });
  if (!resolved.ok()) {
    done(resolved);
    return;
  }

  const bool staff = core::CanSeeInternal(caller.viewer);
  OpenedCaseWrite write;
  write.actor = caller.viewer.user_id;
  write.secrets = std::move(request.secret_fields);
  write.opened_by_staff = staff;
  auto work = [draft = std::move(draft), write = std::move(write), staff, now,
               &context](ports::StoreTransaction& txn) -> absl::StatusOr<CaseView> {
    absl::StatusOr<core::Case> record = InsertOpenedCase(txn, context, draft, write, now);
    if (!record.ok()) return record.status();
    CaseView view;
    if (staff) view.secret_fields = write.secrets;
    view.record = *std::move(record);
    return view;
  };
  WriteValue<CaseView>(context.store, std::move(work), WakingOutbox(context, std::move(done)),
                       ports::WriteHints{.case_numbers = 1});
}

}  // namespace casedesk::app
