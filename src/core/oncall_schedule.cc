#include "core/oncall_schedule.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace casedesk::core {
namespace {

constexpr int kDayMinutes = 24 * 60;
constexpr int kMinutesPerWeek = 7 * kDayMinutes;
constexpr int64_t kMaxTurnMinutes = 365 * kDayMinutes;
constexpr size_t kMaxScheduleNameLength = 64;
constexpr size_t kMaxLayerNameLength = 100;
constexpr size_t kMaxDisplayNameLength = 200;
constexpr size_t kMaxReasonLength = 1000;
constexpr int kFirstYear = 1970;
constexpr int kLastYear = 9999;

constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

int DayIndex(absl::Weekday day) { return static_cast<int>(day); }  // monday == 0
int DayIndex(absl::CivilDay day) { return DayIndex(absl::GetWeekday(day)); }

bool IsClockDigit(char c) { return c >= '0' && c <= '9'; }

// "HH:MM" for 0..1440 minutes.
std::string HourMinuteText(int minutes) {
  return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

std::string CivilText(absl::CivilMinute t) {
  return absl::StrFormat("%04d-%02d-%02d %02d:%02d", t.year(), t.month(), t.day(), t.hour(),
                         t.minute());
}

// Parses "HH:MM" (00:00..24:00) into minutes since midnight.
bool ParseClock(std::string_view s, int* minutes) {
  if (s.size() != 5 || !IsClockDigit(s[0]) || !IsClockDigit(s[1]) || s[2] != ':' ||
      !IsClockDigit(s[3]) || !IsClockDigit(s[4])) {
    return false;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return false;
  *minutes = h * 60 + m;
  return true;
}

bool IsValidWindow(const OnCallWindow& w) {
  const int day = DayIndex(w.day);
  return day >= 0 && day < 7 && w.start_minute >= 0 && w.start_minute < kDayMinutes &&
         w.end_minute >= 0 && w.end_minute <= kDayMinutes && w.start_minute != w.end_minute;
}

// Minutes after the start of the window's day at which it ends (beyond 1440 when it runs into
// the next day).
int EffectiveEnd(const OnCallWindow& w) {
  return w.end_minute > w.start_minute ? w.end_minute : w.end_minute + kDayMinutes;
}

std::string WindowLabel(const OnCallWindow& w) {
  const int day = DayIndex(w.day);
  const std::string_view key = day >= 0 && day < 7 ? kWeekdayKeys[day].second : "?";
  return absl::StrCat(std::string(key), " ", OnCallWindowText(w));
}

// A half-open stretch of minutes of the week, Monday 00:00 == 0. `end` may exceed a week for a
// gap that runs from Sunday into Monday.
struct Span {
  int start;
  int end;
  size_t source;  // index of the restriction window it came from
};

// The minutes of the week a layer covers, with overnight windows split at the week's end.
std::vector<Span> WeeklyCover(const OnCallLayer& layer) {
  if (layer.restrictions.empty()) return {{0, kMinutesPerWeek, 0}};
  std::vector<Span> spans;
  for (size_t i = 0; i < layer.restrictions.size(); ++i) {
    const OnCallWindow& w = layer.restrictions[i];
    const int base = DayIndex(w.day) * kDayMinutes;
    const int start = base + w.start_minute;
    const int end = base + EffectiveEnd(w);
    if (end <= kMinutesPerWeek) {
      spans.push_back({start, end, i});
    } else {
      spans.push_back({start, kMinutesPerWeek, i});
      spans.push_back({0, end - kMinutesPerWeek, i});
    }
  }
  return spans;
}

// The uncovered stretches of the week, in order of their start; a stretch running from Sunday
// into Monday is one gap ending after kMinutesPerWeek.
std::vector<Span> WeeklyGaps(std::vector<Span> cover) {
  std::sort(cover.begin(), cover.end(),
            [](const Span& a, const Span& b) { return a.start < b.start; });
  std::vector<Span> gaps;
  int covered_to = 0;
  for (const Span& s : cover) {
    if (s.start > covered_to) gaps.push_back({covered_to, s.start, 0});
    covered_to = std::max(covered_to, s.end);
  }
  if (covered_to < kMinutesPerWeek) gaps.push_back({covered_to, kMinutesPerWeek, 0});
  if (gaps.size() >= 2 && gaps.front().start == 0 && gaps.back().end == kMinutesPerWeek) {
    gaps.back().end = kMinutesPerWeek + gaps.front().end;
    gaps.erase(gaps.begin());
    std::sort(gaps.begin(), gaps.end(),
              [](const Span& a, const Span& b) { return a.start < b.start; });
  }
  return gaps;
}

std::string WeeklyGapText(const Span& gap) {
  const int start_day = gap.start / kDayMinutes;
  const int start_min = gap.start % kDayMinutes;
  if ((gap.end - 1) / kDayMinutes == start_day) {
    return absl::StrCat("on ", std::string(kWeekdayNames[start_day]), " ",
                        HourMinuteText(start_min), "-",
                        HourMinuteText(gap.end - start_day * kDayMinutes));
  }
  const int end_day = (gap.end / kDayMinutes) % 7;
  return absl::StrCat("from ", std::string(kWeekdayNames[start_day]), " ",
                      HourMinuteText(start_min), " to ", std::string(kWeekdayNames[end_day]), " ",
                      HourMinuteText(gap.end % kDayMinutes));
}

std::string LayerLabel(size_t index, const OnCallLayer& layer) {
  std::string label = absl::StrCat("layers[", index, "]");
  if (!layer.name.empty()) absl::StrAppend(&label, " ('", layer.name, "')");
  return label;
}

absl::Status CheckUser(const std::string& where, UserId user, const std::set<UserId>* known_users) {
  if (user <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", user, " is not a user id"));
  }
  if (known_users != nullptr && known_users->count(user) == 0) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": unknown user ", user));
  }
  return absl::OkStatus();
}

