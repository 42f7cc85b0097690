// Escalation: turning causes (a critical case opened or confirmed, an SLA warning or breach, a
// customer's request, a security incident flag, an agent's manual escalation) into the levels
// of the escalation policies that match, each armed as a durable timer
// "escalation:<policy>:<level>:<trigger>:<clock>:<cycle>:<instance>" due after the level's delay,
// and executing a level when its timer fires: notify (outbox), reassign, raise the case to the
// next tier, or hand over to another policy. A level whose cause no longer holds when it fires
// (the clock was met, the case solved, the severity lowered) does nothing.
// All functions run inside the caller's unit of work. Thread-safe: stateless.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "app/outbox.h"
#include "app/sla_engine.h"
#include "core/case.h"
#include "core/escalation_policy.h"
#include "core/sla_clocks.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kEscalationTimerPrefix = "escalation:";
inline constexpr std::string_view kEscalationRequested = "case.escalation_requested";

// A critical case was opened. Its levels are armed at once, unless the plan's SLA policy says a
// customer-chosen severity 1 must be confirmed in triage first (then EscalateOnCaseUpdated arms
// them when staff confirm it).
absl::Status EscalateOnCaseOpened(ports::StoreTransaction& txn, SlaEngine& sla,
                                  const core::Case& record, bool opened_by_staff, absl::Time now);

// A case changed: becoming (or being confirmed as) severity 1 counts as a critical case for
// paging, at most once per case; a security incident flag arms the security_incident levels.
absl::Status EscalateOnCaseUpdated(ports::StoreTransaction& txn, SlaEngine& sla,
                                   const core::Case& before, const core::Case& after,
                                   core::UserId actor, absl::Time now);

// An SLA warning or breach (at `due`) fired for the case.
absl::Status EscalateOnSlaDeadline(ports::StoreTransaction& txn, SlaEngine& sla,
                                   const core::Case& record, const core::SlaDeadline& deadline,
                                   absl::Time due, absl::Time now);

// The customer asks for escalation (kCustomerRequest) or an agent escalates by hand (kManual);
// records a "case.escalation_requested" event with the reason and arms the matching levels.
// Returns how many levels were armed.
absl::StatusOr<int> EscalateOnRequest(ports::StoreTransaction& txn, SlaEngine& sla,
                                      const core::Case& record, core::EscalationTrigger trigger,
                                      core::UserId actor, std::string_view reason, absl::Time now);

// Executes the level an "escalation:..." timer names, if its cause still holds; its notices are
// queued with `mail` (the configured sender and the clock of the firing).
absl::Status FireEscalationTimer(ports::StoreTransaction& txn, SlaEngine& sla,
                                 const MailQueueEnvironment& mail, const core::Case& record,
                                 std::string_view key, absl::Time now);

}  // namespace casedesk::app
