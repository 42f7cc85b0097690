// Use case: change a case (PATCH semantics: only what the request names). Status moves follow
// the lifecycle and the caller's role; severity changes need a reason, provider staff change
// or confirm, a customer may re-propose while the severity is unconfirmed; assignee and group
// are triage work. One "case.updated" audit event per call records every change and the
// reason; closing a case erases its secret fields (plus a "case.secrets_erased" event). Any
// error leaves the case untouched. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app_context.h"
#include "app/authenticate.h"
#include "app/case_support.h"
#include "core/case.h"
#include "core/severity.h"

namespace casedesk::app {

struct UpdateCaseRequest {
  std::optional<core::CaseStatus> status;
  std::optional<int> severity;             // 1..4
  std::optional<bool> severity_confirmed;  // only `true`, only provider staff
  std::string severity_reason;             // the written explanation
  // Default: triage for provider staff, customer_request for everyone else.
  std::optional<core::SeverityChangeReason> severity_reason_code;
  // Outer optional: present in the request; inner: the value, or nullopt to clear.
  std::optional<std::optional<core::UserId>> assignee_id;
  std::optional<std::optional<core::GroupId>> group_id;
  std::optional<std::string> subject;
  std::optional<std::string> description;
  std::optional<core::Category> category;
  std::optional<std::string> product;
  std::optional<std::string> component;
  std::optional<std::string> partner_reference;
  std::optional<std::vector<core::UserId>> followers;
  // Merged into the case's fields; a nullopt value removes the key.
  std::map<std::string, std::optional<std::string>> fields;
  std::map<std::string, std::optional<std::string>> secret_fields;
  // Provider staff flag a case as a security incident (or, if they may see such cases, clear
  // the flag): see core::SeesSecurityIncidents.
  std::optional<bool> security_incident;
};

// Pure: applies the request to `record` as `viewer`, appending each change to `changes`.
// `secrets` holds the case's unsealed secret fields and receives the merge; it may be null only
// when the request names no secret fields. References (assignee, group, followers) are checked
// against the store by UpdateCase, not here.
absl::Status ApplyCaseUpdate(const core::Viewer& viewer, const UpdateCaseRequest& request,
                             absl::Time now, core::Case& record, SecretFields* secrets,
                             std::vector<core::FieldChange>& changes);

// The write half of UpdateCase, for units of work that change a case on someone's behalf (an
// incident resolved with its linked cases): the same checks, changes, events, clocks and mail.
absl::StatusOr<CaseView> UpdateCaseInTransaction(ports::StoreTransaction& txn, AppContext& context,
                                                 const core::Viewer& viewer,
                                                 core::CaseNumber number,
                                                 const UpdateCaseRequest& request, absl::Time now);

void UpdateCase(AppContext& context, const Caller& caller, core::CaseNumber number,
                UpdateCaseRequest request, Done<CaseView> done);

}  // namespace casedesk::app
