// PostgreSQL-specific behaviour of the SLA engine's storage beyond the shared contract suite:
// upgrading a version-1 database, timers firing exactly once when several nodes race, the
// security-incident exclusion on every branch of the list, count and search SQL, and prefixes
// that contain LIKE wildcards. Runs against a real PostgreSQL 15 server.
#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/postgres/migrations.h"
#include "adapters/postgres/pg_connection.h"
#include "adapters/postgres/postgres_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/support/postgres_server_environment.h"

namespace casedesk::adapters::postgres {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;
using ::testing::UnorderedElementsAreArray;

absl::Time At(int64_t seconds) { return absl::FromUnixSeconds(1700000000 + seconds); }

class PostgresSlaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = test_support::SharedPostgresServer();
    ASSERT_TRUE(server.ok()) << server.status();
    auto url = (*server)->CreateDatabase("sla");
    ASSERT_TRUE(url.ok()) << url.status();
    url_ = *url;
  }

  std::unique_ptr<PostgresStore> OpenStore(PostgresStoreOptions options = {}) {
    options.writer_connections = 4;
    auto store = PostgresStore::Open(url_, options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::unique_ptr<PgConnection> Connect() {
    auto connection = PgConnection::Connect(url_);
    EXPECT_TRUE(connection.ok()) << connection.status();
    return connection.ok() ? std::move(*connection) : nullptr;
  }

  std::string url_;
};

TEST_F(PostgresSlaStoreTest, UpgradingAVersionOneDatabaseKeepsItsCases) {
  auto connection = Connect();
  ASSERT_NE(connection, nullptr);
  ASSERT_EQ(AllMigrations().front().version, 1);
  ASSERT_TRUE(connection
                  ->ExecuteScript(
                      "BEGIN; CREATE TABLE schema_migrations (version integer PRIMARY KEY,"
                      " name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());" +
                      std::string(AllMigrations().front().sql) +
                      "; INSERT INTO schema_migrations (version, name) VALUES (1, 'initial');"
                      " INSERT INTO organisations (id, name, kind) VALUES (1, 'Org', 'customer');"
                      " INSERT INTO users (id, email, name, role, org_id, tier)"
                      " VALUES (1, 'r@example.com', 'R', 'customer', 1, 'none');"
                      " INSERT INTO cases (number, org_id, requester_id, subject, description,"
                      " severity, proposed_severity, severity_confirmed, status, category,"
                      " product, component, partner_reference, followers, fields,"
                      " sealed_secrets) VALUES (100001, 1, 1, 'old', 'old case', 3, 3, false,"
                      " 'open', 'incident', '', '', '', '[]', '{}', ''::bytea); COMMIT")
                  .ok());

  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  auto version = store->SchemaVersion();
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_EQ(*version, AllMigrations().back().version);
  core::Case old;
  ASSERT_TRUE(store
                  ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                    auto got = tx.GetCase(100001);
                    if (!got.ok()) return got.status();
                    old = *got;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(old.subject, "old");
  EXPECT_FALSE(old.security_incident);
  EXPECT_EQ(old.escalation_tier, core::Tier::kNone);

  // The new columns are written and read back.
  old.security_incident = true;
  old.escalation_tier = core::Tier::kSupportManager;
  ASSERT_TRUE(
      store->WriteAndWait([&](ports::StoreTransaction& tx) { return tx.UpdateCase(old); }).ok());
  ASSERT_TRUE(store
                  ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                    auto got = tx.GetCase(100001);
                    if (!got.ok()) return got.status();
                    EXPECT_TRUE(got->security_incident);
                    EXPECT_EQ(got->escalation_tier, core::Tier::kSupportManager);
                    return absl::OkStatus();
                  })
                  .ok());
}

