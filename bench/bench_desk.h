// What the SLA and timer benchmarks share: a real desk (SqliteStore in a scratch directory, or
// with CASEDESK_BENCH_STORE=postgres a PostgresStore on a fresh database of a throwaway local
// PostgreSQL 15 the process starts, as the tests do; SodiumCrypto, StoreBlobStore, RealClock, an AppContext) with a minimal directory -- a provider,
// customer organisations on the "enterprise" and "professional" plans, one requester -- and a
// fast loader that writes open cases straight through the store, each with the "case.created"
// event open_case writes (the event SLA history reads severity and status from). Loading
// bypasses app::OpenCase (no validation, triage lookup or escalation on opening) because only
// the stored result matters to the benchmarks, and pipelines units of work so group commit
// batches them. Also: process memory from /proc/self/status, and percentiles.
// Not thread-safe: one benchmark thread drives a BenchDesk (the store itself is thread-safe).
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/time/time.h"
#include "adapters/crypto/sodium_crypto.h"
#include "adapters/crypto/store_blob_store.h"
#include "adapters/postgres/postgres_store.h"
#include "adapters/sqlite/sqlite_store.h"
#include "adapters/system/real_clock.h"
#include "app/app_context.h"
#include "app/case_support.h"
#include "core/enum_names.h"
#include "test/support/postgres_server.h"

namespace casedesk::bench {

// A positive integer from the environment, or `fallback`.
inline int64_t EnvInt(const char* name, int64_t fallback) {
  const char* text = std::getenv(name);
  int64_t value = 0;
  if (text == nullptr || !absl::SimpleAtoi(text, &value) || value < 0) return fallback;
  return value;
}

// Fails the benchmark process loudly: a benchmark that measured a failing path is worthless.
inline void Check(const absl::Status& status, const char* what) {
  if (status.ok()) return;
  std::cerr << what << ": " << status << std::endl;
  std::abort();
}

// Kilobyte fields of /proc/self/status ("VmRSS", "VmHWM", "RssAnon", "RssFile").
inline double ProcStatusMb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) {
      return std::atof(line.c_str() + field.size() + 1) / 1024.0;
    }
  }
  return 0;
}

// Resident megabytes of the mappings of files whose path ends with `suffix` (SQLite maps the
// database file: PRAGMA mmap_size), from /proc/self/smaps.
inline double MappedFileMb(const std::string& suffix) {
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool matching = false;
  double kib = 0;
  while (std::getline(smaps, line)) {
    if (line.empty()) continue;
    if (line.find('-') < line.find(' ') && line.find(':') > line.find(' ')) {
      // A mapping's header: "start-end perms offset dev inode [path]".
      matching = line.size() >= suffix.size() &&
                 line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0;
    } else if (matching && line.rfind("Rss:", 0) == 0) {
      kib += std::atof(line.c_str() + 4);
    }
  }
  return kib / 1024.0;
}

// Resets VmHWM to the current RSS (Linux clear_refs 5), so a later VmHWM is the peak of what
// follows only.
inline void ResetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

// The q-quantile (0..1) of `values`, which it sorts; 0 when empty.
inline double Quantile(std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t at = std::min(values.size() - 1, static_cast<size_t>(q * (values.size() - 1) + 0.5));
  return values[at];
}

struct DeskParties {
  core::OrgId provider = 0;
  core::OrgId enterprise = 0;    // customer on the "enterprise" plan
  core::OrgId professional = 0;  // customer on the "professional" plan
  core::UserId requester = 0;    // a contact of the enterprise customer
  core::UserId professional_requester = 0;
};

// The numbers the loader gave its cases: every number from `first` to `last`.
struct CaseRange {
  core::CaseNumber first = 0;
  core::CaseNumber last = 0;
};

// How one loaded case looks; `number` is filled by the loader.
using CaseMaker = std::function<core::Case(int64_t index)>;

class BenchDesk {
 public:
  // A fresh desk in a new directory under the system's temporary directory.
  explicit BenchDesk(const std::string& name) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("casedesk-" + name + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    directory_ = pattern;
    OpenStore();
    auto crypto = adapters::crypto::SodiumCrypto::Create(std::string(32, 'k'));
    Check(crypto.status(), "crypto");
    crypto_ = *std::move(crypto);
    SeedParties();
  }

  // CASEDESK_BENCH_KEEP_DESK set: the directory stays, for looking into the database after.
  ~BenchDesk() {
    blobs_.clear();
    store_.reset();
    if (std::getenv("CASEDESK_BENCH_KEEP_DESK") != nullptr) {
      std::fprintf(stderr, "kept the desk in %s\n", directory_.c_str());
      return;
    }
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }
  BenchDesk(const BenchDesk&) = delete;
  BenchDesk& operator=(const BenchDesk&) = delete;

