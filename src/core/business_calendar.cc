#include "core/business_calendar.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace casedesk::core {
namespace {

constexpr int kMinutesPerDay = 24 * 60;
constexpr int64_t kSecondsPerDay = 24 * 60 * 60;
constexpr std::array<absl::string_view, 7> kDayKeys = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// Local dates covered by the precomputed intervals: [kSpanFirstYear-01-01,
// kSpanEndYear-01-01). The span length must stay below 2^32 seconds.
constexpr int kSpanFirstYear = 1990;
constexpr int kSpanEndYear = 2100;

// Supported instants, 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z;
// business hours outside are ignored.
constexpr int64_t kMinSupportedUnix = -62135596800;
constexpr int64_t kMaxSupportedUnix = 253402300800;
constexpr absl::Time kMinSupported = absl::FromUnixSeconds(kMinSupportedUnix);
constexpr absl::Time kMaxSupported = absl::FromUnixSeconds(kMaxSupportedUnix);
// Any amount at least this long ends beyond kMaxSupported.
constexpr absl::Duration kMaxAmount =
    absl::Seconds(kMaxSupportedUnix - kMinSupportedUnix);

// A weekly window: minutes from the start of the day it belongs to. end_min
// exceeds kMinutesPerDay when the window runs into the next day.
struct Window {
  int32_t start_min;
  int32_t end_min;
  std::string text;  // As written, for error messages.
};

// A precomputed business interval, in seconds from Impl::base_s.
struct Interval {
  uint32_t start;
  uint32_t end;
  uint32_t cum_end;  // Business seconds from the span start to `end`.
};

std::string ClockText(int minutes) {
  const int m = minutes % kMinutesPerDay;
  return absl::StrCat(m / 600, (m / 60) % 10, ":", (m % 60) / 10, m % 10);
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Parses "HH:MM" (00:00..24:00) into minutes since midnight.
bool ParseClock(absl::string_view s, int* minutes) {
  if (s.size() != 5 || !IsDigit(s[0]) || !IsDigit(s[1]) || s[2] != ':' ||
      !IsDigit(s[3]) || !IsDigit(s[4])) {
    return false;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return false;
  *minutes = h * 60 + m;
  return true;
}

absl::StatusOr<Window> ParseWindow(absl::string_view where,
                                   absl::string_view text) {
  const std::string quoted = absl::StrCat("\"", text, "\"");
  if (text.size() != 11 || text[5] != '-') {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": window ", quoted,
                     " is not of the form HH:MM-HH:MM (24-hour clock)"));
  }
  Window w{0, 0, std::string(text)};
  int start = 0;
  int end = 0;
  if (!ParseClock(text.substr(0, 5), &start)) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": window ", quoted, " has an invalid start time \"",
        text.substr(0, 5), "\" (expected HH:MM, 00:00 to 23:59)"));
  }
  if (!ParseClock(text.substr(6, 5), &end)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": window ", quoted, " has an invalid end time \"",
                     text.substr(6, 5), "\" (expected HH:MM, 00:00 to 24:00)"));
  }
  if (start == kMinutesPerDay) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": window ", quoted,
        " starts at 24:00; start it at 00:00 on the next day instead"));
  }
  if (start == end) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": window ", quoted,
        " has equal start and end (write a whole day as 00:00-24:00)"));
  }
  if (end <= start) end += kMinutesPerDay;  // Runs into the next day.
  w.start_min = start;
  w.end_min = end;
  return w;
}

// Parses "YYYY-MM-DD" strictly, rejecting impossible dates.
bool ParseDate(absl::string_view s, absl::CivilDay* day) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!IsDigit(s[i])) return false;
  }
  const int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
                (s[3] - '0');
  const int m = (s[5] - '0') * 10 + (s[6] - '0');
  const int d = (s[8] - '0') * 10 + (s[9] - '0');
  const absl::CivilDay c(y, m, d);
  if (c.year() != y || c.month() != m || c.day() != d) return false;
  *day = c;
  return true;
}

int WeekdayIndex(absl::CivilDay day) {
  return static_cast<int>(absl::GetWeekday(day));  // monday == 0
}

}  // namespace

struct BusinessCalendar::Impl {
  absl::TimeZone zone;
  std::array<std::vector<Window>, 7> week;  // Indexed monday == 0; sorted.
  std::vector<absl::CivilDay> holidays;     // Sorted, unique.

