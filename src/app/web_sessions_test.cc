#include "app/web_sessions.h"

#include <string>
#include <vector>

#include "app/directory_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using ::testing::HasSubstr;

class WebSessionsTest : public DirectoryTest {
 protected:
  absl::StatusOr<SignedIn> Attempt(std::string email, std::string password,
                                   std::string address = "") {
    return Wait<SignedIn>([&](Done<SignedIn> done) {
      SignIn(context(), {email, password, address}, std::move(done));
    });
  }

  std::string MustSignIn() {
    absl::StatusOr<SignedIn> signed_in = Attempt("admin@example.com", kAdminPassword);
    EXPECT_TRUE(signed_in.ok()) << signed_in.status();
    return signed_in.ok() ? signed_in->token : "";
  }

  std::optional<core::WebSession> StoredSession(const std::string& token) {
    std::optional<core::WebSession> session;
    EXPECT_TRUE(store_
                    ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                      auto found = txn.FindWebSession(crypto_->Digest(token));
                      if (!found.ok()) return found.status();
                      session = *found;
                      return absl::OkStatus();
                    })
                    .ok());
    return session;
  }

  // Writes queued without waiting (failure events, touches) are committed before this returns:
  // the SQLite store commits in queue order.
  void DrainWrites() {
    ASSERT_TRUE(
        store_->WriteAndWait([](ports::StoreTransaction&) { return absl::OkStatus(); }).ok());
  }

  core::User AddPasswordUser(const std::string& email, const std::string& password) {
    core::User user = MakeUser(email, core::Role::kAgent, desk_.provider.id);
    absl::StatusOr<std::string> hash = crypto_->HashPassword(password);
    EXPECT_TRUE(hash.ok());
    user.password_hash = *hash;
    EXPECT_TRUE(
        store_->WriteAndWait([&](ports::StoreTransaction& txn) { return txn.UpdateUser(user); })
            .ok());
    return user;
  }
};

TEST_F(WebSessionsTest, SignInCreatesASessionStoringOnlyTheDigest) {
  const absl::Time start = clock_.Now();
  absl::StatusOr<SignedIn> signed_in = Attempt("  ADMIN@Example.com ", kAdminPassword, "192.0.2.7");
  ASSERT_TRUE(signed_in.ok()) << signed_in.status();
  EXPECT_GE(signed_in->token.size(), 40u);
  EXPECT_EQ(signed_in->user.id, desk_.admin.id);
  EXPECT_EQ(signed_in->session.digest, crypto_->Digest(signed_in->token));

  const std::optional<core::WebSession> stored = StoredSession(signed_in->token);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->user_id, desk_.admin.id);
  EXPECT_NE(stored->digest, signed_in->token);
  EXPECT_EQ(stored->created_at, start);
  EXPECT_EQ(stored->last_seen_at, start);
  EXPECT_EQ(stored->expires_at, start + absl::Hours(12));

  const std::vector<EventRow> events = EventsOfKind("user.signed_in");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity, "user");
  EXPECT_EQ(events[0].entity_id, std::to_string(desk_.admin.id));
  EXPECT_EQ(events[0].actor_id, desk_.admin.id);
  EXPECT_EQ(events[0].changes.find(signed_in->token), std::string::npos);

  absl::StatusOr<Caller> caller = AuthenticateSession(context(), signed_in->token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(caller->user.id, desk_.admin.id);
  EXPECT_EQ(caller->viewer.role, core::Role::kAdmin);
  EXPECT_EQ(caller->viewer.org_id, desk_.provider.id);
}

