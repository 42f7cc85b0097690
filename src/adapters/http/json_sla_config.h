// JSON <-> app values for the SLA configuration API: calendars, per-plan SLA policies,
// escalation policies, on-call schedules and "who is on call now". The documents use the codecs
// of app/calendar_json.h, app/sla_settings.h and app/escalation_json.h; this file adds what the
// API shows around them (the name, "shipped") and reads request bodies strictly.
//
// Bodies: a document as GET returns it may be sent back as it is. The key fields that GET adds
// are checked, not stored: "name" (or "plan") must match the path, and "shipped" (read-only) is
// ignored when it is a boolean. Any other unknown key, a wrong type or a malformed value is
// InvalidArgument naming the field. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "adapters/http/http_types.h"
#include "app/sla_configuration.h"
#include "core/business_calendar.h"
#include "core/escalation_policy.h"
#include "core/oncall_schedule.h"
#include "core/sla_policy.h"

namespace casedesk::adapters::http {

// {"name", "shipped", "time_zone", "holidays", "hours"}
nlohmann::json CalendarEntryToJson(const app::CalendarEntry& entry);
absl::StatusOr<core::CalendarSpec> ParseCalendarBody(const HttpRequest& request, int64_t max_bytes,
                                                     const std::string& name);

// {"plan", "shipped", ...the policy document of app/sla_settings.h}
nlohmann::json PlanSlaPolicyToJson(const app::PlanSlaPolicy& policy);
absl::StatusOr<core::SlaPolicy> ParseSlaPolicyBody(const HttpRequest& request, int64_t max_bytes,
                                                   const std::string& plan);

// The documents of app/escalation_json.h; a body without "name" takes the path's.
absl::StatusOr<core::EscalationPolicy> ParseEscalationPolicyBody(const HttpRequest& request,
                                                                 int64_t max_bytes,
                                                                 const std::string& name);
absl::StatusOr<core::OnCallSchedule> ParseOnCallScheduleBody(const HttpRequest& request,
                                                             int64_t max_bytes,
                                                             const std::string& name);

// {"schedule", "at", "user": {"id", "name", "email"} | null, "layer", "since", "until"} with
// null layer/since/until when nobody is on call.
nlohmann::json OnCallNowToJson(const app::OnCallNow& now);

// The "at" query parameter (RFC 3339 with "Z" or an offset), or `otherwise` when absent.
absl::StatusOr<absl::Time> InstantFromQuery(const HttpRequest& request, std::string_view name,
                                            absl::Time otherwise);

}  // namespace casedesk::adapters::http
