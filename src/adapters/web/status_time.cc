#include "adapters/web/status_time.h"

#include <array>

#include "absl/strings/str_format.h"
#include "core/utc_time.h"

namespace casedesk::adapters::web {
namespace {

constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// In absl::Weekday's order.
constexpr std::array<const char*, 7> kWeekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

}  // namespace

absl::TimeZone PageTimeZone(const std::string& name) {
  absl::TimeZone zone = absl::UTCTimeZone();
  if (!name.empty() && !absl::LoadTimeZone(name, &zone)) return absl::UTCTimeZone();
  return zone;
}

std::string StatuspageTime(absl::Time time, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3S%Ez", time, zone);
}

std::string LocalDate(absl::Time time, absl::TimeZone zone) {
  return absl::FormatTime("%Y-%m-%d", time, zone);
}

std::string Rfc3339Utc(absl::Time time) {
  return core::FormatUtcSeconds(time);
}

std::string DisplayTime(absl::Time time, absl::TimeZone zone) {
  const absl::TimeZone::CivilInfo local = zone.At(time);
  // The abbreviation as the zone names it ("GMT", "MST", "CEST"); numeric ones stay as given.
  return absl::StrFormat("%s %d, %02d:%02d %s", kMonths[local.cs.month() - 1], local.cs.day(),
                         local.cs.hour(), local.cs.minute(), local.zone_abbr);
}

std::string DisplayDay(absl::CivilDay day) {
  return absl::StrFormat("%s %d, %d", kMonths[day.month() - 1], day.day(), day.year());
}

std::string Rfc822Time(absl::Time time) {
  // Spelled out rather than strftime's %a/%b, which follow the process locale.
  const absl::CivilSecond utc = absl::UTCTimeZone().At(time).cs;
  const absl::CivilDay day(utc);
  return absl::StrFormat(
      "%s, %02d %s %d %02d:%02d:%02d +0000", kWeekdays[static_cast<int>(absl::GetWeekday(day))],
      utc.day(), kMonths[utc.month() - 1], utc.year(), utc.hour(), utc.minute(), utc.second());
}

bool IsSet(absl::Time time) {
  return time != absl::InfinitePast() && time != absl::InfiniteFuture();
}

}  // namespace casedesk::adapters::web