TEST_F(PostgresSlaStoreTest, TimersFireExactlyOnceAcrossNodes) {
  auto first_node = OpenStore();
  auto second_node = OpenStore();
  ASSERT_NE(first_node, nullptr);
  ASSERT_NE(second_node, nullptr);
  constexpr int kTimers = 25;
  ASSERT_TRUE(first_node
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    for (int i = 0; i < kTimers; ++i) {
                      absl::Status armed = tx.ArmTimer(
                          ports::Timer{100001 + i, "sla:resolution:breach:0", At(i), {}});
                      if (!armed.ok()) return armed;
                    }
                    return absl::OkStatus();
                  })
                  .ok());

  // Three workers per node claim every due timer; each timer must be won exactly once.
  std::atomic<int> won{0};
  std::atomic<int> failed{0};
  std::vector<std::thread> workers;
  for (int worker = 0; worker < 6; ++worker) {
    PostgresStore* node = worker % 2 == 0 ? first_node.get() : second_node.get();
    workers.emplace_back([&, node, worker] {
      for (int i = 0; i < kTimers; ++i) {
        absl::Status status = node->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
          auto fired = tx.MarkTimerFired(100001 + i, "sla:resolution:breach:0", At(1000 + worker));
          if (!fired.ok()) return fired.status();
          if (*fired) ++won;
          return absl::OkStatus();
        });
        if (!status.ok()) ++failed;
      }
    });
  }
  for (std::thread& worker : workers) worker.join();
  EXPECT_EQ(won.load(), kTimers);
  EXPECT_EQ(failed.load(), 0);
  ASSERT_TRUE(second_node
                  ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                    auto unfired = tx.CountUnfiredTimers();
                    if (!unfired.ok()) return unfired.status();
                    EXPECT_EQ(*unfired, 0);
                    auto due = tx.ListDueTimers(At(10000), 100);
                    if (!due.ok()) return due.status();
                    EXPECT_TRUE(due->empty());
                    return absl::OkStatus();
                  })
                  .ok());
}

// Two organisations; the requester of organisation A follows organisation B's cases. One case
// of each organisation is a security incident.
class SecurityIncidentScopeTest : public PostgresSlaStoreTest {
 protected:
  void SetUp() override {
    PostgresSlaStoreTest::SetUp();
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    ASSERT_TRUE(store_->WriteAndWait([&](ports::StoreTransaction& tx) { return Seed(tx); }).ok());
  }

  absl::Status Seed(ports::StoreTransaction& tx) {
    for (auto [org_id, email] :
         {std::pair{&org_a_, "a@example.com"}, std::pair{&org_b_, "b@example.com"}}) {
      core::Organisation org;
      org.name = email;
      auto inserted = tx.InsertOrganisation(org);
      if (!inserted.ok()) return inserted.status();
      *org_id = *inserted;
      core::User user;
      user.email = email;
      user.name = email;
      user.org_id = *org_id;
      auto user_id = tx.InsertUser(user);
      if (!user_id.ok()) return user_id.status();
      (org_id == &org_a_ ? requester_a_ : requester_b_) = *user_id;
    }
    struct Seeded {
      core::OrgId org;
      core::UserId requester;
      bool incident;
    };
    for (const Seeded& seeded :
         {Seeded{org_a_, requester_a_, true}, Seeded{org_a_, requester_a_, false},
          Seeded{org_b_, requester_b_, true}, Seeded{org_b_, requester_b_, false}}) {
      auto number = tx.NextCaseNumber();
      if (!number.ok()) return number.status();
      core::Case c;
      c.number = *number;
      c.org_id = seeded.org;
      c.requester_id = seeded.requester;
      c.subject = "database outage";
      c.description = "the database is down";
      c.security_incident = seeded.incident;
      if (seeded.org == org_b_) c.followers = {requester_a_};
      c.created_at = At(0);
      c.updated_at = At(0);
      absl::Status inserted = tx.InsertCase(c);
      if (!inserted.ok()) return inserted;
      all_.insert(c.number);
      if (!seeded.incident) ordinary_.insert(c.number);
    }
    return absl::OkStatus();
  }

  std::unique_ptr<PostgresStore> store_;
  core::OrgId org_a_ = 0;
  core::OrgId org_b_ = 0;
  core::UserId requester_a_ = 0;
  core::UserId requester_b_ = 0;
  std::set<core::CaseNumber> all_;
  std::set<core::CaseNumber> ordinary_;
};

