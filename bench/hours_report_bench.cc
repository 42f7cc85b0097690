// Contract-hours reads over a large store (issue 7's goal: reports over 10,000,000 time entries
// in under 2 s). Loads HOURS_BENCH_ENTRIES time entries (default 10,000,000) into a SqliteStore
// through StoreTransaction::InsertTimeEntry -- so the per-(org, kind, period) and per-day usage
// rows are kept exactly as in production -- spread over HOURS_BENCH_ORGS customer organisations
// (default 2,000), two kinds and 24 months, 20,000 entries per unit of work. Then measures:
//   BM_OrgHours          app::GetOrgHours for one organisation and month (what GET
//                        /api/v1/orgs/{id}/hours and the portal's Hours page do): packages,
//                        usage since the packages start, daily rows for the chart, alerts
//   BM_AllOrgsHoursReport GetOrgHours for every organisation, for one month: hours used against
//                        packages across the whole desk
// HOURS_BENCH_DIR keeps the store between runs (loaded once; delete it to reload).
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/hours.h"
#include "bench/bench_desk.h"
#include "benchmark/benchmark.h"
#include "core/hours_period.h"

namespace casedesk::bench {
namespace {

struct HoursDesk {
  std::unique_ptr<ports::Store> store;
  std::unique_ptr<ports::Crypto> crypto;
  std::unique_ptr<ports::BlobStore> blobs;
  adapters::system::RealClock clock;
  std::unique_ptr<app::AppContext> context;
  std::vector<core::OrgId> orgs;
  app::Caller admin;
  int64_t entries = 0;
};

core::HoursPeriod MonthOf(int index) {  // 0 = 2025-01
  return {2025 + index / 12, 1 + index % 12};
}

// Loads the directory and the entries unless the store already holds them.
void Load(HoursDesk& desk, int64_t wanted_entries, int org_count) {
  auto existing = app::ReadValue<std::vector<core::OrgId>>(
      *desk.store, [](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::OrgId>> {
        ports::OrgFilter filter;
        filter.page.limit = 200;
        std::vector<core::OrgId> ids;
        while (true) {
          auto page = txn.ListOrganisations(filter);
          if (!page.ok()) return page.status();
          for (const auto& org : page->items) {
            if (org.kind == core::OrgKind::kCustomer) ids.push_back(org.id);
          }
          if (page->next_cursor.empty()) return ids;
          filter.page.cursor = page->next_cursor;
        }
      });
  Check(existing.status(), "list organisations");
  core::OrgId provider = 0;
  Check(desk.store->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
    auto found = txn.FindProvider();
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      provider = (*found)->id;
      return absl::OkStatus();
    }
    core::Organisation org;
    org.name = "Provider";
    org.kind = core::OrgKind::kProvider;
    org.created_at = absl::FromUnixSeconds(1700000000);
    auto id = txn.InsertOrganisation(org);
    if (!id.ok()) return id.status();
    provider = *id;
    core::User admin;
    admin.email = "admin@bench.example";
    admin.name = "Admin";
    admin.role = core::Role::kAdmin;
    admin.org_id = provider;
    admin.created_at = org.created_at;
    return txn.InsertUser(admin).status();
  }),
        "provider");
  desk.admin.viewer.role = core::Role::kAdmin;
  desk.admin.viewer.org_id = provider;
  desk.admin.viewer.user_id = 1;
  desk.admin.user.id = 1;
  desk.admin.user.role = core::Role::kAdmin;
  if (!existing->empty()) {
    desk.orgs = *existing;
    auto count = app::ReadValue<int64_t>(
        *desk.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<int64_t> {
          int64_t total = 0;
          for (core::OrgId org : desk.orgs) {
            auto usage = txn.ListHoursUsage(org, "1970-01");
            if (!usage.ok()) return usage.status();
            for (const auto& row : *usage) total += row.entries;
          }
          return total;
        });
    Check(count.status(), "count entries");
    desk.entries = *count;
    return;
  }
  const char* plans[] = {"enterprise", "professional"};
  const char* zones[] = {"UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Tokyo"};
  Check(desk.store->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
    for (int i = 0; i < org_count; ++i) {
      core::Organisation org;
      org.name = absl::StrCat("Customer ", i);
      org.kind = core::OrgKind::kCustomer;
      org.parent_id = provider;
      org.plan = plans[i % 2];
      org.time_zone = zones[i % 4];
      org.created_at = absl::FromCivil(absl::CivilSecond(2025, 1, 1), absl::UTCTimeZone());
      auto id = txn.InsertOrganisation(org);
      if (!id.ok()) return id.status();
      desk.orgs.push_back(*id);
    }
    return absl::OkStatus();
  }),
        "organisations");
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> org_pick(0, org_count - 1);
  std::uniform_int_distribution<int> month_pick(0, 23);
  std::uniform_int_distribution<int> day_pick(1, 28);
  std::uniform_int_distribution<int> minutes_pick(5, 240);
  constexpr int64_t kPerUnit = 20000;
  const absl::Time started = absl::Now();
  for (int64_t done = 0; done < wanted_entries; done += kPerUnit) {
    const int64_t count = std::min(kPerUnit, wanted_entries - done);
    std::vector<core::TimeEntry> batch;
    batch.reserve(count);
    for (int64_t i = 0; i < count; ++i) {
      const core::HoursPeriod month = MonthOf(month_pick(rng));
      const int day = day_pick(rng);
      core::TimeEntry entry;
      entry.org_id = desk.orgs[org_pick(rng)];
      entry.author_id = 1;
      entry.minutes = minutes_pick(rng);
      entry.billable = (i % 5) != 0;
      entry.kind = (i % 4) == 0 ? core::HoursKind::kTraining : core::HoursKind::kCustomerSuccess;
      entry.note = "Service review";
      entry.worked_at = absl::FromCivil(absl::CivilSecond(month.year, month.month, day, 12, 0, 0),
                                        absl::UTCTimeZone());
      entry.period = core::PeriodName(month);
      char day_name[16];
      std::snprintf(day_name, sizeof day_name, "%s-%02d", entry.period.c_str(), day);
      entry.day = day_name;
      entry.created_at = entry.worked_at;
      batch.push_back(std::move(entry));
    }
    Check(desk.store->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
      for (const core::TimeEntry& entry : batch) {
        if (auto written = txn.InsertTimeEntry(entry); !written.ok()) return written.status();
      }
      return absl::OkStatus();
    }),
          "entries");
    if ((done / kPerUnit) % 50 == 0) {
      std::cerr << "loaded " << done + count << " entries in "
                << absl::ToDoubleSeconds(absl::Now() - started) << " s" << std::endl;
    }
  }
  desk.entries = wanted_entries;
  std::cerr << "loaded " << wanted_entries << " entries in "
            << absl::ToDoubleSeconds(absl::Now() - started) << " s" << std::endl;
}

