// JSON for a case's SLA clocks (the `sla` member of GET /api/v1/cases/{number}). Each clock:
// target (business minutes, or the name of a target without a clock), calendar, state, paused,
// started_at, due_at, warning_at, achieved_at, breached_at (null where not yet), elapsed and
// remaining business minutes, the update cycle, and the explanation of how due_at was derived.
// Thread-safe: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "app/sla_engine.h"

namespace casedesk::adapters::http {

nlohmann::json SlaToJson(const app::CaseSla& sla);

}  // namespace casedesk::adapters::http
