// Where the SLA and escalation configuration lives: documents in the store's settings, one per
// item, as JSON -- calendars ("calendar/<name>"), SLA policies per support plan
// ("sla_policy/<plan>"), escalation policies ("escalation_policy/<name>") and on-call schedules
// ("oncall/<name>"). A desk starts with the shipped calendars and policies
// (core::DefaultCalendarSpecs, core::DefaultSlaPolicies); a stored document replaces the shipped
// one of the same name. Loaders used by the SLA engine and the configuration use cases.
// Thread-safe: stateless functions over a transaction.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/business_calendar.h"
#include "core/escalation_policy.h"
#include "core/oncall_schedule.h"
#include "core/sla_policy.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kCalendarSettingPrefix = "calendar/";
inline constexpr std::string_view kSlaPolicySettingPrefix = "sla_policy/";
inline constexpr std::string_view kEscalationPolicySettingPrefix = "escalation_policy/";
inline constexpr std::string_view kOnCallSettingPrefix = "oncall/";

// The JSON shape of an SLA policy (the API's body and the stored form):
//   {"business_calendar": "business-gmt", "warning_fraction": 0.75,
//    "pause_statuses": ["pending"], "confirm_critical_before_paging": false,
//    "targets": {"1": {"first_response": {"minutes": 60},
//                      "next_update": {"every_minutes": 240, "calendar": "always"},
//                      "resolution": {"minutes": 1440, "calendar": "always"}},
//                "3": {"first_response": {"minutes": 480},
//                      "next_update": {"on_milestone": true},
//                      "resolution": {"named": "next_release"}}, ...},
//    "after_hours": {"severities": [1], "hours_calendar": "business-gmt",
//                    "clocks": {"triage": {"minutes": 15, "calendar": "always"},
//                               "status_notification": {"minutes": 60, "calendar": "always"}}},
//    "estimate": {"minutes": 480, "calendar": "service-tasks-pacific"}}
// "estimate" (service tasks' estimate clock) defaults to core::DefaultEstimateTarget() when
// absent; null means none.
// FromJson: InvalidArgument naming the field for wrong shapes; the policy's rules are checked by
// core::ValidateSlaPolicy.
nlohmann::json SlaPolicyToJson(const core::SlaPolicy& policy);
absl::StatusOr<core::SlaPolicy> SlaPolicyFromJson(const nlohmann::json& json);

// Every calendar: the shipped ones, replaced or joined by stored ones, by name.
absl::StatusOr<std::map<std::string, core::CalendarSpec>> LoadCalendarSpecs(
    ports::StoreTransaction& txn);
// The stored document text of every calendar (shipped ones as their JSON), by name: what the SLA
// engine compares to know whether its prepared calendars are current.
absl::StatusOr<std::map<std::string, std::string>> LoadCalendarTexts(ports::StoreTransaction& txn);

// The plan's SLA policy: stored, else shipped, else none (a plan without SLA).
absl::StatusOr<std::optional<core::SlaPolicy>> LoadSlaPolicy(ports::StoreTransaction& txn,
                                                             std::string_view plan);
// The same as the document text (for the engine's cache); nullopt when the plan has none.
absl::StatusOr<std::optional<std::string>> LoadSlaPolicyText(ports::StoreTransaction& txn,
                                                             std::string_view plan);

// Configuration names (calendars, escalation policies, schedules): [a-z0-9_-]{1,64}.
bool IsValidConfigName(std::string_view name);

// Setting keys: the prefix followed by the name.
std::string CalendarSettingKey(std::string_view name);
std::string SlaPolicySettingKey(std::string_view plan);
std::string EscalationPolicySettingKey(std::string_view name);
std::string OnCallSettingKey(std::string_view name);

// The canonical stored text of a document, and back; FromSetting fails with DataLoss naming
// `key` when the stored document is malformed.
std::string CalendarSpecToSetting(const core::CalendarSpec& spec);
absl::StatusOr<core::CalendarSpec> CalendarSpecFromSetting(std::string_view key,
                                                           std::string_view text);
std::string SlaPolicyToSetting(const core::SlaPolicy& policy);
absl::StatusOr<core::SlaPolicy> SlaPolicyFromSetting(std::string_view key, std::string_view text);
// Escalation policies and on-call schedules use the codec of app/escalation_json.h.
std::string EscalationPolicyToSetting(const core::EscalationPolicy& policy);
absl::StatusOr<core::EscalationPolicy> EscalationPolicyFromSetting(std::string_view key,
                                                                   std::string_view text);
std::string OnCallScheduleToSetting(const core::OnCallSchedule& schedule);
absl::StatusOr<core::OnCallSchedule> OnCallScheduleFromSetting(std::string_view key,
                                                               std::string_view text);


// Only the stored calendars (no shipped ones), by name.
absl::StatusOr<std::map<std::string, core::CalendarSpec>> LoadStoredCalendarSpecs(
    ports::StoreTransaction& txn);
// Every SLA policy that applies to some plan name: the stored ones, and the shipped ones no
// stored document replaces, by plan name (whether or not the plan exists).
absl::StatusOr<std::map<std::string, core::SlaPolicy>> LoadSlaPolicies(
    ports::StoreTransaction& txn);

// The stored escalation policies, by name (none are shipped).
absl::StatusOr<std::vector<core::EscalationPolicy>> LoadEscalationPolicies(
    ports::StoreTransaction& txn);
// The stored on-call schedules, by name (none are shipped).
absl::StatusOr<std::map<std::string, core::OnCallSchedule>> LoadOnCallSchedules(
    ports::StoreTransaction& txn);

}  // namespace casedesk::app
