// Sign-up, verification links and password reset over a real SQLite store, real argon2id and a
// fake clock: what each request creates, which mail it queues, and how links are used once.
#include <memory>
#include <string>
#include <vector>

#include "app/account_links.h"
#include "app/account_requests.h"
#include "app/account_reset.h"
#include "app/account_sign_up.h"
#include "app/account_test_fixture.h"
#include "app/web_sessions.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

constexpr ports::AccountTokenPurpose kVerifyPurposes[] = {ports::AccountTokenPurpose::kVerify,
                                                          ports::AccountTokenPurpose::kInvite};
constexpr ports::AccountTokenPurpose kResetPurposes[] = {ports::AccountTokenPurpose::kReset};
constexpr char kPassword[] = "violet tractor lagoon";

class AccountFlowsTest : public AccountTest {
 protected:
  absl::StatusOr<SignUpResult> TrySignUp(const std::string& email, const std::string& name) {
    auto admission = std::make_shared<std::promise<absl::Status>>();
    auto promise = std::make_shared<std::promise<absl::StatusOr<SignUpResult>>>();
    const absl::Status checked = SignUp(
        context(), {email, name, "192.0.2.7"},
        [admission](absl::Status admitted) { admission->set_value(admitted); },
        [promise](absl::StatusOr<SignUpResult> outcome) { promise->set_value(outcome); });
    if (!checked.ok()) return checked;
    if (absl::Status admitted = admission->get_future().get(); !admitted.ok()) return admitted;
    return promise->get_future().get();
  }

  absl::StatusOr<PasswordResetResult> TryReset(const std::string& email) {
    auto admission = std::make_shared<std::promise<absl::Status>>();
    auto promise = std::make_shared<std::promise<absl::StatusOr<PasswordResetResult>>>();
    const absl::Status checked = RequestPasswordReset(
        context(), {email, "192.0.2.7"},
        [admission](absl::Status admitted) { admission->set_value(admitted); },
        [promise](absl::StatusOr<PasswordResetResult> outcome) { promise->set_value(outcome); });
    if (!checked.ok()) return checked;
    if (absl::Status admitted = admission->get_future().get(); !admitted.ok()) return admitted;
    return promise->get_future().get();
  }

  absl::StatusOr<SignedIn> Use(std::span<const ports::AccountTokenPurpose> purposes,
                               const std::string& token, const std::string& password = kPassword,
                               const std::string& confirmation = kPassword) {
    return Wait<SignedIn>([&](Done<SignedIn> done) {
      UseAccountLink(context(), purposes, {token, password, confirmation, "192.0.2.7"},
                     std::move(done));
    });
  }

  core::User UserByEmail(const std::string& email) {
    absl::StatusOr<core::User> user = ReadValue<core::User>(
        *store_, [&](ports::StoreTransaction& txn) { return txn.FindUserByEmail(email); });
    EXPECT_TRUE(user.ok()) << user.status();
    return user.value_or(core::User{});
  }
};

TEST_F(AccountFlowsTest, SignUpFromAClaimedDomainCreatesAnUnverifiedContactAndMailsALink) {
  ASSERT_EQ(TrySignUp("  Ana.Lima@Customer.Example ", "Ana Lima")
                .value_or(SignUpResult::kAccountInactive),
            SignUpResult::kVerificationSent);
  const core::User ana = UserByEmail("ana.lima@customer.example");
  EXPECT_EQ(ana.org_id, customer_.id);
  EXPECT_EQ(ana.role, core::Role::kCustomer);
  EXPECT_FALSE(ana.verified);
  EXPECT_TRUE(ana.active);
  EXPECT_TRUE(ana.password_hash.empty());
  const std::vector<ports::Notification> mail = Mail();
  ASSERT_THAT(mail, SizeIs(1));
  EXPECT_EQ(mail[0].kind, "account.verify");
  EXPECT_EQ(mail[0].recipient_email, "ana.lima@customer.example");
  EXPECT_EQ(mail[0].recipient_id, ana.id);
  EXPECT_THAT(mail[0].body, HasSubstr("contact of Globex"));
  EXPECT_THAT(mail[0].body, HasSubstr("http://127.0.0.1:8080/verify?token="));
  EXPECT_THAT(mail[0].body, HasSubstr("within 24 hours and choose your password"));
  EXPECT_THAT(EventsOfKind("user.signed_up"), SizeIs(1));
}

