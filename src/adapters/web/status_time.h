// Time formats used by the status page's documents: Statuspage's v2 timestamps (milliseconds and
// the page's UTC offset), RFC 3339 in UTC for <time datetime>, short display texts in the page's
// zone, and the dates of feeds.
// Thread-safe: pure functions.
#pragma once

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace casedesk::adapters::web {

// The page's IANA zone; UTC when the name is empty or unknown.
absl::TimeZone PageTimeZone(const std::string& name);

// "2026-11-22T06:07:14.473-07:00" ("+00:00" in UTC, never "Z").
std::string StatuspageTime(absl::Time time, absl::TimeZone zone);
// "2026-11-22": the local date of `time` in `zone`.
std::string LocalDate(absl::Time time, absl::TimeZone zone);
// "2026-11-22T21:05:00Z".
std::string Rfc3339Utc(absl::Time time);
// "Nov 22, 21:05 GMT": what a page shows before its script localises it.
std::string DisplayTime(absl::Time time, absl::TimeZone zone);
// "Nov 3, 2026".
std::string DisplayDay(absl::CivilDay day);
// RFC 822 as RSS wants it: "Sun, 22 Nov 2026 21:05:00 +0000".
std::string Rfc822Time(absl::Time time);

// Whether `time` is a real instant (not one of absl's infinities, which mark "unset").
bool IsSet(absl::Time time);

}  // namespace casedesk::adapters::web
