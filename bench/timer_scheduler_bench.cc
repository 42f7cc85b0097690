// The durable timer scheduler at scale (issue 3: "a scheduler holding 1,000,000 armed deadlines
// in under 200 MB that fires each within 1 s of its instant"). A real app::TimerScheduler with
// RealClock over a SqliteStore in a scratch directory, in four benchmarks that share one desk
// and run in order (each iteration is one whole scenario, timed by the wall clock):
//  - BM_ArmTimers: loads the cases (straight through the store, each with its created event)
//    and arms CASEDESK_BENCH_TIMERS timers (default 1,000,000), 10 a case on average: all but the
//    steady stream below, keys "bench:future:<i>", due a day or more in the future.
//  - BM_SteadyFiring: after a restart of the store (cold caches, freed loading memory returned
//    to the system), arms the steady stream -- CASEDESK_BENCH_FIRE_RATE timers a second
//    (default 2,000) for CASEDESK_BENCH_FIRE_SECONDS (default 30), keys "bench:steady:<i>",
//    starting CASEDESK_BENCH_LEAD_SECONDS (default 5) after the arming -- so that every timer
//    is armed at once, starts the scheduler and waits until the stream has fired. Reports RSS
//    with everything armed (anonymous, file-backed, and the database file SQLite maps), the peak
//    while firing, and lateness: "claim" is fired_at - due_at (fired_at is the instant the
//    scheduler's pass read the clock), "durable" is when the unit of work that fired the timer
//    was committed - due_at. CASEDESK_BENCH_LATENESS_CSV=FILE writes each timer's lateness and
//    the store's checkpoint instants.
//  - BM_BurstFiring: CASEDESK_BENCH_BURST timers (default 50,000) all due at one instant; the
//    time until the last one is durably fired gives the sustained firing rate.
//  - BM_SlaBurstFiring: CASEDESK_BENCH_SLA_CASES (default 5,000; 0 skips) severity-1
//    enterprise cases imported two hours in the past, their real SLA timers armed by
//    SlaEngine::Refresh as a case write does; starting the scheduler fires every deadline that
//    passed (warnings and breaches: an SLA event, the case's refreshed summary and timers), as a
//    desk does after downtime. Gives the firing rate of real SLA deadlines.
// "bench:" keys take the cheap real claim path of app::FireTimer (read the case, mark the timer
// fired in its own group-committed unit of work; unknown keys cause nothing else), so the first
// three measure the scheduler and the store, not SLA rules.
// Run: cmake --build BUILD --target timer_scheduler_bench && BUILD/timer_scheduler_bench
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/store_calls.h"
#include "app/timer_scheduler.h"
#include "bench/bench_desk.h"

namespace casedesk::bench {
namespace {

constexpr int kTimersPerCase = 10;

// A Store that forwards to another and, while recording, notes when each unit of work written
// through it became durable (its `done` ran), by submission order. The scheduler submits one
// unit per due timer in the order ListDueTimers returned them, one pass after another.
class RecordingStore final : public ports::Store {
 public:
  explicit RecordingStore(ports::Store& inner) : inner_(inner) {}

  void StartRecording() {
    std::lock_guard<std::mutex> lock(mutex_);
    durable_at_.clear();
    recording_ = true;
  }
  std::vector<absl::Time> StopRecording() {
    std::lock_guard<std::mutex> lock(mutex_);
    recording_ = false;
    return std::move(durable_at_);
  }

  void Write(ports::UnitOfWork work, std::function<void(absl::Status)> done) override {
    size_t index = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!recording_) {
        inner_.Write(std::move(work), std::move(done));
        return;
      }
      index = durable_at_.size();
      durable_at_.push_back(absl::InfiniteFuture());
    }
    inner_.Write(std::move(work), [this, index, done = std::move(done)](absl::Status status) {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (index < durable_at_.size()) durable_at_[index] = absl::Now();
      }
      done(std::move(status));
    });
  }
  absl::Status Read(const ports::UnitOfWork& work) override { return inner_.Read(work); }
  absl::Status Backup(const std::string& path) override { return inner_.Backup(path); }
  absl::Status Migrate() override { return inner_.Migrate(); }
  absl::Status Ping() override { return inner_.Ping(); }
  std::string MetricsText() const override { return inner_.MetricsText(); }

 private:
  ports::Store& inner_;
  std::mutex mutex_;
  bool recording_ = false;
  std::vector<absl::Time> durable_at_;  // guarded by mutex_
};

