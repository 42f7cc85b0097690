// Plain-words labels for the names escalation policies use (triggers, SLA clocks, actions,
// tiers, targets), shared by the escalation pages. Unknown names come back as given.
// Thread-safe: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>

#include "core/escalation_policy.h"

namespace casedesk::adapters::web {

// "An SLA clock breaches" for "sla_breach".
std::string_view EscalationTriggerLabel(std::string_view trigger);
// "First response" for "first_response".
std::string_view EscalationClockLabel(std::string_view clock);
// "Notify them" for "notify".
std::string_view EscalationActionLabel(std::string_view action);
// "Shift leads" for "shift_lead".
std::string_view EscalationTierLabel(std::string_view tier);
// "Shift leads", "on-call primary", "experts in security", "group 3", "user 12",
// "hand over to urgent".
std::string EscalationTargetLabel(const core::EscalationTarget& target);

}  // namespace casedesk::adapters::web