  // Precomputed span [span_begin, span_end) of whole seconds.
  absl::Time span_begin;
  absl::Time span_end;
  int64_t base_s = 0;      // Unix seconds of span_begin.
  int64_t span_end_s = 0;  // Unix seconds of span_end.
  uint32_t total = 0;      // Business seconds in the span.
  // Merged business intervals inside the span, followed by a sentinel
  // {span_end, span_end, total}.
  std::vector<Interval> intervals;
  // day_first[d]: index of the first interval whose end is after
  // base_s + d * 86400.
  std::vector<uint32_t> day_first;

  bool IsHoliday(absl::CivilDay day) const {
    return std::binary_search(holidays.begin(), holidays.end(), day);
  }

  // Calls f(start, end) for every business interval clipped to [lo, hi), in
  // order, until f returns false. Touching intervals are not merged.
  template <typename F>
  void ForEachInterval(absl::Time lo, absl::Time hi, F&& f) const {
    lo = std::max(lo, kMinSupported);
    hi = std::min(hi, kMaxSupported);
    if (lo >= hi) return;
    // The previous day's window may run into lo's day.
    for (absl::CivilDay day = absl::ToCivilDay(lo, zone) - 1;; ++day) {
      const absl::CivilSecond day_start(day);
      if (absl::FromCivil(day_start, zone) >= hi) return;
      if (IsHoliday(day)) continue;
      for (const Window& w : week[WeekdayIndex(day)]) {
        absl::Time s = absl::FromCivil(day_start + w.start_min * 60, zone);
        absl::Time e = absl::FromCivil(day_start + w.end_min * 60, zone);
        if (s < lo) s = lo;
        if (e > hi) e = hi;
        if (s < e && !f(s, e)) return;
      }
    }
  }

  // Index of the first interval ending after second s; base_s <= s <
  // span_end_s.
  uint32_t Locate(int64_t s) const {
    const int64_t off = s - base_s;
    uint32_t i = day_first[static_cast<size_t>(off / kSecondsPerDay)];
    const uint32_t o = static_cast<uint32_t>(off);
    while (intervals[i].end <= o) ++i;
    return i;
  }

  // Whole business seconds from span_begin to second s (base_s <= s <
  // span_end_s); *inside tells whether s lies in a business interval.
  int64_t WholeCumulative(int64_t s, bool* inside) const {
    const Interval& iv = intervals[Locate(s)];
    const uint32_t o = static_cast<uint32_t>(s - base_s);
    *inside = iv.start <= o;
    return int64_t{iv.cum_end} - (iv.end - (*inside ? o : iv.start));
  }

  // Business time from span_begin to t; span_begin <= t <= span_end.
  absl::Duration FastCumulative(absl::Time t) const {
    if (t >= span_end) return absl::Seconds(total);
    const int64_t s = absl::ToUnixSeconds(t);
    bool inside;
    const int64_t whole = WholeCumulative(s, &inside);
    if (inside) return absl::Seconds(whole) + (t - absl::FromUnixSeconds(s));
    return absl::Seconds(whole);
  }

  // Smallest j >= i with cum_end >= threshold (threshold <= total): gallop,
  // then bisect.
  uint32_t FindCumEnd(uint32_t i, int64_t threshold) const {
    if (intervals[i].cum_end >= threshold) return i;
    const uint32_t last = static_cast<uint32_t>(intervals.size() - 1);
    uint32_t lo = i;  // cum_end[lo] < threshold
    uint32_t hi;      // cum_end[hi] >= threshold
    uint32_t step = 1;
    for (;;) {
      hi = (last - lo > step) ? lo + step : last;
      if (hi == last || intervals[hi].cum_end >= threshold) break;
      lo = hi;
      step *= 2;
    }
    const auto it = std::partition_point(
        intervals.begin() + lo + 1, intervals.begin() + hi,
        [threshold](const Interval& x) { return x.cum_end < threshold; });
    return static_cast<uint32_t>(it - intervals.begin());
  }

  // Add of whole seconds from a whole second, within the span: the common
  // case, without Duration arithmetic. Returns false if the span ends first.
  bool FastAddWhole(int64_t s, int64_t amount_s, absl::Time* result) const {
    const uint32_t i = Locate(s);
    const Interval& iv = intervals[i];
    const uint32_t o = static_cast<uint32_t>(s - base_s);
    const int64_t cum =
        int64_t{iv.cum_end} - (iv.end - (iv.start <= o ? o : iv.start));
    const int64_t target = cum + amount_s;
    if (target > int64_t{total}) return false;
    const Interval& jv = intervals[FindCumEnd(i, target)];
    *result = absl::FromUnixSeconds(base_s + jv.end - jv.cum_end + target);
    return true;
  }