absl::Status CheckRestrictions(const std::string& label, const OnCallLayer& layer) {
  for (size_t i = 0; i < layer.restrictions.size(); ++i) {
    if (!IsValidWindow(layer.restrictions[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          label, ": restrictions[", i,
          "]: a window starts at 00:00 to 23:59 on a day of the week and ends at 00:00 to "
          "24:00, not where it starts"));
    }
  }
  std::vector<Span> spans = WeeklyCover(layer);
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.start < b.start; });
  for (size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].start < spans[i - 1].end) {
      const size_t a = std::min(spans[i].source, spans[i - 1].source);
      const size_t b = std::max(spans[i].source, spans[i - 1].source);
      return absl::InvalidArgumentError(absl::StrCat(
          label, ": restrictions[", b, "] (", WindowLabel(layer.restrictions[b]),
          ") overlaps restrictions[", a, "] (", WindowLabel(layer.restrictions[a]), ")"));
    }
  }
  return absl::OkStatus();
}

// The exact gap check. Coverage by the layers depends only on which layers have started and on
// their weekly windows (participants are never empty), so once every layer has started it is
// weekly-periodic in local time and a gap in the weekly union is a gap every week. Between two
// layer starts the union of the layers started so far must cover that stretch; it is checked
// occurrence by occurrence, skipping a gap that a DST change removes entirely.
absl::Status CheckCoverage(const OnCallSchedule& schedule, const absl::TimeZone& zone) {
  std::vector<Span> all;
  for (const OnCallLayer& layer : schedule.layers) {
    for (const Span& s : WeeklyCover(layer)) all.push_back(s);
  }
  if (const std::vector<Span> gaps = WeeklyGaps(all); !gaps.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("layer coverage has a gap: nobody is on call ",
                                                   WeeklyGapText(gaps.front()), " (local)"));
  }

  std::vector<size_t> order(schedule.layers.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return schedule.layers[a].start < schedule.layers[b].start;
  });
  std::vector<Span> started;
  for (size_t i = 0; i < order.size();) {
    const absl::CivilMinute from = schedule.layers[order[i]].start;
    size_t j = i;
    for (; j < order.size() && schedule.layers[order[j]].start == from; ++j) {
      for (const Span& s : WeeklyCover(schedule.layers[order[j]])) started.push_back(s);
    }
    if (j == order.size()) break;  // The periodic check above covers the rest.
    const absl::CivilMinute to = schedule.layers[order[j]].start;
    const std::vector<Span> gaps = WeeklyGaps(started);
    const absl::CivilDay from_day(from);
    const absl::CivilMinute week_start(from_day - DayIndex(from_day));
    // Start a week early: a gap from Sunday into Monday begins in the previous week.
    for (int64_t week = -1; week_start + (week * kMinutesPerWeek) < to; ++week) {
      for (const Span& gap : gaps) {
        const absl::CivilMinute gap_start = week_start + (week * kMinutesPerWeek + gap.start);
        const absl::CivilMinute gap_end = week_start + (week * kMinutesPerWeek + gap.end);
        const absl::CivilMinute lo = std::max(gap_start, from);
        const absl::CivilMinute hi = std::min(gap_end, to);
        if (lo >= hi) continue;
        if (absl::FromCivil(lo, zone) >= absl::FromCivil(hi, zone)) continue;  // DST skipped it
        return absl::InvalidArgumentError(absl::StrCat(
            "layer coverage has a gap: nobody is on call from ", CivilText(lo), " to ",
            CivilText(hi), " (local), before ", LayerLabel(order[j], schedule.layers[order[j]]),
            " starts at ", CivilText(to)));
      }
    }
    i = j;
  }
  return absl::OkStatus();
}

