// Business-hours calendars as JSON (the API's body and the stored "calendar/<name>" setting),
// and building a core::BusinessCalendar from its spec (loading the IANA zone from tzdata).
// The shape matches the TOML calendar file:
//   {"time_zone": "Europe/London", "holidays": ["2026-12-25"],
//    "hours": {"mon": ["08:00-01:00"], "sat": []}}
// Thread-safe: stateless functions (abseil caches and synchronises zone loading).
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/business_calendar.h"

namespace casedesk::app {

// InvalidArgument naming the key for unknown keys, wrong types and a missing time_zone; window
// and date syntax are checked by BuildCalendar.
absl::StatusOr<core::CalendarSpec> CalendarSpecFromJson(const nlohmann::json& json);
nlohmann::json CalendarSpecToJson(const core::CalendarSpec& spec);

// Loads an IANA zone ("Europe/London", "UTC", "GMT"); names that could reach outside tzdata
// ("/etc/passwd", "../x", "localtime") are refused. InvalidArgument naming time_zone.
absl::StatusOr<absl::TimeZone> LoadZone(std::string_view name);

// Loads spec.time_zone (LoadZone) and creates the calendar; InvalidArgument for an unknown zone
// or a bad spec.
absl::StatusOr<core::BusinessCalendar> BuildCalendar(const core::CalendarSpec& spec);

}  // namespace casedesk::app
