// Recomputing the SLA clocks of every open case after a policy change through the store, as the
// desk does (issue 3: "recomputing clocks for 1,000,000 open cases after a policy change in
// under 10 s"). For each size in CASEDESK_BENCH_RECOMPUTE_CASES (comma-separated, default
// "20000,100000"), a fresh SqliteStore desk is loaded with that many open cases straight
// through the store (70 % on the professional plan, 30 % enterprise, severities 1-4 in turn,
// created over the last 14 days, each with the "case.created" event app::OpenCase writes, so
// one history event per case). Then:
//  - BM_RecomputeInitial: app::RecomputeOpenCases arms every case's SLA timers and writes its
//    summary for the first time (inserts), as after an import.
//  - BM_RecomputeAfterPolicyChange: every plan's policy changes (each duration target 10 %
//    longer, warnings at 80 % of it instead of 75 %, so every warning and breach deadline of
//    every case moves, and with them its summary and queue deadline) and
//    app::RecomputeOpenCases runs again for every plan (what a calendar change triggers; a
//    single plan's change reads the same ranges and recomputes its share): re-armed timers and
//    rewritten summaries (updates). "moved_share" checks the premise on every 100th case: the
//    share of them whose every unfired timer moved. It is a little under 1 when the sample
//    holds enterprise critical cases opened outside business hours: their after-hours triage
//    and status-notification clocks keep their targets (which cases those are depends on the
//    time of day the desk was loaded, as creation times count back from then).
//    This is the figure. Reports cases/s, wall and process-CPU microseconds per case,
//    KiB the process wrote per case, and the extrapolation to 1,000,000 cases at this rate.
//    With CASEDESK_BENCH_STORE=postgres the desk is on PostgreSQL (see bench_desk.h); the
//    process CPU and the KiB written then leave out the PostgreSQL backends doing the writing.
//  - BM_RecomputePerCaseBaseline: the same after another policy change, through the per-case
//    path RecomputeOpenCases took before (SlaEngine::Refresh on each case, 200 a unit, waited
//    for one by one): before and after in one run. CASEDESK_BENCH_RECOMPUTE_BASELINE_MAX
//    (default 100,000) skips it above that size (it takes minutes there).
//  - BM_RecomputePhases: the same cases, timed in parts to show where the time goes, each part
//    a read-only pass of its own over ranges of 1,000 case numbers (as RecomputeOpenCases
//    takes them): the clock inputs, the SLA events, the unfired SLA timers, the summaries, and
//    inputs + events + computing every case's clocks. The rest of a recomputation is writing
//    (timers, queue deadlines, summaries, commit).
//  - BM_RecomputeWriteFloor (SQLite only; runs last, as it changes the stored deadlines): the
//    least the store can spend on writing what a recomputation must write when every deadline
//    moves, with no computation and no per-case statement: one UPDATE statement each over all
//    unfired timers (their due instants, each moved 1-61 minutes, so its `timers_due` entry
//    moves), all summaries (their due instants) and all queue deadlines (the `cases_queue*`
//    entries), each in a transaction of its own on a connection of the benchmark's own with
//    the store's writer settings.
//    Real deadlines move farther and in a scattered order, so this is a lower bound. Reported
//    in microseconds per case, which is also seconds per million cases at this size.
// Run: cmake --build BUILD --target sla_recompute_bench && BUILD/sla_recompute_bench
#include <benchmark/benchmark.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "app/case_support.h"
#include "app/sla_engine.h"
#include "app/sla_recompute.h"
#include "app/sla_settings.h"
#include "app/store_calls.h"
#include "bench/bench_desk.h"
#include "core/sla_policy.h"