bool IsScheduleName(const std::string& name) {
  if (name.empty() || name.size() > kMaxScheduleNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || IsClockDigit(c) || c == '_' || c == '-';
  });
}

// ---- WhoIsOnCall ----

// A layer prepared for queries: its start instant and its windows by the weekday they start on.
struct CompiledLayer {
  const OnCallLayer* layer;
  absl::Time start;
  bool restricted;
  std::array<std::vector<std::pair<int, int>>, 7> windows;  // (start, effective end) minutes
};

// Who answers: an override (layer == -1) or a layer by index, and the user.
struct Answer {
  bool found = false;
  int layer = -1;
  UserId user = 0;
  bool operator==(const Answer&) const = default;
};

int64_t FloorDiv(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

class OnCallQuery {
 public:
  OnCallQuery(const OnCallSchedule& schedule, const absl::TimeZone& zone, absl::Time lo,
              absl::Time hi)
      : zone_(zone) {
    schedule_start_ = absl::InfiniteFuture();
    for (const OnCallLayer& layer : schedule.layers) {
      CompiledLayer compiled{&layer,
                             absl::FromCivil(absl::CivilSecond(layer.start), zone),
                             !layer.restrictions.empty(),
                             {}};
      for (const OnCallWindow& w : layer.restrictions) {
        if (!IsValidWindow(w)) continue;
        compiled.windows[DayIndex(w.day)].emplace_back(w.start_minute, EffectiveEnd(w));
      }
      schedule_start_ = std::min(schedule_start_, compiled.start);
      layers_.push_back(std::move(compiled));
    }
    // Only overrides that touch [lo, hi] can matter to a query bounded by the horizon.
    for (const OnCallOverride& o : schedule.overrides) {
      if (o.start < o.end && o.end >= lo && o.start <= hi) overrides_.push_back(&o);
    }
  }

  absl::Time schedule_start() const { return schedule_start_; }
  const CompiledLayer& layer(int index) const { return layers_[index]; }

  Answer Evaluate(absl::Time x) const {
    if (x < schedule_start_) return {};
    const OnCallOverride* best = nullptr;
    for (const OnCallOverride* o : overrides_) {
      if (o->start <= x && x < o->end && (best == nullptr || o->start >= best->start)) best = o;
    }
    if (best != nullptr) return {true, -1, best->user};
    for (int i = static_cast<int>(layers_.size()) - 1; i >= 0; --i) {
      const CompiledLayer& l = layers_[i];
      if (l.layer->participants.empty() || l.layer->turn_minutes <= 0) continue;
      if (x >= l.start && InWindow(l, x)) return {true, i, UserOfTurn(l, LastTurn(l, x, true))};
    }
    return {};
  }

  // The earliest instant after x at which the answer may change, considering overrides and the
  // layers from `min_layer` up (lower layers cannot change an answer given by a higher one).
  absl::Time NextBoundary(absl::Time x, int min_layer) const {
    absl::Time best = absl::InfiniteFuture();
    auto consider = [&](absl::Time t) {
      if (t > x && t < best) best = t;
    };
    for (const OnCallOverride* o : overrides_) {
      consider(o->start);
      consider(o->end);
    }
    for (size_t i = min_layer; i < layers_.size(); ++i) {
      const CompiledLayer& l = layers_[i];
      consider(l.start);
      if (Rotates(l)) consider(NextUserChange(l, x));
      if (l.restricted) consider(NextWindowEdge(l, x));
    }
    return best;
  }

  // The latest boundary before x (at or before x when `inclusive`), InfinitePast if none.
  absl::Time PrevBoundary(absl::Time x, int min_layer, bool inclusive) const {
    absl::Time best = absl::InfinitePast();
    auto consider = [&](absl::Time t) {
      if ((inclusive ? t <= x : t < x) && t > best) best = t;
    };
    for (const OnCallOverride* o : overrides_) {
      consider(o->start);
      consider(o->end);
    }
    for (size_t i = min_layer; i < layers_.size(); ++i) {
      const CompiledLayer& l = layers_[i];
      consider(l.start);
      if (Rotates(l)) consider(PrevUserChange(l, x, inclusive));
      if (l.restricted) consider(PrevWindowEdge(l, x, inclusive));
    }
    return best;
  }

 private:
  static bool Rotates(const CompiledLayer& l) {
    return !l.layer->participants.empty() && l.layer->turn_minutes > 0;
  }

  static UserId UserOfTurn(const CompiledLayer& l, int64_t k) {
    const auto n = static_cast<int64_t>(l.layer->participants.size());
    return l.layer->participants[((k % n) + n) % n];
  }

  absl::Time Handoff(const CompiledLayer& l, int64_t k) const {
    return absl::FromCivil(absl::CivilSecond(l.layer->start + k * l.layer->turn_minutes), zone_);
  }

  // The last turn whose handoff is at or before x (before x unless `inclusive`); -1 if none.
  // The estimate from local wall time is exact except around DST changes, where a few steps
  // correct it (a repeated hour's handoffs happen at their first occurrence).
  int64_t LastTurn(const CompiledLayer& l, absl::Time x, bool inclusive) const {
    auto qualifies = [&](int64_t k) {
      const absl::Time h = Handoff(l, k);
      return inclusive ? h <= x : h < x;
    };
    const absl::CivilMinute local(zone_.At(x).cs);
    int64_t k = std::max<int64_t>(FloorDiv(local - l.layer->start, l.layer->turn_minutes), -1);
    while (k >= 0 && !qualifies(k)) --k;
    while (qualifies(k + 1)) ++k;
    return k;
  }

  // The first handoff after x that hands the layer to a different user.
  absl::Time NextUserChange(const CompiledLayer& l, absl::Time x) const {
    const int64_t k = std::max<int64_t>(LastTurn(l, x, true), 0);
    const auto n = static_cast<int64_t>(l.layer->participants.size());
    for (int64_t j = k + 1; j <= k + n; ++j) {
      if (UserOfTurn(l, j) != UserOfTurn(l, j - 1)) return Handoff(l, j);
    }
    return absl::InfiniteFuture();  // Everyone in the rotation is the same user.
  }

  absl::Time PrevUserChange(const CompiledLayer& l, absl::Time x, bool inclusive) const {
    const int64_t k = LastTurn(l, x, inclusive);
    const auto n = static_cast<int64_t>(l.layer->participants.size());
    for (int64_t j = k; j >= 1 && j > k - n; --j) {
      if (UserOfTurn(l, j) != UserOfTurn(l, j - 1)) return Handoff(l, j);
    }
    return absl::InfinitePast();
  }

  // Calls f(start, end) for each window occurrence starting on local days [first, last].
  template <typename F>
  void ForEachOccurrence(const CompiledLayer& l, absl::CivilDay first, absl::CivilDay last,
                         F f) const {
    for (absl::CivilDay d = first; d <= last; ++d) {
      const absl::CivilSecond midnight(d);
      for (const auto& [start, end] : l.windows[DayIndex(d)]) {
        f(absl::FromCivil(midnight + start * 60, zone_),
          absl::FromCivil(midnight + end * 60, zone_));
      }
    }
  }

  bool InWindow(const CompiledLayer& l, absl::Time x) const {
    if (!l.restricted) return true;
    const absl::CivilDay day(zone_.At(x).cs);
    bool inside = false;
    // A window is at most a day long; the day after covers a repeated hour around midnight.
    ForEachOccurrence(l, day - 1, day + 1,
                      [&](absl::Time s, absl::Time e) { inside = inside || (s <= x && x < e); });
    return inside;
  }

  // Every weekday recurs within the ten days scanned, so a layer with windows always has one.
  absl::Time NextWindowEdge(const CompiledLayer& l, absl::Time x) const {
    const absl::CivilDay day(zone_.At(x).cs);
    absl::Time best = absl::InfiniteFuture();
    ForEachOccurrence(l, day - 1, day + 8, [&](absl::Time s, absl::Time e) {
      for (absl::Time t : {s, e}) {
        if (t > x && t < best) best = t;
      }
    });
    return best;
  }

  absl::Time PrevWindowEdge(const CompiledLayer& l, absl::Time x, bool inclusive) const {
    const absl::CivilDay day(zone_.At(x).cs);
    absl::Time best = absl::InfinitePast();
    ForEachOccurrence(l, day - 8, day + 1, [&](absl::Time s, absl::Time e) {
      for (absl::Time t : {s, e}) {
        if ((inclusive ? t <= x : t < x) && t > best) best = t;
      }
    });
    return best;
  }

  const absl::TimeZone& zone_;
  absl::Time schedule_start_;
  std::vector<CompiledLayer> layers_;
  std::vector<const OnCallOverride*> overrides_;
};

}  // namespace

