// BusinessCalendar: the business hours of a support desk (an IANA time zone,
// weekly windows in local wall-clock time and holiday dates) and the SLA
// arithmetic on them: the instant at which N business minutes have elapsed,
// and the business time between two instants. Pure (standard library and
// abseil only, no I/O, no clock reads): the caller loads the absl::TimeZone.
//
// Thread safety: a BusinessCalendar is immutable once created. All const
// methods may be called concurrently from any number of threads; copies are
// cheap and share the precomputed data.
//
// Semantics:
//  * A window "HH:MM-HH:MM" belongs to the day it starts on; if its end is not
//    after its start it runs into the next day ("08:00-01:00" on Friday ends
//    at 01:00 Saturday). "00:00-24:00" is a whole day. Windows are at most
//    24 hours long.
//  * A holiday removes the windows that start on that date (a Saturday holiday
//    leaves Friday's overnight tail alone).
//  * Windows are wall-clock: on a DST change day a window has its real length.
//    A local time skipped by DST maps to the instant clocks jump to; a local
//    time that occurs twice maps to its first occurrence (absl::FromCivil).
//  * Business time is computed exactly (sub-second precision is kept) for
//    instants in [0001-01-01, 10000-01-01) UTC; business hours outside that
//    range are ignored and results beyond it are absl::InfiniteFuture().
//
// Performance: Create precomputes the absolute business intervals for local
// dates 1990-01-01..2099-12-31 with a running sum of business seconds (about
// 12 bytes per window occurrence plus 4 bytes per day: ~1.5 MB for 20
// windows a week; touching windows are merged, so 24x7 needs almost nothing).
// Queries inside that span are O(1) (Between, IsBusinessTime,
// NextBusinessInstant) or O(log distance) (Add) and never allocate. Outside
// the span a slower day-by-day walk gives the same answers. Create takes
// tens of milliseconds: create a calendar once and share it.

#ifndef CASEDESK_CORE_BUSINESS_CALENDAR_H_
#define CASEDESK_CORE_BUSINESS_CALENDAR_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace casedesk::core {

// The declarative form of a calendar, as read from a TOML or JSON file.
struct CalendarSpec {
  // IANA name, e.g. "Europe/London". Informational for Create, which uses the
  // already-loaded zone it is given.
  std::string time_zone;
  // Dates "YYYY-MM-DD" (local to the calendar's zone).
  std::vector<std::string> holidays;
  // Day key ("mon", "tue", "wed", "thu", "fri", "sat", "sun") to windows
  // "HH:MM-HH:MM". A missing day has no windows.
  std::map<std::string, std::vector<std::string>> hours;
};

class BusinessCalendar {
 public:
  // Validates `spec` and precomputes the calendar in `zone` (loaded by the
  // caller from spec.time_zone). Returns InvalidArgument naming the day and
  // window (or holiday) for: malformed windows ("9:00am", "25:00", start equal
  // to end, start 24:00), overlapping windows on one day or with the previous
  // day's overnight window, unknown day keys, malformed or impossible holiday
  // dates, and a calendar with no business hours at all.
  static absl::StatusOr<BusinessCalendar> Create(const CalendarSpec& spec,
                                                 absl::TimeZone zone);

  // Open 24 hours a day, 7 days a week, in UTC, no holidays.
  static BusinessCalendar AlwaysOpen();

  // The earliest instant at which `minutes` business minutes have elapsed
  // since `from`. With minutes <= 0 this is NextBusinessInstant(from).
  absl::Time AddBusinessMinutes(absl::Time from, int64_t minutes) const;
  // Same with any business duration (sub-second precision is kept).
  absl::Time AddBusinessTime(absl::Time from, absl::Duration amount) const;

  // Business time in [a, b); zero if b <= a. Infinite when a is
  // InfinitePast or b is InfiniteFuture.
  absl::Duration BusinessTimeBetween(absl::Time a, absl::Time b) const;
  // Whole business seconds in [a, b) (truncated); 0 if b <= a; saturates at
  // INT64_MAX.
  int64_t BusinessSecondsBetween(absl::Time a, absl::Time b) const;

  // True if `t` lies inside a business window (windows are half-open
  // [start, end)).
  bool IsBusinessTime(absl::Time t) const;
  // The first business instant at or after `t` (InfiniteFuture if none).
  absl::Time NextBusinessInstant(absl::Time t) const;

  const absl::TimeZone& time_zone() const;
  // Approximate heap bytes held by the precomputed data.
  size_t MemoryUsageBytes() const;

 private:
  struct Impl;
  explicit BusinessCalendar(std::shared_ptr<const Impl> impl);

  std::shared_ptr<const Impl> impl_;
};

}  // namespace casedesk::core

#endif  // CASEDESK_CORE_BUSINESS_CALENDAR_H_
