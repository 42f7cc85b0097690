// Store benchmarks (Google Benchmark) against SqliteStore in a scratch directory:
//  - BM_DurableCaseCreation: one case-creation unit (case + search rows + audit event) per
//    iteration through WriteAndWait, from 1 and 64 threads: durable commits per second.
//  - BM_ListCases/...: a 25-row filtered first page over a store holding
//    CASEDESK_BENCH_CASES cases (default 1,000,000; loaded once, which takes a few minutes).
// Run: cmake --build BUILD --target store_bench && BUILD/store_bench
#include <benchmark/benchmark.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <random>
#include <string>

#include <sys/resource.h>

#include "adapters/sqlite/sqlite_store.h"

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

// Opens a fresh store in a scratch directory with the directory seeded and `cases` cases.
std::unique_ptr<adapters::sqlite::SqliteStore> OpenSeededStore(const std::string& name, int cases) {
  const std::filesystem::path directory = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(directory);
  // CASEDESK_BENCH_MMAP_MIB: the store's memory map (SqliteStoreOptions::mmap_bytes), to
  // compare read speed with and without a map.
  adapters::sqlite::SqliteStoreOptions options;
  if (const char* mib = std::getenv("CASEDESK_BENCH_MMAP_MIB"); mib != nullptr) {
    options.mmap_bytes = std::atoll(mib) * 1024 * 1024;
  }
  auto store = adapters::sqlite::SqliteStore::Open((directory / "casedesk.db").string(), options);
  if (!store.ok() || !(*store)->WriteAndWait(SeedDirectory).ok()) std::abort();
  // Small units queued without waiting; group commit batches them.
  constexpr int kCasesPerUnit = 200;
  std::mutex mutex;
  std::condition_variable changed;
  int in_flight = 0;
  std::mt19937_64 random(42);
  for (int loaded = 0; loaded < cases; loaded += kCasesPerUnit) {
    {
      std::unique_lock<std::mutex> lock(mutex);
      changed.wait(lock, [&] { return in_flight < 512; });
      ++in_flight;
    }
    (*store)->Write(
        [&random](ports::StoreTransaction& tx) -> absl::Status {
          for (int i = 0; i < kCasesPerUnit; ++i) {
            auto number = tx.NextCaseNumber();
            if (!number.ok()) return number.status();
            absl::Status status = tx.InsertCase(MakeCase(*number, random));
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
  std::unique_lock<std::mutex> lock(mutex);
  changed.wait(lock, [&] { return in_flight == 0; });
  return std::move(*store);
}

adapters::sqlite::SqliteStore& WriteStore() {
  static auto* store = OpenSeededStore("casedesk-bench-write", 0).release();
  return *store;
}

adapters::sqlite::SqliteStore& ListStore() {
  static auto* store = [] {
    const char* configured = std::getenv("CASEDESK_BENCH_CASES");
    const int cases = configured != nullptr ? std::atoi(configured) : 1000000;
    return OpenSeededStore("casedesk-bench-list", cases).release();
  }();
  return *store;
}

// CPU seconds used by the whole process (every thread, user + kernel).
double ProcessCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& time) { return time.tv_sec + time.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// A counter from the store's Prometheus text (0 when absent).
double MetricValue(const std::string& text, const std::string& name) {
  const size_t at = text.find("\n" + name + " ");
  return at == std::string::npos ? 0 : std::atof(text.c_str() + at + name.size() + 2);
}

// The same work as a real case creation: a number from the sequence, the case row (with its
// search rows) and its audit event, in one unit of work, acknowledged after the durable commit.
// process_cpu_us_per_case is the process's CPU (writer, checkpointer and client threads) per
// case: it stays meaningful when other processes share the cores and the wall rate does not.
void BM_DurableCaseCreation(benchmark::State& state) {
  auto& store = WriteStore();
  std::mt19937_64 random(state.thread_index());
  const double cpu_before = state.thread_index() == 0 ? ProcessCpuSeconds() : 0;
  const std::string metrics_before = state.thread_index() == 0 ? store.MetricsText() : "";
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
    // Thread 0 finishes with the others (the timing loop ends together); every thread ran
    // about as many iterations.
    const double cases = static_cast<double>(state.iterations()) * state.threads();
    state.counters["process_cpu_us_per_case"] = (ProcessCpuSeconds() - cpu_before) * 1e6 / cases;
    const std::string metrics_after = store.MetricsText();
    const double batches = MetricValue(metrics_after, "casedesk_store_batches_total") -
                           MetricValue(metrics_before, "casedesk_store_batches_total");
    const double units = MetricValue(metrics_after, "casedesk_store_units_total") -
                         MetricValue(metrics_before, "casedesk_store_units_total");
    if (batches > 0) state.counters["units_per_commit"] = units / batches;
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