absl::StatusOr<OnCallWindow> ParseOnCallWindow(absl::Weekday day, std::string_view text) {
  const std::string quoted = absl::StrCat("\"", std::string(text), "\"");
  if (text.size() != 11 || text[5] != '-') {
    return absl::InvalidArgumentError(
        absl::StrCat("window ", quoted, " is not of the form HH:MM-HH:MM (24-hour clock)"));
  }
  OnCallWindow window{day, 0, 0};
  if (!ParseClock(text.substr(0, 5), &window.start_minute) || window.start_minute == kDayMinutes) {
    return absl::InvalidArgumentError(
        absl::StrCat("window ", quoted, " has an invalid start time (expected 00:00 to 23:59)"));
  }
  if (!ParseClock(text.substr(6, 5), &window.end_minute)) {
    return absl::InvalidArgumentError(
        absl::StrCat("window ", quoted, " has an invalid end time (expected 00:00 to 24:00)"));
  }
  if (window.start_minute == window.end_minute) {
    return absl::InvalidArgumentError(absl::StrCat(
        "window ", quoted, " has equal start and end (write a whole day as 00:00-24:00)"));
  }
  return window;
}

std::string OnCallWindowText(const OnCallWindow& window) {
  return absl::StrCat(HourMinuteText(window.start_minute), "-", HourMinuteText(window.end_minute));
}

