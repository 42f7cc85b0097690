#include "app/update_case.h"

#include <utility>

#include "app/case_notifications.h"
#include "app/escalations.h"
#include "app/outbox.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

using core::NameOf;

std::string CaseStatusText(core::CaseStatus status) {
  return std::string(NameOf<core::CaseStatus>(core::kCaseStatusNames, status));
}

std::string OptionalIdText(const std::optional<int64_t>& id) {
  return id ? std::to_string(*id) : "";
}

void SetText(std::vector<core::FieldChange>& changes, std::string name,
             const std::optional<std::string>& value, std::string& target) {
  if (!value || *value == target) return;
  core::RecordChange(changes, std::move(name), target, *value);
  target = *value;
}

absl::Status ApplySeverity(const core::Viewer& viewer, const UpdateCaseRequest& request,
                           core::Case& record, std::vector<core::FieldChange>& changes) {
  const bool staff = core::IsProviderStaff(viewer.role);
  if (request.severity_confirmed) {
    if (!staff) return absl::PermissionDeniedError("only provider staff may confirm a severity");
    if (!*request.severity_confirmed) {
      return absl::InvalidArgumentError("field 'severity_confirmed' can only be set to true");
    }
  }
  if (request.severity) {
    core::Severity to;
    if (!core::SeverityFromLevel(*request.severity, &to)) {
      return absl::InvalidArgumentError("field 'severity' must be an integer from 1 to 4");
    }
    const core::SeverityChangeReason code = request.severity_reason_code.value_or(
        staff ? core::SeverityChangeReason::kTriage : core::SeverityChangeReason::kCustomerRequest);
    if (to != record.severity) {
      if (!staff) {
        if (record.severity_confirmed) {
          return absl::FailedPreconditionError(
              "support has confirmed this case's severity; ask for a change in a reply");
        }
        if (code == core::SeverityChangeReason::kTriage ||
            code == core::SeverityChangeReason::kWorkaroundProvided) {
          return absl::PermissionDeniedError(
              "only provider staff may change a severity for triage or a workaround");
        }
      }
      if (absl::Status valid =
              core::ValidateSeverityChange(record.severity, to, code, request.severity_reason);
          !valid.ok()) {
        return valid;
      }
      core::RecordChange(changes, "severity", std::to_string(core::SeverityLevel(record.severity)),
                         std::to_string(core::SeverityLevel(to)));
      core::RecordChange(
          changes, "severity_reason_code", "",
          std::string(NameOf<core::SeverityChangeReason>(core::kSeverityChangeReasonNames, code)));
      record.severity = to;
      if (!staff) {
        core::RecordChange(changes, "proposed_severity",
                           std::to_string(core::SeverityLevel(record.proposed_severity)),
                           std::to_string(core::SeverityLevel(to)));
        record.proposed_severity = to;
      }
    }
  }
  // Staff touching the severity (changing it, restating it, or confirming) confirms it.
  if (staff && (request.severity || request.severity_confirmed) && !record.severity_confirmed) {
    core::RecordChange(changes, "severity_confirmed", "false", "true");
    record.severity_confirmed = true;
  }
  return absl::OkStatus();
}

absl::Status ApplyStatus(const core::Viewer& viewer, const UpdateCaseRequest& request,
                         absl::Time now, core::Case& record,
                         std::vector<core::FieldChange>& changes) {
  if (!request.status || *request.status == record.status) return absl::OkStatus();
  const core::CaseStatus from = record.status;
  const core::CaseStatus to = *request.status;
  if (absl::Status allowed = core::CheckStatusChangeAllowed(viewer, to); !allowed.ok()) {
    return allowed;
  }
  if (absl::Status valid = core::CheckTransition(from, to); !valid.ok()) return valid;
  core::RecordChange(changes, "status", CaseStatusText(from), CaseStatusText(to));
  record.status = to;
  if (to == core::CaseStatus::kSolved) record.solved_at = now;
  if (from == core::CaseStatus::kSolved && to != core::CaseStatus::kClosed) {
    record.solved_at.reset();  // re-opened: no longer solved
  }
  if (to == core::CaseStatus::kClosed) record.closed_at = now;
  return absl::OkStatus();
}

absl::Status ApplySecrets(const UpdateCaseRequest& request, SecretFields* secrets,
                          std::vector<core::FieldChange>& changes) {
  if (request.secret_fields.empty()) return absl::OkStatus();
  if (secrets == nullptr) return absl::InternalError("secret fields were not unsealed");
  for (const auto& [name, value] : request.secret_fields) {
    const auto existing = secrets->find(name);
    const bool had = existing != secrets->end();
    if (!value) {
      if (!had) continue;
      secrets->erase(existing);
      changes.push_back({"secret_fields." + name, "(hidden)", ""});
    } else if (!had || existing->second != *value) {
      (*secrets)[name] = *value;
      // Only the name is recorded; the value never reaches the audit trail.
      changes.push_back({"secret_fields." + name, had ? "(hidden)" : "", "(hidden)"});
    }
  }
  return ValidateSecretFields(*secrets);
}

}  // namespace

