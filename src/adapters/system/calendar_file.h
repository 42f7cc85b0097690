// Calendar files and instants at the system boundary: parses business-hours
// calendars from TOML (the on-disk format) or JSON (the API's body of the same
// shape) into core::CalendarSpec, loads the calendar's IANA time zone from the
// system's tzdata and builds the core::BusinessCalendar, and converts instants
// to and from RFC 3339 text.
//
// The format:
//   time_zone = "Europe/London"
//   holidays = ["2026-12-25", "2026-12-28"]     # optional; TOML dates too
//   [hours]                                      # day keys mon..sun
//   mon = ["08:00-01:00"]                        # a missing day has none
//   fri = ["09:00-12:00", "13:00-17:00"]
// Unknown keys and wrongly typed values are errors; window and date syntax,
// overlaps and unknown day keys are checked by BusinessCalendar::Create.
//
// Thread safety: all functions are stateless and safe to call concurrently
// (time zone loading is cached and synchronized by abseil).

#ifndef CASEDESK_ADAPTERS_SYSTEM_CALENDAR_FILE_H_
#define CASEDESK_ADAPTERS_SYSTEM_CALENDAR_FILE_H_

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/business_calendar.h"

namespace casedesk::adapters {

// Parses the TOML calendar format. Errors are InvalidArgument and name the
// key (and, for syntax errors, the line and column).
absl::StatusOr<core::CalendarSpec> ParseCalendarToml(std::string_view text);

// Parses a JSON object of the same shape:
//   {"time_zone": "Europe/London", "holidays": ["2026-12-25"],
//    "hours": {"mon": ["08:00-01:00"], "sat": []}}
absl::StatusOr<core::CalendarSpec> ParseCalendarJson(
    const nlohmann::json& json);

// Loads spec.time_zone (an IANA name such as "Europe/London"; "UTC" and "GMT"
// work too) and creates the calendar. An unknown or malformed zone name is
// InvalidArgument naming it; other errors are those of
// BusinessCalendar::Create.
absl::StatusOr<core::BusinessCalendar> LoadCalendar(
    const core::CalendarSpec& spec);

// Reads a calendar file: JSON if the path ends in ".json", TOML otherwise.
// Errors are prefixed with the path (NotFound if it cannot be read).
absl::StatusOr<core::BusinessCalendar> LoadCalendarFile(
    const std::string& path);

// Parses an RFC 3339 instant with a "Z" or "+hh:mm"/"-hh:mm" offset and
// optional fractional seconds, e.g. "2026-03-09T13:00:00Z" or
// "2026-03-09T14:00:00.5+01:00". Anything else is InvalidArgument.
absl::StatusOr<absl::Time> ParseRfc3339Instant(std::string_view text);

// Formats in UTC as "2026-03-09T13:00:00Z" (fractional seconds only when
// present, e.g. "2026-03-09T13:00:00.25Z"). Infinite instants format as
// "infinite-future" / "infinite-past".
std::string FormatRfc3339Utc(absl::Time t);

}  // namespace casedesk::adapters

#endif  // CASEDESK_ADAPTERS_SYSTEM_CALENDAR_FILE_H_