absl::Status ValidateOnCallSchedule(const OnCallSchedule& schedule, const absl::TimeZone& zone,
                                    const std::set<UserId>* known_users) {
  if (!IsScheduleName(schedule.name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: must be 1 to ", kMaxScheduleNameLength,
        " characters of lower-case letters, digits, '_' and '-', got '", schedule.name, "'"));
  }
  if (schedule.display_name.size() > kMaxDisplayNameLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("display_name: must be at most ", kMaxDisplayNameLength, " characters"));
  }
  if (schedule.time_zone.empty()) {
    return absl::InvalidArgumentError("time_zone: an IANA time zone name is required");
  }
  if (schedule.layers.empty()) {
    return absl::InvalidArgumentError("layers: a schedule needs at least one layer");
  }
  std::map<std::string, size_t> layer_names;
  for (size_t i = 0; i < schedule.layers.size(); ++i) {
    const OnCallLayer& layer = schedule.layers[i];
    const std::string label = LayerLabel(i, layer);
    if (layer.name.empty() || layer.name.size() > kMaxLayerNameLength) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": name must be 1 to ", kMaxLayerNameLength, " characters"));
    }
    if (layer.name == kOverrideLayer) {
      return absl::InvalidArgumentError(absl::StrCat(label, ": name '", std::string(kOverrideLayer),
                                                     "' is reserved for overrides"));
    }
    if (const auto [it, added] = layer_names.emplace(layer.name, i); !added) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": name '", layer.name, "' is used by layers[", it->second, "] too"));
    }
    if (layer.participants.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": participants: a layer needs at least one participant"));
    }
    for (size_t p = 0; p < layer.participants.size(); ++p) {
      if (auto s = CheckUser(absl::StrCat(label, ": participants[", p, "]"), layer.participants[p],
                             known_users);
          !s.ok()) {
        return s;
      }
    }
    if (layer.turn_minutes <= 0 || layer.turn_minutes > kMaxTurnMinutes) {
      return absl::InvalidArgumentError(absl::StrCat(label, ": turn_minutes must be 1 to ",
                                                     kMaxTurnMinutes, " (365 days), got ",
                                                     layer.turn_minutes));
    }
    if (layer.start.year() < kFirstYear || layer.start.year() > kLastYear) {
      return absl::InvalidArgumentError(absl::StrCat(label, ": start must be in the years ",
                                                     kFirstYear, " to ", kLastYear, ", got ",
                                                     CivilText(layer.start)));
    }
    if (auto s = CheckRestrictions(label, layer); !s.ok()) return s;
  }
  for (size_t i = 0; i < schedule.overrides.size(); ++i) {
    const OnCallOverride& o = schedule.overrides[i];
    const std::string label = absl::StrCat("overrides[", i, "]");
    if (auto s = CheckUser(label + ": user", o.user, known_users); !s.ok()) return s;
    if (o.start == absl::InfinitePast() || o.end == absl::InfiniteFuture()) {
      return absl::InvalidArgumentError(label + ": start and end must be finite instants");
    }
    if (o.end <= o.start) {
      return absl::InvalidArgumentError(label + ": end must be after start");
    }
    if (o.reason.size() > kMaxReasonLength) {
      return absl::InvalidArgumentError(
          absl::StrCat(label, ": reason must be at most ", kMaxReasonLength, " characters"));
    }
  }
  return CheckCoverage(schedule, zone);
}

