#include "core/oncall_schedule.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

// Expectations are worked out by hand. Europe/London: BST starts 2026-03-29 01:00Z (local 01:00
// jumps to 02:00) and ends 2026-10-25 01:00Z (local 02:00 BST falls back to 01:00 GMT).
// 2026-03-02, 2026-03-09, 2026-03-30 and 2026-10-19 are Mondays.

namespace casedesk::core {
namespace {

using ::testing::HasSubstr;

absl::Time T(const std::string& text) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &t, &error)) {
    ADD_FAILURE() << "bad time in test: " << text << ": " << error;
  }
  return t;
}

const absl::TimeZone& London() {
  static const absl::TimeZone zone = [] {
    absl::TimeZone z;
    if (!absl::LoadTimeZone("Europe/London", &z)) std::abort();
    return z;
  }();
  return zone;
}

OnCallWindow W(absl::Weekday day, const std::string& text) {
  absl::StatusOr<OnCallWindow> window = ParseOnCallWindow(day, text);
  if (!window.ok()) ADD_FAILURE() << window.status();
  return window.value_or(OnCallWindow{});
}

std::vector<OnCallWindow> Daily(const std::string& text) {
  std::vector<OnCallWindow> windows;
  for (const auto& [day, key] : kWeekdayKeys) windows.push_back(W(day, text));
  return windows;
}

OnCallLayer Layer(std::string name, std::vector<UserId> participants, absl::CivilMinute start,
                  int64_t turn_minutes, std::vector<OnCallWindow> restrictions = {}) {
  return {.name = std::move(name),
          .participants = std::move(participants),
          .start = start,
          .turn_minutes = turn_minutes,
          .restrictions = std::move(restrictions)};
}

OnCallSchedule Schedule(std::vector<OnCallLayer> layers,
                        std::vector<OnCallOverride> overrides = {}) {
  return {.name = "primary",
          .display_name = "Primary on-call",
          .time_zone = "Europe/London",
          .layers = std::move(layers),
          .overrides = std::move(overrides)};
}

constexpr int64_t kWeek = 7 * 24 * 60;
constexpr int64_t kDay = 24 * 60;

struct WhoCase {
  const char* name;
  const char* at;
  std::optional<UserId> user;  // nullopt: nobody
  const char* layer = "";
  const char* since = "";
  const char* until = "";
};

void ExpectWho(const OnCallSchedule& schedule, const std::vector<WhoCase>& cases) {
  ASSERT_TRUE(ValidateOnCallSchedule(schedule, London()).ok())
      << ValidateOnCallSchedule(schedule, London());
  for (const WhoCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::optional<OnCallShift> shift = WhoIsOnCall(schedule, London(), T(c.at));
    if (!c.user) {
      EXPECT_FALSE(shift.has_value()) << shift->user;
      continue;
    }
    ASSERT_TRUE(shift.has_value());
    EXPECT_EQ(shift->user, *c.user);
    EXPECT_EQ(shift->layer, c.layer);
    EXPECT_EQ(shift->since, T(c.since)) << absl::FormatTime(shift->since);
    EXPECT_EQ(shift->until, T(c.until)) << absl::FormatTime(shift->until);
  }
}

