// Test fixture for the directory use cases: a fresh SQLite store in a temporary directory,
// SodiumCrypto, a FakeClock, and an initialised desk (provider + admin), with helpers to create
// organisations and people and to read the audit trail. Not thread-safe: one test at a time.
#pragma once

#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "adapters/crypto/file_blob_store.h"
#include "adapters/crypto/sodium_crypto.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/app_context.h"
#include "app/authenticate.h"
#include "app/store_calls.h"
#include "app/init_desk.h"
#include "app/organisations.h"
#include "app/users.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test/fakes/fake_clock.h"

namespace casedesk::app {

struct EventRow {
  std::string entity;
  std::string entity_id;
  int64_t actor_id = 0;
  std::string kind;
  std::string changes;
};

class DirectoryTest : public ::testing::Test {
 protected:
  static constexpr char kAdminPassword[] = "correct horse battery";

  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "casedesk-dir-XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = adapters::sqlite::SqliteStore::Open(directory_ + "/casedesk.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto crypto = adapters::crypto::SodiumCrypto::Create(
        std::string(adapters::crypto::kSecretKeyBytes, 'k'));
    ASSERT_TRUE(crypto.ok()) << crypto.status();
    crypto_ = *std::move(crypto);
    auto blobs = adapters::crypto::FileBlobStore::Create(directory_ + "/blobs");
    ASSERT_TRUE(blobs.ok()) << blobs.status();
    blobs_ = *std::move(blobs);
    context_ = std::make_unique<AppContext>(AppContext{*store_, clock_, *crypto_, *blobs_, {}});
    auto desk = InitDesk(*context_, {"Admin@Example.com", kAdminPassword, "Acme Cloud"});
    ASSERT_TRUE(desk.ok()) << desk.status();
    desk_ = *std::move(desk);
    admin_ = ViewerOf(desk_.admin);
  }

  void TearDown() override {
    context_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  AppContext& context() { return *context_; }

  core::Viewer ViewerOf(const core::User& user) {
    std::optional<core::Viewer> viewer;
    const absl::Status status = store_->Read([&](ports::StoreTransaction& txn) {
      absl::StatusOr<core::Viewer> built = ViewerForUser(txn, user);
      if (!built.ok()) return built.status();
      viewer = *built;
      return absl::OkStatus();
    });
    EXPECT_TRUE(status.ok()) << status;
    return viewer.value_or(core::Viewer{});
  }

  template <typename T>
  static absl::StatusOr<T> Wait(const std::function<void(Done<T>)>& start) {
    return Await<T>(start);
  }

  absl::StatusOr<core::Organisation> TryCreateOrg(const core::Viewer& viewer, NewOrganisation org) {
    return Wait<core::Organisation>([&](auto done) {
      CreateOrganisation(context(), viewer, org, std::move(done));
    });
  }

  core::Organisation MakeOrg(const std::string& name, core::OrgKind kind,
                             std::optional<core::OrgId> parent, const std::string& plan,
                             bool shares_cases = false) {
    NewOrganisation request;
    request.name = name;
    request.kind = kind;
    request.parent_id = parent;
    request.plan = plan;
    request.shares_cases = shares_cases;
    absl::StatusOr<core::Organisation> org = TryCreateOrg(admin_, request);
    EXPECT_TRUE(org.ok()) << org.status();
    return org.value_or(core::Organisation{});
  }

  absl::StatusOr<core::User> TryCreateUser(const core::Viewer& viewer, NewUser user) {
    return Wait<core::User>([&](auto done) {
      CreateUser(context(), viewer, user, std::move(done));
    });
  }

  core::User MakeUser(const std::string& email, core::Role role, core::OrgId org,
                      bool org_admin = false) {
    NewUser request;
    request.email = email;
    request.name = email.substr(0, email.find('@'));
    request.role = role;
    request.org_id = org;
    request.org_admin = org_admin;
    request.verified = true;
    absl::StatusOr<core::User> user = TryCreateUser(admin_, request);
    EXPECT_TRUE(user.ok()) << user.status();
    return user.value_or(core::User{});
  }

  // The audit trail as stored, oldest first (the Store port lists only case events, so the test
  // reads the table directly).
  std::vector<EventRow> Events() {
    std::vector<EventRow> rows;
    sqlite3* db = nullptr;
    const std::string path = directory_ + "/casedesk.db";
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << path;
      sqlite3_close(db);
      return rows;
    }
    sqlite3_stmt* statement = nullptr;
    sqlite3_prepare_v2(db,
                       "SELECT entity, entity_id, actor_id, kind, changes FROM events ORDER BY id",
                       -1, &statement, nullptr);
    while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
      const auto text = [statement](int column) {
        const unsigned char* value = sqlite3_column_text(statement, column);
        return value == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(value));
      };
      rows.push_back({text(0), text(1), sqlite3_column_int64(statement, 2), text(3), text(4)});
    }
    sqlite3_finalize(statement);
    sqlite3_close(db);
    return rows;
  }

  std::vector<EventRow> EventsOfKind(const std::string& kind) {
    std::vector<EventRow> matching;
    for (EventRow& row : Events()) {
      if (row.kind == kind) matching.push_back(std::move(row));
    }
    return matching;
  }

  test::FakeClock clock_;
  std::string directory_;
  std::unique_ptr<adapters::sqlite::SqliteStore> store_;
  std::unique_ptr<adapters::crypto::SodiumCrypto> crypto_;
  std::unique_ptr<adapters::crypto::FileBlobStore> blobs_;
  std::unique_ptr<AppContext> context_;
  InitDeskResult desk_;
  core::Viewer admin_;
};

}  // namespace casedesk::app
