// Recomputing the SLA clocks of every open case after a policy change through the store, as the
// desk does (issue 3: "recomputing clocks for 1,000,000 open cases after a policy change in
// under 10 s"). For each size in CASEDESK_BENCH_RECOMPUTE_CASES (comma-separated, default
// "20000,100000"), a fresh SqliteStore desk is loaded with that many open cases straight
// through the store (70 % on the professional plan, 30 % enterprise, severities 1-4 in turn,
// created over the last 14 days, each with the "case.created" event app::OpenCase writes, so
// one history event per case). Then:
//  - BM_RecomputeInitial: app::RecomputeOpenCases arms every case's SLA timers and writes its
//    summary for the first time (inserts), as after an import.
//  - BM_RecomputeAfterPolicyChange: both plans' policies change (warning at 80 % of each
//    target instead of 75 %, so every warning deadline moves) and app::RecomputeOpenCases runs
//    again for every plan (what a calendar change triggers; a single plan's change lists the
//    same cases and recomputes its share): re-armed timers and rewritten summaries (updates).
//    This is the figure. Reports cases/s, wall and process-CPU microseconds per case,
//    and the extrapolation to 1,000,000 cases at the same rate.
//  - BM_RecomputePhases: the same cases, timed in parts to show where the time goes, each part
//    a read-only pass of its own: listing them (what RecomputeOpenCases reads, 200 a page),
//    GetCase, ListCaseEvents, SlaEngine::EvaluatorFor (done for every case) and
//    SlaEngine::Compute (case, organisation, evaluator, events, computation). The rest of a
//    recomputation is writing (arm, disarm, summary, commit) and waiting for it.
// Run: cmake --build BUILD --target sla_recompute_bench && BUILD/sla_recompute_bench
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cstdint>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "app/sla_recompute.h"
#include "app/sla_settings.h"
#include "app/store_calls.h"
#include "bench/bench_desk.h"
#include "core/sla_policy.h"

