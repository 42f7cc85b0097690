// Test fixture for the case use cases: a real SqliteStore in a fresh temporary directory,
// SodiumCrypto, a FileBlobStore and a FakeClock, seeded with a small desk (a provider, a partner
// with one customer, two direct customers) and one caller per role. Helpers turn the
// asynchronous write use cases into plain calls. Test-only; not thread-safe.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <utility>

#include "adapters/crypto/file_blob_store.h"
#include "adapters/crypto/sodium_crypto.h"
#include "adapters/sqlite/sqlite_store.h"
#include "app/add_comment.h"
#include "app/app_context.h"
#include "app/attachments.h"
#include "app/authenticate.h"
#include "app/open_case.h"
#include "app/update_case.h"
#include "test/fakes/fake_clock.h"

namespace casedesk::app {


class CaseTestFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (std::filesystem::temp_directory_path() / "casedesk-cases-XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    directory_ = pattern;
    auto store = adapters::sqlite::SqliteStore::Open(directory_ + "/casedesk.db");
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    auto crypto = adapters::crypto::SodiumCrypto::Create(std::string(32, 'k'));
    ASSERT_TRUE(crypto.ok()) << crypto.status();
    crypto_ = *std::move(crypto);
    auto blobs = adapters::crypto::FileBlobStore::Create(directory_ + "/blobs");
    ASSERT_TRUE(blobs.ok()) << blobs.status();
    blobs_ = *std::move(blobs);
    context_ = std::make_unique<AppContext>(AppContext{*store_, clock_, *crypto_, *blobs_, {}});
    SeedDesk();
  }

  void TearDown() override {
    context_.reset();
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(directory_, ignored);
  }

  AppContext& context() { return *context_; }

