// Benchmarks of core::BusinessCalendar on a realistic worst case from the
// SLA performance goal: 20 windows a week (four a weekday, one crossing
// midnight), 50 holidays, a DST zone. Inputs are varied (pseudo-random
// instants over 2024-2031, amounts from 1 minute to ~3 weeks of business
// time) and precomputed so that only the calendar call is measured. The goal
// is >= 5,000,000 due-instant computations per second on one core.

#include <cstdint>
#include <random>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "core/business_calendar.h"

namespace casedesk::core {
namespace {

CalendarSpec BenchSpec() {
  CalendarSpec spec;
  spec.time_zone = "Europe/London";
  for (const char* day : {"mon", "tue", "wed", "thu", "fri"}) {
    spec.hours[day] = {"07:00-09:00", "09:30-12:00", "13:00-17:30",
                       "19:00-01:00"};
  }
  // 50 holidays spread over 2025-2028.
  for (int i = 0; i < 50; ++i) {
    spec.holidays.push_back(
        absl::FormatCivilTime(absl::CivilDay(2025, 1, 2) + i * 29));
  }
  return spec;
}

const BusinessCalendar& Calendar() {
  static const BusinessCalendar* const calendar = [] {
    absl::TimeZone zone;
    if (!absl::LoadTimeZone("Europe/London", &zone)) std::abort();
    return new BusinessCalendar(*BusinessCalendar::Create(BenchSpec(), zone));
  }();
  return *calendar;
}

struct Inputs {
  std::vector<absl::Time> from;
  std::vector<absl::Time> to;
  std::vector<int64_t> minutes;
};

const Inputs& MakeInputs() {
  static const Inputs* const inputs = [] {
    auto* in = new Inputs;
    std::mt19937_64 rng(42);
    const absl::Time start =
        absl::FromCivil(absl::CivilSecond(2024, 1, 1), absl::UTCTimeZone());
    std::uniform_int_distribution<int64_t> offset(0, int64_t{8} * 365 * 86400);
    std::uniform_int_distribution<int64_t> span(0, int64_t{30} * 86400);
    // SLA-like targets: 15 min .. 3 days of business time, some long.
    const int64_t kMinutes[] = {1, 15, 60, 240, 480, 1440, 2880, 4320, 10000};
    std::uniform_int_distribution<int> pick(0, 8);
    constexpr int kCount = 1 << 16;
    for (int i = 0; i < kCount; ++i) {
      const absl::Time a = start + absl::Seconds(offset(rng));
      in->from.push_back(a);
      in->to.push_back(a + absl::Seconds(span(rng)));
      in->minutes.push_back(kMinutes[pick(rng)]);
    }
    return in;
  }();
  return *inputs;
}

void BM_AddBusinessMinutes(benchmark::State& state) {
  const BusinessCalendar& cal = Calendar();
  const Inputs& in = MakeInputs();
  const size_t mask = in.from.size() - 1;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.AddBusinessMinutes(in.from[i], in.minutes[i]));
    i = (i + 1) & mask;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddBusinessMinutes);

void BM_BusinessSecondsBetween(benchmark::State& state) {
  const BusinessCalendar& cal = Calendar();
  const Inputs& in = MakeInputs();
  const size_t mask = in.from.size() - 1;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.BusinessSecondsBetween(in.from[i], in.to[i]));
    i = (i + 1) & mask;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BusinessSecondsBetween);

void BM_IsBusinessTime(benchmark::State& state) {
  const BusinessCalendar& cal = Calendar();
  const Inputs& in = MakeInputs();
  const size_t mask = in.from.size() - 1;
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.IsBusinessTime(in.from[i]));
    i = (i + 1) & mask;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_IsBusinessTime);

// Outside the precomputed span (year 2426): the day-by-day fallback.
void BM_AddBusinessMinutesSlowPath(benchmark::State& state) {
  const BusinessCalendar& cal = Calendar();
  const Inputs& in = MakeInputs();
  const size_t mask = in.from.size() - 1;
  const absl::Duration shift = absl::Hours(24 * 146097);  // 400 years.
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        cal.AddBusinessMinutes(in.from[i] + shift, in.minutes[i]));
    i = (i + 1) & mask;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddBusinessMinutesSlowPath);

void BM_Create(benchmark::State& state) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone("Europe/London", &zone)) std::abort();
  const CalendarSpec spec = BenchSpec();
  size_t bytes = 0;
  for (auto _ : state) {
    auto cal = BusinessCalendar::Create(spec, zone);
    bytes = cal->MemoryUsageBytes();
    benchmark::DoNotOptimize(cal);
  }
  state.counters["bytes_per_calendar"] = static_cast<double>(bytes);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Create)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace casedesk::core

BENCHMARK_MAIN();
