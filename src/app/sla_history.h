// Turns a case's audit trail into the facts its SLA clocks depend on: the severity and status it
// started with, severity and status changes, public replies by each side and triage. Pure: works
// on values the caller has loaded. Thread-safe.
#pragma once

#include <vector>

#include "core/audit_event.h"
#include "core/case.h"
#include "core/sla_clocks.h"

namespace casedesk::app {

// `events` are the case's audit events oldest first. The clocks start at the case's created_at
// (an imported case's past creation instant); the starting severity and status are those
// recorded by its "case.created" event.
core::SlaFacts SlaFactsFromHistory(const core::Case& record,
                                   const std::vector<core::AuditEvent>& events);

}  // namespace casedesk::app
