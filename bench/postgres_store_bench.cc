// PostgresStore benchmarks (Google Benchmark), the same workloads as store_bench.cc:
//  - BM_DurableCaseCreation: one case-creation unit (case + search rows + audit event) per
//    iteration through WriteAndWait, from 1 and 64 threads: durable commits per second.
//  - BM_ListCases/...: a 25-row filtered first page over a store holding
//    CASEDESK_BENCH_CASES cases (default 200,000; loaded once through the store).
// The server: a throwaway PostgreSQL 15 server started in a temporary directory (fsync on,
// synchronous_commit on), as the tests do (test/support/postgres_server.h).
// CASEDESK_BENCH_PG_WRITERS and CASEDESK_BENCH_PG_BATCH set the writer connections and the
// units per commit, to compare group commit with one transaction per unit.
// Run: cmake --build BUILD --target postgres_store_bench && BUILD/postgres_store_bench
#include <benchmark/benchmark.h>

#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include "adapters/postgres/postgres_store.h"
#include "test/support/postgres_server.h"

namespace casedesk {
namespace {

constexpr int kOrgs = 1000;
constexpr int kUsersPerOrg = 10;
constexpr int kAgents = 50;
constexpr int kGroups = 10;
constexpr int kFirstAgent = kOrgs * kUsersPerOrg + 1;

core::Case MakeCase(core::CaseNumber number, std::mt19937_64& random) {
  static const char* const kWords[] = {"disk",    "network", "timeout", "database",
                                       "backup",  "login",   "kernel",  "firewall",
                                       "dns",     "memory",  "latency", "certificate"};
  core::Case c;
  c.number = number;
  const int org = static_cast<int>(random() % kOrgs);
  c.org_id = 1 + org;
  c.requester_id = 1 + org * kUsersPerOrg + static_cast<int64_t>(random() % kUsersPerOrg);
  c.subject = std::string(kWords[random() % 12]) + " problem on server " + std::to_string(number);
  c.description = std::string("The ") + kWords[random() % 12] + " and " + kWords[random() % 12] +
                  " stopped working after the maintenance window";
  c.status = static_cast<core::CaseStatus>(random() % 6);
  c.severity = static_cast<core::Severity>(1 + random() % 4);
  if (random() % 10 < 7) c.assignee_id = kFirstAgent + static_cast<int64_t>(random() % kAgents);
  if (random() % 10 < 8) c.group_id = 1 + static_cast<int64_t>(random() % kGroups);
  c.fields = {{"server_name", "srv-" + std::to_string(random() % 1000)}};
  c.created_at = absl::Now();
  c.updated_at = c.created_at;
  return c;
}

absl::Status SeedDirectory(ports::StoreTransaction& tx) {
  for (int org = 0; org < kOrgs; ++org) {
    core::Organisation organisation;
    organisation.name = "Org " + std::to_string(org);
    auto inserted = tx.InsertOrganisation(organisation);
    if (!inserted.ok()) return inserted.status();
  }
  for (int org = 0; org < kOrgs; ++org) {
    for (int user = 0; user < kUsersPerOrg; ++user) {
      core::User person;
      person.email = "u" + std::to_string(org) + "_" + std::to_string(user) + "@example.com";
      person.name = "User";
      person.org_id = 1 + org;
      auto inserted = tx.InsertUser(person);
      if (!inserted.ok()) return inserted.status();
    }
  }
  for (int agent = 0; agent < kAgents; ++agent) {
    core::User person;
    person.email = "agent" + std::to_string(agent) + "@provider.example";
    person.name = "Agent";
    person.org_id = 1;
    person.role = core::Role::kAgent;
    auto inserted = tx.InsertUser(person);
    if (!inserted.ok()) return inserted.status();
  }
  for (int group = 0; group < kGroups; ++group) {
    core::Group queue;
    queue.name = "Group " + std::to_string(group);
    auto inserted = tx.InsertGroup(queue);
    if (!inserted.ok()) return inserted.status();
  }
  return absl::OkStatus();
}

size_t EnvironmentNumber(const char* name, size_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? static_cast<size_t>(std::atoll(value)) : fallback;
}

// A fresh database on the benchmark's server.
std::string NewDatabase(const std::string& prefix) {
  static auto* server = [] {
    auto started = test_support::PostgresTestServer::Start();
    if (!started.ok()) {
      std::fprintf(stderr, "%s\n", std::string(started.status().message()).c_str());
      std::abort();
    }
    return started->release();
  }();
  auto url = server->CreateDatabase(prefix);
  if (!url.ok()) std::abort();
  return *url;
}

// Opens a store on a fresh database with the directory seeded and `cases` cases.
std::unique_ptr<adapters::postgres::PostgresStore> OpenSeededStore(const std::string& prefix,
                                                                   int cases) {
  adapters::postgres::PostgresStoreOptions options;
  options.writer_connections = EnvironmentNumber("CASEDESK_BENCH_PG_WRITERS", 32);
  options.max_batch_units = EnvironmentNumber("CASEDESK_BENCH_PG_BATCH", 1);
  const std::string url = NewDatabase(prefix);
  auto store = adapters::postgres::PostgresStore::Open(url, options);
  if (!store.ok() || !(*store)->WriteAndWait(SeedDirectory).ok()) std::abort();
  constexpr int kCasesPerUnit = 200;
  std::mutex mutex;
  std::condition_variable changed;
  int in_flight = 0;
  std::mt19937_64 random(42);
  for (int loaded = 0; loaded < cases; loaded += kCasesPerUnit) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return in_flight < 64; });
      ++in_flight;
    }
    (*store)->Write(
        [&random, &mutex](ports::StoreTransaction& tx) -> absl::Status {
          for (int i = 0; i < kCasesPerUnit; ++i) {
            auto number = tx.NextCaseNumber();
            if (!number.ok()) return number.status();
            core::Case c;
            {
              std::lock_guard<std::mutex> lock(mutex);  // writers share `random`
              c = MakeCase(*number, random);
            }
            absl::Status status = tx.InsertCase(c);
            if (!status.ok()) return status;
          }
          return absl::OkStatus();
        },
        [&](absl::Status status) {
          if (!status.ok()) std::abort();
          std::lock_guard<std::mutex> lock(mutex);
          --in_flight;
          changed.notify_all();
        });
  }
  {
    std::unique_lock<std::mutex> lock(mutex);
    changed.wait(lock, [&] { return in_flight == 0; });
  }
  // Fresh planner statistics, as autovacuum gathers them on a live desk.
  auto connection = adapters::postgres::PgConnection::Connect(url);
  if (!connection.ok() || !(*connection)->ExecuteScript("VACUUM ANALYZE").ok()) std::abort();
  return std::move(*store);
}