absl::Status ApplyCaseUpdate(const core::Viewer& viewer, const UpdateCaseRequest& request,
                             absl::Time now, core::Case& record, SecretFields* secrets,
                             std::vector<core::FieldChange>& changes) {
  if (record.status == core::CaseStatus::kClosed) {
    return absl::FailedPreconditionError("a closed case is final; open a new case instead");
  }
  SetText(changes, "subject", request.subject, record.subject);
  SetText(changes, "description", request.description, record.description);
  SetText(changes, "product", request.product, record.product);
  SetText(changes, "component", request.component, record.component);
  SetText(changes, "partner_reference", request.partner_reference, record.partner_reference);
  if (request.category && *request.category != record.category) {
    core::RecordChange(
        changes, "category",
        std::string(NameOf<core::Category>(core::kCategoryNames, record.category)),
        std::string(NameOf<core::Category>(core::kCategoryNames, *request.category)));
    record.category = *request.category;
  }
  if (request.followers && *request.followers != record.followers) {
    core::RecordChange(changes, "followers", IdListText(record.followers),
                       IdListText(*request.followers));
    record.followers = *request.followers;
  }
  for (const auto& [name, value] : request.fields) {
    const auto existing = record.fields.find(name);
    if (!value) {
      if (existing == record.fields.end()) continue;
      core::RecordChange(changes, "fields." + name, existing->second, "");
      record.fields.erase(existing);
    } else {
      const std::string before = existing == record.fields.end() ? "" : existing->second;
      core::RecordChange(changes, "fields." + name, before, *value);
      record.fields[name] = *value;
    }
  }
  if (request.assignee_id || request.group_id) {
    if (!core::CanTriage(viewer)) {
      return absl::PermissionDeniedError("only provider staff may assign a case");
    }
    if (request.assignee_id && *request.assignee_id != record.assignee_id) {
      core::RecordChange(changes, "assignee_id", OptionalIdText(record.assignee_id),
                         OptionalIdText(*request.assignee_id));
      record.assignee_id = *request.assignee_id;
    }
    if (request.group_id && *request.group_id != record.group_id) {
      core::RecordChange(changes, "group_id", OptionalIdText(record.group_id),
                         OptionalIdText(*request.group_id));
      record.group_id = *request.group_id;
    }
  }
  if (request.security_incident && *request.security_incident != record.security_incident) {
    if (!core::CanTriage(viewer)) {
      return absl::PermissionDeniedError("only provider staff may flag a security incident");
    }
    if (!*request.security_incident && !viewer.sees_security_incidents) {
      return absl::PermissionDeniedError(
          "only security experts and managers may clear the security incident flag");
    }
    core::RecordChange(changes, "security_incident", BoolText(record.security_incident),
                       BoolText(*request.security_incident));
    record.security_incident = *request.security_incident;
  }
  if (absl::Status severity = ApplySeverity(viewer, request, record, changes); !severity.ok()) {
    return severity;
  }
  if (absl::Status secret = ApplySecrets(request, secrets, changes); !secret.ok()) return secret;
  if (absl::Status status = ApplyStatus(viewer, request, now, record, changes); !status.ok()) {
    return status;
  }
  return core::ValidateCaseContent(record);
}

