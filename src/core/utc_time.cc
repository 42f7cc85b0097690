#include "core/utc_time.h"

#include <cstdint>

namespace casedesk::core {
namespace {

struct CivilDate {
  int64_t year;
  int month;  // 1-12
  int day;    // 1-31
};

// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
CivilDate CivilFromDays(int64_t days) {
  days += 719468;  // from 0000-03-01, so that leap days end a year
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t day_of_era = days - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month =
      static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

void PutDigits(char* at, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

}  // namespace

std::string FormatUtcSeconds(absl::Time time) {
  constexpr int64_t kSecondsPerDay = 86400;
  // Four-digit years only; absl handles the rest (and the infinite instants) its own way.
  constexpr int64_t kFirst = -30610224000;            // 1000-01-01T00:00:00Z
  constexpr int64_t kEnd = 253402300800;              // 10000-01-01T00:00:00Z
  const int64_t seconds = absl::ToUnixSeconds(time);  // rounded down
  if (time == absl::InfinitePast() || time == absl::InfiniteFuture() || seconds < kFirst ||
      seconds >= kEnd) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
  }
  int64_t days = seconds / kSecondsPerDay;
  int64_t of_day = seconds % kSecondsPerDay;
  if (of_day < 0) {
    of_day += kSecondsPerDay;
    --days;
  }
  const CivilDate date = CivilFromDays(days);
  std::string out = "0000-00-00T00:00:00Z";
  PutDigits(&out[0], date.year, 4);
  PutDigits(&out[5], date.month, 2);
  PutDigits(&out[8], date.day, 2);
  PutDigits(&out[11], of_day / 3600, 2);
  PutDigits(&out[14], of_day / 60 % 60, 2);
  PutDigits(&out[17], of_day % 60, 2);
  return out;
}

}  // namespace casedesk::core
