// Reports over a large store (issue 7's goal: any report over 1,000,000 cases and 10,000,000
// time entries in under 2 s). Loads into a SqliteStore, through the StoreTransaction methods
// production uses (so indexes, triggers and usage rows are kept as they are live):
//   REPORTS_BENCH_CASES cases (default 1,000,000) over 400 days and REPORTS_BENCH_ORGS customer
//   organisations (default 2,000; every other one under one of 20 partners), each with its SLA
//   summary (about 12 % first-response breaches, 5 % resolution breaches), 70 % solved, and an
//   escalation request (a hand-over, kept in case_handoffs by trigger) on 1 case in 4;
//   REPORTS_BENCH_ENTRIES time entries (default 10,000,000) spread over the organisations.
// 20,000 rows per unit of work. Then measures the app use cases the API and pages call:
//   BM_SlaCompliance/all|org     app::BuildSlaComplianceReport, 400 days (14 monthly queries);
//                                /2 is every organisation over a mid-month to mid-month period
//   BM_Backlog/all|org           app::BuildBacklogReport at the period end
//   BM_PartnerResolution/all     app::BuildPartnerResolutionReport, 400 days
//   BM_ServiceCredits/all        app::BuildServiceCreditReport, 400 days
//   BM_ServiceReview/all|org     app::BuildServiceReview (the console pages: every table, and
//                                for one organisation its hours for each month)
// REPORTS_BENCH_DIR keeps the store between runs (loaded once; delete it to reload).
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/reports.h"
#include "bench/bench_desk.h"
#include "benchmark/benchmark.h"
#include "core/hours_period.h"

namespace casedesk::bench {
namespace {

constexpr int kPartners = 20;
constexpr int64_t kPerUnit = 20000;
const absl::Time kEnd = absl::FromCivil(absl::CivilSecond(2026, 11, 1), absl::UTCTimeZone());
const absl::Time kStart = kEnd - absl::Hours(24 * 400);

struct ReportsDesk {
  std::unique_ptr<ports::Store> store;
  std::unique_ptr<ports::Crypto> crypto;
  std::unique_ptr<ports::BlobStore> blobs;
  adapters::system::RealClock clock;
  std::unique_ptr<app::AppContext> context;
  std::vector<core::OrgId> customers;
  app::Caller admin;
  int64_t cases = 0;
  int64_t entries = 0;
};

absl::StatusOr<int64_t> CountRows(ports::Store& store, const std::string& what) {
  // The bench reads the counts it needs through the report queries themselves.
  return app::ReadValue<int64_t>(store,
                                 [&](ports::StoreTransaction& txn) -> absl::StatusOr<int64_t> {
                                   if (what == "cases") {
                                     auto rows = txn.CountSlaCompliance({});
                                     if (!rows.ok()) return rows.status();
                                     int64_t total = 0;
                                     for (const auto& row : *rows) total += row.cases;
                                     return total;
                                   }
                                   return int64_t{0};
                                 });
}

void LoadDirectory(ReportsDesk& desk, int org_count) {
  core::OrgId provider = 0;
  Check(desk.store->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
    auto found = txn.FindProvider();
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      provider = (*found)->id;
      ports::OrgFilter filter;
      filter.kind = core::OrgKind::kCustomer;
      filter.page.limit = 200;
      while (true) {
        auto page = txn.ListOrganisations(filter);
        if (!page.ok()) return page.status();
        for (const auto& org : page->items) desk.customers.push_back(org.id);
        if (page->next_cursor.empty()) return absl::OkStatus();
        filter.page.cursor = page->next_cursor;
      }
    }
    const absl::Time created = kStart - absl::Hours(24);
    core::Organisation org;
    org.name = "Provider";
    org.kind = core::OrgKind::kProvider;
    org.created_at = created;
    auto id = txn.InsertOrganisation(org);
    if (!id.ok()) return id.status();
    provider = *id;
    core::User admin;
    admin.email = "admin@bench.example";
    admin.name = "Admin";
    admin.role = core::Role::kAdmin;
    admin.org_id = provider;
    admin.created_at = created;
    if (auto user = txn.InsertUser(admin); !user.ok()) return user.status();
    std::vector<core::OrgId> partners;
    for (int i = 0; i < kPartners; ++i) {
      core::Organisation partner;
      partner.name = absl::StrCat("Partner ", i);
      partner.kind = core::OrgKind::kPartner;
      partner.parent_id = provider;
      partner.plan = "enterprise";
      partner.created_at = created;
      auto pid = txn.InsertOrganisation(partner);
      if (!pid.ok()) return pid.status();
      partners.push_back(*pid);
    }
    const char* plans[] = {"enterprise", "professional", "developer"};
    for (int i = 0; i < org_count; ++i) {
      core::Organisation customer;
      customer.name = absl::StrCat("Customer ", i);
      customer.kind = core::OrgKind::kCustomer;
      customer.parent_id = i % 2 == 0 ? partners[i % kPartners] : provider;
      customer.plan = plans[i % 3];
      customer.created_at = created;
      auto cid = txn.InsertOrganisation(customer);
      if (!cid.ok()) return cid.status();
      desk.customers.push_back(*cid);
      core::User user;
      user.email = absl::StrCat("contact", i, "@bench.example");
      user.name = absl::StrCat("Contact ", i);
      user.role = core::Role::kCustomer;
      user.org_id = *cid;
      user.created_at = created;
      if (auto uid = txn.InsertUser(user); !uid.ok()) return uid.status();
    }
    return absl::OkStatus();
  }),
        "directory");
  desk.admin.viewer.role = core::Role::kAdmin;
  desk.admin.viewer.org_id = provider;
  desk.admin.viewer.user_id = 1;
  desk.admin.user.id = 1;
  desk.admin.user.role = core::Role::kAdmin;
}