namespace casedesk::bench {
namespace {

constexpr int kPage = 200;  // as RecomputeOpenCases lists and batches

std::vector<int64_t> Sizes() {
  const char* text = std::getenv("CASEDESK_BENCH_RECOMPUTE_CASES");
  std::vector<int64_t> sizes;
  for (absl::string_view part :
       absl::StrSplit(text != nullptr ? text : "20000,100000", ',', absl::SkipEmpty())) {
    int64_t size = 0;
    if (absl::SimpleAtoi(part, &size) && size > 0) sizes.push_back(size);
  }
  return sizes;
}

// CPU seconds used by the whole process (every thread, user + kernel).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& time) { return time.tv_sec + time.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// One loaded desk per size, kept for the benchmarks that follow (each needs the previous).
struct Loaded {
  std::unique_ptr<BenchDesk> desk;
  std::unique_ptr<app::AppContext> context;
  CaseRange numbers;
  double load_s = 0;
  bool initial_done = false;
};

Loaded& DeskOf(int64_t size) {
  static std::map<int64_t, Loaded> desks;  // destroyed at exit, which removes the directory
  Loaded& loaded = desks[size];
  if (loaded.desk) return loaded;
  desks.clear();  // one desk on disk at a time
  Loaded& fresh = desks[size];
  fresh.desk = std::make_unique<BenchDesk>("recompute-bench");
  fresh.context = fresh.desk->MakeContext(fresh.desk->store());
  BenchDesk& desk = *fresh.desk;
  const absl::Time now = desk.clock().Now();
  const absl::Time start = absl::Now();
  fresh.numbers = desk.LoadCases(size, [&](int64_t i) {
    core::Severity severity = core::Severity::kMinor;
    core::SeverityFromLevel(static_cast<int>(1 + i % 4), &severity);
    // Spread over 14 days, minute by minute in a scrambled order.
    const int64_t minute = (i * 7919) % (14 * 24 * 60);
    return desk.OpenCase(severity, now - absl::Minutes(minute), /*professional=*/i % 10 < 7);
  });
  fresh.load_s = absl::ToDoubleSeconds(absl::Now() - start);
  std::cerr << "loaded " << size << " cases in " << fresh.load_s << " s" << std::endl;
  return fresh;
}

void InitialRecompute(Loaded& loaded, benchmark::State* state) {
  const double cpu = ProcessCpuSeconds();
  const absl::Time start = absl::Now();
  absl::StatusOr<int64_t> count =
      app::RecomputeOpenCases(*loaded.context, "", loaded.desk->clock().Now());
  Check(count.status(), "initial recomputation");
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  loaded.initial_done = true;
  if (state == nullptr) return;
  state->SetIterationTime(seconds);
  state->counters["cases"] = static_cast<double>(*count);
  state->counters["cases_per_s"] = static_cast<double>(*count) / seconds;
  state->counters["cpu_us_per_case"] =
      (ProcessCpuSeconds() - cpu) * 1e6 / static_cast<double>(*count);
  state->counters["load_s"] = loaded.load_s;
}

void BM_RecomputeInitial(benchmark::State& state) {
  for (auto _ : state) InitialRecompute(DeskOf(state.range(0)), &state);
}

int64_t CountUnfired(ports::Store& store) {
  absl::StatusOr<int64_t> count = app::ReadValue<int64_t>(
      store, [](ports::StoreTransaction& txn) { return txn.CountUnfiredTimers(); });
  Check(count.status(), "counting timers");
  return *count;
}

// Changes both plans' policies: warnings at `fraction` of each target.
void ChangePolicies(ports::Store& store, double fraction) {
  Check(store.WriteAndWait([fraction](ports::StoreTransaction& txn) -> absl::Status {
    for (const auto& [plan, shipped] : core::DefaultSlaPolicies()) {
      core::SlaPolicy policy = shipped;
      policy.warning_fraction = fraction;
      absl::Status put =
          txn.PutSetting(app::SlaPolicySettingKey(plan), app::SlaPolicyToSetting(policy));
      if (!put.ok()) return put;
    }
    return absl::OkStatus();
  }),
        "changing the policies");
}

void BM_RecomputeAfterPolicyChange(benchmark::State& state) {
  double fraction = 0.75;
  for (auto _ : state) {
    Loaded& loaded = DeskOf(state.range(0));
    if (!loaded.initial_done) InitialRecompute(loaded, nullptr);
    fraction += 0.05;
    ChangePolicies(loaded.desk->store(), fraction);
    loaded.context->sla->Invalidate();  // as the configuration use cases do after a change
    std::cerr << "recomputing " << state.range(0) << " cases after a policy change" << std::endl;
    const double cpu = ProcessCpuSeconds();
    const absl::Time start = absl::Now();
    absl::StatusOr<int64_t> count =
        app::RecomputeOpenCases(*loaded.context, "", loaded.desk->clock().Now());
    Check(count.status(), "recomputation");
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    const double cpu_seconds = ProcessCpuSeconds() - cpu;
    std::cerr << "recomputed in " << seconds << " s" << std::endl;
    state.SetIterationTime(seconds);
    const double cases = static_cast<double>(*count);
    state.counters["cases"] = cases;
    state.counters["cases_per_s"] = cases / seconds;
    state.counters["us_per_case"] = seconds * 1e6 / cases;
    state.counters["cpu_us_per_case"] = cpu_seconds * 1e6 / cases;
    state.counters["million_s"] = 1e6 * seconds / cases;
    state.counters["timers_per_case"] =
        static_cast<double>(CountUnfired(loaded.desk->store())) / cases;
  }
}

// Wall microseconds per case of `work`, run over every loaded case in read-only units of kPage.
double PerCaseMicros(
    Loaded& loaded,
    const std::function<absl::Status(ports::StoreTransaction&, core::CaseNumber)>& work) {
  const absl::Time start = absl::Now();
  for (core::CaseNumber first = loaded.numbers.first; first <= loaded.numbers.last;
       first += kPage) {
    Check(loaded.desk->store().Read([&](ports::StoreTransaction& txn) -> absl::Status {
      for (core::CaseNumber number = first; number < first + kPage && number <= loaded.numbers.last;
           ++number) {
        if (absl::Status status = work(txn, number); !status.ok()) return status;
      }
      return absl::OkStatus();
    }),
          "phase");
  }
  return absl::ToDoubleMicroseconds(absl::Now() - start) /
         static_cast<double>(loaded.numbers.last - loaded.numbers.first + 1);
}

void BM_RecomputePhases(benchmark::State& state) {
  for (auto _ : state) {
    Loaded& loaded = DeskOf(state.range(0));
    if (!loaded.initial_done) InitialRecompute(loaded, nullptr);
    ports::Store& store = loaded.desk->store();
    app::SlaEngine& sla = *loaded.context->sla;
    const absl::Time now = loaded.desk->clock().Now();
    const absl::Time start = absl::Now();
    const int64_t cases = loaded.numbers.last - loaded.numbers.first + 1;

    // Listing, as RecomputeOpenCases pages through every case newest first.
    ports::CaseFilter filter;
    filter.scope.all = true;
    filter.page.limit = kPage;
    const absl::Time list_start = absl::Now();
    while (true) {
      std::string next;
      Check(store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
        absl::StatusOr<ports::Page<core::Case>> page = txn.ListCases(filter);
        if (!page.ok()) return page.status();
        benchmark::DoNotOptimize(page->items.data());
        next = page->next_cursor;
        return absl::OkStatus();
      }),
            "listing");
      if (next.empty()) break;
      filter.page.cursor = next;
    }
    const double list_us =
        absl::ToDoubleMicroseconds(absl::Now() - list_start) / static_cast<double>(cases);