  ports::Store& store() { return *store_; }
  bool on_postgres() const { return !postgres_url_.empty(); }
  ports::Clock& clock() { return clock_; }
  const DeskParties& parties() const { return parties_; }
  const std::string& directory() const { return directory_; }

  // An AppContext over `store` (the desk's own store, or a wrapper around it), with blobs in
  // that store as the server keeps them. Contexts made before ReopenStore must not be used after.
  std::unique_ptr<app::AppContext> MakeContext(ports::Store& store) {
    blobs_.push_back(std::make_unique<adapters::crypto::StoreBlobStore>(store, nullptr));
    return std::make_unique<app::AppContext>(
        app::AppContext{.store = store,
                        .clock = clock_,
                        .crypto = *crypto_,
                        .blobs = *blobs_.back(),
                        .limits = {},
                        .callers = std::make_shared<app::CallerCache>(),
                        .sla = std::make_shared<app::SlaEngine>(),
                        .sla_config_changed = nullptr});
  }

  // Closes and reopens the store, as a restarted desk would, so its caches start cold.
  void ReopenStore() {
    blobs_.clear();
    store_.reset();
    OpenStore();
  }

  // Loads `count` open cases made by `make`, `per_unit` to a unit of work, each with its
  // created event; `after_insert` (optional) runs in the same unit for each case. Nothing else
  // writes meanwhile, so the numbers are consecutive.
  CaseRange LoadCases(int64_t count, const CaseMaker& make,
                      const std::function<absl::Status(ports::StoreTransaction&,
                                                       const core::Case&)>& after_insert = nullptr,
                      int per_unit = 500) {
    Pipeline pipeline;
    std::mutex range_mutex;
    CaseRange range{std::numeric_limits<core::CaseNumber>::max(), 0};
    for (int64_t first = 0; first < count; first += per_unit) {
      const int64_t last = std::min(count, first + per_unit);
      pipeline.Submit(*store_, [first, last, &make, &after_insert, &range_mutex,
                                &range](ports::StoreTransaction& txn) {
        for (int64_t i = first; i < last; ++i) {
          core::Case record = make(i);
          absl::StatusOr<core::CaseNumber> number = txn.NextCaseNumber();
          if (!number.ok()) return number.status();
          record.number = *number;
          {
            std::lock_guard<std::mutex> lock(range_mutex);
            range.first = std::min(range.first, record.number);
            range.last = std::max(range.last, record.number);
          }
          if (absl::Status inserted = txn.InsertCase(record); !inserted.ok()) return inserted;
          if (absl::StatusOr<core::EventId> event = txn.AppendEvent(CreatedEvent(record));
              !event.ok()) {
            return event.status();
          }
          if (after_insert) {
            if (absl::Status extra = after_insert(txn, record); !extra.ok()) return extra;
          }
        }
        return absl::OkStatus();
      });
    }
    pipeline.Drain();
    if (range.last - range.first + 1 != count) {
      std::cerr << "loaded case numbers are not consecutive" << std::endl;
      std::abort();
    }
    return range;
  }

  // Arms `count` timers made by `make` (index -> timer), `per_unit` to a unit of work.
  void ArmTimers(int64_t count, const std::function<ports::Timer(int64_t)>& make,
                 int per_unit = 5000) {
    Pipeline pipeline;
    for (int64_t first = 0; first < count; first += per_unit) {
      const int64_t last = std::min(count, first + per_unit);
      pipeline.Submit(*store_, [first, last, &make](ports::StoreTransaction& txn) {
        for (int64_t i = first; i < last; ++i) {
          if (absl::Status armed = txn.ArmTimer(make(i)); !armed.ok()) return armed;
        }
        return absl::OkStatus();
      });
    }
    pipeline.Drain();
  }

  // A plain open case of the enterprise customer, created at `at`.
  core::Case OpenCase(core::Severity severity, absl::Time at, bool professional = false) const {
    core::Case record;
    record.org_id = professional ? parties_.professional : parties_.enterprise;
    record.requester_id = professional ? parties_.professional_requester : parties_.requester;
    record.subject = "Benchmark case";
    record.description = "A case loaded by a benchmark.";
    record.severity = severity;
    record.proposed_severity = severity;
    record.status = core::CaseStatus::kNew;
    record.created_at = at;
    record.updated_at = at;
    return record;
  }