void LoadCases(ReportsDesk& desk, int64_t wanted) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<size_t> org_pick(0, desk.customers.size() - 1);
  std::uniform_int_distribution<int64_t> second_pick(0, 400 * 86400 - 1);
  std::uniform_int_distribution<int> percent(0, 99);
  const absl::Time started = absl::Now();
  for (int64_t done = 0; done < wanted; done += kPerUnit) {
    const int64_t count = std::min(kPerUnit, wanted - done);
    Check(desk.store->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
      for (int64_t i = 0; i < count; ++i) {
        const size_t org_index = org_pick(rng);
        core::Case c;
        c.org_id = desk.customers[org_index];
        c.requester_id = 2 + static_cast<core::UserId>(org_index);  // the org's contact
        c.subject = "Bench case";
        c.description = "Report bench";
        c.severity = static_cast<core::Severity>(1 + percent(rng) % 4);
        c.proposed_severity = c.severity;
        c.created_at = kStart + absl::Seconds(second_pick(rng));
        c.updated_at = c.created_at;
        const bool solved = percent(rng) < 70;
        c.status = solved ? core::CaseStatus::kSolved : core::CaseStatus::kOpen;
        if (solved) c.solved_at = c.created_at + absl::Hours(1 + percent(rng));
        auto number = txn.NextCaseNumber();
        if (!number.ok()) return number.status();
        c.number = *number;
        if (absl::Status inserted = txn.InsertCase(c); !inserted.ok()) return inserted;
        ports::CaseSlaRecord sla;
        sla.case_number = c.number;
        sla.org_id = c.org_id;
        sla.plan = "enterprise";
        sla.severity = c.severity;
        sla.created_at = c.created_at;
        sla.first_response.target = "60";
        sla.resolution.target = c.severity == core::Severity::kMinor ? "next_release" : "1440";
        sla.first_response.due_at = c.created_at + absl::Minutes(60);
        if (percent(rng) < 12) {
          sla.first_response.breached_at = sla.first_response.due_at;
        } else {
          sla.first_response.achieved_at = c.created_at + absl::Minutes(30);
        }
        if (percent(rng) < 5) sla.resolution.breached_at = c.created_at + absl::Hours(24);
        if (solved && !sla.resolution.breached_at) sla.resolution.achieved_at = c.solved_at;
        sla.update_breaches = percent(rng) < 3 ? 1 : 0;
        if (absl::Status upserted = txn.UpsertCaseSla(sla); !upserted.ok()) return upserted;
        if (percent(rng) < 25) {
          core::AuditEvent event;
          event.entity = "case";
          event.entity_id = std::to_string(c.number);
          event.case_number = c.number;
          event.actor_id = c.requester_id;
          event.at = c.created_at + absl::Minutes(20);
          event.kind = "case.escalation_requested";
          if (auto appended = txn.AppendEvent(event); !appended.ok()) return appended.status();
        }
      }
      return absl::OkStatus();
    }),
          "cases");
    if ((done / kPerUnit) % 10 == 0) {
      std::cerr << "loaded " << done + count << " cases in "
                << absl::ToDoubleSeconds(absl::Now() - started) << " s" << std::endl;
    }
  }
  desk.cases = wanted;
}