namespace {

// References a PATCH may name: an assignee must be active provider staff, a group must exist.
absl::Status CheckReferences(ports::StoreTransaction& txn, const UpdateCaseRequest& request,
                             const core::Case& record) {
  if (request.assignee_id && request.assignee_id->has_value()) {
    const core::UserId id = **request.assignee_id;
    absl::StatusOr<core::User> assignee = txn.GetUser(id);
    if (!assignee.ok() && !absl::IsNotFound(assignee.status())) return assignee.status();
    if (!assignee.ok() || !core::IsProviderStaff(assignee->role) || !assignee->active) {
      return absl::InvalidArgumentError("assignee_id " + std::to_string(id) +
                                        " is not an active provider agent");
    }
  }
  if (request.group_id && request.group_id->has_value()) {
    const core::GroupId id = **request.group_id;
    absl::StatusOr<core::Group> group = txn.GetGroup(id);
    if (!group.ok() && !absl::IsNotFound(group.status())) return group.status();
    if (!group.ok()) {
      return absl::InvalidArgumentError("group_id " + std::to_string(id) + " is not a group");
    }
  }
  if (request.followers && *request.followers != record.followers) {
    return CheckFollowers(txn, record.org_id, *request.followers);
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// The requester and followers hear of a new status or severity by mail.
absl::Status NotifyStatusAndSeverity(AppContext& context, ports::StoreTransaction& txn,
                                     const core::Case& before, const core::Case& after,
                                     core::UserId actor) {
  if (after.status != before.status) {
    CaseChange change{.kind = CaseChangeKind::kStatusChanged, .record = after, .actor = actor};
    change.previous_status = before.status;
    if (absl::Status notified = NotifyCaseChange(context, txn, change); !notified.ok()) {
      return notified;
    }
  }
  if (after.severity != before.severity) {
    CaseChange change{.kind = CaseChangeKind::kSeverityChanged, .record = after, .actor = actor};
    change.previous_severity = before.severity;
    return NotifyCaseChange(context, txn, change);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CaseView> UpdateCaseInTransaction(ports::StoreTransaction& txn, AppContext& context,
                                                 const core::Viewer& viewer,
                                                 core::CaseNumber number,
                                                 const UpdateCaseRequest& request, absl::Time now) {
  const ports::Crypto* crypto = &context.crypto;
  const std::shared_ptr<SlaEngine>& sla = context.sla;
  absl::StatusOr<core::Case> loaded = LoadVisibleCase(txn, viewer, number);
  if (!loaded.ok()) return loaded.status();
  core::Case record = *std::move(loaded);
  const core::Case before = record;
  const bool staff = core::CanSeeInternal(viewer);
  const bool needs_secrets =
      staff || !request.secret_fields.empty() || request.status == core::CaseStatus::kClosed;
  SecretFields secrets;
  if (needs_secrets) {
    absl::StatusOr<SecretFields> unsealed = UnsealSecretFields(*crypto, record.sealed_secrets);
    if (!unsealed.ok()) return unsealed.status();
    secrets = *std::move(unsealed);
  }
  if (record.status != core::CaseStatus::kClosed) {
    if (absl::Status references = CheckReferences(txn, request, record); !references.ok()) {
      return references;
    }
  }
  std::vector<core::FieldChange> changes;
  if (absl::Status applied = ApplyCaseUpdate(viewer, request, now, record, &secrets, changes);
      !applied.ok()) {
    return applied;
  }
  if (!changes.empty()) {
    const bool secrets_changed = !request.secret_fields.empty();
    std::vector<core::FieldChange> erased;
    if (record.status == core::CaseStatus::kClosed && !secrets.empty()) {
      for (const auto& [name, value] : secrets) {
        erased.push_back({"secret_fields." + name, "(hidden)", ""});
      }
      secrets.clear();
      record.sealed_secrets.clear();
    } else if (secrets_changed) {
      record.sealed_secrets = SealSecretFields(*crypto, secrets);
    }
    record.updated_at = now;
    if (absl::Status updated = txn.UpdateCase(record); !updated.ok()) return updated;
    core::AuditEvent event = CaseEvent(number, viewer.user_id, now, kCaseUpdated);
    event.changes = std::move(changes);
    event.reason = request.severity_reason;
    if (absl::Status recorded = txn.RecordEvent(event); !recorded.ok()) return recorded;
    if (absl::Status refreshed = sla->Refresh(txn, record, now); !refreshed.ok()) {
      return refreshed;
    }
    if (absl::Status raised = EscalateOnCaseUpdated(txn, *sla, before, record, viewer.user_id, now);
        !raised.ok()) {
      return raised;
    }
    if (absl::Status notified =
            NotifyStatusAndSeverity(context, txn, before, record, viewer.user_id);
        !notified.ok()) {
      return notified;
    }
    if (!erased.empty()) {
      core::AuditEvent erasure = CaseEvent(number, viewer.user_id, now, kCaseSecretsErased);
      erasure.changes = std::move(erased);
      erasure.reason = "case closed";
      if (absl::Status recorded = txn.RecordEvent(erasure); !recorded.ok()) return recorded;
    }
  }
  CaseView view;
  if (staff) view.secret_fields = std::move(secrets);
  view.record = std::move(record);
  return view;
}

void UpdateCase(AppContext& context, const Caller& caller, core::CaseNumber number,
                UpdateCaseRequest request, Done<CaseView> done) {
  const absl::Time now = context.clock.Now();
  auto work = [viewer = caller.viewer, number, request = std::move(request), now,
               &context](ports::StoreTransaction& txn) -> absl::StatusOr<CaseView> {
    return UpdateCaseInTransaction(txn, context, viewer, number, request, now);
  };
  WriteValue<CaseView>(context.store, std::move(work), WakingOutbox(context, std::move(done)));
}

}  // namespace casedesk::app
