// The fixture every contract suite shares: a fresh store from the parameter's factory in a
// scratch directory that TearDown removes, durable writes and snapshot reads, and the
// organisations and people most cases need. Suites derive from it, call OpenStore first in their
// SetUp (wrapped in ASSERT_NO_FATAL_FAILURE) and add what is theirs.
// Thread-safety: used from the test thread only.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "ports/store.h"
#include "store_factories.h"

namespace casedesk::contract {

class ContractTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  // Opens the store in a new directory named after `prefix` ("report-contract").
  void OpenStore(std::string_view prefix) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = GetParam().open(directory_);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  absl::Status Write(const ports::UnitOfWork& work) { return store_->WriteAndWait(work); }
  absl::Status Read(const ports::UnitOfWork& work) { return store_->Read(work); }

  // A provider has no plan; customers and partners are on "enterprise".
  core::OrgId AddOrganisation(std::string name, core::OrgKind kind,
                              std::optional<core::OrgId> parent = std::nullopt) {
    core::OrgId id = 0;
    core::Organisation org;
    org.name = std::move(name);
    org.kind = kind;
    org.parent_id = parent;
    org.plan = kind == core::OrgKind::kProvider ? "" : "enterprise";
    org.created_at = absl::FromUnixSeconds(1700000000);
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto inserted = tx.InsertOrganisation(org);
                  if (!inserted.ok()) return inserted.status();
                  id = *inserted;
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  core::UserId AddUser(std::string email, core::OrgId org_id, core::Role role) {
    core::UserId id = 0;
    core::User user;
    user.email = std::move(email);
    user.name = user.email;
    user.role = role;
    user.org_id = org_id;
    user.created_at = absl::FromUnixSeconds(1700000000);
    EXPECT_TRUE(Write([&](ports::StoreTransaction& tx) -> absl::Status {
                  auto inserted = tx.InsertUser(user);
                  if (!inserted.ok()) return inserted.status();
                  id = *inserted;
                  return absl::OkStatus();
                }).ok());
    return id;
  }

  std::unique_ptr<ports::Store> store_;
  std::string directory_;
};

}  // namespace casedesk::contract
