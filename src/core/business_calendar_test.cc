#include "core/business_calendar.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

// All expectations below were worked out by hand from the calendar rules and
// the published DST dates (Europe/London: 2026-03-29 01:00Z clocks go to 02:00
// BST, 2026-10-25 01:00Z clocks go back to 01:00 GMT; America/Los_Angeles:
// 2026-03-08 10:00Z 02:00 PST -> 03:00 PDT, 2026-11-01 09:00Z 02:00 PDT ->
// 01:00 PST). 2026-03-09 is a Monday. Weekdays repeat every 400 years and the
// tz rules of these zones are unchanged in 2426, so the same tables shifted by
// 400 years exercise the slow path beyond the precomputed span.

namespace casedesk::core {
namespace {

constexpr int64_t kNoShift = 0;

// "2026-03-09T09:00:00Z" shifted by `years` (only used with multiples of 400
// so that weekdays are unchanged).
std::string Shift(const std::string& text, int64_t years) {
  if (years == 0) return text;
  const int64_t year = std::stoll(text.substr(0, 4)) + years;
  std::string y = std::to_string(year);
  while (y.size() < 4) y.insert(y.begin(), '0');
  return y + text.substr(4);
}

absl::Time T(const std::string& text, int64_t shift_years = 0) {
  absl::Time t;
  std::string err;
  const std::string s = Shift(text, shift_years);
  if (!absl::ParseTime(absl::RFC3339_full, s, &t, &err)) {
    ADD_FAILURE() << "bad time in test: " << s << ": " << err;
  }
  return t;
}

std::string Fmt(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

absl::TimeZone Zone(const std::string& name) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << name;
  return tz;
}

BusinessCalendar MustCreate(const CalendarSpec& spec) {
  absl::StatusOr<BusinessCalendar> cal =
      BusinessCalendar::Create(spec, Zone(spec.time_zone));
  EXPECT_TRUE(cal.ok()) << cal.status();
  if (!cal.ok()) return BusinessCalendar::AlwaysOpen();
  return *std::move(cal);
}

std::vector<std::string> ShiftAll(std::vector<std::string> dates,
                                  int64_t years) {
  for (std::string& d : dates) d = Shift(d, years);
  return dates;
}

CalendarSpec Weekdays(const std::string& zone,
                      const std::vector<std::string>& windows,
                      std::vector<std::string> holidays = {}) {
  CalendarSpec spec;
  spec.time_zone = zone;
  spec.holidays = std::move(holidays);
  for (const char* day : {"mon", "tue", "wed", "thu", "fri"}) {
    spec.hours[day] = windows;
  }
  spec.hours["sat"] = {};
  spec.hours["sun"] = {};
  return spec;
}

CalendarSpec NineToFiveUtc() { return Weekdays("UTC", {"09:00-17:00"}); }

// The seeds' "8am - 1am, Monday to Friday" in London.
CalendarSpec SeedsLondon(int64_t shift = 0) {
  return Weekdays("Europe/London", {"08:00-01:00"},
                  ShiftAll({"2026-12-25", "2026-12-28"}, shift));
}

CalendarSpec AllWeek(const std::string& zone, const std::string& window) {
  CalendarSpec spec;
  spec.time_zone = zone;
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
    spec.hours[day] = {window};
  }
  return spec;
}

CalendarSpec OnlySunday(const std::string& zone,
                        const std::vector<std::string>& windows) {
  CalendarSpec spec;
  spec.time_zone = zone;
  spec.hours["sun"] = windows;
  return spec;
}

struct AddCase {
  std::string from;
  int64_t minutes;
  std::string want;
};

struct BetweenCase {
  std::string a;
  std::string b;
  int64_t want_seconds;
};

struct InstantCase {
  std::string at;
  bool business;
  std::string next;  // NextBusinessInstant
};

void ExpectAdds(const BusinessCalendar& cal, const std::vector<AddCase>& cases,
                int64_t shift = kNoShift) {
  for (const AddCase& c : cases) {
    EXPECT_EQ(Fmt(cal.AddBusinessMinutes(T(c.from, shift), c.minutes)),
              Fmt(T(c.want, shift)))
        << "from " << Shift(c.from, shift) << " + " << c.minutes << " min";
  }
}

void ExpectBetweens(const BusinessCalendar& cal,
                    const std::vector<BetweenCase>& cases,
                    int64_t shift = kNoShift) {
  for (const BetweenCase& c : cases) {
    EXPECT_EQ(cal.BusinessSecondsBetween(T(c.a, shift), T(c.b, shift)),
              c.want_seconds)
        << Shift(c.a, shift) << " .. " << Shift(c.b, shift);
  }
}

void ExpectInstants(const BusinessCalendar& cal,
                    const std::vector<InstantCase>& cases,
                    int64_t shift = kNoShift) {
  for (const InstantCase& c : cases) {
    EXPECT_EQ(cal.IsBusinessTime(T(c.at, shift)), c.business)
        << Shift(c.at, shift);
    EXPECT_EQ(Fmt(cal.NextBusinessInstant(T(c.at, shift))),
              Fmt(T(c.next, shift)))
        << Shift(c.at, shift);
  }
}

// ---------------------------------------------------------------------------
// Tables. Each is checked in the precomputed span (2026) and, shifted by 400
// years, on the slow path (2426); UTC tables also 400 years back (1626).

const std::vector<AddCase> kNineToFiveAdds = {
    // 8 business hours from Monday 09:00 end Monday 17:00, not Tuesday 09:00.
    {"2026-03-09T09:00:00Z", 480, "2026-03-09T17:00:00Z"},
    {"2026-03-09T09:00:00Z", 481, "2026-03-10T09:01:00Z"},
    {"2026-03-09T09:00:00Z", 1, "2026-03-09T09:01:00Z"},
    {"2026-03-09T08:00:00Z", 60, "2026-03-09T10:00:00Z"},
    {"2026-03-09T16:00:00Z", 120, "2026-03-10T10:00:00Z"},
    // N = 0: the first business instant at or after `from`.
    {"2026-03-09T08:00:00Z", 0, "2026-03-09T09:00:00Z"},
    {"2026-03-09T10:00:00Z", 0, "2026-03-09T10:00:00Z"},
    {"2026-03-09T17:00:00Z", 0, "2026-03-10T09:00:00Z"},
    {"2026-03-13T17:00:00Z", 0, "2026-03-16T09:00:00Z"},
    // Over the weekend.
    {"2026-03-13T16:00:00Z", 120, "2026-03-16T10:00:00Z"},
    {"2026-03-14T12:00:00Z", 60, "2026-03-16T10:00:00Z"},
    // A whole working week, and one minute more.
    {"2026-03-09T09:00:00Z", 2400, "2026-03-13T17:00:00Z"},
    {"2026-03-09T09:00:00Z", 2401, "2026-03-16T09:01:00Z"},
    // Four weeks.
    {"2026-03-09T09:00:00Z", 4 * 2400, "2026-04-03T17:00:00Z"},
    // Negative minutes behave like 0.
    {"2026-03-14T12:00:00Z", -5, "2026-03-16T09:00:00Z"},
};

const std::vector<BetweenCase> kNineToFiveBetweens = {
    {"2026-03-09T09:00:00Z", "2026-03-09T17:00:00Z", 8 * 3600},
    {"2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z", 40 * 3600},
    {"2026-03-09T12:00:00Z", "2026-03-10T10:00:00Z", 6 * 3600},
    {"2026-03-13T16:00:00Z", "2026-03-16T10:00:00Z", 2 * 3600},
    {"2026-03-14T00:00:00Z", "2026-03-15T23:59:59Z", 0},
    // Empty and reversed ranges.
    {"2026-03-09T10:00:00Z", "2026-03-09T10:00:00Z", 0},
    {"2026-03-10T10:00:00Z", "2026-03-09T10:00:00Z", 0},
    // Across weeks: Wednesday noon to Wednesday noon three weeks later.
    {"2026-03-11T12:00:00Z", "2026-04-01T12:00:00Z", 3 * 40 * 3600},
};

TEST(BusinessCalendarTest, AddsBusinessMinutes) {
  const BusinessCalendar cal = MustCreate(NineToFiveUtc());
  ExpectAdds(cal, kNineToFiveAdds);
}

TEST(BusinessCalendarTest, EightHoursFromMondayNineIsMondayFive) {
  const BusinessCalendar cal = MustCreate(NineToFiveUtc());
  EXPECT_EQ(cal.AddBusinessMinutes(T("2026-03-09T09:00:00Z"), 8 * 60),
            T("2026-03-09T17:00:00Z"));
}

TEST(BusinessCalendarTest, ZeroMinutesGivesFirstBusinessInstantAtOrAfter) {
  const BusinessCalendar cal = MustCreate(NineToFiveUtc());
  ExpectInstants(cal,
                 {
                     {"2026-03-09T08:59:59Z", false, "2026-03-09T09:00:00Z"},
                     {"2026-03-09T09:00:00Z", true, "2026-03-09T09:00:00Z"},
                     {"2026-03-09T16:59:59Z", true, "2026-03-09T16:59:59Z"},
                     {"2026-03-09T17:00:00Z", false, "2026-03-10T09:00:00Z"},
                     {"2026-03-14T09:00:00Z", false, "2026-03-16T09:00:00Z"},
                 });
  EXPECT_EQ(cal.AddBusinessMinutes(T("2026-03-09T11:22:33Z"), 0),
            T("2026-03-09T11:22:33Z"));
}

TEST(BusinessCalendarTest, MeasuresBusinessSecondsBetween) {
  const BusinessCalendar cal = MustCreate(NineToFiveUtc());
  ExpectBetweens(cal, kNineToFiveBetweens);
}

const std::vector<AddCase> kSeedsAdds = {
    // Friday's window runs to 01:00 Saturday.
    {"2026-03-13T08:00:00Z", 17 * 60, "2026-03-14T01:00:00Z"},
    {"2026-03-13T23:00:00Z", 60, "2026-03-14T00:00:00Z"},
    {"2026-03-13T23:00:00Z", 120, "2026-03-14T01:00:00Z"},
    {"2026-03-13T23:00:00Z", 180, "2026-03-16T09:00:00Z"},
    // Monday 00:00-01:00 belongs to Sunday, which has no window.
    {"2026-03-16T00:30:00Z", 0, "2026-03-16T08:00:00Z"},
    // Tuesday 00:30 is in Monday's window.
    {"2026-03-17T00:30:00Z", 0, "2026-03-17T00:30:00Z"},
    {"2026-03-17T00:30:00Z", 30, "2026-03-17T01:00:00Z"},
    {"2026-03-17T00:30:00Z", 31, "2026-03-17T08:01:00Z"},
    // BST: 08:00 local is 07:00Z.
    {"2026-06-01T06:00:00Z", 60, "2026-06-01T08:00:00Z"},
    // Spring-forward weekend: Friday in GMT, Monday in BST.
    {"2026-03-27T23:00:00Z", 180, "2026-03-30T08:00:00Z"},
    // Fall-back weekend: Friday in BST (ends 00:00Z), Monday in GMT.
    {"2026-10-23T23:00:00Z", 120, "2026-10-26T09:00:00Z"},
    // Christmas: Friday 25th and Monday 28th are holidays; Thursday's window
    // still runs to 01:00 on the 25th.
    {"2026-12-24T23:00:00Z", 120, "2026-12-25T01:00:00Z"},
    {"2026-12-24T23:00:00Z", 121, "2026-12-29T08:01:00Z"},
    {"2026-12-25T10:00:00Z", 0, "2026-12-29T08:00:00Z"},
};

const std::vector<BetweenCase> kSeedsBetweens = {
    {"2026-03-09T00:00:00Z", "2026-03-16T00:00:00Z", 85 * 3600},
    {"2026-03-11T12:00:00Z", "2026-03-25T12:00:00Z", 2 * 85 * 3600},
    // Spring-forward week plus Monday morning in BST (07:00Z..12:00Z).
    {"2026-03-23T00:00:00Z", "2026-03-30T12:00:00Z", 90 * 3600},
    // Fall-back week (BST) plus Monday morning in GMT (08:00Z..12:00Z).
    {"2026-10-19T00:00:00Z", "2026-10-26T12:00:00Z", 89 * 3600},
    // Two weeks over Christmas with two holidays: 8 working days of 17h.
    {"2026-12-21T00:00:00Z", "2027-01-04T00:00:00Z", 8 * 17 * 3600},
    // Part of an overnight tail.
    {"2026-03-14T00:15:00Z", "2026-03-16T08:10:00Z", 45 * 60 + 10 * 60},
};

TEST(BusinessCalendarTest, OvernightWindowBelongsToTheDayItStarts) {
  const BusinessCalendar cal = MustCreate(SeedsLondon());
  ExpectAdds(cal, kSeedsAdds);
  ExpectBetweens(cal, kSeedsBetweens);
  ExpectInstants(cal,
                 {
                     {"2026-03-14T00:59:59Z", true, "2026-03-14T00:59:59Z"},
                     {"2026-03-14T01:00:00Z", false, "2026-03-16T08:00:00Z"},
                     {"2026-03-16T07:59:59Z", false, "2026-03-16T08:00:00Z"},
                 });
}

TEST(BusinessCalendarTest, SkipsHolidays) {
  const BusinessCalendar cal = MustCreate(SeedsLondon());
  ExpectInstants(cal,
                 {
                     // Thursday's tail runs into the Friday holiday.
                     {"2026-12-25T00:30:00Z", true, "2026-12-25T00:30:00Z"},
                     {"2026-12-25T01:00:00Z", false, "2026-12-29T08:00:00Z"},
                     {"2026-12-25T12:00:00Z", false, "2026-12-29T08:00:00Z"},
                     // Friday's window is gone, so is its Saturday tail.
                     {"2026-12-26T00:30:00Z", false, "2026-12-29T08:00:00Z"},
                     {"2026-12-28T12:00:00Z", false, "2026-12-29T08:00:00Z"},
                     // Not a holiday.
                     {"2027-01-01T12:00:00Z", true, "2027-01-01T12:00:00Z"},
                 });
}

TEST(BusinessCalendarTest, SaturdayHolidayKeepsFridayOvernightTail) {
  CalendarSpec spec = SeedsLondon();
  spec.holidays = {"2026-03-14", "2026-03-20"};  // Saturday, Friday.
  const BusinessCalendar cal = MustCreate(spec);
  ExpectInstants(cal,
                 {
                     {"2026-03-14T00:30:00Z", true, "2026-03-14T00:30:00Z"},
                     {"2026-03-20T00:30:00Z", true, "2026-03-20T00:30:00Z"},
                     {"2026-03-20T10:00:00Z", false, "2026-03-23T08:00:00Z"},
                     {"2026-03-21T00:30:00Z", false, "2026-03-23T08:00:00Z"},
                 });
  ExpectBetweens(
      cal, {{"2026-03-16T00:00:00Z", "2026-03-23T00:00:00Z", 4 * 17 * 3600}});
}

TEST(BusinessCalendarTest, SeveralWindowsADay) {
  const BusinessCalendar cal =
      MustCreate(Weekdays("UTC", {"13:00-17:00", "09:00-12:00"}));
  ExpectAdds(cal,
             {
                 {"2026-03-09T11:00:00Z", 60, "2026-03-09T12:00:00Z"},
                 {"2026-03-09T11:00:00Z", 61, "2026-03-09T13:01:00Z"},
                 {"2026-03-09T12:30:00Z", 0, "2026-03-09T13:00:00Z"},
                 {"2026-03-09T09:00:00Z", 7 * 60, "2026-03-09T17:00:00Z"},
                 {"2026-03-13T16:00:00Z", 4 * 60, "2026-03-16T12:00:00Z"},
                 {"2026-03-13T16:00:00Z", 4 * 60 + 1, "2026-03-16T13:01:00Z"},
             });
  ExpectBetweens(
      cal, {
               {"2026-03-09T00:00:00Z", "2026-03-10T00:00:00Z", 7 * 3600},
               {"2026-03-09T11:30:00Z", "2026-03-09T13:30:00Z", 3600},
               {"2026-03-09T00:00:00Z", "2026-03-23T00:00:00Z", 2 * 35 * 3600},
           });
  ExpectInstants(cal,
                 {
                     {"2026-03-09T11:59:59Z", true, "2026-03-09T11:59:59Z"},
                     {"2026-03-09T12:00:00Z", false, "2026-03-09T13:00:00Z"},
                 });
}

TEST(BusinessCalendarTest, SpringForwardInLondon) {
  // A 24x7 calendar: Sunday 2026-03-29 has 23 hours.
  const BusinessCalendar all =
      MustCreate(AllWeek("Europe/London", "00:00-24:00"));
  ExpectBetweens(
      all, {
               {"2026-03-28T00:00:00Z", "2026-03-29T23:00:00Z", 47 * 3600},
           });
  ExpectAdds(all, {{"2026-03-28T12:00:00Z", 24 * 60, "2026-03-29T12:00:00Z"}});
  // A whole-day Sunday window has its real length.
  const BusinessCalendar sunday =
      MustCreate(OnlySunday("Europe/London", {"00:00-24:00"}));
  ExpectBetweens(
      sunday, {
                  {"2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", 23 * 3600},
                  {"2026-03-21T00:00:00Z", "2026-03-23T00:00:00Z", 24 * 3600},
              });
  ExpectAdds(sunday,
             {{"2026-03-29T00:00:00Z", 23 * 60, "2026-03-29T23:00:00Z"},
              {"2026-03-29T00:00:00Z", 23 * 60 + 1, "2026-04-04T23:01:00Z"}});
}

TEST(BusinessCalendarTest, FallBackInLondon) {
  const BusinessCalendar all =
      MustCreate(AllWeek("Europe/London", "00:00-24:00"));
  ExpectBetweens(all,
                 {{"2026-10-24T23:00:00Z", "2026-10-26T00:00:00Z", 25 * 3600}});
  const BusinessCalendar sunday =
      MustCreate(OnlySunday("Europe/London", {"00:00-24:00"}));
  ExpectBetweens(sunday,
                 {{"2026-10-24T00:00:00Z", "2026-10-27T00:00:00Z", 25 * 3600}});
  ExpectAdds(sunday,
             {{"2026-10-24T23:00:00Z", 25 * 60, "2026-10-26T00:00:00Z"},
              {"2026-10-24T23:00:00Z", 24 * 60, "2026-10-25T23:00:00Z"}});
}

TEST(BusinessCalendarTest, SkippedAndRepeatedBoundariesInLondon) {
  // Sunday 01:30-04:00. Normal Sunday: 01:30Z..04:00Z (2.5 h). On 03-29 01:30
  // does not exist: the window starts when clocks jump (01:00Z) and ends at
  // 04:00 BST = 03:00Z (2 h). On 10-25 01:30 happens twice: first occurrence
  // 01:30 BST = 00:30Z, end 04:00 GMT = 04:00Z (3.5 h).
  const BusinessCalendar cal =
      MustCreate(OnlySunday("Europe/London", {"01:30-04:00"}));
  ExpectBetweens(cal,
                 {
                     {"2026-03-21T00:00:00Z", "2026-03-23T00:00:00Z", 9000},
                     {"2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", 7200},
                     {"2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", 12600},
                     {"2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z", 9000},
                 });
  ExpectAdds(cal, {
                      {"2026-03-29T00:00:00Z", 0, "2026-03-29T01:00:00Z"},
                      {"2026-03-29T00:00:00Z", 120, "2026-03-29T03:00:00Z"},
                      // Next Sunday in BST: 01:30 BST = 00:30Z.
                      {"2026-03-29T00:00:00Z", 121, "2026-04-05T00:31:00Z"},
                      {"2026-10-25T00:00:00Z", 0, "2026-10-25T00:30:00Z"},
                      {"2026-10-25T00:00:00Z", 60, "2026-10-25T01:30:00Z"},
                      {"2026-10-25T00:00:00Z", 210, "2026-10-25T04:00:00Z"},
                  });
  // A window ending in the repeated hour ends at its first occurrence.
  const BusinessCalendar early =
      MustCreate(OnlySunday("Europe/London", {"00:00-01:30"}));
  ExpectBetweens(early,
                 {{"2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z", 90 * 60}});
  // A window entirely inside the skipped hour has no length that day.
  const BusinessCalendar skipped =
      MustCreate(OnlySunday("Europe/London", {"01:15-01:45"}));
  ExpectBetweens(skipped,
                 {
                     {"2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z", 0},
                     {"2026-03-21T00:00:00Z", "2026-03-23T00:00:00Z", 1800},
                 });
  ExpectInstants(skipped,
                 {{"2026-03-29T00:00:00Z", false, "2026-04-05T00:15:00Z"}});
}

TEST(BusinessCalendarTest, DstInLosAngeles) {
  CalendarSpec spec = Weekdays("America/Los_Angeles", {"09:00-17:00"});
  spec.hours["sat"] = {"00:00-24:00"};
  spec.hours["sun"] = {"00:00-24:00"};
  const BusinessCalendar cal = MustCreate(spec);
  ExpectBetweens(
      cal, {
               // Sat 00:00 PST .. Mon 00:00 PDT: 24 h + 23 h.
               {"2026-03-07T08:00:00Z", "2026-03-09T07:00:00Z", 47 * 3600},
               // Monday 09:00-17:00 PDT.
               {"2026-03-09T07:00:00Z", "2026-03-10T07:00:00Z", 8 * 3600},
               // Sat 00:00 PDT .. Mon 00:00 PST: 24 h + 25 h.
               {"2026-10-31T07:00:00Z", "2026-11-02T08:00:00Z", 49 * 3600},
           });
  ExpectAdds(cal,
             {
                 {"2026-03-07T08:00:00Z", 47 * 60, "2026-03-09T07:00:00Z"},
                 {"2026-03-07T08:00:00Z", 47 * 60 + 1, "2026-03-09T16:01:00Z"},
                 // Friday 16:00 PST: one hour Friday, one hour Saturday.
                 {"2026-03-07T00:00:00Z", 120, "2026-03-07T09:00:00Z"},
                 // Friday 16:00 PDT.
                 {"2026-10-30T23:00:00Z", 120, "2026-10-31T08:00:00Z"},
                 {"2026-11-01T07:00:00Z", 25 * 60, "2026-11-02T08:00:00Z"},
                 {"2026-11-01T07:00:00Z", 25 * 60 + 30, "2026-11-02T17:30:00Z"},
             });

  // Sunday 01:30-02:30: 03-08 01:30 PST = 09:30Z, 02:30 skipped -> 10:00Z
  // (30 min); 11-01 01:30 PDT = 08:30Z, 02:30 PST = 10:30Z (2 h).
  const BusinessCalendar night =
      MustCreate(OnlySunday("America/Los_Angeles", {"01:30-02:30"}));
  ExpectBetweens(night,
                 {
                     {"2026-03-07T00:00:00Z", "2026-03-09T00:00:00Z", 1800},
                     {"2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z", 7200},
                 });
  ExpectAdds(night, {
                        {"2026-03-08T00:00:00Z", 30, "2026-03-08T10:00:00Z"},
                        {"2026-03-08T00:00:00Z", 31, "2026-03-15T08:31:00Z"},
                        {"2026-11-01T00:00:00Z", 120, "2026-11-01T10:30:00Z"},
                    });
}

TEST(BusinessCalendarTest, TwentyFourSeven) {
  const BusinessCalendar cal = BusinessCalendar::AlwaysOpen();
  const std::vector<std::string> instants = {
      "1600-02-29T12:00:00Z", "1989-12-31T23:59:59Z",
      "2026-03-29T00:30:00Z", "2026-10-25T01:30:00.25Z",
      "2099-12-31T23:00:00Z", "2500-06-01T00:00:00Z"};
  for (const std::string& s : instants) {
    const absl::Time t = T(s);
    EXPECT_TRUE(cal.IsBusinessTime(t)) << s;
    EXPECT_EQ(cal.NextBusinessInstant(t), t) << s;
    for (int64_t m : {0, 1, 59, 1440, 10081, 525600}) {
      EXPECT_EQ(cal.AddBusinessMinutes(t, m), t + absl::Minutes(m)) << s;
      EXPECT_EQ(cal.BusinessSecondsBetween(t, t + absl::Minutes(m)), m * 60)
          << s;
    }
  }
  // Local 24x7 in a DST zone: business time is elapsed time.
  const BusinessCalendar london =
      MustCreate(AllWeek("Europe/London", "00:00-24:00"));
  EXPECT_EQ(london.BusinessSecondsBetween(T("2026-01-01T00:00:00Z"),
                                          T("2027-01-01T00:00:00Z")),
            365 * 86400);
  EXPECT_EQ(london.AddBusinessMinutes(T("2026-03-28T23:30:00Z"), 120),
            T("2026-03-29T01:30:00Z"));
}

TEST(BusinessCalendarTest, WindowsTouchingAtMidnightMerge) {
  CalendarSpec spec;
  spec.time_zone = "UTC";
  spec.hours["sun"] = {"22:00-02:00"};
  spec.hours["mon"] = {"02:00-04:00", "20:00-24:00"};
  spec.hours["tue"] = {"00:00-03:00"};
  const BusinessCalendar cal = MustCreate(spec);
  ExpectAdds(cal, {
                      {"2026-03-08T22:00:00Z", 360, "2026-03-09T04:00:00Z"},
                      {"2026-03-08T23:00:00Z", 180, "2026-03-09T02:00:00Z"},
                      {"2026-03-09T21:00:00Z", 300, "2026-03-10T02:00:00Z"},
                  });
  ExpectInstants(cal,
                 {
                     {"2026-03-09T02:00:00Z", true, "2026-03-09T02:00:00Z"},
                     {"2026-03-09T01:59:59Z", true, "2026-03-09T01:59:59Z"},
                     {"2026-03-10T00:00:00Z", true, "2026-03-10T00:00:00Z"},
                     {"2026-03-10T03:00:00Z", false, "2026-03-15T22:00:00Z"},
                 });
  ExpectBetweens(cal, {{"2026-03-08T00:00:00Z", "2026-03-15T00:00:00Z",
                        (6 + 4 + 3) * 3600}});
}

TEST(BusinessCalendarTest, RoundTripsAddThenBetween) {
  std::vector<CalendarSpec> specs = {
      NineToFiveUtc(), SeedsLondon(),
      Weekdays("America/Los_Angeles", {"09:00-12:00", "13:00-17:30"}),
      OnlySunday("Europe/London", {"01:30-04:00"}),
      AllWeek("Europe/London", "00:00-24:00")};
  specs[2].hours["sat"] = {"22:00-06:00"};
  for (const CalendarSpec& spec : specs) {
    const BusinessCalendar cal = MustCreate(spec);
    // In the span, beyond it, and before it running into it.
    for (int64_t shift : {int64_t{0}, int64_t{400}, int64_t{-40}}) {
      const absl::Time start = T("2026-03-01T00:00:00Z", shift);
      // The slow path (shift != 0) walks day by day: fewer, shorter cases.
      const int days = shift == 0 ? 250 : 60;
      const std::vector<int64_t> amounts =
          shift == 0 ? std::vector<int64_t>{0, 1, 59, 480, 1000, 5000, 30000}
                     : std::vector<int64_t>{0, 1, 59, 480, 5000};
      for (absl::Time from = start; from < start + absl::Hours(24 * days);
           from += absl::Minutes(7 * 60 + 37)) {
        for (int64_t m : amounts) {
          const absl::Time to = cal.AddBusinessMinutes(from, m);
          ASSERT_GE(to, from);
          // The whole-minute fast lane agrees with the general path.
          EXPECT_EQ(to, cal.AddBusinessTime(from, absl::Minutes(m)));
          EXPECT_EQ(cal.BusinessSecondsBetween(from, to), m * 60)
              << spec.time_zone << " " << Fmt(from) << " + " << m;
          if (m > 0) {
            // Earliest: the second before `to` was still business time.
            EXPECT_EQ(cal.BusinessSecondsBetween(from, to - absl::Seconds(1)),
                      m * 60 - 1)
                << spec.time_zone << " " << Fmt(from) << " + " << m;
            EXPECT_TRUE(cal.IsBusinessTime(to - absl::Seconds(1)));
          } else {
            EXPECT_EQ(to, cal.NextBusinessInstant(from));
            EXPECT_TRUE(cal.IsBusinessTime(to));
          }
        }
      }
    }
  }
}

// An independent, deliberately naive model of the rules: an instant is
// business time if a non-holiday day D (its local day or the day before) has
// a window with FromCivil(D + start) <= t < FromCivil(D + end). Business time
// is then counted minute by minute (all boundaries here are whole minutes).
class ReferenceModel {
 public:
  explicit ReferenceModel(const CalendarSpec& spec)
      : zone_(Zone(spec.time_zone)) {
    const char* const keys[] = {"mon", "tue", "wed", "thu",
                                "fri", "sat", "sun"};
    for (int d = 0; d < 7; ++d) {
      const auto it = spec.hours.find(keys[d]);
      if (it == spec.hours.end()) continue;
      for (const std::string& w : it->second) {
        const int start =
            std::stoi(w.substr(0, 2)) * 60 + std::stoi(w.substr(3, 2));
        int end = std::stoi(w.substr(6, 2)) * 60 + std::stoi(w.substr(9, 2));
        if (end <= start) end += 24 * 60;
        windows_[d].push_back({start, end});
      }
    }
    for (const std::string& h : spec.holidays) {
      holidays_.push_back(absl::CivilDay(std::stoi(h.substr(0, 4)),
                                         std::stoi(h.substr(5, 2)),
                                         std::stoi(h.substr(8, 2))));
    }
  }