ports::Timer MakeTimer(core::CaseNumber number, std::string key, absl::Time due) {
  ports::Timer timer;
  timer.case_number = number;
  timer.key = std::move(key);
  timer.due_at = due;
  return timer;
}

// The shared desk: cases and the far-future timers, loaded once.
struct Scenario {
  int64_t timers = EnvInt("CASEDESK_BENCH_TIMERS", 1'000'000);
  int64_t rate = EnvInt("CASEDESK_BENCH_FIRE_RATE", 2'000);
  int64_t seconds = EnvInt("CASEDESK_BENCH_FIRE_SECONDS", 30);
  int64_t steady = 0;  // timers of the steady stream (part of `timers`)
  int64_t cases = 0;
  BenchDesk desk{"timer-bench"};
  CaseRange numbers;
  double load_cases_s = 0;
  double arm_s = 0;
  double arm_per_s = 0;

  Scenario() {
    steady = std::min(timers, rate * seconds);
    cases = std::max<int64_t>(1, (timers + kTimersPerCase - 1) / kTimersPerCase);
    const absl::Time now = desk.clock().Now();
    absl::Time started = absl::Now();
    numbers =
        desk.LoadCases(cases, [&](int64_t) { return desk.OpenCase(core::Severity::kMinor, now); });
    load_cases_s = absl::ToDoubleSeconds(absl::Now() - started);
    // The far-future part, a day from now and later, one every 10 ms.
    started = absl::Now();
    const absl::Time future = now + absl::Hours(24);
    desk.ArmTimers(timers - steady, [&](int64_t n) {
      const int64_t i = steady + n;
      return MakeTimer(CaseOf(i), absl::StrCat("bench:future:", i),
                       future + absl::Milliseconds(10 * n));
    });
    arm_s = absl::ToDoubleSeconds(absl::Now() - started);
    // Used to give later arming enough time; a guess when nothing was armed here.
    arm_per_s =
        timers > steady ? static_cast<double>(timers - steady) / std::max(arm_s, 1e-3) : 50'000;
    std::cerr << "loaded " << cases << " cases in " << load_cases_s << " s, armed "
              << timers - steady << " timers in " << arm_s << " s" << std::endl;
  }

  // Timer i belongs to a case spread by a multiplicative hash, so timers falling due one after
  // another touch unrelated cases, as deadlines do.
  core::CaseNumber CaseOf(int64_t i) const {
    const uint64_t mixed = static_cast<uint64_t>(i) * 0x9E3779B97F4A7C15ULL;
    return numbers.first +
           static_cast<core::CaseNumber>((mixed >> 16) % static_cast<uint64_t>(cases));
  }

  // Every timer of the loaded cases whose key starts with `prefix`.
  std::vector<ports::Timer> TimersWithPrefix(const std::string& prefix) {
    std::vector<ports::Timer> found;
    Check(desk.store().Read([&](ports::StoreTransaction& txn) -> absl::Status {
      for (core::CaseNumber number = numbers.first; number <= numbers.last; ++number) {
        absl::StatusOr<std::vector<ports::Timer>> timers = txn.ListCaseTimers(number);
        if (!timers.ok()) return timers.status();
        for (ports::Timer& timer : *timers) {
          if (timer.key.starts_with(prefix)) found.push_back(std::move(timer));
        }
      }
      return absl::OkStatus();
    }),
          "listing timers");
    return found;
  }
};

// Destroyed at exit, which removes the desk's directory.
Scenario& TheScenario() {
  static Scenario scenario;
  return scenario;
}

// The latest of `instants` (InfinitePast when empty).
absl::Time Latest(const std::vector<absl::Time>& instants) {
  absl::Time last = absl::InfinitePast();
  for (absl::Time at : instants) last = std::max(last, at);
  return last;
}

struct Lateness {
  std::vector<ports::Timer> timers;  // fired ones, in firing order
  int64_t fired = 0;
  int64_t unfired = 0;
  bool durable_known = false;
  std::vector<double> claim_ms;
  std::vector<double> durable_ms;
  absl::Time last_durable = absl::InfinitePast();
};

// Lateness of `timers`, all fired by one recorded scheduler run whose commits are `durable_at`.
Lateness Measure(std::vector<ports::Timer> timers, const std::vector<absl::Time>& durable_at) {
  Lateness out;
  std::vector<ports::Timer> fired;
  for (ports::Timer& timer : timers) {
    if (timer.fired_at) {
      fired.push_back(std::move(timer));
    } else {
      ++out.unfired;
    }
  }
  out.fired = static_cast<int64_t>(fired.size());
  // Submission order: pass by pass (each pass has its own fired_at), and within a pass the
  // order of ListDueTimers (due_at, case_number, key).
  std::sort(fired.begin(), fired.end(), [](const ports::Timer& a, const ports::Timer& b) {
    return std::tie(*a.fired_at, a.due_at, a.case_number, a.key) <
           std::tie(*b.fired_at, b.due_at, b.case_number, b.key);
  });
  out.durable_known = durable_at.size() == fired.size();
  for (size_t i = 0; i < fired.size(); ++i) {
    out.claim_ms.push_back(absl::ToDoubleMilliseconds(*fired[i].fired_at - fired[i].due_at));
    if (out.durable_known) {
      out.durable_ms.push_back(absl::ToDoubleMilliseconds(durable_at[i] - fired[i].due_at));
      out.last_durable = std::max(out.last_durable, durable_at[i]);
    }
  }
  out.timers = std::move(fired);
  return out;
}

// With CASEDESK_BENCH_LATENESS_CSV set, writes one line per timer of the steady stream to that
// file: due instant (ms since the first), claim and durable lateness (ms), to see when lateness
// happens; and to the same path + ".checkpoints" the instants (s from the first due instant)
// when the store's background checkpoints were seen.
void WriteLatenessCsv(const Lateness& lateness, const std::vector<double>& checkpoints_s) {
  const char* path = std::getenv("CASEDESK_BENCH_LATENESS_CSV");
  if (path == nullptr || lateness.timers.empty()) return;
  std::ofstream checkpoints(std::string(path) + ".checkpoints");
  for (double at : checkpoints_s) checkpoints << at << '\n';
  std::ofstream out(path);
  out << "due_ms,claim_ms,durable_ms\n";
  absl::Time first = absl::InfiniteFuture();
  for (const ports::Timer& timer : lateness.timers) first = std::min(first, timer.due_at);
  for (size_t i = 0; i < lateness.timers.size(); ++i) {
    out << absl::ToDoubleMilliseconds(lateness.timers[i].due_at - first) << ','
        << lateness.claim_ms[i] << ',' << (lateness.durable_known ? lateness.durable_ms[i] : 0.0)
        << '\n';
  }
}

void ReportLateness(benchmark::State& state, Lateness& lateness) {
  state.counters["fired"] = static_cast<double>(lateness.fired);
  state.counters["unfired"] = static_cast<double>(lateness.unfired);
  state.counters["claim_p50_ms"] = Quantile(lateness.claim_ms, 0.5);
  state.counters["claim_p99_ms"] = Quantile(lateness.claim_ms, 0.99);
  state.counters["claim_max_ms"] = Quantile(lateness.claim_ms, 1.0);
  if (!lateness.durable_known) {
    state.SetLabel("durable instants unknown: other writes ran during the run");
    return;
  }
  state.counters["durable_p50_ms"] = Quantile(lateness.durable_ms, 0.5);
  state.counters["durable_p99_ms"] = Quantile(lateness.durable_ms, 0.99);
  state.counters["durable_max_ms"] = Quantile(lateness.durable_ms, 1.0);
}

// Background checkpoints the store has run (its Prometheus counter).
double CheckpointsTotal(ports::Store& store) {
  const std::string text = store.MetricsText();
  const std::string name = "\ncasedesk_store_checkpoints_total ";
  const size_t at = text.find(name);
  return at == std::string::npos ? 0 : std::atof(text.c_str() + at + name.size());
}

// Waits until `done` holds, polling every 10 ms, for at most `limit`; false on timeout.
bool WaitFor(const std::function<bool()>& done, absl::Duration limit) {
  const absl::Time give_up = absl::Now() + limit;
  while (!done()) {
    if (absl::Now() > give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

void BM_ArmTimers(benchmark::State& state) {
  for (auto _ : state) {
    Scenario& scenario = TheScenario();
    state.SetIterationTime(scenario.load_cases_s + scenario.arm_s);
    state.counters["cases"] = static_cast<double>(scenario.cases);
    state.counters["timers_armed"] = static_cast<double>(scenario.timers - scenario.steady);
    state.counters["arm_per_s"] = scenario.arm_per_s;
    state.counters["load_cases_s"] = scenario.load_cases_s;
  }
}
BENCHMARK(BM_ArmTimers)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

void BM_SteadyFiring(benchmark::State& state) {
  for (auto _ : state) {
    Scenario& scenario = TheScenario();
    BenchDesk& desk = scenario.desk;
    // A restarted desk: cold store caches, and the loader's freed memory given back.
    desk.ReopenStore();
    malloc_trim(0);
    ResetPeakRss();
    const double rss_before_mb = ProcStatusMb("VmRSS");

    // The steady stream: timer i due at t0 + i / rate, t0 after the arming is done.
    const absl::Duration arming =
        absl::Seconds(static_cast<double>(scenario.steady) / scenario.arm_per_s * 2);
    // The lead lets the store settle after that mass write (its WAL checkpoint) before the
    // first instant falls due; CASEDESK_BENCH_LEAD_SECONDS=0 measures firing right after it.
    const absl::Time t0 =
        absl::Now() + arming + absl::Seconds(1 + EnvInt("CASEDESK_BENCH_LEAD_SECONDS", 5));
    desk.ArmTimers(scenario.steady, [&](int64_t i) {
      return MakeTimer(scenario.CaseOf(i), absl::StrCat("bench:steady:", i),
                       t0 + absl::Seconds(static_cast<double>(i) / scenario.rate));
    });
    const absl::Time armed_at = absl::Now();
    if (armed_at > t0 - absl::Seconds(1)) {
      state.SkipWithError("arming the steady stream took too long");
      return;
    }
    int64_t armed = 0;
    Check(desk.store().Read([&](ports::StoreTransaction& txn) -> absl::Status {
      absl::StatusOr<int64_t> count = txn.CountUnfiredTimers();
      if (!count.ok()) return count.status();
      armed = *count;
      return absl::OkStatus();
    }),
          "counting timers");

    RecordingStore recording(desk.store());
    std::unique_ptr<app::AppContext> context = desk.MakeContext(recording);
    app::TimerScheduler scheduler(*context);
    recording.StartRecording();
    scheduler.Start();
    std::this_thread::sleep_for(absl::ToChronoMilliseconds(t0 - absl::Now() - absl::Seconds(1)));
    const double rss_armed_mb = ProcStatusMb("VmRSS");
    const double anon_armed_mb = ProcStatusMb("RssAnon");
    const double file_armed_mb = ProcStatusMb("RssFile");
    const double db_mapped_mb = MappedFileMb("/casedesk.db");
    // The store's background checkpoints, sampled with the wait, to set beside lateness.
    std::vector<double> checkpoints_s;
    double checkpoints_seen = CheckpointsTotal(desk.store());
    const bool finished = WaitFor(
        [&] {
          const double total = CheckpointsTotal(desk.store());
          if (total > checkpoints_seen) {
            checkpoints_s.push_back(absl::ToDoubleSeconds(absl::Now() - t0));
            checkpoints_seen = total;
          }
          return scheduler.fired_total() >= scenario.steady;
        },
        absl::Seconds(static_cast<double>(scenario.seconds) + 120));
    scheduler.Stop();
    const std::vector<absl::Time> durable_at = recording.StopRecording();
    if (!finished) std::cerr << "the steady stream did not finish firing in time" << std::endl;
    const double peak_mb = ProcStatusMb("VmHWM");

    Lateness lateness = Measure(scenario.TimersWithPrefix("bench:steady:"), durable_at);
    // Iteration time: from the first instant due to the last durable firing.
    if (lateness.durable_known) {
      state.SetIterationTime(absl::ToDoubleSeconds(lateness.last_durable - t0));
    } else {
      state.SetIterationTime(static_cast<double>(scenario.seconds));
    }
    state.counters["armed"] = static_cast<double>(armed);
    state.counters["lead_s"] = absl::ToDoubleSeconds(t0 - armed_at);
    state.counters["checkpoints"] = static_cast<double>(checkpoints_s.size());
    state.counters["rss_armed_mb"] = rss_armed_mb;
    state.counters["anon_armed_mb"] = anon_armed_mb;
    state.counters["file_armed_mb"] = file_armed_mb;
    state.counters["db_mapped_mb"] = db_mapped_mb;
    state.counters["peak_rss_mb"] = peak_mb;
    state.counters["rss_restart_mb"] = rss_before_mb;
    WriteLatenessCsv(lateness, checkpoints_s);  // before ReportLateness sorts the figures
    ReportLateness(state, lateness);
  }
}
BENCHMARK(BM_SteadyFiring)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

void BM_BurstFiring(benchmark::State& state) {
  const int64_t burst = EnvInt("CASEDESK_BENCH_BURST", 50'000);
  for (auto _ : state) {
    Scenario& scenario = TheScenario();
    BenchDesk& desk = scenario.desk;
    const absl::Duration arming =
        absl::Seconds(static_cast<double>(burst) / scenario.arm_per_s * 2);
    const absl::Time due = absl::Now() + arming + absl::Seconds(2);
    desk.ArmTimers(burst, [&](int64_t i) {
      return MakeTimer(scenario.CaseOf(i + scenario.timers), absl::StrCat("bench:burst:", i), due);
    });
    if (absl::Now() > due - absl::Milliseconds(500)) {
      state.SkipWithError("arming the burst took too long");
      return;
    }
    RecordingStore recording(desk.store());
    std::unique_ptr<app::AppContext> context = desk.MakeContext(recording);
    app::TimerScheduler scheduler(*context);
    recording.StartRecording();
    scheduler.Start();
    const bool finished =
        WaitFor([&] { return scheduler.fired_total() >= burst; }, absl::Seconds(600));
    scheduler.Stop();
    const std::vector<absl::Time> durable_at = recording.StopRecording();
    if (!finished) std::cerr << "the burst did not finish firing in time" << std::endl;

    Lateness lateness = Measure(scenario.TimersWithPrefix("bench:burst:"), durable_at);
    const double seconds = absl::ToDoubleSeconds(Latest(durable_at) - due);
    state.SetIterationTime(seconds);
    state.counters["burst"] = static_cast<double>(burst);
    state.counters["fired_per_s"] = static_cast<double>(lateness.fired) / seconds;
    ReportLateness(state, lateness);
  }
}
BENCHMARK(BM_BurstFiring)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

void BM_SlaBurstFiring(benchmark::State& state) {
  const int64_t sla_cases = EnvInt("CASEDESK_BENCH_SLA_CASES", 5'000);
  for (auto _ : state) {
    if (sla_cases == 0) {
      state.SkipWithError("CASEDESK_BENCH_SLA_CASES=0");
      return;
    }
    Scenario& scenario = TheScenario();
    BenchDesk& desk = scenario.desk;
    std::unique_ptr<app::AppContext> loading = desk.MakeContext(desk.store());
    const absl::Time now = desk.clock().Now();
    // Imported critical cases: first response (warning at 45 min, breach at 1 h), and on
    // enterprise after hours also triage and status notification, are past; resolution is not.
    desk.LoadCases(
        sla_cases,
        [&](int64_t) { return desk.OpenCase(core::Severity::kCritical, now - absl::Hours(2)); },
        [&](ports::StoreTransaction& txn, const core::Case& record) {
          return loading->sla->Refresh(txn, record, now);
        },
        /*per_unit=*/200);

    RecordingStore recording(desk.store());
    std::unique_ptr<app::AppContext> context = desk.MakeContext(recording);
    app::TimerScheduler scheduler(*context);
    recording.StartRecording();
    std::cerr << "firing the SLA deadlines of " << sla_cases << " cases" << std::endl;
    const absl::Time started = absl::Now();
    scheduler.Start();
    const bool finished = WaitFor(
        [&] {
          absl::StatusOr<std::optional<absl::Time>> next =
              app::ReadValue<std::optional<absl::Time>>(
                  desk.store(), [](ports::StoreTransaction& txn) { return txn.NextTimerDue(); });
          return next.ok() && (!next->has_value() || **next > started);
        },
        absl::Seconds(600));
    scheduler.Stop();
    const std::vector<absl::Time> durable_at = recording.StopRecording();
    const absl::Time last = Latest(durable_at);
    if (!finished) std::cerr << "the SLA deadlines did not finish firing in time" << std::endl;
    const double seconds = absl::ToDoubleSeconds(last - started);
    state.SetIterationTime(seconds);
    state.counters["sla_cases"] = static_cast<double>(sla_cases);
    state.counters["units"] = static_cast<double>(durable_at.size());
    state.counters["fired"] = static_cast<double>(scheduler.fired_total());
    state.counters["fired_per_s"] = static_cast<double>(scheduler.fired_total()) / seconds;
  }
}
BENCHMARK(BM_SlaBurstFiring)->Iterations(1)->UseManualTime()->Unit(benchmark::kSecond);

}  // namespace
}  // namespace casedesk::bench

BENCHMARK_MAIN();