 private:
  // Units of work queued without waiting (at most 64 in flight), then waited for.
  class Pipeline {
   public:
    void Submit(ports::Store& store, ports::UnitOfWork work) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] { return in_flight_ < 64; });
        ++in_flight_;
      }
      store.Write(std::move(work), [this](absl::Status status) {
        Check(status, "loading");
        std::lock_guard<std::mutex> lock(mutex_);
        --in_flight_;
        changed_.notify_all();
      });
    }
    void Drain() {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return in_flight_ == 0; });
    }

   private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int in_flight_ = 0;
  };

  // The event app::OpenCase writes (src/app/open_case.cc), without secrets or a group.
  static core::AuditEvent CreatedEvent(const core::Case& record) {
    core::AuditEvent event =
        app::CaseEvent(record.number, record.requester_id, record.created_at, app::kCaseCreated);
    core::RecordChange(event.changes, "subject", "", record.subject);
    core::RecordChange(
        event.changes, "status", "",
        std::string(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, record.status)));
    core::RecordChange(event.changes, "severity", "",
                       std::to_string(core::SeverityLevel(record.severity)));
    core::RecordChange(event.changes, "org_id", "", std::to_string(record.org_id));
    core::RecordChange(event.changes, "requester_id", "", std::to_string(record.requester_id));
    return event;
  }

  // CASEDESK_BENCH_MMAP_MIB: the store's memory map (SqliteStoreOptions::mmap_bytes; unset:
  // the store's default). CASEDESK_BENCH_WRITER_CACHE_MIB: the writer's page cache
  // (SqliteStoreOptions::writer_cache_kib). CASEDESK_BENCH_STORE=postgres: PostgreSQL instead,
  // with the server's default writer connections and batch size.
  void OpenStore() {
    const char* kind = std::getenv("CASEDESK_BENCH_STORE");
    if (kind != nullptr && std::string(kind) == "postgres") {
      if (postgres_url_.empty()) postgres_url_ = NewPostgresDatabase();
      auto store = adapters::postgres::PostgresStore::Open(postgres_url_, {});
      Check(store.status(), "opening the PostgreSQL store");
      store_ = *std::move(store);
      return;
    }
    adapters::sqlite::SqliteStoreOptions options;
    if (const char* mib = std::getenv("CASEDESK_BENCH_MMAP_MIB"); mib != nullptr) {
      options.mmap_bytes = std::atoll(mib) * 1024 * 1024;
    }
    if (const char* mib = std::getenv("CASEDESK_BENCH_WRITER_CACHE_MIB"); mib != nullptr) {
      options.writer_cache_kib = std::atoi(mib) * 1024;
    }
    auto store = adapters::sqlite::SqliteStore::Open(directory_ + "/casedesk.db", options);
    Check(store.status(), "opening the store");
    store_ = *std::move(store);
  }

  // A fresh database on this process's PostgreSQL server, started on first use (on 127.0.0.1
  // and a free port, stopped when the process exits).
  static std::string NewPostgresDatabase() {
    static test_support::PostgresTestServer* server = [] {
      auto started = test_support::PostgresTestServer::Start();
      Check(started.status(), "starting PostgreSQL");
      return started->release();
    }();
    absl::StatusOr<std::string> url = server->CreateDatabase("bench");
    Check(url.status(), "creating a database");
    return *url;
  }

  void SeedParties() {
    const absl::Time now = clock_.Now();
    Check(store_->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
      auto add_org = [&](const std::string& name, core::OrgKind kind,
                         std::optional<core::OrgId> parent,
                         const std::string& plan) -> absl::StatusOr<core::OrgId> {
        core::Organisation org;
        org.name = name;
        org.kind = kind;
        org.parent_id = parent;
        org.plan = plan;
        org.created_at = now;
        return txn.InsertOrganisation(org);
      };
      auto add_user = [&](const std::string& email, core::Role role,
                          core::OrgId org) -> absl::StatusOr<core::UserId> {
        core::User user;
        user.email = email;
        user.name = "Bench";
        user.role = role;
        user.org_id = org;
        user.verified = true;
        user.created_at = now;
        return txn.InsertUser(user);
      };
      absl::StatusOr<core::OrgId> provider =
          add_org("Provider", core::OrgKind::kProvider, std::nullopt, "");
      if (!provider.ok()) return provider.status();
      absl::StatusOr<core::OrgId> enterprise =
          add_org("Enterprise customer", core::OrgKind::kCustomer, *provider, "enterprise");
      if (!enterprise.ok()) return enterprise.status();
      absl::StatusOr<core::OrgId> professional =
          add_org("Professional customer", core::OrgKind::kCustomer, *provider, "professional");
      if (!professional.ok()) return professional.status();
      absl::StatusOr<core::UserId> requester =
          add_user("requester@enterprise.example", core::Role::kCustomer, *enterprise);
      if (!requester.ok()) return requester.status();
      absl::StatusOr<core::UserId> other =
          add_user("requester@professional.example", core::Role::kCustomer, *professional);
      if (!other.ok()) return other.status();
      parties_ = {*provider, *enterprise, *professional, *requester, *other};
      return absl::OkStatus();
    }),
          "seeding the directory");
  }

  std::string directory_;
  adapters::system::RealClock clock_;
  std::string postgres_url_;  // empty on SQLite
  std::unique_ptr<ports::Store> store_;
  std::unique_ptr<adapters::crypto::SodiumCrypto> crypto_;
  std::vector<std::unique_ptr<adapters::crypto::StoreBlobStore>> blobs_;  // one per context
  DeskParties parties_;
};

}  // namespace casedesk::bench
