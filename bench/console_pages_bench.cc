// The staff console's case pages rendered server-side (issue 5: "agent queue page with
// 1,000,000 cases stored renders in under 30 ms p99; case page with a 2,000-event history
// under 50 ms; pages under 100 KB"). A fresh SqliteStore desk is loaded straight through the
// store with CASEDESK_BENCH_CONSOLE_CASES cases (default 1,000,000): 90 % closed, 10 % active
// (new, open, pending in turn), severities 1-4 in turn, every 7th active case assigned to the
// benchmark's agent, each active case with a next SLA deadline spread over a week around now,
// each case with its "case.created" event. One more case carries a 2,000-event history: 1,000
// comments (public replies and internal notes in turn, each with its event) and 999
// "case.updated" events. Then, timing the whole HTTP-layer call (load through the use cases,
// render inside the console frame) as the signed-in agent:
//  - BM_QueuePage/<queue>: GET /console/cases?queue=untriaged|mine|breaching|severity (50 rows),
//    and the untriaged queue narrowed to the enterprise customer (who holds every case).
//  - BM_CasePage: GET /console/cases/{number} of the 2,000-event case.
// Counters: p50_ms, p99_ms (over the iterations) and kb (the page's size).
// Run: cmake --build BUILD --target console_pages_bench && BUILD/console_pages_bench
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "adapters/http/console_cases_pages.h"
#include "app/authenticate.h"
#include "app/case_support.h"
#include "bench/bench_desk.h"

namespace casedesk::bench {
namespace {

struct ConsoleDesk {
  std::unique_ptr<BenchDesk> desk;
  std::unique_ptr<app::AppContext> context;
  adapters::http::WebCaller web;
  core::CaseNumber long_case = 0;
};

core::Case ActiveOrClosed(const BenchDesk& desk, int64_t i, core::UserId agent, absl::Time now) {
  static constexpr core::Severity kSeverities[] = {core::Severity::kCritical,
                                                   core::Severity::kMajor, core::Severity::kMinor,
                                                   core::Severity::kOther};
  core::Case record =
      desk.OpenCase(kSeverities[i % 4], now - absl::Hours(24 * 30) + absl::Seconds(i % 2592000));
  const bool active = i % 10 == 0;
  if (!active) {
    record.status = core::CaseStatus::kClosed;
    record.closed_at = now - absl::Hours(1);
  } else {
    static constexpr core::CaseStatus kActive[] = {core::CaseStatus::kNew, core::CaseStatus::kOpen,
                                                   core::CaseStatus::kPending};
    record.status = kActive[(i / 10) % 3];
    if ((i / 10) % 7 == 0) record.assignee_id = agent;
  }
  return record;
}

ConsoleDesk& Desk() {
  // Destroyed at exit, which removes the desk's scratch directory.
  static std::unique_ptr<ConsoleDesk> shared = [] {
    auto d = std::make_unique<ConsoleDesk>();
    d->desk = std::make_unique<BenchDesk>("console");
    BenchDesk& desk = *d->desk;
    d->context = desk.MakeContext(desk.store());
    const absl::Time now = desk.clock().Now();
    core::User agent;
    Check(desk.store().WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
      agent.email = "agent@provider.example";
      agent.name = "Bench Agent";
      agent.role = core::Role::kAgent;
      agent.org_id = desk.parties().provider;
      agent.verified = true;
      agent.created_at = now;
      absl::StatusOr<core::UserId> id = txn.InsertUser(agent);
      if (!id.ok()) return id.status();
      agent.id = *id;
      absl::StatusOr<core::Viewer> viewer = app::ViewerForUser(txn, agent);
      if (!viewer.ok()) return viewer.status();
      d->web.caller = {*viewer, agent};
      return absl::OkStatus();
    }),
          "the agent");
    d->web.csrf_token = std::string(32, 'c');
    const int64_t count = EnvInt("CASEDESK_BENCH_CONSOLE_CASES", 1000000);
    const auto started = std::chrono::steady_clock::now();
    desk.LoadCases(
        count, [&](int64_t i) { return ActiveOrClosed(desk, i, agent.id, now); },
        [&](ports::StoreTransaction& txn, const core::Case& record) -> absl::Status {
          if (record.status == core::CaseStatus::kClosed) return absl::OkStatus();
          const absl::Time due =
              now - absl::Hours(24) + absl::Seconds((record.number * 7919) % (7 * 86400));
          return txn.SetCaseNextDeadline(record.number, due);
        });
    // The long case: 1,000 comments with their events and 999 updates (2,000 events).
    const CaseRange range = desk.LoadCases(
        1, [&](int64_t) { return desk.OpenCase(core::Severity::kMajor, now - absl::Hours(48)); });
    d->long_case = range.first;
    for (int batch = 0; batch < 10; ++batch) {
      Check(desk.store().WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
        for (int i = batch * 100; i < (batch + 1) * 100; ++i) {
          const absl::Time at = now - absl::Hours(47) + absl::Minutes(2 * i);
          core::Comment comment;
          comment.case_number = d->long_case;
          comment.author_id = agent.id;
          comment.body = "Comment " + std::to_string(i) + ": we looked at the logs again.";
          comment.visibility = i % 2 == 0 ? core::Visibility::kPublic : core::Visibility::kInternal;
          comment.created_at = at;
          absl::StatusOr<core::CommentId> id = txn.InsertComment(comment);
          if (!id.ok()) return id.status();
          core::AuditEvent added =
              app::CaseEvent(d->long_case, agent.id, at,
                             i % 2 == 0 ? app::kCommentAdded : app::kInternalNoteAdded);
          if (absl::StatusOr<core::EventId> e = txn.AppendEvent(added); !e.ok()) return e.status();
          if (i == 999) continue;
          core::AuditEvent updated =
              app::CaseEvent(d->long_case, agent.id, at + absl::Minutes(1), app::kCaseUpdated);
          updated.changes = {{"product", "v" + std::to_string(i), "v" + std::to_string(i + 1)}};
          if (absl::StatusOr<core::EventId> e = txn.AppendEvent(updated); !e.ok()) {
            return e.status();
          }
        }
        return absl::OkStatus();
      }),
            "the long case");
    }
    std::cerr << "loaded " << count + 1 << " cases in "
              << std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()
              << " s" << std::endl;
    return d;
  }();
  return *shared;
}