TEST_F(WebSessionsTest, EveryFailureGivesTheSameAnswer) {
  const core::User inactive = AddPasswordUser("gone@example.com", "gone password");
  ASSERT_TRUE(Wait<core::User>([&](auto done) {
                UpdateUser(context(), admin_, inactive.id, {.active = false}, std::move(done));
              }).ok());
  MakeUser("nopassword@example.com", core::Role::kAgent, desk_.provider.id);

  struct Case {
    const char* name;
    std::string email;
    std::string password;
  };
  const std::vector<Case> cases = {
      {"wrong password", "admin@example.com", "not the password"},
      {"empty password", "admin@example.com", ""},
      {"unknown address", "nobody@example.com", kAdminPassword},
      {"malformed address", "not an address", kAdminPassword},
      {"empty address", "", ""},
      {"inactive user, right password", "gone@example.com", "gone password"},
      {"user without a password", "nopassword@example.com", ""},
  };
  for (const Case& c : cases) {
    absl::StatusOr<SignedIn> outcome = Attempt(c.email, c.password);
    EXPECT_EQ(outcome.status().code(), absl::StatusCode::kUnauthenticated) << c.name;
    EXPECT_EQ(outcome.status().message(), "The email address or password is wrong.") << c.name;
  }
  DrainWrites();
  // Failures on existing users are recorded (not the others: there is no one to record them
  // on), and never with the password tried.
  const std::vector<EventRow> failures = EventsOfKind("user.sign_in_failed");
  ASSERT_EQ(failures.size(), 4u);
  EXPECT_EQ(failures[0].entity, "user");
  EXPECT_EQ(failures[0].entity_id, std::to_string(desk_.admin.id));
  EXPECT_EQ(failures[0].actor_id, 0);
  for (const EventRow& failure : failures) {
    EXPECT_EQ(failure.changes.find("not the password"), std::string::npos);
  }
  EXPECT_TRUE(EventsOfKind("user.signed_in").empty());
}

TEST_F(WebSessionsTest, TenFailuresPerAddressThrottleUntilTheWindowPasses) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(Attempt("Admin@example.com", "guess").status().code(),
              absl::StatusCode::kUnauthenticated)
        << i;
  }
  // Even the right password is refused now, and the message says why.
  absl::StatusOr<SignedIn> throttled = Attempt("admin@example.com", kAdminPassword);
  EXPECT_EQ(throttled.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(throttled.status().message(), "Too many attempts; try again in a few minutes.");
  // Other addresses are unaffected.
  AddPasswordUser("other@example.com", "other password");
  EXPECT_TRUE(Attempt("other@example.com", "other password").ok());

  clock_.Advance(absl::Minutes(15));
  EXPECT_TRUE(Attempt("admin@example.com", kAdminPassword).ok());
}

TEST_F(WebSessionsTest, SuccessClearsTheAddressesFailures) {
  for (int i = 0; i < 9; ++i) (void)Attempt("admin@example.com", "guess");
  ASSERT_TRUE(Attempt("admin@example.com", kAdminPassword).ok());
  for (int i = 0; i < 9; ++i) (void)Attempt("admin@example.com", "guess");
  EXPECT_TRUE(Attempt("admin@example.com", kAdminPassword).ok());
}

TEST_F(WebSessionsTest, SessionsEndTwelveHoursAfterSignInEvenWhenUsed) {
  const std::string token = MustSignIn();
  for (int hour = 1; hour < 12; ++hour) {
    clock_.Advance(absl::Hours(1));
    ASSERT_TRUE(AuthenticateSession(context(), token).ok()) << hour;
    DrainWrites();  // the touch
  }
  clock_.Advance(absl::Minutes(59));
  ASSERT_TRUE(AuthenticateSession(context(), token).ok());
  clock_.Advance(absl::Minutes(1));
  absl::StatusOr<Caller> expired = AuthenticateSession(context(), token);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kUnauthenticated);
}

