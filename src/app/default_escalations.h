// The escalation policies a fresh desk starts with, modelled on the customer's support process
// (seed 001): executives hear of every critical case, SLA warnings reach the shift leads and
// breaches the support managers (raising the case a tier), a security incident goes to the
// security experts and the managers above them, and a customer asking for escalation reaches
// the management team. `casedesk init` stores them; admins change or delete them like any
// other policy. Thread-safe: a pure function.
#pragma once

#include <vector>

#include "core/escalation_policy.h"

namespace casedesk::app {

std::vector<core::EscalationPolicy> DefaultEscalationPolicies();

}  // namespace casedesk::app