TEST(OnCallWindowTest, ParsesAndFormats) {
  const OnCallWindow overnight = W(absl::Weekday::saturday, "22:00-06:00");
  EXPECT_EQ(overnight, (OnCallWindow{absl::Weekday::saturday, 22 * 60, 6 * 60}));
  EXPECT_EQ(OnCallWindowText(overnight), "22:00-06:00");
  EXPECT_EQ(OnCallWindowText(W(absl::Weekday::monday, "00:00-24:00")), "00:00-24:00");
  EXPECT_EQ(OnCallWindowText(W(absl::Weekday::monday, "22:00-00:00")), "22:00-00:00");
  for (const char* bad : {"9:00-17:00", "24:00-01:00", "10:00-10:00", "10:00-25:00", "10:00-12:60",
                          "10:00 12:00", ""}) {
    SCOPED_TRACE(bad);
    absl::StatusOr<OnCallWindow> window = ParseOnCallWindow(absl::Weekday::monday, bad);
    EXPECT_EQ(window.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(window.status().message(), HasSubstr("window"));
  }
}

TEST(WhoIsOnCallTest, WeeklyRotationKeepsMondayNineLocalAcrossDst) {
  const OnCallSchedule schedule =
      Schedule({Layer("weekly", {1, 2, 3}, absl::CivilMinute(2026, 3, 2, 9, 0), kWeek)});
  ExpectWho(
      schedule,
      {
          {"before start", "2026-03-02T08:59:59Z", std::nullopt},
          {"first handoff", "2026-03-02T09:00:00Z", 1, "weekly", "2026-03-02T09:00:00Z",
           "2026-03-09T09:00:00Z"},
          {"third week", "2026-03-16T12:00:00Z", 3, "weekly", "2026-03-16T09:00:00Z",
           "2026-03-23T09:00:00Z"},
          // The week of the spring change: the next handoff is 09:00 BST, 08:00Z.
          {"into BST", "2026-03-25T00:00:00Z", 1, "weekly", "2026-03-23T09:00:00Z",
           "2026-03-30T08:00:00Z"},
          {"just before", "2026-03-30T07:59:00Z", 1, "weekly", "2026-03-23T09:00:00Z",
           "2026-03-30T08:00:00Z"},
          {"first BST week", "2026-03-30T08:30:00Z", 2, "weekly", "2026-03-30T08:00:00Z",
           "2026-04-06T08:00:00Z"},
          // 33 weeks after the start: turn 33, participant 1; the next handoff is back in GMT.
          {"out of BST", "2026-10-20T00:00:00Z", 1, "weekly", "2026-10-19T08:00:00Z",
           "2026-10-26T09:00:00Z"},
          {"first GMT week", "2026-10-26T09:00:00Z", 2, "weekly", "2026-10-26T09:00:00Z",
           "2026-11-02T09:00:00Z"},
      });
}

TEST(WhoIsOnCallTest, DailyHandoffInsideTheSkippedAndTheRepeatedHour) {
  // 01:30 local does not exist on 2026-03-29: that handoff happens when clocks jump (01:00Z).
  ExpectWho(Schedule({Layer("daily", {1, 2}, absl::CivilMinute(2026, 3, 27, 1, 30), kDay)}),
            {
                {"saturday turn", "2026-03-29T00:59:00Z", 2, "daily", "2026-03-28T01:30:00Z",
                 "2026-03-29T01:00:00Z"},
                {"skipped handoff", "2026-03-29T01:00:00Z", 1, "daily", "2026-03-29T01:00:00Z",
                 "2026-03-30T00:30:00Z"},
                {"bst handoff", "2026-03-30T00:30:00Z", 2, "daily", "2026-03-30T00:30:00Z",
                 "2026-03-31T00:30:00Z"},
            });
  // 01:30 local happens twice on 2026-10-25: the handoff is at the first (00:30Z); during the
  // second 01:00-02:00 the new turn already holds.
  ExpectWho(Schedule({Layer("daily", {1, 2}, absl::CivilMinute(2026, 10, 23, 1, 30), kDay)}),
            {
                {"saturday turn", "2026-10-25T00:29:00Z", 2, "daily", "2026-10-24T00:30:00Z",
                 "2026-10-25T00:30:00Z"},
                {"first 01:30", "2026-10-25T00:30:00Z", 1, "daily", "2026-10-25T00:30:00Z",
                 "2026-10-26T01:30:00Z"},
                {"second 01:15", "2026-10-25T01:15:00Z", 1, "daily", "2026-10-25T00:30:00Z",
                 "2026-10-26T01:30:00Z"},
                {"gmt handoff", "2026-10-26T01:30:00Z", 2, "daily", "2026-10-26T01:30:00Z",
                 "2026-10-27T01:30:00Z"},
            });
}

TEST(WhoIsOnCallTest, DayAndNightLayersWithRestrictions) {
  const absl::CivilMinute start(2026, 3, 2, 8, 0);
  ExpectWho(Schedule({Layer("day", {10, 11}, start, kDay, Daily("08:00-20:00")),
                      Layer("night", {20, 21}, start, kWeek, Daily("20:00-08:00"))}),
            {
                {"monday day", "2026-03-02T12:00:00Z", 10, "day", "2026-03-02T08:00:00Z",
                 "2026-03-02T20:00:00Z"},
                {"monday night", "2026-03-02T21:00:00Z", 20, "night", "2026-03-02T20:00:00Z",
                 "2026-03-03T08:00:00Z"},
                {"tuesday day", "2026-03-03T09:00:00Z", 11, "day", "2026-03-03T08:00:00Z",
                 "2026-03-03T20:00:00Z"},
                // The night rotation hands over at 08:00 Monday, when the night layer is off.
                {"second week night", "2026-03-09T07:00:00Z", 20, "night", "2026-03-08T20:00:00Z",
                 "2026-03-09T08:00:00Z"},
                {"second week night 2", "2026-03-09T21:00:00Z", 21, "night", "2026-03-09T20:00:00Z",
                 "2026-03-10T08:00:00Z"},
                // In BST the windows follow local time: 08:00 BST is 07:00Z.
                {"bst day", "2026-03-30T07:00:00Z", 10, "day", "2026-03-30T07:00:00Z",
                 "2026-03-30T19:00:00Z"},
            });
}

TEST(WhoIsOnCallTest, HigherLayerWinsWhileItAppliesAndAdjacentWindowsJoin) {
  const absl::CivilMinute start(2026, 3, 2, 9, 0);
  ExpectWho(Schedule({Layer("weekly", {1, 2}, start, kWeek),
                      Layer("weekend", {7}, start, kWeek,
                            {W(absl::Weekday::saturday, "00:00-24:00"),
                             W(absl::Weekday::sunday, "00:00-24:00")})}),
            {
                {"weekday", "2026-03-04T12:00:00Z", 1, "weekly", "2026-03-02T09:00:00Z",
                 "2026-03-07T00:00:00Z"},
                {"saturday", "2026-03-07T12:00:00Z", 7, "weekend", "2026-03-07T00:00:00Z",
                 "2026-03-09T00:00:00Z"},
                // After the weekend the base layer's old turn runs until the 09:00 handoff.
                {"monday early", "2026-03-09T03:00:00Z", 1, "weekly", "2026-03-09T00:00:00Z",
                 "2026-03-09T09:00:00Z"},
                {"monday late", "2026-03-09T10:00:00Z", 2, "weekly", "2026-03-09T09:00:00Z",
                 "2026-03-14T00:00:00Z"},
            });
}

TEST(WhoIsOnCallTest, OverridesBeatLayersAndTheLatestStartingWins) {
  const OnCallSchedule schedule =
      Schedule({Layer("weekly", {1, 2}, absl::CivilMinute(2026, 3, 2, 9, 0), kWeek)},
               {{.user = 5,
                 .start = T("2026-03-04T10:00:00Z"),
                 .end = T("2026-03-04T18:00:00Z"),
                 .reason = "swap"},
                {.user = 6,
                 .start = T("2026-03-04T12:00:00Z"),
                 .end = T("2026-03-04T14:00:00Z"),
                 .reason = "dentist cover"},
                // Equal starts: the later one in the list wins.
                {.user = 8,
                 .start = T("2026-03-05T10:00:00Z"),
                 .end = T("2026-03-05T11:00:00Z"),
                 .reason = ""},
                {.user = 9,
                 .start = T("2026-03-05T10:00:00Z"),
                 .end = T("2026-03-05T12:00:00Z"),
                 .reason = ""},
                // The same user as the layer still shows as an override.
                {.user = 1,
                 .start = T("2026-03-06T10:00:00Z"),
                 .end = T("2026-03-06T11:00:00Z"),
                 .reason = ""},
                // Before the schedule starts nobody is on call, overrides included.
                {.user = 5,
                 .start = T("2026-03-01T10:00:00Z"),
                 .end = T("2026-03-02T10:00:00Z"),
                 .reason = ""}});
  ExpectWho(schedule, {
                          {"before start", "2026-03-02T08:00:00Z", std::nullopt},
                          {"override at start", "2026-03-02T09:30:00Z", 5, "override",
                           "2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"},
                          {"layer", "2026-03-03T12:00:00Z", 1, "weekly", "2026-03-02T10:00:00Z",
                           "2026-03-04T10:00:00Z"},
                          {"first override", "2026-03-04T11:00:00Z", 5, "override",
                           "2026-03-04T10:00:00Z", "2026-03-04T12:00:00Z"},
                          {"later override on top", "2026-03-04T13:00:00Z", 6, "override",
                           "2026-03-04T12:00:00Z", "2026-03-04T14:00:00Z"},
                          {"first override again", "2026-03-04T15:00:00Z", 5, "override",
                           "2026-03-04T14:00:00Z", "2026-03-04T18:00:00Z"},
                          {"back to layer", "2026-03-04T19:00:00Z", 1, "weekly",
                           "2026-03-04T18:00:00Z", "2026-03-05T10:00:00Z"},
                          {"equal starts", "2026-03-05T10:30:00Z", 9, "override",
                           "2026-03-05T10:00:00Z", "2026-03-05T12:00:00Z"},
                          {"same user override", "2026-03-06T10:30:00Z", 1, "override",
                           "2026-03-06T10:00:00Z", "2026-03-06T11:00:00Z"},
                          {"after", "2026-03-06T12:00:00Z", 1, "weekly", "2026-03-06T11:00:00Z",
                           "2026-03-09T09:00:00Z"},
                      });
}

TEST(WhoIsOnCallTest, StretchesAreBoundedByTheSearchHorizon) {
  const OnCallSchedule schedule =
      Schedule({Layer("solo", {4, 4}, absl::CivilMinute(2026, 1, 5, 9, 0), kDay)});
  const absl::Time at = T("2026-06-01T12:00:00Z");
  const std::optional<OnCallShift> shift = WhoIsOnCall(schedule, London(), at);
  ASSERT_TRUE(shift.has_value());
  EXPECT_EQ(shift->user, 4);
  EXPECT_EQ(shift->since, at - kOnCallSearchHorizon);
  EXPECT_EQ(shift->until, at + kOnCallSearchHorizon);
  // Near the start, since is the start.
  const std::optional<OnCallShift> early =
      WhoIsOnCall(schedule, London(), T("2026-01-10T00:00:00Z"));
  ASSERT_TRUE(early.has_value());
  EXPECT_EQ(early->since, T("2026-01-05T09:00:00Z"));
}

// A minute-by-minute reference straight from the rules, for comparison. Queries must come in
// ascending time (it keeps each layer's turn from one query to the next).
class ReferenceOnCall {
 public:
  explicit ReferenceOnCall(const OnCallSchedule& schedule)
      : schedule_(schedule), turns_(schedule.layers.size(), 0) {}

  // (user, layer) or nullopt.
  std::optional<std::pair<UserId, std::string>> At(absl::Time t) {
    absl::Time start = absl::InfiniteFuture();
    for (const OnCallLayer& l : schedule_.layers) start = std::min(start, Local(l.start));
    if (t < start) return std::nullopt;
    const OnCallOverride* winner = nullptr;
    for (const OnCallOverride& o : schedule_.overrides) {
      if (o.start <= t && t < o.end && (winner == nullptr || o.start >= winner->start)) {
        winner = &o;
      }
    }
    if (winner != nullptr) return std::make_pair(winner->user, std::string("override"));
    for (size_t i = schedule_.layers.size(); i-- > 0;) {
      const OnCallLayer& l = schedule_.layers[i];
      if (t < Local(l.start) || !InRestrictions(l, t)) continue;
      int64_t& k = turns_[i];
      while (Local(l.start + (k + 1) * l.turn_minutes) <= t) ++k;
      return std::make_pair(l.participants[k % l.participants.size()], l.name);
    }
    return std::nullopt;
  }

 private:
  static absl::Time Local(absl::CivilMinute m) {
    return absl::FromCivil(absl::CivilSecond(m), London());
  }

  static bool InRestrictions(const OnCallLayer& l, absl::Time t) {
    if (l.restrictions.empty()) return true;
    const absl::CivilDay today(London().At(t).cs);
    for (absl::CivilDay d = today - 2; d <= today + 1; ++d) {
      for (const OnCallWindow& w : l.restrictions) {
        if (w.day != absl::GetWeekday(d)) continue;
        const int end = w.end_minute > w.start_minute ? w.end_minute : w.end_minute + 1440;
        const absl::CivilMinute midnight(d);
        if (Local(midnight + w.start_minute) <= t && t < Local(midnight + end)) return true;
      }
    }
    return false;
  }

  const OnCallSchedule& schedule_;
  std::vector<int64_t> turns_;
};

TEST(WhoIsOnCallTest, AgreesWithAMinuteByMinuteReferenceAcrossDst) {
  const OnCallSchedule schedule = Schedule(
      {Layer("base", {1, 2, 3}, absl::CivilMinute(2026, 3, 16, 1, 30), 330),
       Layer("night", {4, 5}, absl::CivilMinute(2026, 3, 17, 1, 30), kDay,
             [] {
               std::vector<OnCallWindow> windows = Daily("22:00-02:00");
               windows.push_back(W(absl::Weekday::sunday, "02:00-03:30"));
               return windows;
             }()),
       Layer(
           "lunch", {6, 6, 1}, absl::CivilMinute(2026, 3, 18, 0, 0), kWeek,
           {W(absl::Weekday::wednesday, "12:00-13:00"), W(absl::Weekday::sunday, "01:15-01:45")})},
      {{.user = 7,
        .start = T("2026-03-29T00:30:00Z"),
        .end = T("2026-03-29T01:30:00Z"),
        .reason = ""},
       {.user = 8,
        .start = T("2026-03-29T01:00:00Z"),
        .end = T("2026-03-29T01:10:00Z"),
        .reason = ""},
       {.user = 9,
        .start = T("2026-10-25T00:45:00Z"),
        .end = T("2026-10-25T01:15:00Z"),
        .reason = ""}});
  ASSERT_TRUE(ValidateOnCallSchedule(schedule, London()).ok())
      << ValidateOnCallSchedule(schedule, London());
  for (const auto& [from, to] : {std::pair{"2026-03-15T00:00:00Z", "2026-04-06T00:00:00Z"},
                                 std::pair{"2026-10-20T00:00:00Z", "2026-10-30T00:00:00Z"}}) {
    ReferenceOnCall reference(schedule);
    std::vector<absl::Time> minutes;
    std::vector<std::optional<std::pair<UserId, std::string>>> answers;
    for (absl::Time t = T(from); t < T(to); t += absl::Minutes(1)) {
      minutes.push_back(t);
      answers.push_back(reference.At(t));
    }
    // Runs of equal answers; [run_start[i], run_end[i]) holds minute i.
    const size_t n = minutes.size();
    std::vector<size_t> run_start(n), run_end(n);
    for (size_t i = 0; i < n; ++i) {
      run_start[i] = (i > 0 && answers[i] == answers[i - 1]) ? run_start[i - 1] : i;
    }
    for (size_t i = n; i-- > 0;) {
      run_end[i] = (i + 1 < n && answers[i] == answers[i + 1]) ? run_end[i + 1] : i + 1;
    }
    int mismatches = 0;
    for (size_t i = 0; i < n && mismatches < 5; ++i) {
      const std::optional<OnCallShift> shift = WhoIsOnCall(schedule, London(), minutes[i]);
      const auto got =
          shift ? std::optional(std::make_pair(shift->user, shift->layer)) : std::nullopt;
      bool ok = got == answers[i];
      if (ok && shift && run_start[i] > 0) ok = shift->since == minutes[run_start[i]];
      if (ok && shift && run_end[i] < n) ok = shift->until == minutes[run_end[i]];
      if (!ok) {
        ++mismatches;
        ADD_FAILURE() << "at " << absl::FormatTime(minutes[i]) << ": expected "
                      << (answers[i] ? answers[i]->second : "nobody") << " "
                      << (answers[i] ? answers[i]->first : 0) << " from "
                      << absl::FormatTime(minutes[run_start[i]]) << ", got "
                      << (shift ? shift->layer : "nobody") << " " << (shift ? shift->user : 0)
                      << (shift ? " " + absl::FormatTime(shift->since) + " .. " +
                                      absl::FormatTime(shift->until)
                                : "");
      }
    }
  }
}

struct BadScheduleCase {
  const char* name;
  std::function<void(OnCallSchedule&)> mutate;
  const char* message;
};

OnCallSchedule ValidSchedule() {
  const absl::CivilMinute start(2026, 3, 2, 8, 0);
  return Schedule({Layer("day", {10, 11}, start, kDay, Daily("08:00-20:00")),
                   Layer("night", {20, 21}, start, kWeek, Daily("20:00-08:00"))},
                  {{.user = 5,
                    .start = T("2026-03-04T10:00:00Z"),
                    .end = T("2026-03-04T18:00:00Z"),
                    .reason = "swap"}});
}

TEST(ValidateOnCallScheduleTest, AcceptsAValidSchedule) {
  const std::set<UserId> known = {5, 10, 11, 20, 21};
  EXPECT_TRUE(ValidateOnCallSchedule(ValidSchedule(), London(), &known).ok());
}

TEST(ValidateOnCallScheduleTest, RejectsBadSchedulesWithClearErrors) {
  const absl::CivilMinute monday(2026, 3, 2, 9, 0);
  const std::vector<BadScheduleCase> cases = {
      {"upper-case name", [](OnCallSchedule& s) { s.name = "Primary"; },
       "name: must be 1 to 64 characters of lower-case letters, digits, '_' and '-', got "
       "'Primary'"},
      {"empty name", [](OnCallSchedule& s) { s.name = ""; }, "name: must be 1 to 64"},
      {"long name", [](OnCallSchedule& s) { s.name = std::string(65, 'a'); },
       "name: must be 1 to 64"},
      {"long display name", [](OnCallSchedule& s) { s.display_name = std::string(201, 'x'); },
       "display_name: must be at most 200 characters"},
      {"no time zone", [](OnCallSchedule& s) { s.time_zone = ""; },
       "time_zone: an IANA time zone name is required"},
      {"no layers", [](OnCallSchedule& s) { s.layers.clear(); },
       "layers: a schedule needs at least one layer"},
      {"no participants", [](OnCallSchedule& s) { s.layers[1].participants.clear(); },
       "layers[1] ('night'): participants: a layer needs at least one participant"},
      {"zero participant", [](OnCallSchedule& s) { s.layers[0].participants[1] = 0; },
       "layers[0] ('day'): participants[1]: 0 is not a user id"},
      {"zero turn", [](OnCallSchedule& s) { s.layers[0].turn_minutes = 0; },
       "layers[0] ('day'): turn_minutes must be 1 to 525600 (365 days), got 0"},
      {"negative turn", [](OnCallSchedule& s) { s.layers[1].turn_minutes = -60; },
       "layers[1] ('night'): turn_minutes must be 1 to 525600 (365 days), got -60"},
      {"duplicate layer name", [](OnCallSchedule& s) { s.layers[1].name = "day"; },
       "layers[1] ('day'): name 'day' is used by layers[0] too"},
      {"empty layer name", [](OnCallSchedule& s) { s.layers[1].name = ""; },
       "layers[1]: name must be 1 to 100 characters"},
      {"reserved layer name", [](OnCallSchedule& s) { s.layers[1].name = "override"; },
       "layers[1] ('override'): name 'override' is reserved for overrides"},
      {"ancient start", [](OnCallSchedule& s) { s.layers[0].start = absl::CivilMinute(1900); },
       "layers[0] ('day'): start must be in the years 1970 to 9999, got 1900-01-01 00:00"},
      {"malformed window",
       [](OnCallSchedule& s) { s.layers[0].restrictions[2].start_minute = 1440; },
       "layers[0] ('day'): restrictions[2]: a window starts at 00:00 to 23:59"},
      {"overlap on one day",
       [](OnCallSchedule& s) {
         s.layers[0].restrictions.push_back(W(absl::Weekday::tuesday, "19:00-21:00"));
       },
       "layers[0] ('day'): restrictions[7] (tue 19:00-21:00) overlaps restrictions[1] (tue "
       "08:00-20:00)"},
      {"overlap across midnight",
       [](OnCallSchedule& s) {
         s.layers[1].restrictions.push_back(W(absl::Weekday::thursday, "07:00-08:00"));
       },
       "layers[1] ('night'): restrictions[7] (thu 07:00-08:00) overlaps restrictions[2] (wed "
       "20:00-08:00)"},
      {"overlap from sunday into monday",
       [](OnCallSchedule& s) {
         s.layers[1].restrictions.push_back(W(absl::Weekday::monday, "01:00-02:00"));
       },
       "layers[1] ('night'): restrictions[7] (mon 01:00-02:00) overlaps restrictions[6] (sun "
       "20:00-08:00)"},
      {"override backwards",
       [](OnCallSchedule& s) { std::swap(s.overrides[0].start, s.overrides[0].end); },
       "overrides[0]: end must be after start"},
      {"override empty", [](OnCallSchedule& s) { s.overrides[0].end = s.overrides[0].start; },
       "overrides[0]: end must be after start"},
      {"override without user", [](OnCallSchedule& s) { s.overrides[0].user = 0; },
       "overrides[0]: user: 0 is not a user id"},
      {"weekly gap across midnight", [](OnCallSchedule& s) { s.layers.pop_back(); },
       "layer coverage has a gap: nobody is on call from Monday 20:00 to Tuesday 08:00 "
       "(local)"},
      {"weekly gap inside a day",
       [monday](OnCallSchedule& s) {
         std::vector<OnCallWindow> windows;
         for (const auto& [day, key] : kWeekdayKeys) {
           if (day != absl::Weekday::saturday) windows.push_back(W(day, "00:00-24:00"));
         }
         windows.push_back(W(absl::Weekday::saturday, "00:00-01:00"));
         windows.push_back(W(absl::Weekday::saturday, "08:00-24:00"));
         s.layers = {Layer("most", {1}, monday, kWeek, windows)};
       },
       "layer coverage has a gap: nobody is on call on Saturday 01:00-08:00 (local)"},
      {"weekend gap",
       [monday](OnCallSchedule& s) {
         std::vector<OnCallWindow> windows;
         for (const auto& [day, key] : kWeekdayKeys) {
           if (day < absl::Weekday::saturday) windows.push_back(W(day, "00:00-24:00"));
         }
         s.layers = {Layer("weekdays", {1}, monday, kWeek, windows)};
       },
       "layer coverage has a gap: nobody is on call from Saturday 00:00 to Monday 00:00 "
       "(local)"},
      {"gap before a later layer starts",
       [](OnCallSchedule& s) {
         s.layers = {Layer("weekly", {1, 2}, absl::CivilMinute(2026, 3, 9, 9, 0), kWeek),
                     Layer("night", {3}, absl::CivilMinute(2026, 3, 2, 20, 0), kWeek,
                           Daily("20:00-08:00"))};
       },
       "layer coverage has a gap: nobody is on call from 2026-03-03 08:00 to 2026-03-03 20:00 "
       "(local), before layers[0] ('weekly') starts at 2026-03-09 09:00"},
      {"gap at the start",
       [monday](OnCallSchedule& s) {
         s.layers = {Layer("weekly", {1, 2}, absl::CivilMinute(2026, 3, 9, 9, 0), kWeek),
                     Layer("night", {3}, monday, kWeek, Daily("20:00-08:00"))};
       },
       "nobody is on call from 2026-03-02 09:00 to 2026-03-02 20:00 (local), before layers[0] "
       "('weekly')"},
  };
  for (const BadScheduleCase& c : cases) {
    SCOPED_TRACE(c.name);
    OnCallSchedule schedule = ValidSchedule();
    c.mutate(schedule);
    const absl::Status status = ValidateOnCallSchedule(schedule, London());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_THAT(status.message(), HasSubstr(c.message));
  }
}

TEST(ValidateOnCallScheduleTest, ChecksUsersAgainstTheKnownSet) {
  const std::set<UserId> known = {5, 10, 11, 20};
  EXPECT_EQ(std::string(ValidateOnCallSchedule(ValidSchedule(), London(), &known).message()),
            "layers[1] ('night'): participants[1]: unknown user 21");
  OnCallSchedule schedule = ValidSchedule();
  schedule.layers[1].participants = {20};
  schedule.overrides[0].user = 99;
  EXPECT_EQ(std::string(ValidateOnCallSchedule(schedule, London(), &known).message()),
            "overrides[0]: user: unknown user 99");
}

TEST(ValidateOnCallScheduleTest, AGapThatDstSkipsIsNoGap) {
  // The lower layer leaves out Sunday 01:00-02:00 local; the always-on layer starts at 03:00.
  std::vector<OnCallWindow> windows;
  for (const auto& [day, key] : kWeekdayKeys) {
    if (day != absl::Weekday::sunday) windows.push_back(W(day, "00:00-24:00"));
  }
  windows.push_back(W(absl::Weekday::sunday, "00:00-01:00"));
  windows.push_back(W(absl::Weekday::sunday, "02:00-24:00"));
  auto schedule_from = [&](absl::CivilDay sunday) {
    return Schedule({Layer("mostly", {1}, absl::CivilMinute(sunday), kWeek, windows),
                     Layer("always", {2}, absl::CivilMinute(sunday) + 3 * 60, kWeek)});
  };
  // On 2026-03-29 local 01:00-02:00 does not exist.
  EXPECT_TRUE(ValidateOnCallSchedule(schedule_from(absl::CivilDay(2026, 3, 29)), London()).ok());
  EXPECT_EQ(
      std::string(
          ValidateOnCallSchedule(schedule_from(absl::CivilDay(2026, 3, 22)), London()).message()),
      "layer coverage has a gap: nobody is on call from 2026-03-22 01:00 to 2026-03-22 "
      "02:00 (local), before layers[1] ('always') starts at 2026-03-22 03:00");
}

}  // namespace
}  // namespace casedesk::core
