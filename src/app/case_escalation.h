// Use cases: asking for a case to be escalated, and reading the notifications the SLA and
// escalation engine raised about a case (its outbox entries).
//
// RequestEscalation: anyone who can see the case may ask. A customer or partner agent asking is
// the "customer_request" trigger (the management escalation path for customers); provider staff
// asking is "manual". One unit of work records the "case.escalation_requested" event with the
// reason and arms the levels of the matching escalation policies (EscalateOnRequest).
// ListCaseNotifications: provider staff only.
// Thread-safe: free functions over the thread-safe context.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/escalation_policy.h"
#include "core/ids.h"
#include "ports/sla_records.h"

namespace casedesk::app {

// Reasons (for escalation requests and severity flags) are 1..2000 characters.
inline constexpr size_t kMaxReasonCharacters = 2000;

// InvalidArgument naming `field` unless `text` holds 1..kMaxReasonCharacters characters (UTF-8
// code points) and is not only whitespace.
absl::Status ValidateReasonText(std::string_view field, std::string_view text);

// The trigger a request by this caller stands for: manual for provider staff, customer_request
// for everyone else.
core::EscalationTrigger EscalationTriggerFor(const core::Viewer& viewer);

struct EscalationOutcome {
  core::EscalationTrigger trigger = core::EscalationTrigger::kManual;
  int levels_armed = 0;  // levels of matching policies now waiting to fire
};

// NotFound when the caller cannot see the case, InvalidArgument for a bad reason,
// FailedPrecondition when the case is closed.
void RequestEscalation(AppContext& context, const Caller& caller, core::CaseNumber number,
                       std::string reason, Done<EscalationOutcome> done);

// The case's notifications, oldest first. NotFound when the caller cannot see the case,
// PermissionDenied when they can but are not provider staff.
absl::StatusOr<std::vector<ports::Notification>> ListCaseNotifications(AppContext& context,
                                                                       const Caller& caller,
                                                                       core::CaseNumber number);

}  // namespace casedesk::app