std::optional<OnCallShift> WhoIsOnCall(const OnCallSchedule& schedule, const absl::TimeZone& zone,
                                       absl::Time at) {
  if (at == absl::InfinitePast() || at == absl::InfiniteFuture()) return std::nullopt;
  const absl::Time horizon_start = at - kOnCallSearchHorizon;
  const absl::Time horizon_end = at + kOnCallSearchHorizon;
  const OnCallQuery query(schedule, zone, horizon_start, horizon_end);
  const Answer answer = query.Evaluate(at);
  if (!answer.found) return std::nullopt;
  // Overrides answer until overrides change; a layer until it or a higher one (or an override)
  // changes. Lower layers are irrelevant to both.
  const int min_layer = answer.layer < 0 ? static_cast<int>(schedule.layers.size()) : answer.layer;

  absl::Time until = horizon_end;
  for (absl::Time x = at;;) {
    const absl::Time next = query.NextBoundary(x, min_layer);
    if (next >= horizon_end) break;
    if (!(query.Evaluate(next) == answer)) {
      until = next;
      break;
    }
    x = next;
  }

  // The answer is constant between consecutive boundaries; walk back until the stretch before a
  // boundary answers differently.
  const absl::Time floor = std::max(horizon_start, query.schedule_start());
  absl::Time since = floor;
  for (absl::Time b = query.PrevBoundary(at, min_layer, true); b > floor;) {
    const absl::Time before = query.PrevBoundary(b, min_layer, false);
    if (!(query.Evaluate(std::max(before, floor)) == answer)) {
      since = b;
      break;
    }
    b = before;
  }

  OnCallShift shift;
  shift.user = answer.user;
  shift.layer =
      answer.layer < 0 ? std::string(kOverrideLayer) : query.layer(answer.layer).layer->name;
  shift.since = since;
  shift.until = until;
  return shift;
}

}  // namespace casedesk::core
