#include "app/authenticate.h"

#include "app/directory_test_fixture.h"
#include "app/tokens.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

class AuthenticateTest : public DirectoryTest {
 protected:
  std::string TokenFor(const std::string& email) {
    absl::StatusOr<IssuedToken> issued =
        CreateApiToken(context(), std::nullopt, {.email = email}, "test");
    EXPECT_TRUE(issued.ok()) << issued.status();
    return issued.ok() ? issued->secret : "";
  }
};

TEST_F(AuthenticateTest, ValidTokenYieldsTheUserAndViewer) {
  const std::string token = TokenFor("ADMIN@example.com");
  absl::StatusOr<Caller> caller = AuthenticateToken(context(), token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->user.id, desk_.admin.id);
  EXPECT_EQ(caller->viewer.user_id, desk_.admin.id);
  EXPECT_EQ(caller->viewer.role, core::Role::kAdmin);
  EXPECT_EQ(caller->viewer.org_id, desk_.provider.id);
  EXPECT_TRUE(caller->viewer.org_admin);
}

TEST_F(AuthenticateTest, UnknownOrEmptyTokenIsUnauthenticated) {
  TokenFor("admin@example.com");
  EXPECT_EQ(AuthenticateToken(context(), "cd_not-a-real-token").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(AuthenticateToken(context(), "").status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(AuthenticateToken(context(), std::string(4096, 'a')).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthenticateTest, RevokedTokenIsUnauthenticated) {
  const std::string secret = crypto_->RandomToken();
  core::ApiToken token;
  token.user_id = desk_.admin.id;
  token.name = "old";
  token.digest = crypto_->Digest(secret);
  token.created_at = clock_.Now();
  token.revoked_at = clock_.Now();
  ASSERT_TRUE(store_->WriteAndWait([&](ports::StoreTransaction& txn) {
    return txn.InsertApiToken(token).status();
  }).ok());
  EXPECT_EQ(AuthenticateToken(context(), secret).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthenticateTest, InactiveUserIsUnauthenticated) {
  const core::Organisation customer =
      MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::User contact = MakeUser("jo@globex.test", core::Role::kCustomer, customer.id);
  const std::string token = TokenFor(contact.email);
  ASSERT_TRUE(AuthenticateToken(context(), token).ok());
  absl::StatusOr<core::User> updated = Wait<core::User>([&](auto done) {
    UpdateUser(context(), admin_, contact.id, {.active = false}, std::move(done));
  });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(AuthenticateToken(context(), token).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(AuthenticateTest, PartnerAgentViewerListsTheCustomersUnderThePartner) {
  const core::Organisation partner =
      MakeOrg("Resell Co", core::OrgKind::kPartner, std::nullopt, "enterprise");
  const core::Organisation first =
      MakeOrg("First", core::OrgKind::kCustomer, partner.id, "professional");
  const core::Organisation second =
      MakeOrg("Second", core::OrgKind::kCustomer, partner.id, "professional", true);
  MakeOrg("Direct", core::OrgKind::kCustomer, std::nullopt, "developer");
  const core::User agent = MakeUser("pa@resell.test", core::Role::kPartnerAgent, partner.id);
  absl::StatusOr<Caller> caller = AuthenticateToken(context(), TokenFor(agent.email));
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->viewer.role, core::Role::kPartnerAgent);
  EXPECT_THAT(caller->viewer.child_org_ids, ::testing::UnorderedElementsAre(first.id, second.id));

  const core::User contact = MakeUser("c@second.test", core::Role::kCustomer, second.id);
  absl::StatusOr<Caller> customer = AuthenticateToken(context(), TokenFor(contact.email));
  ASSERT_TRUE(customer.ok());
  EXPECT_TRUE(customer->viewer.org_shares_cases);
  EXPECT_TRUE(customer->viewer.child_org_ids.empty());
}

TEST_F(AuthenticateTest, StoreKeepsOnlyTheDigestAndTheEventNamesNoSecret) {
  absl::StatusOr<IssuedToken> issued =
      CreateApiToken(context(), std::nullopt, {.user_id = desk_.admin.id}, "ci");
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_GE(issued->secret.size(), 40u);
  EXPECT_EQ(issued->token.digest, crypto_->Digest(issued->secret));
  ASSERT_TRUE(store_->Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<core::ApiToken> stored = txn.FindApiTokenByDigest(issued->token.digest);
    if (!stored.ok()) return stored.status();
    EXPECT_EQ(stored->name, "ci");
    EXPECT_EQ(stored->user_id, desk_.admin.id);
    EXPECT_NE(stored->digest, issued->secret);
    return absl::OkStatus();
  }).ok());
  const std::vector<EventRow> events = EventsOfKind("token.created");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity, "token");
  EXPECT_EQ(events[0].actor_id, 0);
  EXPECT_EQ(events[0].changes.find(issued->secret), std::string::npos);
}

TEST_F(AuthenticateTest, TokenCreationRespectsWhoMayIssueForWhom) {
  const core::Organisation globex =
      MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::Organisation initech =
      MakeOrg("Initech", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::User jo = MakeUser("jo@globex.test", core::Role::kCustomer, globex.id);
  const core::User al = MakeUser("al@globex.test", core::Role::kCustomer, globex.id);
  const core::User bo = MakeUser("bo@initech.test", core::Role::kCustomer, initech.id);
  const core::Viewer jo_viewer = ViewerOf(jo);
  const auto issue = [&](const std::optional<core::Viewer>& actor, core::UserId owner) {
    return CreateApiToken(context(), actor, {.user_id = owner}, "t").status().code();
  };
  EXPECT_EQ(issue(jo_viewer, jo.id), absl::StatusCode::kOk);
  EXPECT_EQ(issue(jo_viewer, al.id), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(issue(jo_viewer, bo.id), absl::StatusCode::kNotFound);
  EXPECT_EQ(issue(admin_, bo.id), absl::StatusCode::kOk);
  EXPECT_EQ(issue(std::nullopt, 999999), absl::StatusCode::kNotFound);
  EXPECT_EQ(CreateApiToken(context(), std::nullopt, {.email = "nobody@example.com"}, "")
                .status()
                .code(),
            absl::StatusCode::kNotFound);

  ASSERT_TRUE(Wait<core::User>([&](auto done) {
                UpdateUser(context(), admin_, bo.id, {.active = false}, std::move(done));
              }).ok());
  EXPECT_EQ(issue(std::nullopt, bo.id), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace casedesk::app