HoursDesk& Desk() {
  static HoursDesk* const desk = [] {
    auto* d = new HoursDesk;
    std::string directory;
    if (const char* kept = std::getenv("HOURS_BENCH_DIR")) {
      directory = kept;
      std::filesystem::create_directories(directory);
    } else {
      directory = (std::filesystem::temp_directory_path() / absl::StrCat("hours-bench-", getpid()))
                      .string();
      std::filesystem::create_directories(directory);
    }
    auto store = adapters::sqlite::SqliteStore::Open(directory + "/casedesk.db");
    Check(store.status(), "open store");
    d->store = *std::move(store);
    auto crypto = adapters::crypto::SodiumCrypto::Create(std::string(32, 'k'));
    Check(crypto.status(), "crypto");
    d->crypto = *std::move(crypto);
    auto blobs = adapters::crypto::FileBlobStore::Create(directory + "/blobs");
    Check(blobs.status(), "blobs");
    d->blobs = *std::move(blobs);
    d->context = std::make_unique<app::AppContext>(
        app::AppContext{*d->store, d->clock, *d->crypto, *d->blobs, {}});
    Load(*d, EnvInt("HOURS_BENCH_ENTRIES", 10'000'000),
         static_cast<int>(EnvInt("HOURS_BENCH_ORGS", 2000)));
    return d;
  }();
  return *desk;
}

void BM_OrgHours(benchmark::State& state) {
  HoursDesk& desk = Desk();
  std::mt19937 rng(11);
  std::uniform_int_distribution<size_t> pick(0, desk.orgs.size() - 1);
  for (auto _ : state) {
    auto hours = app::GetOrgHours(*desk.context, desk.admin, desk.orgs[pick(rng)], "2026-06");
    Check(hours.status(), "GetOrgHours");
    benchmark::DoNotOptimize(hours->packages.size());
  }
  state.counters["entries_in_store"] = static_cast<double>(desk.entries);
}
BENCHMARK(BM_OrgHours)->Unit(benchmark::kMillisecond);

void BM_AllOrgsHoursReport(benchmark::State& state) {
  HoursDesk& desk = Desk();
  for (auto _ : state) {
    int64_t used = 0;
    for (core::OrgId org : desk.orgs) {
      auto hours = app::GetOrgHours(*desk.context, desk.admin, org, "2026-06");
      Check(hours.status(), "GetOrgHours");
      for (const auto& package : hours->packages) used += package.balance.used_minutes;
    }
    benchmark::DoNotOptimize(used);
  }
  state.counters["orgs"] = static_cast<double>(desk.orgs.size());
  state.counters["entries_in_store"] = static_cast<double>(desk.entries);
}
BENCHMARK(BM_AllOrgsHoursReport)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace casedesk::bench

BENCHMARK_MAIN();