TEST_F(AccountFlowsTest, EachKindOfAddressGetsItsOwnMailAndNothingElse) {
  MakeUser("known@customer.example", core::Role::kCustomer, customer_.id);
  struct Row {
    std::string email;
    SignUpResult result;
    std::string kind;     // of the one message queued; "" for none
    std::string mention;  // in its body
  };
  const Row rows[] = {
      {"known@customer.example", SignUpResult::kAccountExists, "account.password_reset",
       "you already have an account"},
      {"stranger@elsewhere.example", SignUpResult::kNoOrganisation, "mail.unknown_sender",
       "ask your organisation's support administrator to invite stranger@elsewhere.example"},
      // The notice to an unmatched address is rate-limited (the desk's notice interval).
      {"stranger@elsewhere.example", SignUpResult::kNoOrganisationQuiet, "", ""},
      {"admin@example.com", SignUpResult::kAccountExists, "account.password_reset",
       "/password/reset?token="},
  };
  for (const Row& row : rows) {
    const size_t before = Mail().size();
    absl::StatusOr<SignUpResult> result = TrySignUp(row.email, "Some One");
    ASSERT_TRUE(result.ok()) << row.email << ": " << result.status();
    EXPECT_EQ(*result, row.result) << row.email;
    const std::vector<ports::Notification> mail = Mail();
    if (row.kind.empty()) {
      EXPECT_EQ(mail.size(), before) << row.email;
      continue;
    }
    ASSERT_EQ(mail.size(), before + 1) << row.email;
    EXPECT_EQ(mail.back().kind, row.kind) << row.email;
    EXPECT_EQ(mail.back().recipient_email, row.email);
    EXPECT_THAT(mail.back().body, HasSubstr(row.mention)) << row.email;
  }
  // No account was created for the unmatched address.
  EXPECT_TRUE(absl::IsNotFound(ReadValue<core::User>(*store_, [](ports::StoreTransaction& txn) {
                                 return txn.FindUserByEmail("stranger@elsewhere.example");
                               }).status()));
  // After the desk's notice interval the unmatched address may hear again.
  clock_.Advance(absl::Hours(2));
  EXPECT_EQ(
      TrySignUp("stranger@elsewhere.example", "Some One").value_or(SignUpResult::kAccountInactive),
      SignUpResult::kNoOrganisation);
}

TEST_F(AccountFlowsTest, ADomainTwoCustomersClaimOrAPartnerClaimsIsNobodys) {
  const core::Organisation other =
      MakeOrg("Initech", core::OrgKind::kCustomer, std::nullopt, "professional");
  ClaimDomain(other.id, "shared.example");
  ClaimDomain(customer_.id, "shared.example");
  const core::Organisation partner =
      MakeOrg("Resell Co", core::OrgKind::kPartner, std::nullopt, "enterprise");
  ClaimDomain(partner.id, "partner.example");
  EXPECT_EQ(TrySignUp("a@shared.example", "A Person").value_or(SignUpResult::kAccountInactive),
            SignUpResult::kNoOrganisation);
  EXPECT_EQ(TrySignUp("b@partner.example", "B Person").value_or(SignUpResult::kAccountInactive),
            SignUpResult::kNoOrganisation);
}

