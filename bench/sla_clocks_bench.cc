// Benchmarks of core::SlaEvaluator on realistic case histories: the issue 3 goal is to
// recompute the clocks of 1,000,000 open cases after a policy change in under 10 s. Histories
// are generated once (a pool of 65,536 cases, cycled through for the million): Professional and
// Enterprise plans, all four severities, created over 2025-2026 at any hour, with 2 to 16
// events each (public staff updates, pending/customer-reply rounds, some severity changes,
// some solved and reopened). Only the computation is measured.

#include <cstdint>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "benchmark/benchmark.h"
#include "core/business_calendar.h"
#include "core/sla_clocks.h"
#include "core/sla_policy.h"

namespace casedesk::core {
namespace {

constexpr size_t kPoolSize = 1 << 16;
constexpr int64_t kMillion = 1'000'000;

const std::map<std::string, BusinessCalendar, std::less<>>& Calendars() {
  static const auto* const calendars = [] {
    auto* map = new std::map<std::string, BusinessCalendar, std::less<>>;
    for (const auto& [name, spec] : DefaultCalendarSpecs()) {
      absl::TimeZone zone;
      if (!absl::LoadTimeZone(spec.time_zone, &zone)) std::abort();
      map->emplace(name, *BusinessCalendar::Create(spec, zone));
    }
    return map;
  }();
  return *calendars;
}

const std::vector<SlaEvaluator>& Evaluators() {
  static const auto* const evaluators = [] {
    auto* list = new std::vector<SlaEvaluator>;
    const auto policies = DefaultSlaPolicies();
    for (const char* plan : {"professional", "enterprise"}) {
      list->push_back(*SlaEvaluator::Create(policies.at(plan), CalendarLookupIn(Calendars())));
    }
    return list;
  }();
  return *evaluators;
}

absl::Time Now() { return absl::FromCivil(absl::CivilSecond(2026, 6, 1, 12, 0, 0), absl::UTCTimeZone()); }

struct BenchCase {
  size_t plan = 0;
  SlaFacts facts;
};

const std::vector<BenchCase>& Pool() {
  static const auto* const pool = [] {
    auto* cases = new std::vector<BenchCase>;
    cases->reserve(kPoolSize);
    std::mt19937_64 rng(7);
    const absl::Time earliest =
        absl::FromCivil(absl::CivilSecond(2025, 1, 1), absl::UTCTimeZone());
    const int64_t span = absl::ToInt64Seconds(Now() - earliest);
    std::uniform_int_distribution<int64_t> created(0, span - 86400);
    std::uniform_int_distribution<int> percent(0, 99);
    std::uniform_int_distribution<int> severity(1, 4);
    std::uniform_int_distribution<int> rounds(1, 7);
    std::uniform_int_distribution<int64_t> gap_minutes(5, 600);
    for (size_t i = 0; i < kPoolSize; ++i) {
      BenchCase c;
      c.plan = percent(rng) < 30 ? 1 : 0;
      SlaFacts& facts = c.facts;
      facts.start = earliest + absl::Seconds(created(rng));
      Severity level;
      SeverityFromLevel(severity(rng), &level);
      facts.severity = level;
      absl::Time t = facts.start;
      auto later = [&] {
        t += absl::Minutes(gap_minutes(rng));
        return t;
      };
      facts.events.push_back(SlaEvent::StaffPublicReply(later()));
      facts.events.push_back(SlaEvent::StatusChanged(t, CaseStatus::kOpen));
      const int n = rounds(rng);
      for (int r = 0; r < n; ++r) {
        const int p = percent(rng);
        if (p < 45) {
          // Ask the customer, wait, they answer.
          facts.events.push_back(SlaEvent::StaffPublicReply(later()));
          facts.events.push_back(SlaEvent::StatusChanged(t, CaseStatus::kPending));
          facts.events.push_back(SlaEvent::CustomerPublicReply(later()));
          facts.events.push_back(SlaEvent::StatusChanged(t, CaseStatus::kOpen));
        } else if (p < 85) {
          facts.events.push_back(SlaEvent::StaffPublicReply(later()));
        } else if (p < 93) {
          later();
          SeverityFromLevel(severity(rng), &level);
          facts.events.push_back(SlaEvent::SeverityChanged(t, level));
        } else {
          facts.events.push_back(SlaEvent::StatusChanged(later(), CaseStatus::kSolved));
          facts.events.push_back(SlaEvent::CustomerPublicReply(later()));
          facts.events.push_back(SlaEvent::StatusChanged(t, CaseStatus::kOpen));
        }
      }
      cases->push_back(std::move(c));
    }
    return cases;
  }();
  return *pool;
}

double MeanEvents() {
  size_t total = 0;
  for (const BenchCase& c : Pool()) total += c.facts.events.size();
  return static_cast<double>(total) / static_cast<double>(Pool().size());
}

void ComputeOne(benchmark::State& state, bool explain) {
  const auto& pool = Pool();
  const auto& evaluators = Evaluators();
  const absl::Time now = Now();
  SlaClocks clocks;
  size_t i = 0;
  for (auto _ : state) {
    const BenchCase& c = pool[i];
    benchmark::DoNotOptimize(
        evaluators[c.plan].Compute(c.facts, now, &clocks, {.explain = explain}));
    benchmark::DoNotOptimize(clocks.resolution.due_at);
    i = (i + 1) & (kPoolSize - 1);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["events_per_case"] = MeanEvents();
}

void BM_ComputeClocks(benchmark::State& state) { ComputeOne(state, /*explain=*/false); }
BENCHMARK(BM_ComputeClocks);

void BM_ComputeClocksExplained(benchmark::State& state) { ComputeOne(state, /*explain=*/true); }
BENCHMARK(BM_ComputeClocksExplained);

// The goal: a policy change recomputes 1,000,000 open cases and the deadlines a
// scheduler re-arms. One iteration is the whole million.
void BM_RecomputeMillionCasesAfterPolicyChange(benchmark::State& state) {
  const auto& pool = Pool();
  const bool explain = state.range(0) != 0;
  const absl::Time now = Now();
  // The changed policy: a new evaluator built from it, as the app would.
  SlaPolicy changed = DefaultSlaPolicies().at("professional");
  changed.targets[Severity::kMajor].first_response.minutes = 120;
  const SlaEvaluator professional = *SlaEvaluator::Create(changed, CalendarLookupIn(Calendars()));
  const SlaEvaluator& enterprise = Evaluators()[1];
  SlaClocks clocks;
  size_t deadlines = 0;
  for (auto _ : state) {
    for (int64_t n = 0; n < kMillion; ++n) {
      const BenchCase& c = pool[static_cast<size_t>(n) & (kPoolSize - 1)];
      const SlaEvaluator& evaluator = c.plan == 1 ? enterprise : professional;
      (void)evaluator.Compute(c.facts, now, &clocks, {.explain = explain});
      deadlines += UpcomingDeadlines(clocks).size();
    }
  }
  benchmark::DoNotOptimize(deadlines);
  state.SetItemsProcessed(state.iterations() * kMillion);
  state.counters["deadlines_per_case"] =
      static_cast<double>(deadlines) / static_cast<double>(state.iterations() * kMillion);
}
BENCHMARK(BM_RecomputeMillionCasesAfterPolicyChange)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(2)
    ->Unit(benchmark::kMillisecond);

void BM_CreateEvaluator(benchmark::State& state) {
  const SlaPolicy policy = DefaultSlaPolicies().at("enterprise");
  const auto lookup = CalendarLookupIn(Calendars());
  for (auto _ : state) benchmark::DoNotOptimize(SlaEvaluator::Create(policy, lookup));
}
BENCHMARK(BM_CreateEvaluator);

}  // namespace
}  // namespace casedesk::core

BENCHMARK_MAIN();
