#include "core/hours_period.h"

#include <cstdio>

namespace casedesk::core {
namespace {

bool AllDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return !text.empty();
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

HoursPeriod PeriodOf(absl::Time at, const absl::TimeZone& zone) {
  const absl::CivilSecond civil = absl::ToCivilSecond(at, zone);
  return {static_cast<int>(civil.year()), civil.month()};
}

std::string PeriodName(HoursPeriod period) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d", period.year, period.month);
  return text;
}

std::optional<HoursPeriod> ParsePeriod(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  const std::string_view year = text.substr(0, 4);
  const std::string_view month = text.substr(5, 2);
  if (!AllDigits(year) || !AllDigits(month)) return std::nullopt;
  HoursPeriod period{ToInt(year), ToInt(month)};
  if (period.year < 1970 || period.month < 1 || period.month > 12) return std::nullopt;
  return period;
}

HoursPeriod NextPeriod(HoursPeriod period) {
  return period.month == 12 ? HoursPeriod{period.year + 1, 1}
                            : HoursPeriod{period.year, period.month + 1};
}

HoursPeriod PreviousPeriod(HoursPeriod period) {
  return period.month == 1 ? HoursPeriod{period.year - 1, 12}
                           : HoursPeriod{period.year, period.month - 1};
}

absl::Time PeriodStart(HoursPeriod period, const absl::TimeZone& zone) {
  // Midnight exists in every zone we know of on the 1st, but a zone that skips it resolves to
  // the first instant after the gap (pre), which is what "the start of the day" means there.
  return zone.At(absl::CivilSecond(period.year, period.month, 1, 0, 0, 0)).pre;
}

absl::Time PeriodEnd(HoursPeriod period, const absl::TimeZone& zone) {
  return PeriodStart(NextPeriod(period), zone);
}

int DaysInPeriod(HoursPeriod period) {
  const absl::CivilDay first(period.year, period.month, 1);
  const HoursPeriod next = NextPeriod(period);
  return static_cast<int>(absl::CivilDay(next.year, next.month, 1) - first);
}

std::string DayName(absl::Time at, const absl::TimeZone& zone) {
  const absl::CivilDay day = absl::ToCivilDay(at, zone);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", static_cast<int>(day.year()), day.month(),
                day.day());
  return text;
}

int DayOfMonth(std::string_view day_name) {
  if (day_name.size() != 10 || !AllDigits(day_name.substr(8, 2))) return 0;
  return ToInt(day_name.substr(8, 2));
}

}  // namespace casedesk::core
