// Contract-hours periods: calendar months in the organisation's time zone. A period runs from
// local midnight on the 1st to local midnight on the next 1st, so its length follows daylight
// saving time (absl::TimeZone resolves the civil times). Periods and days travel as text
// ("2026-03", "2026-03-29") that sorts chronologically. Thread-safe: value types and pure
// functions; callers load the zone (no file is read here).
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"

namespace casedesk::core {

struct HoursPeriod {
  int year = 1970;
  int month = 1;  // 1..12
  auto operator<=>(const HoursPeriod&) const = default;
};

// The period holding `at` in `zone`.
HoursPeriod PeriodOf(absl::Time at, const absl::TimeZone& zone);
// "2026-03".
std::string PeriodName(HoursPeriod period);
// Parses "YYYY-MM" (years 1970..9999); nullopt for anything else.
std::optional<HoursPeriod> ParsePeriod(std::string_view text);
HoursPeriod NextPeriod(HoursPeriod period);
HoursPeriod PreviousPeriod(HoursPeriod period);
// Local midnight on the period's first day (the first instant of the period).
absl::Time PeriodStart(HoursPeriod period, const absl::TimeZone& zone);
// The first instant of the next period (exclusive end).
absl::Time PeriodEnd(HoursPeriod period, const absl::TimeZone& zone);
// Days in the period (28..31).
int DaysInPeriod(HoursPeriod period);
// The local day of `at` in `zone`: "2026-03-29".
std::string DayName(absl::Time at, const absl::TimeZone& zone);
// The day of month of a day name ("2026-03-29" -> 29); 0 when malformed.
int DayOfMonth(std::string_view day_name);

}  // namespace casedesk::core