adapters::postgres::PostgresStore& WriteStore() {
  static auto* store = OpenSeededStore("bench_write", 0).release();
  return *store;
}

adapters::postgres::PostgresStore& ListStore() {
  static auto* store = [] {
    const int cases = static_cast<int>(EnvironmentNumber("CASEDESK_BENCH_CASES", 200000));
    return OpenSeededStore("bench_list", cases).release();
  }();
  return *store;
}

// A counter or sum from the store's Prometheus text.
double Metric(const std::string& text, const std::string& name) {
  const size_t at = text.find("\n" + name + " ");
  return at == std::string::npos ? 0 : std::atof(text.c_str() + at + name.size() + 2);
}

void BM_DurableCaseCreation(benchmark::State& state) {
  auto& store = WriteStore();
  const std::string before = store.MetricsText();
  std::mt19937_64 random(state.thread_index());
  for (auto _ : state) {
    absl::Status status = store.WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
      auto number = tx.NextCaseNumber();
      if (!number.ok()) return number.status();
      absl::Status inserted = tx.InsertCase(MakeCase(*number, random));
      if (!inserted.ok()) return inserted;
      core::AuditEvent event;
      event.entity = "case";
      event.entity_id = std::to_string(*number);
      event.case_number = *number;
      event.kind = "case.created";
      event.at = absl::Now();
      event.changes = {{"status", "", "new"}};
      return tx.AppendEvent(event).status();
    });
    if (!status.ok()) state.SkipWithError("write failed");
  }
  state.SetItemsProcessed(state.iterations());
  if (state.thread_index() == 0) {
    // Group commit figures over the run (all threads): units per commit, time per batch.
    const std::string after = store.MetricsText();
    const double batches = Metric(after, "casedesk_store_batches_total") -
                           Metric(before, "casedesk_store_batches_total");
    const double units = Metric(after, "casedesk_store_units_total") -
                         Metric(before, "casedesk_store_units_total");
    const double seconds = Metric(after, "casedesk_store_commit_seconds_sum") -
                           Metric(before, "casedesk_store_commit_seconds_sum");
    if (batches > 0) {
      state.counters["units_per_commit"] = units / batches;
      state.counters["batch_ms"] = seconds / batches * 1000;
    }
  }
}
BENCHMARK(BM_DurableCaseCreation)->Threads(1)->Threads(64)->UseRealTime()->MinTime(3.0);