TEST_F(AccountFlowsTest, SignUpRefusesBadInputAndTooManyRequestsPerAddress) {
  EXPECT_THAT(std::string(TrySignUp("not-an-address", "Ana").status().message()),
              HasSubstr("email:"));
  EXPECT_THAT(std::string(TrySignUp("ana@customer.example", "   ").status().message()),
              HasSubstr("name:"));
  for (int i = 0; i < kSignUpThrottle.max_hits; ++i) {
    EXPECT_TRUE(TrySignUp("ana@customer.example", "Ana Lima").ok()) << i;
  }
  EXPECT_TRUE(absl::IsResourceExhausted(TrySignUp("ANA@customer.example", "Ana Lima").status()));
  EXPECT_TRUE(TrySignUp("ben@customer.example", "Ben Ode").ok());
  clock_.Advance(kSignUpThrottle.window);
  EXPECT_TRUE(TrySignUp("ana@customer.example", "Ana Lima").ok());
  // Signing up again before verifying sends a new link to the same single account.
  EXPECT_THAT(EventsOfKind("user.signed_up"), SizeIs(2));
  EXPECT_THAT(EventsOfKind("user.verification_sent"), SizeIs(kSignUpThrottle.max_hits));
}

TEST_F(AccountFlowsTest, TheVerificationLinkSetsThePasswordSignsInAndWorksOnce) {
  ASSERT_TRUE(TrySignUp("ana.lima@customer.example", "Ana Lima").ok());
  const std::string token = TokenIn(Mail().back().body);
  ASSERT_FALSE(token.empty());

  absl::StatusOr<AccountLinkOwner> owner = CheckAccountLink(context(), token, kVerifyPurposes);
  ASSERT_TRUE(owner.ok()) << owner.status();
  EXPECT_EQ(owner->user.email, "ana.lima@customer.example");
  // A verification link is not a reset link.
  EXPECT_TRUE(absl::IsNotFound(CheckAccountLink(context(), token, kResetPurposes).status()));

  // Refused passwords leave the link usable.
  EXPECT_THAT(std::string(Use(kVerifyPurposes, token, "short", "short").status().message()),
              HasSubstr("password:"));
  EXPECT_THAT(std::string(Use(kVerifyPurposes, token, kPassword, "other").status().message()),
              HasSubstr("password_confirmation:"));

  absl::StatusOr<SignedIn> signed_in = Use(kVerifyPurposes, token);
  ASSERT_TRUE(signed_in.ok()) << signed_in.status();
  EXPECT_TRUE(signed_in->user.verified);
  EXPECT_TRUE(AuthenticateSession(context(), signed_in->token).ok());
  const core::User ana = UserByEmail("ana.lima@customer.example");
  EXPECT_TRUE(ana.verified);
  EXPECT_TRUE(context().crypto.VerifyPassword(ana.password_hash, kPassword));
  EXPECT_THAT(EventsOfKind("user.verified"), SizeIs(1));
  EXPECT_THAT(EventsOfKind("user.verified")[0].changes, Not(HasSubstr(kPassword)));

  // Used: refused, with the one message for every cause.
  const absl::Status reused = Use(kVerifyPurposes, token).status();
  EXPECT_TRUE(absl::IsNotFound(reused));
  EXPECT_EQ(std::string(reused.message()), kInvalidLinkMessage);
  EXPECT_TRUE(absl::IsNotFound(CheckAccountLink(context(), token, kVerifyPurposes).status()));
}

TEST_F(AccountFlowsTest, LinksExpireAndUnknownOrMalformedTokensAreRefusedAlike) {
  ASSERT_TRUE(TrySignUp("ana.lima@customer.example", "Ana Lima").ok());
  const std::string token = TokenIn(Mail().back().body);
  clock_.Advance(kVerifyLinkLifetime - absl::Seconds(1));
  EXPECT_TRUE(CheckAccountLink(context(), token, kVerifyPurposes).ok());
  clock_.Advance(absl::Seconds(1));
  for (const std::string& candidate :
       {token, std::string("nope"), std::string(), std::string(600, 'a')}) {
    const absl::Status status = Use(kVerifyPurposes, candidate).status();
    EXPECT_TRUE(absl::IsNotFound(status)) << candidate.size();
    EXPECT_EQ(std::string(status.message()), kInvalidLinkMessage);
  }
}