  // Add within the span. span_begin <= from < span_end, remaining > 0. On
  // success sets *result; otherwise reduces *remaining by the business time
  // from `from` to span_end.
  bool FastAdd(absl::Time from, absl::Duration* remaining,
               absl::Time* result) const {
    const int64_t s = absl::ToUnixSeconds(from);
    const uint32_t i = Locate(s);
    const Interval& iv = intervals[i];
    const uint32_t o = static_cast<uint32_t>(s - base_s);
    int64_t cum;  // Whole business seconds from span_begin to second s.
    absl::Duration extra = *remaining;
    if (iv.start <= o) {
      cum = int64_t{iv.cum_end} - (iv.end - o);
      const absl::Duration frac = from - absl::FromUnixSeconds(s);
      if (frac != absl::ZeroDuration()) extra += frac;
    } else {
      cum = int64_t{iv.cum_end} - (iv.end - iv.start);
    }
    // Target business time = cum + extra = target_s + target_frac.
    const int64_t whole = absl::ToInt64Seconds(extra);
    const absl::Duration target_frac = extra - absl::Seconds(whole);
    const int64_t target_s = cum + whole;
    const int64_t threshold =
        target_s + (target_frac > absl::ZeroDuration() ? 1 : 0);
    if (threshold > int64_t{total}) {
      *remaining = absl::Seconds(target_s - int64_t{total}) + target_frac;
      return false;
    }
    const Interval& jv = intervals[FindCumEnd(i, threshold)];
    *result = absl::FromUnixSeconds(base_s + jv.end - jv.cum_end + target_s) +
              target_frac;
    return true;
  }

  // Add by walking [lo, hi) day by day.
  bool SlowAdd(absl::Time lo, absl::Time hi, absl::Duration* remaining,
               absl::Time* result) const {
    bool found = false;
    ForEachInterval(lo, hi, [&](absl::Time s, absl::Time e) {
      const absl::Duration len = e - s;
      if (*remaining <= len) {
        *result = s + *remaining;
        found = true;
        return false;
      }
      *remaining -= len;
      return true;
    });
    return found;
  }

  absl::Duration SlowBetween(absl::Time lo, absl::Time hi) const {
    absl::Duration sum;
    ForEachInterval(lo, hi, [&](absl::Time s, absl::Time e) {
      sum += e - s;
      return true;
    });
    return sum;
  }

  // First business instant in [lo, hi), or InfiniteFuture.
  absl::Time SlowNext(absl::Time lo, absl::Time hi) const {
    absl::Time next = absl::InfiniteFuture();
    ForEachInterval(lo, hi, [&](absl::Time s, absl::Time) {
      next = s;
      return false;
    });
    return next;
  }

  void Precompute() {
    span_begin = absl::FromCivil(absl::CivilSecond(kSpanFirstYear, 1, 1), zone);
    span_end = absl::FromCivil(absl::CivilSecond(kSpanEndYear, 1, 1), zone);
    base_s = absl::ToUnixSeconds(span_begin);
    span_end_s = absl::ToUnixSeconds(span_end);
    const uint32_t span_len = static_cast<uint32_t>(span_end_s - base_s);
    uint32_t cum = 0;
    ForEachInterval(span_begin, span_end, [&](absl::Time s, absl::Time e) {
      const uint32_t so =
          static_cast<uint32_t>(absl::ToUnixSeconds(s) - base_s);
      const uint32_t eo =
          static_cast<uint32_t>(absl::ToUnixSeconds(e) - base_s);
      cum += eo - so;
      if (!intervals.empty() && intervals.back().end == so) {
        intervals.back().end = eo;
        intervals.back().cum_end = cum;
      } else {
        intervals.push_back({so, eo, cum});
      }
      return true;
    });
    total = cum;
    intervals.push_back({span_len, span_len, total});  // Sentinel.
    intervals.shrink_to_fit();

    const size_t days = static_cast<size_t>(span_len / kSecondsPerDay) + 1;
    day_first.resize(days);
    uint32_t i = 0;
    for (size_t d = 0; d < days; ++d) {
      const int64_t threshold = static_cast<int64_t>(d) * kSecondsPerDay;
      while (i + 1 < intervals.size() && intervals[i].end <= threshold) ++i;
      day_first[d] = i;
    }
  }
};

BusinessCalendar::BusinessCalendar(std::shared_ptr<const Impl> impl)
    : impl_(std::move(impl)) {}