void Report(benchmark::State& state, std::vector<double>& millis, size_t bytes) {
  state.counters["p50_ms"] = Quantile(millis, 0.5);
  state.counters["p99_ms"] = Quantile(millis, 0.99);
  state.counters["kb"] = static_cast<double>(bytes) / 1024.0;
}

void BM_QueuePage(benchmark::State& state, const std::string& query) {
  ConsoleDesk& desk = Desk();
  adapters::http::HttpRequest request;
  request.method = "GET";
  request.path = "/console/cases";
  // "{org}" stands for the enterprise customer's id: every case is theirs, the worst case for
  // a view narrowed to one organisation.
  std::string target = query;
  if (const size_t at = target.find("{org}"); at != std::string::npos) {
    target.replace(at, 5, std::to_string(desk.desk->parties().enterprise));
  }
  request.target = "/console/cases?" + target;
  for (absl::string_view pair : absl::StrSplit(target, '&')) {
    const std::pair<std::string, std::string> kv = absl::StrSplit(pair, absl::MaxSplits('=', 1));
    request.query.push_back(kv);
  }
  std::vector<double> millis;
  size_t bytes = 0;
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    adapters::http::HttpResponse response =
        adapters::http::ConsoleQueueResponse(*desk.context, request, desk.web);
    millis.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    if (response.status != 200) {
      state.SkipWithError("the queue page did not answer 200");
      return;
    }
    bytes = response.body.size();
    benchmark::DoNotOptimize(response);
  }
  Report(state, millis, bytes);
}

void BM_CasePage(benchmark::State& state) {
  ConsoleDesk& desk = Desk();
  std::vector<double> millis;
  size_t bytes = 0;
  for (auto _ : state) {
    const auto started = std::chrono::steady_clock::now();
    adapters::http::HttpResponse response = adapters::http::ConsoleCaseResponse(
        *desk.context, desk.web, desk.long_case, 200, "", {}, false);
    millis.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count());
    if (response.status != 200) {
      state.SkipWithError("the case page did not answer 200");
      return;
    }
    bytes = response.body.size();
    benchmark::DoNotOptimize(response);
  }
  Report(state, millis, bytes);
}

BENCHMARK_CAPTURE(BM_QueuePage, untriaged, std::string("queue=untriaged"))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(300);
BENCHMARK_CAPTURE(BM_QueuePage, mine, std::string("queue=mine"))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(300);
BENCHMARK_CAPTURE(BM_QueuePage, breaching, std::string("queue=breaching"))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(300);
BENCHMARK_CAPTURE(BM_QueuePage, severity, std::string("queue=severity&severity=1"))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(300);
BENCHMARK_CAPTURE(BM_QueuePage, untriaged_one_org, std::string("queue=untriaged&org={org}"))
    ->Unit(benchmark::kMillisecond)
    ->Iterations(300);
BENCHMARK(BM_CasePage)->Unit(benchmark::kMillisecond)->Iterations(200);

}  // namespace
}  // namespace casedesk::bench

BENCHMARK_MAIN();