TEST_F(AccountFlowsTest, ResetMailsOnlyActiveAccountsAndEndsEveryOtherSession) {
  const core::User ben = MakeUser("ben@customer.example", core::Role::kCustomer, customer_.id);
  // Ben has a password and is signed in on another browser.
  ASSERT_TRUE(TryReset("ben@customer.example").ok());
  absl::StatusOr<SignedIn> first = Use(kResetPurposes, TokenIn(Mail().back().body));
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(AuthenticateSession(context(), first->token).ok());

  EXPECT_EQ(TryReset("nobody@customer.example").value_or(PasswordResetResult::kMailed),
            PasswordResetResult::kUnknownAddress);
  const size_t before = Mail().size();
  ASSERT_EQ(TryReset("BEN@customer.example").value_or(PasswordResetResult::kUnknownAddress),
            PasswordResetResult::kMailed);
  ASSERT_EQ(Mail().size(), before + 1);
  const ports::Notification mail = Mail().back();
  EXPECT_EQ(mail.kind, "account.password_reset");
  EXPECT_THAT(mail.body, HasSubstr("/password/reset?token="));
  EXPECT_THAT(mail.body, HasSubstr("within 1 hour to choose one"));
  const std::string token = TokenIn(mail.body);
  // A reset link does not open the verification page.
  EXPECT_TRUE(absl::IsNotFound(CheckAccountLink(context(), token, kVerifyPurposes).status()));

  clock_.Advance(absl::Minutes(59));
  absl::StatusOr<SignedIn> second =
      Use(kResetPurposes, token, "a brand new secret", "a brand new secret");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(AuthenticateSession(context(), second->token).ok());
  EXPECT_TRUE(absl::IsUnauthenticated(AuthenticateSession(context(), first->token).status()));
  EXPECT_TRUE(context().crypto.VerifyPassword(UserByEmail("ben@customer.example").password_hash,
                                              "a brand new secret"));
  EXPECT_THAT(EventsOfKind("user.password_reset"), SizeIs(2));
  EXPECT_THAT(EventsOfKind("user.password_reset_requested"), SizeIs(2));

  // Deactivated: no mail, and an outstanding link stops working.
  ASSERT_TRUE(TryReset("ben@customer.example").ok());
  const std::string pending = TokenIn(Mail().back().body);
  ASSERT_TRUE(Wait<core::User>([&](auto done) {
                UserPatch patch;
                patch.active = false;
                UpdateUser(context(), admin_, ben.id, patch, std::move(done));
              }).ok());
  EXPECT_TRUE(absl::IsNotFound(Use(kResetPurposes, pending).status()));
  const size_t mailed = Mail().size();
  EXPECT_EQ(TryReset("ben@customer.example").value_or(PasswordResetResult::kMailed),
            PasswordResetResult::kAccountInactive);
  EXPECT_EQ(Mail().size(), mailed);
}

TEST_F(AccountFlowsTest, UsingOneLinkVoidsTheUsersOtherLinks) {
  ASSERT_TRUE(TrySignUp("ana.lima@customer.example", "Ana Lima").ok());
  const std::string verify = TokenIn(Mail().back().body);
  ASSERT_TRUE(TryReset("ana.lima@customer.example").ok());
  const std::string reset = TokenIn(Mail().back().body);
  ASSERT_TRUE(Use(kResetPurposes, reset).ok());
  // The reset proved the address too.
  EXPECT_TRUE(UserByEmail("ana.lima@customer.example").verified);
  EXPECT_TRUE(absl::IsNotFound(Use(kVerifyPurposes, verify).status()));
  // Verified now: signing up again says "you already have an account".
  EXPECT_EQ(
      TrySignUp("ana.lima@customer.example", "Ana Lima").value_or(SignUpResult::kVerificationSent),
      SignUpResult::kAccountExists);
}

}  // namespace
}  // namespace casedesk::app