TEST_F(SecurityIncidentScopeTest, HiddenIncidentsLeaveEveryBranchOfListsCountsAndSearch) {
  core::CaseScope everything;
  everything.all = true;
  core::CaseScope organisations;  // one index walk per organisation
  organisations.org_ids = {org_a_, org_b_};
  core::CaseScope many_organisations = organisations;  // one walk with the scope as predicate
  for (core::OrgId unused = 1000; unused < 1040; ++unused) {
    many_organisations.org_ids.push_back(unused);
  }
  core::CaseScope participant;  // requester branch (A's cases) and follower branch (B's)
  participant.participant = requester_a_;
  const std::vector<std::pair<std::string, core::CaseScope>> scopes = {
      {"all", everything},
      {"organisations", organisations},
      {"many organisations", many_organisations},
      {"participant", participant},
  };
  for (const auto& [name, base_scope] : scopes) {
    for (bool hide : {false, true}) {
      SCOPED_TRACE(name + (hide ? ", hiding incidents" : ", showing incidents"));
      core::CaseScope scope = base_scope;
      scope.hide_security_incidents = hide;
      const std::set<core::CaseNumber>& expected = hide ? ordinary_ : all_;
      ASSERT_TRUE(store_
                      ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                        for (const std::string text : {"", "database"}) {
                          ports::CaseFilter filter;
                          filter.scope = scope;
                          filter.text = text;
                          filter.page.limit = 10;
                          auto listed = tx.ListCases(filter);
                          if (!listed.ok()) return listed.status();
                          std::vector<core::CaseNumber> numbers;
                          for (const core::Case& c : listed->items) numbers.push_back(c.number);
                          EXPECT_THAT(numbers, UnorderedElementsAreArray(expected)) << text;
                          auto counted = tx.CountCases(filter);
                          if (!counted.ok()) return counted.status();
                          EXPECT_EQ(*counted, static_cast<int64_t>(expected.size())) << text;
                        }
                        ports::SearchQuery query;
                        query.text = "database";
                        query.scope = scope;
                        auto hits = tx.Search(query);
                        if (!hits.ok()) return hits.status();
                        std::vector<core::CaseNumber> found;
                        for (const ports::SearchHit& hit : hits->items) {
                          found.push_back(hit.case_number);
                        }
                        EXPECT_THAT(found, UnorderedElementsAreArray(expected));
                        return absl::OkStatus();
                      })
                      .ok());
    }
  }
}

TEST_F(PostgresSlaStoreTest, PrefixesWithLikeWildcardsMatchLiterally) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store
                  ->WriteAndWait([&](ports::StoreTransaction& tx) -> absl::Status {
                    for (const char* key : {"a%b", "a%c", "a_b", "axb", "a\\b"}) {
                      absl::Status put = tx.PutSetting(key, key);
                      if (!put.ok()) return put;
                    }
                    for (const char* key : {"sla:%:breach", "sla:x:breach", "sla_other"}) {
                      absl::Status armed = tx.ArmTimer(ports::Timer{100001, key, At(0), {}});
                      if (!armed.ok()) return armed;
                    }
                    // Removes "sla:%:breach" only: "sla:x:breach" does not start with "sla:%".
                    return tx.DisarmTimersExcept(100001, "sla:%", {});
                  })
                  .ok());
  ASSERT_TRUE(store
                  ->Read([&](ports::StoreTransaction& tx) -> absl::Status {
                    auto percent = tx.ListSettings("a%");
                    auto underscore = tx.ListSettings("a_");
                    auto backslash = tx.ListSettings("a\\");
                    if (!percent.ok() || !underscore.ok() || !backslash.ok()) {
                      return absl::InternalError("ListSettings failed");
                    }
                    EXPECT_THAT(*percent, ElementsAre(Pair("a%b", "a%b"), Pair("a%c", "a%c")));
                    EXPECT_THAT(*underscore, ElementsAre(Pair("a_b", "a_b")));
                    EXPECT_THAT(*backslash, ElementsAre(Pair("a\\b", "a\\b")));
                    auto timers = tx.ListCaseTimers(100001);
                    if (!timers.ok()) return timers.status();
                    std::vector<std::string> keys;
                    for (const ports::Timer& timer : *timers) keys.push_back(timer.key);
                    EXPECT_THAT(keys, UnorderedElementsAreArray({"sla:x:breach", "sla_other"}));
                    return absl::OkStatus();
                  })
                  .ok());
}

}  // namespace
}  // namespace casedesk::adapters::postgres