absl::StatusOr<BusinessCalendar> BusinessCalendar::Create(
    const CalendarSpec& spec, absl::TimeZone zone) {
  auto impl = std::make_shared<Impl>();
  impl->zone = zone;

  // Windows per day.
  for (const auto& [key, windows] : spec.hours) {
    const auto it = std::find(kDayKeys.begin(), kDayKeys.end(), key);
    if (it == kDayKeys.end()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hours: unknown day \"", key,
          "\" (expected one of mon, tue, wed, thu, fri, sat, sun)"));
    }
    const int d = static_cast<int>(it - kDayKeys.begin());
    for (size_t k = 0; k < windows.size(); ++k) {
      absl::StatusOr<Window> w =
          ParseWindow(absl::StrCat("hours.", key, "[", k, "]"), windows[k]);
      if (!w.ok()) return w.status();
      impl->week[d].push_back(*std::move(w));
    }
    std::sort(impl->week[d].begin(), impl->week[d].end(),
              [](const Window& a, const Window& b) {
                return a.start_min < b.start_min;
              });
  }

  // Overlaps: within a day, and with the previous day's overnight window.
  bool any = false;
  for (int d = 0; d < 7; ++d) {
    const std::vector<Window>& today = impl->week[d];
    if (today.empty()) continue;
    any = true;
    for (size_t k = 1; k < today.size(); ++k) {
      if (today[k].start_min < today[k - 1].end_min) {
        return absl::InvalidArgumentError(
            absl::StrCat("hours.", kDayKeys[d], ": window \"", today[k].text,
                         "\" overlaps window \"", today[k - 1].text, "\""));
      }
    }
    const int p = (d + 6) % 7;
    const std::vector<Window>& yesterday = impl->week[p];
    if (!yesterday.empty() &&
        yesterday.back().end_min - kMinutesPerDay > today.front().start_min) {
      return absl::InvalidArgumentError(absl::StrCat(
          "hours.", kDayKeys[d], ": window \"", today.front().text,
          "\" overlaps the overnight window \"", yesterday.back().text,
          "\" of ", kDayKeys[p], ", which runs until ",
          ClockText(yesterday.back().end_min), " on ", kDayKeys[d]));
    }
  }
  if (!any) {
    return absl::InvalidArgumentError(
        "hours: the calendar has no business hours (every day is empty)");
  }

  for (size_t k = 0; k < spec.holidays.size(); ++k) {
    absl::CivilDay day;
    if (!ParseDate(spec.holidays[k], &day)) {
      return absl::InvalidArgumentError(
          absl::StrCat("holidays[", k, "]: \"", spec.holidays[k],
                       "\" is not a valid date (expected YYYY-MM-DD)"));
    }
    impl->holidays.push_back(day);
  }
  std::sort(impl->holidays.begin(), impl->holidays.end());
  impl->holidays.erase(
      std::unique(impl->holidays.begin(), impl->holidays.end()),
      impl->holidays.end());

  impl->Precompute();
  return BusinessCalendar(std::move(impl));
}

BusinessCalendar BusinessCalendar::AlwaysOpen() {
  static const BusinessCalendar* const kAlwaysOpen = [] {
    CalendarSpec spec;
    spec.time_zone = "UTC";
    for (absl::string_view key : kDayKeys) {
      spec.hours[std::string(key)] = {"00:00-24:00"};
    }
    return new BusinessCalendar(*Create(spec, absl::UTCTimeZone()));
  }();
  return *kAlwaysOpen;
}

absl::Time BusinessCalendar::AddBusinessMinutes(absl::Time from,
                                                int64_t minutes) const {
  const Impl& c = *impl_;
  // Fast lane: a whole-second instant inside the span (SLA due instants).
  if (minutes > 0 && minutes < (int64_t{1} << 32) && from >= c.span_begin &&
      from < c.span_end) {
    const int64_t s = absl::ToUnixSeconds(from);
    absl::Time result;
    if (from == absl::FromUnixSeconds(s) &&
        c.FastAddWhole(s, minutes * 60, &result)) {
      return result;
    }
  }
  return AddBusinessTime(from, absl::Minutes(minutes));  // Saturates.
}

absl::Time BusinessCalendar::AddBusinessTime(absl::Time from,
                                             absl::Duration amount) const {
  const Impl& c = *impl_;
  if (amount <= absl::ZeroDuration()) return NextBusinessInstant(from);
  if (from >= kMaxSupported || amount >= kMaxAmount) {
    return absl::InfiniteFuture();
  }
  absl::Duration remaining = amount;
  absl::Time result;
  if (from >= c.span_begin && from < c.span_end) {
    if (c.FastAdd(from, &remaining, &result)) return result;
    from = c.span_end;
  } else if (from < c.span_begin) {
    if (c.SlowAdd(from, c.span_begin, &remaining, &result)) return result;
    if (c.FastAdd(c.span_begin, &remaining, &result)) return result;
    from = c.span_end;
  }
  if (c.SlowAdd(from, kMaxSupported, &remaining, &result)) return result;
  return absl::InfiniteFuture();
}