void LoadEntries(ReportsDesk& desk, int64_t wanted) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<size_t> org_pick(0, desk.customers.size() - 1);
  std::uniform_int_distribution<int> day_pick(0, 399);
  std::uniform_int_distribution<int> minutes_pick(5, 240);
  const absl::Time started = absl::Now();
  for (int64_t done = 0; done < wanted; done += kPerUnit) {
    const int64_t count = std::min(kPerUnit, wanted - done);
    Check(desk.store->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
      for (int64_t i = 0; i < count; ++i) {
        core::TimeEntry entry;
        entry.org_id = desk.customers[org_pick(rng)];
        entry.author_id = 1;
        entry.minutes = minutes_pick(rng);
        entry.billable = (i % 5) != 0;
        entry.kind = (i % 4) == 0 ? core::HoursKind::kTraining : core::HoursKind::kCustomerSuccess;
        entry.note = "Service review";
        entry.worked_at = kStart + absl::Hours(24) * day_pick(rng) + absl::Hours(12);
        entry.period = core::PeriodName(core::PeriodOf(entry.worked_at, absl::UTCTimeZone()));
        entry.day = core::DayName(entry.worked_at, absl::UTCTimeZone());
        entry.created_at = entry.worked_at;
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
  desk.entries = wanted;
}

ReportsDesk& Desk() {
  static ReportsDesk* const desk = [] {
    auto* d = new ReportsDesk;
    std::string directory;
    if (const char* kept = std::getenv("REPORTS_BENCH_DIR")) {
      directory = kept;
    } else {
      directory =
          (std::filesystem::temp_directory_path() / absl::StrCat("reports-bench-", getpid()))
              .string();
    }
    std::filesystem::create_directories(directory);
    const bool fresh = !std::filesystem::exists(directory + "/casedesk.db");
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
    LoadDirectory(*d, static_cast<int>(EnvInt("REPORTS_BENCH_ORGS", 2000)));
    // A reused store says how many time entries it was loaded with (the reports never count
    // them: only the pre-aggregated usage rows are read).
    const std::string entries_file = directory + "/loaded-entries";
    if (fresh) {
      LoadCases(*d, EnvInt("REPORTS_BENCH_CASES", 1'000'000));
      LoadEntries(*d, EnvInt("REPORTS_BENCH_ENTRIES", 10'000'000));
      std::ofstream(entries_file) << d->entries;
    } else {
      auto cases = CountRows(*d->store, "cases");
      Check(cases.status(), "count cases");
      d->cases = *cases;
      std::ifstream(entries_file) >> d->entries;
    }
    return d;
  }();
  return *desk;
}

// Arg 0: every organisation over the 400 days (whole UTC months but the first days); 1: one
// organisation; 2: every organisation over a period that starts and ends mid-day mid-month, so
// the stores read part-days of cases, whole days and whole months of counters.
app::ReportRequest Request(benchmark::State& state, ReportsDesk& desk) {
  app::ReportRequest request{.from = kStart, .to = kEnd};
  if (state.range(0) == 1) request.org_id = desk.customers[desk.customers.size() / 2];
  if (state.range(0) == 2) {
    request.from = kStart + absl::Hours(24 * 12 + 13);
    request.to = kEnd - absl::Hours(24 * 16 + 7);
  }
  return request;
}

template <typename Build>
void Measure(benchmark::State& state, Build build) {
  ReportsDesk& desk = Desk();
  const app::ReportRequest request = Request(state, desk);
  for (auto _ : state) {
    auto report = build(*desk.context, desk.admin, request);
    Check(report.status(), "report");
    benchmark::DoNotOptimize(report->scope.from);
  }
  state.counters["cases_in_store"] = static_cast<double>(desk.cases);
  state.counters["entries_in_store"] = static_cast<double>(desk.entries);
  state.SetLabel(state.range(0) == 1   ? "one organisation"
                 : state.range(0) == 2 ? "all organisations, mid-month period"
                                       : "all organisations");
}

void BM_SlaCompliance(benchmark::State& state) { Measure(state, app::BuildSlaComplianceReport); }
void BM_Backlog(benchmark::State& state) { Measure(state, app::BuildBacklogReport); }
void BM_PartnerResolution(benchmark::State& state) {
  Measure(state, app::BuildPartnerResolutionReport);
}
void BM_ServiceCredits(benchmark::State& state) { Measure(state, app::BuildServiceCreditReport); }
void BM_ServiceReview(benchmark::State& state) { Measure(state, app::BuildServiceReview); }

BENCHMARK(BM_SlaCompliance)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_Backlog)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_PartnerResolution)
    ->Arg(0)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
BENCHMARK(BM_ServiceCredits)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK(BM_ServiceReview)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace casedesk::bench

BENCHMARK_MAIN();