  bool IsBusiness(absl::Time t) const {
    const absl::CivilDay today = absl::ToCivilDay(t, zone_);
    for (const absl::CivilDay day : {today - 1, today}) {
      if (std::find(holidays_.begin(), holidays_.end(), day) !=
          holidays_.end()) {
        continue;
      }
      const absl::CivilSecond midnight(day);
      for (const auto& [start, end] :
           windows_[static_cast<int>(absl::GetWeekday(day))]) {
        if (absl::FromCivil(midnight + start * 60, zone_) <= t &&
            t < absl::FromCivil(midnight + end * 60, zone_)) {
          return true;
        }
      }
    }
    return false;
  }

  int64_t SecondsBetween(absl::Time a, absl::Time b) const {
    int64_t n = 0;
    for (absl::Time t = a; t < b; t += absl::Minutes(1)) {
      if (IsBusiness(t)) n += 60;
    }
    return n;
  }

  absl::Time Add(absl::Time from, int64_t minutes) const {
    absl::Time t = from;
    if (minutes == 0) {
      while (!IsBusiness(t)) t += absl::Minutes(1);
      return t;
    }
    for (int64_t counted = 0; counted < minutes; t += absl::Minutes(1)) {
      if (IsBusiness(t)) ++counted;
    }
    return t;
  }