absl::Duration BusinessCalendar::BusinessTimeBetween(absl::Time a,
                                                     absl::Time b) const {
  const Impl& c = *impl_;
  if (b <= a) return absl::ZeroDuration();
  if (a >= c.span_begin && b <= c.span_end) {
    return c.FastCumulative(b) - c.FastCumulative(a);
  }
  if (a == absl::InfinitePast() || b == absl::InfiniteFuture()) {
    return absl::InfiniteDuration();
  }
  absl::Duration sum;
  if (a < c.span_begin) sum += c.SlowBetween(a, std::min(b, c.span_begin));
  const absl::Time lo = std::max(a, c.span_begin);
  const absl::Time hi = std::min(b, c.span_end);
  if (lo < hi) sum += c.FastCumulative(hi) - c.FastCumulative(lo);
  if (b > c.span_end) sum += c.SlowBetween(std::max(a, c.span_end), b);
  return sum;
}

int64_t BusinessCalendar::BusinessSecondsBetween(absl::Time a,
                                                 absl::Time b) const {
  const Impl& c = *impl_;
  if (b <= a) return 0;
  if (a >= c.span_begin && b < c.span_end) {
    // Fast lane without Duration arithmetic: whole seconds, then the
    // fractions (each in [0, 1s)) can only borrow one second.
    const int64_t sa = absl::ToUnixSeconds(a);
    const int64_t sb = absl::ToUnixSeconds(b);
    bool in_a;
    bool in_b;
    int64_t whole = c.WholeCumulative(sb, &in_b) - c.WholeCumulative(sa, &in_a);
    const absl::Time wa = absl::FromUnixSeconds(sa);
    const absl::Time wb = absl::FromUnixSeconds(sb);
    if ((in_a && a != wa) || (in_b && b != wb)) {
      const absl::Duration fa = in_a ? a - wa : absl::ZeroDuration();
      const absl::Duration fb = in_b ? b - wb : absl::ZeroDuration();
      if (fb < fa) --whole;
    }
    return whole;
  }
  const absl::Duration d = BusinessTimeBetween(a, b);
  if (d == absl::InfiniteDuration()) return std::numeric_limits<int64_t>::max();
  return absl::ToInt64Seconds(d);
}

absl::Time BusinessCalendar::NextBusinessInstant(absl::Time t) const {
  const Impl& c = *impl_;
  if (t >= kMaxSupported) return absl::InfiniteFuture();
  if (t < c.span_begin) {
    const absl::Time next = c.SlowNext(t, c.span_begin);
    if (next != absl::InfiniteFuture()) return next;
    t = c.span_begin;
  }
  if (t < c.span_end) {
    const int64_t s = absl::ToUnixSeconds(t);
    const uint32_t i = c.Locate(s);
    const Interval& iv = c.intervals[i];
    if (iv.start <= static_cast<uint32_t>(s - c.base_s)) return t;
    if (i + 1 < c.intervals.size()) {
      return absl::FromUnixSeconds(c.base_s + iv.start);
    }
    t = c.span_end;
  }
  return c.SlowNext(t, kMaxSupported);
}

bool BusinessCalendar::IsBusinessTime(absl::Time t) const {
  const Impl& c = *impl_;
  if (t >= c.span_begin && t < c.span_end) {
    const int64_t s = absl::ToUnixSeconds(t);
    return c.intervals[c.Locate(s)].start <=
           static_cast<uint32_t>(s - c.base_s);
  }
  if (t < kMinSupported || t >= kMaxSupported) return false;
  return NextBusinessInstant(t) == t;
}

const absl::TimeZone& BusinessCalendar::time_zone() const {
  return impl_->zone;
}

size_t BusinessCalendar::MemoryUsageBytes() const {
  const Impl& c = *impl_;
  size_t bytes = sizeof(Impl) + c.intervals.capacity() * sizeof(Interval) +
                 c.day_first.capacity() * sizeof(uint32_t) +
                 c.holidays.capacity() * sizeof(absl::CivilDay);
  for (const auto& day : c.week) {
    bytes += day.capacity() * sizeof(Window);
    for (const Window& w : day) bytes += w.text.capacity();
  }
  return bytes;
}

}  // namespace casedesk::core