void RunList(benchmark::State& state, const std::function<ports::CaseFilter(std::mt19937_64&)>& make) {
  auto& store = ListStore();
  std::mt19937_64 random(7);
  for (auto _ : state) {
    ports::CaseFilter filter = make(random);
    filter.page.limit = 25;
    absl::Status status = store.Read([&](ports::StoreTransaction& tx) -> absl::Status {
      auto page = tx.ListCases(filter);
      if (!page.ok()) return page.status();
      benchmark::DoNotOptimize(page->items.data());
      return absl::OkStatus();
    });
    if (!status.ok()) state.SkipWithError("list failed");
  }
}

ports::CaseFilter StaffFilter() {
  ports::CaseFilter filter;
  filter.scope.all = true;
  return filter;
}

void BM_ListCases_StaffStatus(benchmark::State& state) {
  RunList(state, [](std::mt19937_64& random) {
    auto filter = StaffFilter();
    filter.status = static_cast<core::CaseStatus>(random() % 6);
    return filter;
  });
}
BENCHMARK(BM_ListCases_StaffStatus);

void BM_ListCases_StaffAssigneeAndStatus(benchmark::State& state) {
  RunList(state, [](std::mt19937_64& random) {
    auto filter = StaffFilter();
    filter.assignee_id = kFirstAgent + static_cast<int64_t>(random() % kAgents);
    filter.status = core::CaseStatus::kOpen;
    return filter;
  });
}
BENCHMARK(BM_ListCases_StaffAssigneeAndStatus);

void BM_ListCases_CustomerScope(benchmark::State& state) {
  RunList(state, [](std::mt19937_64& random) {
    ports::CaseFilter filter;
    const int org = static_cast<int>(random() % kOrgs);
    filter.scope.org_ids = {1 + org};
    filter.scope.participant = 1 + org * kUsersPerOrg;
    filter.status = core::CaseStatus::kOpen;
    return filter;
  });
}
BENCHMARK(BM_ListCases_CustomerScope);

void BM_ListCases_PartnerScope(benchmark::State& state) {
  RunList(state, [](std::mt19937_64& random) {
    ports::CaseFilter filter;
    const int first = static_cast<int>(random() % (kOrgs - 20));
    for (int org = 0; org < 20; ++org) filter.scope.org_ids.push_back(1 + first + org);
    return filter;
  });
}
BENCHMARK(BM_ListCases_PartnerScope);

void BM_ListCases_Text(benchmark::State& state) {
  RunList(state, [](std::mt19937_64&) {
    auto filter = StaffFilter();
    filter.text = "firewall";
    return filter;
  });
}
BENCHMARK(BM_ListCases_Text);

}  // namespace
}  // namespace casedesk

BENCHMARK_MAIN();