 private:
  absl::TimeZone zone_;
  std::vector<std::pair<int, int>> windows_[7];  // Minutes; monday == 0.
  std::vector<absl::CivilDay> holidays_;
};

TEST(BusinessCalendarTest, MatchesNaiveReferenceAroundDstAndHolidays) {
  // Many windows, several touching across midnight, windows in the DST
  // hours, holidays on DST weekends.
  CalendarSpec spec;
  spec.time_zone = "Europe/London";
  spec.hours = {
      {"mon", {"01:30-04:00", "08:00-12:00", "12:00-17:00", "22:30-02:30"}},
      {"tue", {"02:30-03:00", "09:00-17:00"}},
      {"wed", {"00:00-24:00"}},
      {"thu", {"00:00-01:00", "09:00-13:00", "23:00-01:30"}},
      {"fri", {"01:30-02:00", "08:00-01:00"}},
      {"sat", {"01:00-01:45", "10:00-11:00"}},
      {"sun", {"00:30-03:00", "23:00-24:00"}},
  };
  for (int64_t shift : {int64_t{0}, int64_t{400}}) {
    spec.holidays = ShiftAll({"2026-03-27", "2026-10-25", "2026-11-03"}, shift);
    const BusinessCalendar cal = MustCreate(spec);
    const ReferenceModel ref(spec);
    uint64_t seed = 12345;
    auto next = [&seed](int64_t n) {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<int64_t>((seed >> 33) % static_cast<uint64_t>(n));
    };
    for (const char* base : {"2026-03-24T00:00:00Z", "2026-10-21T00:00:00Z"}) {
      const absl::Time start = T(base, shift);
      for (int k = 0; k < 40; ++k) {
        const absl::Time a = start + absl::Minutes(next(8 * 24 * 60));
        const absl::Time b = a + absl::Minutes(next(2 * 24 * 60));
        const int64_t minutes = next(4) == 0 ? 0 : next(1200);
        EXPECT_EQ(cal.BusinessSecondsBetween(a, b), ref.SecondsBetween(a, b))
            << Fmt(a) << " .. " << Fmt(b);
        EXPECT_EQ(Fmt(cal.AddBusinessMinutes(a, minutes)),
                  Fmt(ref.Add(a, minutes)))
            << Fmt(a) << " + " << minutes;
        EXPECT_EQ(cal.IsBusinessTime(b), ref.IsBusiness(b)) << Fmt(b);
      }
    }
  }
}

TEST(BusinessCalendarTest, SlowPathBeyondPrecomputedSpanGivesSameAnswers) {
  const int64_t kFuture = 400;
  ExpectAdds(MustCreate(NineToFiveUtc()), kNineToFiveAdds, kFuture);
  ExpectAdds(MustCreate(NineToFiveUtc()), kNineToFiveAdds, -400);
  ExpectBetweens(MustCreate(NineToFiveUtc()), kNineToFiveBetweens, kFuture);
  ExpectBetweens(MustCreate(NineToFiveUtc()), kNineToFiveBetweens, -400);
  const BusinessCalendar seeds = MustCreate(SeedsLondon(kFuture));
  ExpectAdds(seeds, kSeedsAdds, kFuture);
  ExpectBetweens(seeds, kSeedsBetweens, kFuture);
  ExpectInstants(seeds,
                 {{"2026-12-26T00:30:00Z", false, "2026-12-29T08:00:00Z"},
                  {"2026-12-24T12:00:00Z", true, "2026-12-24T12:00:00Z"}},
                 kFuture);
}

TEST(BusinessCalendarTest, CrossesEdgesOfPrecomputedSpan) {
  // 1990-01-01 is a Monday; 2100-01-01 is a Friday.
  const BusinessCalendar cal = MustCreate(NineToFiveUtc());
  ExpectAdds(cal, {
                      {"1989-12-29T16:00:00Z", 120, "1990-01-01T10:00:00Z"},
                      {"1989-12-30T00:00:00Z", 0, "1990-01-01T09:00:00Z"},
                      {"2099-12-31T16:00:00Z", 120, "2100-01-01T10:00:00Z"},
                      {"2099-12-31T18:00:00Z", 0, "2100-01-01T09:00:00Z"},
                  });
  ExpectBetweens(
      cal, {
               {"1989-12-29T00:00:00Z", "1990-01-02T00:00:00Z", 16 * 3600},
               {"2099-12-31T00:00:00Z", "2100-01-08T00:00:00Z", 48 * 3600},
           });
  // A seeds calendar whose overnight window straddles the span's end:
  // Thursday 2099-12-31 08:00 GMT .. Friday 2100-01-01 01:00.
  const BusinessCalendar seeds = MustCreate(SeedsLondon());
  ExpectAdds(seeds, {{"2099-12-31T23:30:00Z", 90, "2100-01-01T01:00:00Z"},
                     {"2099-12-31T23:30:00Z", 120, "2100-01-01T08:30:00Z"}});
  ExpectInstants(seeds,
                 {{"2100-01-01T00:00:00Z", true, "2100-01-01T00:00:00Z"},
                  {"2100-01-01T00:59:59Z", true, "2100-01-01T00:59:59Z"},
                  {"2100-01-01T01:00:00Z", false, "2100-01-01T08:00:00Z"},
                  {"1989-12-31T23:59:59Z", false, "1990-01-01T08:00:00Z"}});
  ExpectBetweens(seeds,
                 {{"2099-12-31T23:00:00Z", "2100-01-01T09:00:00Z", 3 * 3600}});
  // Business time over the whole span equals the sum of its pieces.
  const absl::Time a = T("1985-06-03T12:00:00Z");
  const absl::Time m1 = T("1990-01-01T00:00:00Z");
  const absl::Time m2 = T("2100-01-01T00:00:00Z");
  const absl::Time b = T("2105-06-03T12:00:00Z");
  EXPECT_EQ(seeds.BusinessTimeBetween(a, b),
            seeds.BusinessTimeBetween(a, m1) +
                seeds.BusinessTimeBetween(m1, m2) +
                seeds.BusinessTimeBetween(m2, b));
  // 1985-06-03 and 2105-06-03 12:00Z are inside windows, so adding the
  // business time between them lands exactly on b.
  const int64_t total = seeds.BusinessSecondsBetween(a, b);
  EXPECT_GT(total, int64_t{119} * 52 * 85 * 3600);
  EXPECT_EQ(seeds.AddBusinessTime(a, absl::Seconds(total)), b);
  // Long adds starting before the span run through it and beyond.
  // (2100-01-01 00:00Z is inside Thursday's overnight window.)
  EXPECT_EQ(seeds.AddBusinessTime(a, seeds.BusinessTimeBetween(a, m2)), m2);
  EXPECT_EQ(seeds.AddBusinessTime(m1, seeds.BusinessTimeBetween(m1, m2)), m2);
  EXPECT_EQ(seeds.AddBusinessTime(m1, seeds.BusinessTimeBetween(m1, b)), b);
}

TEST(BusinessCalendarTest, KeepsSubSecondPrecision) {
  const BusinessCalendar cal = MustCreate(NineToFiveUtc());
  EXPECT_EQ(Fmt(cal.AddBusinessMinutes(T("2026-03-09T09:00:00.5Z"), 1)),
            "2026-03-09T09:01:00.5Z");
  EXPECT_EQ(Fmt(cal.AddBusinessMinutes(T("2026-03-09T16:59:59.5Z"), 1)),
            "2026-03-10T09:00:59.5Z");
  EXPECT_EQ(Fmt(cal.AddBusinessMinutes(T("2026-03-09T08:59:59.5Z"), 1)),
            "2026-03-09T09:01:00Z");
  EXPECT_EQ(Fmt(cal.AddBusinessTime(T("2026-03-09T16:59:00Z"),
                                    absl::Milliseconds(60250))),
            "2026-03-10T09:00:00.25Z");
  EXPECT_EQ(cal.BusinessTimeBetween(T("2026-03-09T09:00:00.5Z"),
                                    T("2026-03-09T09:00:10Z")),
            absl::Milliseconds(9500));
  EXPECT_EQ(cal.BusinessSecondsBetween(T("2026-03-09T09:00:00.5Z"),
                                       T("2026-03-09T09:00:10Z")),
            9);
  EXPECT_TRUE(cal.IsBusinessTime(T("2026-03-09T16:59:59.999Z")));
  EXPECT_FALSE(cal.IsBusinessTime(T("2026-03-09T08:59:59.999Z")));
  EXPECT_EQ(Fmt(cal.NextBusinessInstant(T("2026-03-09T08:59:59.999Z"))),
            "2026-03-09T09:00:00Z");
}

TEST(BusinessCalendarTest, HandlesExtremeInputs) {
  const BusinessCalendar cal = MustCreate(NineToFiveUtc());
  const absl::Time t = T("2026-03-09T09:00:00Z");
  EXPECT_EQ(cal.AddBusinessMinutes(t, std::numeric_limits<int64_t>::max()),
            absl::InfiniteFuture());
  EXPECT_EQ(cal.AddBusinessTime(t, absl::InfiniteDuration()),
            absl::InfiniteFuture());
  EXPECT_EQ(cal.AddBusinessMinutes(t, std::numeric_limits<int64_t>::min()), t);
  EXPECT_EQ(cal.AddBusinessMinutes(absl::InfiniteFuture(), 5),
            absl::InfiniteFuture());
  EXPECT_EQ(cal.NextBusinessInstant(absl::InfiniteFuture()),
            absl::InfiniteFuture());
  EXPECT_FALSE(cal.IsBusinessTime(absl::InfiniteFuture()));
  EXPECT_FALSE(cal.IsBusinessTime(absl::InfinitePast()));
  EXPECT_EQ(cal.BusinessSecondsBetween(t, absl::InfiniteFuture()),
            std::numeric_limits<int64_t>::max());
  EXPECT_EQ(cal.BusinessSecondsBetween(absl::InfiniteFuture(), t), 0);
  EXPECT_EQ(cal.BusinessTimeBetween(absl::InfinitePast(), t),
            absl::InfiniteDuration());
  // Beyond year 9999 nothing is reached.
  EXPECT_EQ(cal.AddBusinessMinutes(T("9999-12-31T16:00:00Z"), 120),
            absl::InfiniteFuture());
  EXPECT_EQ(cal.AddBusinessMinutes(T("9999-12-31T16:00:00Z"), 60),
            T("9999-12-31T17:00:00Z"));
}

TEST(BusinessCalendarTest, IsSafeToShareAcrossThreads) {
  const BusinessCalendar cal = MustCreate(SeedsLondon());
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&cal, &failures, k] {
      const BusinessCalendar copy = cal;  // Copies share the data.
      for (int i = 0; i < 20000; ++i) {
        const absl::Time from =
            T("2026-01-01T00:00:00Z") + absl::Minutes(i * 37 + k);
        const absl::Time to = copy.AddBusinessMinutes(from, 480);
        if (copy.BusinessSecondsBetween(from, to) != 480 * 60) ++failures[k];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

TEST(BusinessCalendarTest, KeepsMemoryReasonable) {
  CalendarSpec spec = Weekdays("Europe/London", {"07:00-09:00", "09:30-12:00",
                                                 "13:00-15:00", "15:30-18:00"});
  for (int i = 0; i < 50; ++i) {
    spec.holidays.push_back(
        absl::FormatCivilTime(absl::CivilDay(2025, 1, 1) + i * 29));
  }
  const BusinessCalendar cal = MustCreate(spec);
  EXPECT_LT(cal.MemoryUsageBytes(), size_t{3} << 20);
  EXPECT_LT(BusinessCalendar::AlwaysOpen().MemoryUsageBytes(),
            size_t{256} << 10);
}

// ---------------------------------------------------------------------------
// Validation.

struct InvalidCase {
  std::string name;
  CalendarSpec spec;
  std::vector<std::string> message_parts;
};

TEST(BusinessCalendarTest, RejectsInvalidSpecs) {
  auto with_hours = [](std::map<std::string, std::vector<std::string>> hours) {
    CalendarSpec spec;
    spec.time_zone = "UTC";
    spec.hours = std::move(hours);
    return spec;
  };
  auto with_holiday = [](const std::string& date) {
    CalendarSpec spec = NineToFiveUtc();
    spec.holidays = {"2026-12-25", date};
    return spec;
  };
  const std::vector<InvalidCase> cases = {
      {"overlap same day",
       with_hours({{"mon", {"09:00-12:00", "11:00-13:00"}}}),
       {"hours.mon", "\"11:00-13:00\"", "overlaps", "\"09:00-12:00\""}},
      {"duplicate window",
       with_hours({{"wed", {"09:00-12:00", "09:00-12:00"}}}),
       {"hours.wed", "overlaps"}},
      {"overnight overlaps same day",
       with_hours({{"mon", {"20:00-02:00", "21:00-22:00"}}}),
       {"hours.mon", "overlaps"}},
      {"overlap with previous overnight",
       with_hours({{"mon", {"20:00-02:00"}}, {"tue", {"01:00-05:00"}}}),
       {"hours.tue", "\"01:00-05:00\"", "overnight", "\"20:00-02:00\"", "mon",
        "02:00"}},
      {"overlap wraps sunday to monday",
       with_hours({{"sun", {"20:00-02:00"}}, {"mon", {"00:00-05:00"}}}),
       {"hours.mon", "overnight", "sun"}},
      {"hour 25",
       with_hours({{"fri", {"25:00-26:00"}}}),
       {"hours.fri[0]", "\"25:00-26:00\"", "start"}},
      {"end 24:30",
       with_hours({{"fri", {"09:00-24:30"}}}),
       {"hours.fri[0]", "end", "\"24:30\""}},
      {"minute 60",
       with_hours({{"fri", {"09:60-10:00"}}}),
       {"hours.fri[0]", "start"}},
      {"am suffix",
       with_hours({{"thu", {"9:00am-17:00"}}}),
       {"hours.thu[0]", "\"9:00am-17:00\"", "HH:MM-HH:MM"}},
      {"single digit hour",
       with_hours({{"thu", {"9:00-17:00"}}}),
       {"hours.thu[0]", "HH:MM-HH:MM"}},
      {"spaces",
       with_hours({{"thu", {"09:00 - 17:00"}}}),
       {"hours.thu[0]", "HH:MM-HH:MM"}},
      {"no separator",
       with_hours({{"thu", {"09:00_17:00"}}}),
       {"hours.thu[0]", "HH:MM-HH:MM"}},
      {"empty window", with_hours({{"thu", {""}}}), {"hours.thu[0]"}},
      {"start equals end",
       with_hours({{"sat", {"09:00-09:00"}}}),
       {"hours.sat[0]", "equal", "00:00-24:00"}},
      {"start 24:00",
       with_hours({{"sat", {"24:00-02:00"}}}),
       {"hours.sat[0]", "24:00"}},
      {"second window bad",
       with_hours({{"sat", {"09:00-10:00", "x"}}}),
       {"hours.sat[1]", "\"x\""}},
      {"unknown day",
       with_hours({{"monday", {"09:00-17:00"}}}),
       {"unknown day", "\"monday\"", "mon, tue"}},
      {"capitalised day",
       with_hours({{"Mon", {"09:00-17:00"}}}),
       {"unknown day", "\"Mon\""}},
      {"no hours at all", with_hours({}), {"no business hours"}},
      {"only empty days",
       with_hours({{"mon", {}}, {"sun", {}}}),
       {"no business hours"}},
      {"february 30",
       with_holiday("2026-02-30"),
       {"holidays[1]", "\"2026-02-30\"", "YYYY-MM-DD"}},
      {"month 13", with_holiday("2026-13-01"), {"holidays[1]"}},
      {"slashes", with_holiday("2026/12/25"), {"holidays[1]"}},
      {"short year", with_holiday("26-12-25"), {"holidays[1]"}},
      {"datetime", with_holiday("2026-12-25T00:00"), {"holidays[1]"}},
  };
  for (const InvalidCase& c : cases) {
    const absl::StatusOr<BusinessCalendar> cal =
        BusinessCalendar::Create(c.spec, absl::UTCTimeZone());
    ASSERT_FALSE(cal.ok()) << c.name;
    EXPECT_EQ(cal.status().code(), absl::StatusCode::kInvalidArgument)
        << c.name;
    for (const std::string& part : c.message_parts) {
      EXPECT_NE(cal.status().message().find(part), absl::string_view::npos)
          << c.name << ": \"" << cal.status().message() << "\" lacks \"" << part
          << "\"";
    }
  }
}

TEST(BusinessCalendarTest, AcceptsValidEdgeSpecs) {
  const std::vector<std::map<std::string, std::vector<std::string>>> cases = {
      {{"mon", {"00:00-24:00"}}},
      {{"mon", {"09:00-12:00", "12:00-17:00"}}},  // Touching.
      {{"mon", {"20:00-02:00"}}, {"tue", {"02:00-05:00"}}},
      {{"sun", {"23:00-00:00"}}, {"mon", {"00:00-01:00"}}},
      {{"fri", {"10:00-09:59"}}},  // 23 h 59 min.
      {{"sat", {}}, {"sun", {"12:00-13:00"}}},
  };
  for (const auto& hours : cases) {
    CalendarSpec spec;
    spec.time_zone = "UTC";
    spec.hours = hours;
    spec.holidays = {"2026-12-25", "2026-12-25", "2024-02-29"};
    const absl::StatusOr<BusinessCalendar> cal =
        BusinessCalendar::Create(spec, absl::UTCTimeZone());
    EXPECT_TRUE(cal.ok()) << cal.status();
  }
  // "23:00-00:00" ends at midnight: Sunday 23:00 .. Monday 01:00 is business.
  CalendarSpec spec;
  spec.time_zone = "UTC";
  spec.hours = {{"sun", {"23:00-00:00"}}, {"mon", {"00:00-01:00"}}};
  const BusinessCalendar cal = MustCreate(spec);
  EXPECT_EQ(cal.BusinessSecondsBetween(T("2026-03-08T00:00:00Z"),
                                       T("2026-03-10T00:00:00Z")),
            2 * 3600);
}

}  // namespace
}  // namespace casedesk::core