TEST_F(WebSessionsTest, SessionsEndAfterTwoIdleHours) {
  const std::string used = MustSignIn();
  const std::string unused = MustSignIn();
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(AuthenticateSession(context(), used).ok());
  DrainWrites();
  EXPECT_EQ(StoredSession(used)->last_seen_at, clock_.Now());
  // Two hours after sign-in: the unused session has ended, the used one counts from its use.
  clock_.Advance(absl::Hours(1));
  EXPECT_EQ(AuthenticateSession(context(), unused).status().code(),
            absl::StatusCode::kUnauthenticated);
  ASSERT_TRUE(AuthenticateSession(context(), used).ok());
  DrainWrites();
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(AuthenticateSession(context(), used).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(WebSessionsTest, UseIsRecordedAtMostEveryFiveMinutes) {
  const std::string token = MustSignIn();
  const absl::Time signed_in_at = clock_.Now();
  clock_.Advance(absl::Minutes(4));
  ASSERT_TRUE(AuthenticateSession(context(), token).ok());
  DrainWrites();
  EXPECT_EQ(StoredSession(token)->last_seen_at, signed_in_at);
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(AuthenticateSession(context(), token).ok());
  DrainWrites();
  EXPECT_EQ(StoredSession(token)->last_seen_at, clock_.Now());
}

TEST_F(WebSessionsTest, UnknownOrMalformedTokensAreUnauthenticated) {
  MustSignIn();
  for (const std::string& token :
       {std::string(), std::string("not-a-session"), std::string(4096, 'a')}) {
    EXPECT_EQ(AuthenticateSession(context(), token).status().code(),
              absl::StatusCode::kUnauthenticated);
  }
}

TEST_F(WebSessionsTest, ApiTokensAndSessionsAreNotInterchangeable) {
  const std::string session = MustSignIn();
  ASSERT_TRUE(AuthenticateSession(context(), session).ok());  // now cached
  EXPECT_EQ(AuthenticateToken(context(), session).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(WebSessionsTest, DeactivatingTheUserEndsTheirSessions) {
  const core::User agent = AddPasswordUser("agent@example.com", "agent password");
  absl::StatusOr<SignedIn> signed_in = Attempt("agent@example.com", "agent password");
  ASSERT_TRUE(signed_in.ok()) << signed_in.status();
  ASSERT_TRUE(AuthenticateSession(context(), signed_in->token).ok());
  ASSERT_TRUE(Wait<core::User>([&](auto done) {
                UpdateUser(context(), admin_, agent.id, {.active = false}, std::move(done));
              }).ok());
  EXPECT_EQ(AuthenticateSession(context(), signed_in->token).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(WebSessionsTest, SignOutEndsTheSessionAtOnce) {
  const std::string token = MustSignIn();
  const std::string other = MustSignIn();
  ASSERT_TRUE(AuthenticateSession(context(), token).ok());  // cached
  absl::StatusOr<bool> ended =
      Wait<bool>([&](Done<bool> done) { SignOut(context(), token, std::move(done)); });
  ASSERT_TRUE(ended.ok()) << ended.status();
  EXPECT_TRUE(*ended);
  EXPECT_EQ(AuthenticateSession(context(), token).status().code(),
            absl::StatusCode::kUnauthenticated);
  EXPECT_FALSE(StoredSession(token).has_value());
  // Other sessions of the same user stay.
  EXPECT_TRUE(AuthenticateSession(context(), other).ok());
  // Signing out again, or with nonsense, is harmless.
  ended = Wait<bool>([&](Done<bool> done) { SignOut(context(), token, std::move(done)); });
  ASSERT_TRUE(ended.ok());
  EXPECT_FALSE(*ended);
  ended = Wait<bool>([&](Done<bool> done) { SignOut(context(), "", std::move(done)); });
  ASSERT_TRUE(ended.ok());
  EXPECT_FALSE(*ended);
}

TEST_F(WebSessionsTest, SignInSweepsSessionsPastTheirEnd) {
  const std::string old = MustSignIn();
  clock_.Advance(absl::Hours(13));
  MustSignIn();
  EXPECT_FALSE(StoredSession(old).has_value());
}

TEST_F(WebSessionsTest, CsrfTokensBelongToTheirSession) {
  const std::string token = MustSignIn();
  const std::string other = MustSignIn();
  const std::string csrf = CsrfTokenFor(*crypto_, token);
  EXPECT_EQ(csrf.size(), 32u);
  EXPECT_EQ(csrf.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(CsrfTokenFor(*crypto_, token), csrf);  // stable for the session
  EXPECT_NE(CsrfTokenFor(*crypto_, other), csrf);
  EXPECT_THAT(csrf, ::testing::Not(HasSubstr(token.substr(0, 8))));

  EXPECT_TRUE(CheckCsrfToken(*crypto_, token, csrf));
  EXPECT_FALSE(CheckCsrfToken(*crypto_, other, csrf));
  EXPECT_FALSE(CheckCsrfToken(*crypto_, token, ""));
  EXPECT_FALSE(CheckCsrfToken(*crypto_, token, csrf.substr(0, 31)));
  EXPECT_FALSE(CheckCsrfToken(*crypto_, token, csrf + "0"));
  EXPECT_FALSE(CheckCsrfToken(*crypto_, "", CsrfTokenFor(*crypto_, "")));

  // Another desk key gives other tokens.
  auto other_crypto =
      adapters::crypto::SodiumCrypto::Create(std::string(adapters::crypto::kSecretKeyBytes, 'z'));
  ASSERT_TRUE(other_crypto.ok());
  EXPECT_FALSE(CheckCsrfToken(**other_crypto, token, csrf));
}

}  // namespace
}  // namespace casedesk::app
