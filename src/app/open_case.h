// Use case: open a new support case. The requester's severity is a proposal until triage
// confirms it; the case lands in the triage queue when there is one; secret fields are sealed
// before they reach the store. Writes the case and its "case.created" event in one unit of work.
// Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/app_context.h"
#include "app/authenticate.h"
#include "app/case_support.h"
#include "core/case.h"

namespace casedesk::app {

struct OpenCaseRequest {
  std::string subject;
  std::string description;
  int severity = 0;  // 1..4, the requester's proposal
  // Required for provider staff; others default to their own organisation (partner agents may
  // name one of their customers).
  std::optional<core::OrgId> org_id;
  // Provider staff may open on behalf of a person of the organisation; default the caller.
  std::optional<core::UserId> requester_id;
  core::Category category = core::Category::kIncident;
  std::string product;
  std::string component;
  std::string partner_reference;
  std::vector<core::UserId> followers;
  std::map<std::string, std::string> fields;
  SecretFields secret_fields;
  // Admins importing from another help desk: when the case was really opened (not in the
  // future). Its SLA clocks run from then; deadlines already passed are breached at their
  // own instants.
  std::optional<absl::Time> created_at;
};

// The write half of opening a case, for units of work that open one (OpenCase, mail ingest):
// numbers and inserts `draft` (organisation, requester, followers and triage group already
// resolved and checked), records its "case.created" event with `extra_changes`, refreshes its
// SLA clocks, arms the critical-case escalations and queues the opening mail to the requester
// and followers (threaded to `in_reply_to`, the Message-ID of the mail that opened it, if any).
struct OpenedCaseWrite {
  core::UserId actor = 0;
  SecretFields secrets;  // which ones were given is recorded, never their values
  bool opened_by_staff = false;
  std::vector<core::FieldChange> extra_changes;
  std::string in_reply_to;
};
absl::StatusOr<core::Case> InsertOpenedCase(ports::StoreTransaction& txn, AppContext& context,
                                            core::Case draft, const OpenedCaseWrite& write,
                                            absl::Time now);

// The shared triage queue's group, if the desk has one.
absl::StatusOr<std::optional<core::GroupId>> FindTriageGroup(ports::StoreTransaction& txn);

// `done` receives the new case (as the caller sees it) once it is durable, or the error:
// InvalidArgument for bad content or references the caller may not use.
void OpenCase(AppContext& context, const Caller& caller, OpenCaseRequest request,
              Done<CaseView> done);

}  // namespace casedesk::app
