// On-call schedules and escalation policies as JSON: the API's body and the stored document.
// Pure encode/decode: FromJson checks the shape (types, required keys, no unknown keys, the
// syntax of times, windows and names of enums) and answers InvalidArgument naming the field by
// its path ("layers[0].turn_minutes: expected an integer"); the rules of a schedule or policy
// are checked by core::ValidateOnCallSchedule / core::ValidateEscalationPolicy, whose messages
// name places by the same paths. ToJson always writes every key, so ToJson then FromJson gives
// back an equal value. Thread-safe: stateless functions.
//
// On-call schedule ("start" is local wall time in the schedule's zone, minutes precision;
// override instants are RFC 3339 with "Z" or an offset, written back in UTC; "day" is one of
// mon..sun and a window may cross midnight, belonging to the day it starts):
//   {"name": "primary", "display_name": "Primary on-call", "time_zone": "Europe/London",
//    "layers": [{"name": "weekly", "participants": [12, 15, 19],
//                "start": "2026-03-02T09:00", "turn_minutes": 10080,
//                "restrictions": [{"day": "sat", "window": "22:00-06:00"}]}],
//    "overrides": [{"user": 15, "start": "2026-03-07T00:00:00Z",
//                   "end": "2026-03-08T00:00:00Z", "reason": "swap with Sam"}]}
// Optional on input: display_name (""), restrictions ([]: always), overrides ([]), reason ("").
//
// Escalation policy (severities as levels 1..4 like cases; ref is always a string: a group or
// user id in decimal, a tier, skill, schedule or policy name):
//   {"name": "urgent", "description": "Executives hear about urgent issues", "enabled": true,
//    "plans": ["enterprise"], "severities": [1],
//    "levels": [{"trigger": "sla_breach", "clocks": ["first_response"], "delay_minutes": 30,
//                "targets": [{"kind": "oncall", "ref": "primary"},
//                            {"kind": "tier", "ref": "executive"}],
//                "actions": ["notify", "reassign"]}]}
// Optional on input: description (""), enabled (true), plans ([]: every plan), severities
// ([]: all), and per level clocks ([]: any clock) and delay_minutes (0).
// A null value counts as absent.
#pragma once

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "core/escalation_policy.h"
#include "core/oncall_schedule.h"

namespace casedesk::app {

nlohmann::json OnCallScheduleToJson(const core::OnCallSchedule& schedule);
absl::StatusOr<core::OnCallSchedule> OnCallScheduleFromJson(const nlohmann::json& json);

nlohmann::json EscalationPolicyToJson(const core::EscalationPolicy& policy);
absl::StatusOr<core::EscalationPolicy> EscalationPolicyFromJson(const nlohmann::json& json);

}  // namespace casedesk::app
