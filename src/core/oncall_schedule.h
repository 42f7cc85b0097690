// On-call schedules (PagerDuty-like): layers of participants who take turns, optionally
// restricted to weekly windows, and overrides that put one person on call for a stretch of time.
// Validation run when a schedule is saved (including an exact check that the layers leave no
// gap), and the "who is on call at this instant" query. Pure: the caller loads the time zone.
// Thread-safe: value types and pure functions.
//
// Semantics:
//  * A layer's participants take turns in order from `start`, a local wall-clock time in the
//    schedule's zone. Handoff k happens at the local wall-clock time start + k * turn_minutes
//    (civil arithmetic), so a weekly handoff stays at Monday 09:00 local across DST. A local
//    time skipped by a DST change is taken as the instant clocks jump to; one that occurs twice
//    at its first occurrence (the same rule as the business calendar).
//  * A restriction window belongs to the day it starts on and may run into the next day
//    ("22:00-06:00"); a layer with restrictions applies only inside them, one without applies
//    always (from its start on).
//  * Among the layers that apply at an instant the last one in `layers` wins; an override beats
//    every layer, and when overrides overlap the latest-starting one wins (on equal starts, the
//    later one in `overrides`).
//  * The schedule starts at the earliest layer start; before that nobody is on call, overrides
//    included.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "core/enum_names.h"
#include "core/ids.h"

namespace casedesk::core {

// Day keys as used in restriction windows and calendar files.
inline constexpr std::array<std::pair<absl::Weekday, std::string_view>, 7> kWeekdayKeys{{
    {absl::Weekday::monday, "mon"},
    {absl::Weekday::tuesday, "tue"},
    {absl::Weekday::wednesday, "wed"},
    {absl::Weekday::thursday, "thu"},
    {absl::Weekday::friday, "fri"},
    {absl::Weekday::saturday, "sat"},
    {absl::Weekday::sunday, "sun"},
}};

// A weekly window of local wall-clock time, "HH:MM-HH:MM" on `day`. Minutes from that day's
// midnight: start_minute in [0, 1440), end_minute in [0, 1440]; an end not after the start runs
// into the next day (22:00-06:00, or 22:00-00:00 up to midnight). 00:00-24:00 is a whole day.
struct OnCallWindow {
  absl::Weekday day = absl::Weekday::monday;
  int start_minute = 0;
  int end_minute = 0;
  bool operator==(const OnCallWindow&) const = default;
};

// Parses "HH:MM-HH:MM" (24-hour clock, end up to 24:00). InvalidArgument for malformed text,
// a start of 24:00 or equal start and end.
absl::StatusOr<OnCallWindow> ParseOnCallWindow(absl::Weekday day, std::string_view text);
// "HH:MM-HH:MM", the inverse of ParseOnCallWindow (end_minute 1440 reads "24:00", 0 "00:00").
std::string OnCallWindowText(const OnCallWindow& window);

struct OnCallLayer {
  std::string name;                        // unique within the schedule
  std::vector<UserId> participants;        // in turn order; a user may appear more than once
  absl::CivilMinute start;                 // local, in the schedule's zone; also the first handoff
  int64_t turn_minutes = 0;                // wall-clock minutes between handoffs
  std::vector<OnCallWindow> restrictions;  // empty: the layer always applies
  bool operator==(const OnCallLayer&) const = default;
};

struct OnCallOverride {
  UserId user = 0;
  absl::Time start;  // [start, end)
  absl::Time end;
  std::string reason;
  bool operator==(const OnCallOverride&) const = default;
};

struct OnCallSchedule {
  std::string name;  // key, [a-z0-9_-]{1,64}
  std::string display_name;
  std::string time_zone;            // IANA name; the caller loads it
  std::vector<OnCallLayer> layers;  // lowest precedence first
  std::vector<OnCallOverride> overrides;
  bool operator==(const OnCallSchedule&) const = default;
};

// Checks a schedule before it is saved, in `zone` (loaded by the caller from time_zone).
// InvalidArgument naming the place for: a bad name, display name or time zone name, no layers,
// a layer with a bad or duplicate name (or the reserved name "override") or without
// participants, a turn length outside
// 1..525600 minutes, a start outside the years 1970..9999, malformed or overlapping restriction
// windows (also across midnight and from Sunday into Monday), an override with end <= start,
// a participant or override user that is not a positive id or (when `known_users` is given)
// not in it, and gaps: from the schedule's start on, the layers alone must have someone on call
// at every instant. A gap that recurs weekly once every layer has started reads "layer coverage
// has a gap: nobody is on call on Saturday 01:00-08:00 (local)"; one before a later layer
// starts names the local times and that layer.
absl::Status ValidateOnCallSchedule(const OnCallSchedule& schedule, const absl::TimeZone& zone,
                                    const std::set<UserId>* known_users = nullptr);

// The answer of WhoIsOnCall: who, through which layer (its name, or "override"), and the
// uninterrupted stretch [since, until) in which this answer -- same user through the same layer
// or through overrides -- holds. since is never before the schedule's start nor more than
// kOnCallSearchHorizon before the queried instant; until is at most kOnCallSearchHorizon after
// it (when the answer does not change that soon).
struct OnCallShift {
  UserId user = 0;
  std::string layer;
  absl::Time since;
  absl::Time until;
  bool operator==(const OnCallShift&) const = default;
};

inline constexpr std::string_view kOverrideLayer = "override";
inline constexpr absl::Duration kOnCallSearchHorizon = absl::Hours(8 * 7 * 24);

// Who is on call at `at`; nullopt before the schedule starts, for an infinite instant, and (for
// a schedule that did not pass validation) inside a gap. Computed from turn indices and window
// boundaries: the cost grows with the number of layers, overrides and boundaries near `at`,
// not with the minutes.
std::optional<OnCallShift> WhoIsOnCall(const OnCallSchedule& schedule, const absl::TimeZone& zone,
                                       absl::Time at);

}  // namespace casedesk::core