    const double get_case_us =
        PerCaseMicros(loaded, [](ports::StoreTransaction& txn, core::CaseNumber number) {
          return txn.GetCase(number).status();
        });
    const double evaluator_us =
        PerCaseMicros(loaded, [&](ports::StoreTransaction& txn, core::CaseNumber number) {
          const char* plan =
              (number - loaded.numbers.first) % 10 < 7 ? "professional" : "enterprise";
          return sla.EvaluatorFor(txn, plan, now).status();
        });
    const double events_us =
        PerCaseMicros(loaded, [](ports::StoreTransaction& txn, core::CaseNumber number) {
          ports::PageRequest page;
          page.limit = 1000;  // as SlaEngine loads a case's history
          return txn.ListCaseEvents(number, page).status();
        });
    const double compute_us =
        PerCaseMicros(loaded, [&](ports::StoreTransaction& txn, core::CaseNumber number) {
          absl::StatusOr<core::Case> record = txn.GetCase(number);
          if (!record.ok()) return record.status();
          return sla.Compute(txn, *record, now, /*explain=*/false).status();
        });
    state.SetIterationTime(absl::ToDoubleSeconds(absl::Now() - start));
    state.counters["list_us"] = list_us;
    state.counters["get_case_us"] = get_case_us;
    state.counters["evaluator_us"] = evaluator_us;
    state.counters["events_us"] = events_us;
    state.counters["compute_us"] = compute_us;
  }
}

// Registered size by size (Google Benchmark runs them in this order), so each loaded desk
// serves its three benchmarks before the next size replaces it.
void RegisterAll() {
  for (int64_t size : Sizes()) {
    for (const auto& [name, function] :
         std::vector<std::pair<const char*, void (*)(benchmark::State&)>>{
             {"BM_RecomputeInitial", BM_RecomputeInitial},
             {"BM_RecomputeAfterPolicyChange", BM_RecomputeAfterPolicyChange},
             {"BM_RecomputePhases", BM_RecomputePhases}}) {
      benchmark::RegisterBenchmark(name, function)
          ->Arg(size)
          ->Iterations(1)
          ->UseManualTime()
          ->Unit(benchmark::kSecond);
    }
  }
}

}  // namespace
}  // namespace casedesk::bench

int main(int argc, char** argv) {
  casedesk::bench::RegisterAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