  core::OrgId AddOrg(std::string name, core::OrgKind kind, std::optional<core::OrgId> parent,
                     bool shares_cases = false) {
    core::Organisation org;
    org.name = std::move(name);
    org.kind = kind;
    org.parent_id = parent;
    org.plan = kind == core::OrgKind::kProvider ? "" : "enterprise";
    org.shares_cases = shares_cases;
    org.created_at = clock_.Now();
    core::OrgId id = 0;
    EXPECT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<core::OrgId> inserted = txn.InsertOrganisation(org);
                      if (!inserted.ok()) return inserted.status();
                      id = *inserted;
                      return absl::OkStatus();
                    })
                    .ok());
    return id;
  }

  // Inserts a person and returns them as a caller, with the viewer the directory would build.
  Caller AddPerson(std::string name, core::Role role, core::OrgId org_id, bool org_admin = false) {
    core::User user;
    user.email = name + "@example.com";
    user.name = std::move(name);
    user.role = role;
    user.org_id = org_id;
    user.org_admin = org_admin;
    user.verified = true;
    user.created_at = clock_.Now();
    core::Viewer viewer;
    EXPECT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<core::UserId> id = txn.InsertUser(user);
                      if (!id.ok()) return id.status();
                      user.id = *id;
                      absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
                      if (!org.ok()) return org.status();
                      viewer.org_shares_cases = org->shares_cases;
                      if (role == core::Role::kPartnerAgent) {
                        absl::StatusOr<std::vector<core::OrgId>> children =
                            txn.ListChildOrganisationIds(org_id);
                        if (!children.ok()) return children.status();
                        viewer.child_org_ids = *children;
                      }
                      return absl::OkStatus();
                    })
                    .ok());
    viewer.user_id = user.id;
    viewer.role = role;
    viewer.org_id = org_id;
    viewer.org_admin = org_admin;
    return Caller{viewer, user};
  }

  void SeedDesk() {
    provider_ = AddOrg("Provider", core::OrgKind::kProvider, std::nullopt);
    partner_ = AddOrg("Partner", core::OrgKind::kPartner, provider_);
    partner_customer_ = AddOrg("Partner Customer", core::OrgKind::kCustomer, partner_, true);
    acme_ = AddOrg("Acme", core::OrgKind::kCustomer, provider_, /*shares_cases=*/false);
    globex_ = AddOrg("Globex", core::OrgKind::kCustomer, provider_, /*shares_cases=*/true);
    agent_ = AddPerson("agent", core::Role::kAgent, provider_);
    admin_ = AddPerson("admin", core::Role::kAdmin, provider_);
    acme_alice_ = AddPerson("alice", core::Role::kCustomer, acme_);
    acme_bob_ = AddPerson("bob", core::Role::kCustomer, acme_);
    acme_admin_ = AddPerson("acme-admin", core::Role::kCustomer, acme_, /*org_admin=*/true);
    globex_gina_ = AddPerson("gina", core::Role::kCustomer, globex_);
    globex_gus_ = AddPerson("gus", core::Role::kCustomer, globex_);
    partner_agent_ = AddPerson("pat", core::Role::kPartnerAgent, partner_);
    partner_customer_carl_ = AddPerson("carl", core::Role::kCustomer, partner_customer_);
  }

  core::GroupId AddGroup(std::string name, bool triage) {
    core::Group group;
    group.name = std::move(name);
    group.triage = triage;
    group.created_at = clock_.Now();
    core::GroupId id = 0;
    EXPECT_TRUE(store_
                    ->WriteAndWait([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<core::GroupId> inserted = txn.InsertGroup(group);
                      if (!inserted.ok()) return inserted.status();
                      id = *inserted;
                      return absl::OkStatus();
                    })
                    .ok());
    return id;
  }

  static OpenCaseRequest Request(std::string subject, int severity = 3) {
    OpenCaseRequest request;
    request.subject = std::move(subject);
    request.description = "Something is wrong";
    request.severity = severity;
    return request;
  }

  absl::StatusOr<CaseView> Open(const Caller& caller, OpenCaseRequest request) {
    return Await<CaseView>([&](Done<CaseView> done) {
      OpenCase(context(), caller, std::move(request), std::move(done));
    });
  }

  // Opens a case and fails the test if that does not work.
  core::Case MustOpen(const Caller& caller, OpenCaseRequest request) {
    absl::StatusOr<CaseView> view = Open(caller, std::move(request));
    EXPECT_TRUE(view.ok()) << view.status();
    return view.ok() ? view->record : core::Case{};
  }

  absl::StatusOr<CaseView> Update(const Caller& caller, core::CaseNumber number,
                                  UpdateCaseRequest request) {
    return Await<CaseView>([&](Done<CaseView> done) {
      UpdateCase(context(), caller, number, std::move(request), std::move(done));
    });
  }

  absl::StatusOr<AddCommentResult> Comment(const Caller& caller, core::CaseNumber number,
                                           std::string body,
                                           core::Visibility visibility = core::Visibility::kPublic,
                                           std::vector<std::string> attachment_ids = {}) {
    AddCommentRequest request;
    request.body = std::move(body);
    request.visibility = visibility;
    request.attachment_ids = std::move(attachment_ids);
    return Await<AddCommentResult>([&](Done<AddCommentResult> done) {
      AddComment(context(), caller, number, std::move(request), std::move(done));
    });
  }

  absl::StatusOr<core::Attachment> Upload(const Caller& caller, core::CaseNumber number,
                                          std::string content, std::string filename = "log.txt",
                                          core::Visibility visibility = core::Visibility::kPublic,
                                          std::string content_type = "text/plain") {
    UploadAttachmentRequest request;
    request.filename = std::move(filename);
    request.content_type = std::move(content_type);
    request.content = std::move(content);
    request.visibility = visibility;
    return Await<core::Attachment>([&](Done<core::Attachment> done) {
      UploadAttachment(context(), caller, number, std::move(request), std::move(done));
    });
  }

  // The case as stored, bypassing every access rule.
  core::Case Stored(core::CaseNumber number) {
    core::Case record;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      absl::StatusOr<core::Case> loaded = txn.GetCase(number);
                      if (!loaded.ok()) return loaded.status();
                      record = *std::move(loaded);
                      return absl::OkStatus();
                    })
                    .ok());
    return record;
  }

  // Every audit event of a case, bypassing every access rule.
  std::vector<core::AuditEvent> StoredEvents(core::CaseNumber number) {
    std::vector<core::AuditEvent> events;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      ports::PageRequest page;
                      page.limit = 200;
                      absl::StatusOr<ports::Page<core::AuditEvent>> listed =
                          txn.ListCaseEvents(number, page);
                      if (!listed.ok()) return listed.status();
                      events = std::move(listed->items);
                      return absl::OkStatus();
                    })
                    .ok());
    return events;
  }

  std::string directory_;
  test::FakeClock clock_;
  std::unique_ptr<adapters::sqlite::SqliteStore> store_;
  std::unique_ptr<adapters::crypto::SodiumCrypto> crypto_;
  std::unique_ptr<adapters::crypto::FileBlobStore> blobs_;
  std::unique_ptr<AppContext> context_;

  core::OrgId provider_ = 0, partner_ = 0, partner_customer_ = 0, acme_ = 0, globex_ = 0;
  Caller agent_, admin_, acme_alice_, acme_bob_, acme_admin_, globex_gina_, globex_gus_,
      partner_agent_, partner_customer_carl_;
};

}  // namespace casedesk::app