namespace casedesk::bench {
namespace {

constexpr core::CaseNumber kRange = 1000;  // case numbers per unit, as RecomputeOpenCases

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

// Bytes the process has handed to write(2)-like calls so far (/proc/self/io "wchar": the
// writer's log frames, checkpoints and any temporary journal); -1 where it cannot be read.
double ProcessWrittenBytes() {
  std::ifstream io("/proc/self/io");
  std::string field;
  double value = 0;
  while (io >> field >> value) {
    if (field == "wchar:") return value;
  }
  return -1;
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

// key -> due instant of the unfired timers of every 100th case.
std::map<core::CaseNumber, std::map<std::string, absl::Time>> SampleTimers(Loaded& loaded) {
  std::map<core::CaseNumber, std::map<std::string, absl::Time>> sample;
  Check(loaded.desk->store().Read([&](ports::StoreTransaction& txn) -> absl::Status {
    for (core::CaseNumber number = loaded.numbers.first; number <= loaded.numbers.last;
         number += 100) {
      absl::StatusOr<std::vector<ports::Timer>> timers = txn.ListCaseTimers(number);
      if (!timers.ok()) return timers.status();
      for (const ports::Timer& timer : *timers) {
        if (!timer.fired_at) sample[number][timer.key] = timer.due_at;
      }
    }
    return absl::OkStatus();
  }),
        "sampling timers");
  return sample;
}

// The share of sampled cases whose every unfired timer now has another due instant.
double MovedShare(const std::map<core::CaseNumber, std::map<std::string, absl::Time>>& before,
                  const std::map<core::CaseNumber, std::map<std::string, absl::Time>>& after) {
  if (before.empty()) return 0;
  int moved = 0;
  for (const auto& [number, timers] : before) {
    const auto now = after.find(number);
    bool all = now != after.end() && !timers.empty();
    for (const auto& [key, due] : timers) {
      if (now == after.end()) break;
      const auto other = now->second.find(key);
      if (other == now->second.end() || other->second == due) all = false;
    }
    if (all) ++moved;
  }
  return static_cast<double>(moved) / static_cast<double>(before.size());
}

// Changes every plan's policy so that every deadline of every open case moves: each duration
// target (first response and resolution, every severity) scaled by `scale`, and warnings at
// `fraction` of each target.
void ChangePolicies(ports::Store& store, double scale, double fraction) {
  Check(store.WriteAndWait([scale, fraction](ports::StoreTransaction& txn) -> absl::Status {
    for (const auto& [plan, shipped] : core::DefaultSlaPolicies()) {
      core::SlaPolicy policy = shipped;
      for (auto& [severity, targets] : policy.targets) {
        for (core::SlaTarget* target : {&targets.first_response, &targets.resolution}) {
          if (!target->is_named()) {
            target->minutes = static_cast<int64_t>(static_cast<double>(target->minutes) * scale);
          }
        }
      }
      policy.warning_fraction = fraction;
      absl::Status put =
          txn.PutSetting(app::SlaPolicySettingKey(plan), app::SlaPolicyToSetting(policy));
      if (!put.ok()) return put;
    }
    return absl::OkStatus();
  }),
        "changing the policies");
}

// The per-case path RecomputeOpenCases took before the bulk path (session 5), kept as the
// baseline: list every case newest first, 200 a page, and refresh each open one with
// SlaEngine::Refresh (GetCase, the organisation, the whole audit trail, every write), one unit
// of work of 200 cases at a time, waited for before the next page.
absl::StatusOr<int64_t> RecomputePerCase(app::AppContext& context, absl::Time now) {
  ports::CaseFilter filter;
  filter.scope.all = true;
  filter.page.limit = 200;
  int64_t recomputed = 0;
  while (true) {
    std::vector<core::CaseNumber> open;
    std::string next;
    absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
      absl::StatusOr<ports::Page<core::Case>> page = txn.ListCases(filter);
      if (!page.ok()) return page.status();
      for (const core::Case& record : page->items) {
        if (record.status != core::CaseStatus::kSolved &&
            record.status != core::CaseStatus::kClosed) {
          open.push_back(record.number);
        }
      }
      next = page->next_cursor;
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    std::shared_ptr<app::SlaEngine> sla = context.sla;
    absl::Status written = context.store.WriteAndWait([&](ports::StoreTransaction& txn) {
      for (core::CaseNumber number : open) {
        absl::StatusOr<core::Case> record = txn.GetCase(number);
        if (!record.ok()) return record.status();
        if (absl::Status refreshed = sla->Refresh(txn, *record, now); !refreshed.ok()) {
          return refreshed;
        }
      }
      return absl::OkStatus();
    });
    if (!written.ok()) return written;
    recomputed += static_cast<int64_t>(open.size());
    if (next.empty()) return recomputed;
    filter.page.cursor = next;
  }
}

// Changes every plan's policy again (each run to new targets, so every deadline moves each
// time), recomputes every open case with `recompute` and reports the figures.
void RecomputeAfterPolicyChange(
    benchmark::State& state,
    const std::function<absl::StatusOr<int64_t>(app::AppContext&, absl::Time)>& recompute) {
  static double fraction = 0.75;
  static double scale = 1.0;
  for (auto _ : state) {
    Loaded& loaded = DeskOf(state.range(0));
    if (!loaded.initial_done) InitialRecompute(loaded, nullptr);
    fraction += 0.02;
    scale += 0.1;
    const auto sampled = SampleTimers(loaded);
    ChangePolicies(loaded.desk->store(), scale, fraction);
    loaded.context->sla->Invalidate();  // as the configuration use cases do after a change
    std::cerr << "recomputing " << state.range(0) << " cases after a policy change" << std::endl;
    const double cpu = ProcessCpuSeconds();
    const double written = ProcessWrittenBytes();
    const absl::Time start = absl::Now();
    absl::StatusOr<int64_t> count = recompute(*loaded.context, loaded.desk->clock().Now());
    Check(count.status(), "recomputation");
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
    const double cpu_seconds = ProcessCpuSeconds() - cpu;
    const double written_bytes = ProcessWrittenBytes() - written;
    std::cerr << "recomputed in " << seconds << " s" << std::endl;
    state.SetIterationTime(seconds);
    const double cases = static_cast<double>(*count);
    state.counters["cases"] = cases;
    state.counters["cases_per_s"] = cases / seconds;
    state.counters["us_per_case"] = seconds * 1e6 / cases;
    state.counters["cpu_us_per_case"] = cpu_seconds * 1e6 / cases;
    state.counters["million_s"] = 1e6 * seconds / cases;
    if (written >= 0) state.counters["written_kib_per_case"] = written_bytes / 1024 / cases;
    state.counters["timers_per_case"] =
        static_cast<double>(CountUnfired(loaded.desk->store())) / cases;
    state.counters["moved_share"] = MovedShare(sampled, SampleTimers(loaded));
  }
}

void BM_RecomputeAfterPolicyChange(benchmark::State& state) {
  RecomputeAfterPolicyChange(state, [](app::AppContext& context, absl::Time now) {
    return app::RecomputeOpenCases(context, "", now);
  });
}

void BM_RecomputePerCaseBaseline(benchmark::State& state) {
  if (state.range(0) > EnvInt("CASEDESK_BENCH_RECOMPUTE_BASELINE_MAX", 100000)) {
    state.SkipWithError("above CASEDESK_BENCH_RECOMPUTE_BASELINE_MAX");
    for (auto _ : state) state.SetIterationTime(0);
    return;
  }
  RecomputeAfterPolicyChange(state, RecomputePerCase);
}

// Wall microseconds per case of `work`, run over every loaded case in read-only passes of
// kRange case numbers (as RecomputeOpenCases takes them).
double PerCaseMicros(Loaded& loaded,
                     const std::function<absl::Status(ports::StoreTransaction&, core::CaseNumber,
                                                      core::CaseNumber)>& work) {
  const absl::Time start = absl::Now();
  for (core::CaseNumber first = loaded.numbers.first; first <= loaded.numbers.last;
       first += kRange) {
    const core::CaseNumber last = std::min(loaded.numbers.last, first + kRange - 1);
    Check(loaded.desk->store().Read(
              [&](ports::StoreTransaction& txn) { return work(txn, first, last); }),
          "phase");
  }
  return absl::ToDoubleMicroseconds(absl::Now() - start) /
         static_cast<double>(loaded.numbers.last - loaded.numbers.first + 1);
}

const std::vector<std::string>& SlaKinds() {
  static const std::vector<std::string> kinds = {std::string(app::kCaseCreated),
                                                 std::string(app::kCaseUpdated),
                                                 std::string(app::kCommentAdded)};
  return kinds;
}

void BM_RecomputePhases(benchmark::State& state) {
  for (auto _ : state) {
    Loaded& loaded = DeskOf(state.range(0));
    if (!loaded.initial_done) InitialRecompute(loaded, nullptr);
    app::SlaEngine& sla = *loaded.context->sla;
    const absl::Time now = loaded.desk->clock().Now();
    const absl::Time start = absl::Now();

    const double inputs_us = PerCaseMicros(
        loaded, [](ports::StoreTransaction& txn, core::CaseNumber first, core::CaseNumber last) {
          return txn.ListCaseClockInputs(first, last).status();
        });
    const double events_us = PerCaseMicros(
        loaded, [](ports::StoreTransaction& txn, core::CaseNumber first, core::CaseNumber last) {
          return txn.ListEventsOfCases(first, last, SlaKinds()).status();
        });
    const double timers_us = PerCaseMicros(
        loaded, [](ports::StoreTransaction& txn, core::CaseNumber first, core::CaseNumber last) {
          return txn.ListUnfiredTimersOfCases(first, last, app::kSlaTimerPrefix).status();
        });
    const double summaries_us = PerCaseMicros(
        loaded, [](ports::StoreTransaction& txn, core::CaseNumber first, core::CaseNumber last) {
          ports::CaseSlaFilter filter;
          filter.after_case = first - 1;
          filter.limit = static_cast<int>(last - first + 1);
          return txn.ListCaseSla(filter).status();
        });
    // Reading the inputs and events again, then computing every case's clocks as the bulk
    // path does (minus reading: compute_us - inputs_us - events_us is the computation).
    const double compute_us = PerCaseMicros(
        loaded, [&](ports::StoreTransaction& txn, core::CaseNumber first, core::CaseNumber last) {
          absl::StatusOr<std::vector<ports::CaseClockInputs>> cases =
              txn.ListCaseClockInputs(first, last);
          if (!cases.ok()) return cases.status();
          absl::StatusOr<std::vector<core::AuditEvent>> events =
              txn.ListEventsOfCases(first, last, SlaKinds());
          if (!events.ok()) return events.status();
          auto event = events->begin();
          for (const ports::CaseClockInputs& inputs : *cases) {
            std::vector<core::AuditEvent> history;
            for (; event != events->end() && event->case_number <= inputs.number; ++event) {
              if (event->case_number == inputs.number) history.push_back(*event);
            }
            const char* plan = inputs.org_id == loaded.desk->parties().professional ? "professional"
                                                                                    : "enterprise";
            absl::StatusOr<std::optional<core::SlaEvaluator>> evaluator =
                sla.EvaluatorFor(txn, plan, now);
            if (!evaluator.ok()) return evaluator.status();
            core::Case record;
            record.number = inputs.number;
            record.org_id = inputs.org_id;
            record.severity = inputs.severity;
            record.status = inputs.status;
            record.created_at = inputs.created_at;
            absl::StatusOr<app::CaseSla> clocks =
                app::SlaEngine::ComputeWith(**evaluator, plan, record, history, now, false);
            if (!clocks.ok()) return clocks.status();
            benchmark::DoNotOptimize(clocks->clocks.resolution.due_at);
          }
          return absl::OkStatus();
        });
    state.SetIterationTime(absl::ToDoubleSeconds(absl::Now() - start));
    state.counters["inputs_us"] = inputs_us;
    state.counters["events_us"] = events_us;
    state.counters["timers_us"] = timers_us;
    state.counters["summaries_us"] = summaries_us;
    state.counters["read_compute_us"] = compute_us;
  }
}

void BM_RecomputeWriteFloor(benchmark::State& state) {
  for (auto _ : state) {
    Loaded& loaded = DeskOf(state.range(0));
    if (loaded.desk->on_postgres()) {
      state.SkipWithError("SQLite only");
      state.SetIterationTime(0);
      continue;
    }
    if (!loaded.initial_done) InitialRecompute(loaded, nullptr);
    sqlite3* db = nullptr;
    if (sqlite3_open((loaded.desk->directory() + "/casedesk.db").c_str(), &db) != SQLITE_OK) {
      Check(absl::InternalError(sqlite3_errmsg(db)), "opening the desk's database");
    }
    sqlite3_busy_timeout(db, 10000);
    // As the store's writer connection has it (SqliteConnection::Open, SqliteStoreOptions).
    sqlite3_exec(db,
                 "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;"
                 " PRAGMA mmap_size=67108864;",
                 nullptr, nullptr, nullptr);
    // Micro-seconds; each row moves by its own 1-61 minutes.
    const auto timed = [db](const char* sql) {
      const absl::Time start = absl::Now();
      char* error = nullptr;
      const std::string script = std::string("BEGIN IMMEDIATE; ") + sql + "; COMMIT;";
      if (sqlite3_exec(db, script.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        Check(absl::InternalError(error != nullptr ? error : "?"), sql);
      }
      return absl::ToDoubleMicroseconds(absl::Now() - start);
    };
    const double cases = static_cast<double>(loaded.numbers.last - loaded.numbers.first + 1);
    const double timers_us =
        timed(
            "UPDATE timers SET due_at = due_at + 60000000 + (case_number * 7919 % 3600) *"
            " 1000000 WHERE fired_at IS NULL") /
        cases;
    const double summaries_us =
        timed(
            "UPDATE case_sla SET first_response_due_at = first_response_due_at + 60000000,"
            " resolution_due_at = resolution_due_at + 60000000") /
        cases;
    const double queue_us =
        timed(
            "UPDATE cases SET next_deadline = next_deadline + 60000000 + (number * 7919 %"
            " 3600) * 1000000 WHERE next_deadline < 9223372036854775807") /
        cases;
    sqlite3_close(db);
    state.SetIterationTime((timers_us + summaries_us + queue_us) * cases / 1e6);
    state.counters["timers_us"] = timers_us;
    state.counters["summaries_us"] = summaries_us;
    state.counters["queue_us"] = queue_us;
    state.counters["floor_us_per_case"] = timers_us + summaries_us + queue_us;
  }
}

// Registered size by size (Google Benchmark runs them in this order), so each loaded desk
// serves its benchmarks before the next size replaces it.
void RegisterAll() {
  for (int64_t size : Sizes()) {
    for (const auto& [name, function] :
         std::vector<std::pair<const char*, void (*)(benchmark::State&)>>{
             {"BM_RecomputeInitial", BM_RecomputeInitial},
             {"BM_RecomputeAfterPolicyChange", BM_RecomputeAfterPolicyChange},
             {"BM_RecomputePerCaseBaseline", BM_RecomputePerCaseBaseline},
             {"BM_RecomputePhases", BM_RecomputePhases},
             {"BM_RecomputeWriteFloor", BM_RecomputeWriteFloor}}) {
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
