#include "app/users.h"

#include <string>
#include <utility>

#include "app/directory_test_fixture.h"
#include "app/web_sessions.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using ::testing::ElementsAre;

class UsersTest : public DirectoryTest {
 protected:
  void SetUp() override {
    DirectoryTest::SetUp();
    partner_ = MakeOrg("Resell Co", core::OrgKind::kPartner, std::nullopt, "enterprise");
    globex_ = MakeOrg("Globex", core::OrgKind::kCustomer, partner_.id, "professional");
    initech_ = MakeOrg("Initech", core::OrgKind::kCustomer, std::nullopt, "professional");
    agent_ = MakeUser("agent@acme.test", core::Role::kAgent, desk_.provider.id);
    partner_agent_ = MakeUser("pa@resell.test", core::Role::kPartnerAgent, partner_.id);
    boss_ = MakeUser("boss@globex.test", core::Role::kCustomer, globex_.id, /*org_admin=*/true);
    jo_ = MakeUser("jo@globex.test", core::Role::kCustomer, globex_.id);
    bo_ = MakeUser("bo@initech.test", core::Role::kCustomer, initech_.id);
  }

  NewUser Contact(const std::string& email, core::OrgId org) {
    return {.email = email, .name = "Contact", .role = core::Role::kCustomer, .org_id = org};
  }

  absl::StatusOr<core::User> Update(const core::User& actor, core::UserId id, UserPatch patch) {
    const core::Viewer viewer = ViewerOf(actor);
    return Wait<core::User>(
        [&](auto done) { UpdateUser(context(), viewer, id, patch, std::move(done)); });
  }

  absl::StatusOr<IssuedPin> Rotate(const core::User& actor, core::UserId id) {
    const core::Viewer viewer = ViewerOf(actor);
    return Wait<IssuedPin>(
        [&](auto done) { RotateSupportPin(context(), viewer, id, std::move(done)); });
  }

  const core::User& admin_user() const { return desk_.admin; }

  core::Organisation partner_, globex_, initech_;
  core::User agent_, partner_agent_, boss_, jo_, bo_;
};

TEST_F(UsersTest, CreatesANormalisedUserWithAnAuditEvent) {
  absl::StatusOr<core::User> user = TryCreateUser(
      admin_, {.email = "  ", .name = "x", .role = core::Role::kCustomer, .org_id = globex_.id});
  EXPECT_EQ(user.status().code(), absl::StatusCode::kInvalidArgument);

  user = TryCreateUser(admin_, {.email = "Sam.SME@Acme.Test",
                                .name = "Sam",
                                .role = core::Role::kAgent,
                                .org_id = desk_.provider.id,
                                .tier = core::Tier::kSme,
                                .skills = {"network", "storage", "network"},
                                .verified = true});
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->email, "sam.sme@acme.test");
  EXPECT_EQ(user->tier, core::Tier::kSme);
  EXPECT_THAT(user->skills, ElementsAre("network", "storage"));
  EXPECT_TRUE(user->verified);
  EXPECT_TRUE(user->active);
  absl::StatusOr<core::User> stored = GetUser(context(), admin_, user->id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->email, "sam.sme@acme.test");
  EXPECT_EQ(stored->tier, core::Tier::kSme);

  const std::vector<EventRow> events = EventsOfKind("user.created");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().entity_id, std::to_string(user->id));
  EXPECT_EQ(events.back().actor_id, desk_.admin.id);
  EXPECT_NE(events.back().changes.find("sam.sme@acme.test"), std::string::npos);
}

TEST_F(UsersTest, DuplicateEmailIsAConflict) {
  const size_t before = EventsOfKind("user.created").size();
  absl::StatusOr<core::User> again = TryCreateUser(admin_, Contact("JO@globex.TEST", globex_.id));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(EventsOfKind("user.created").size(), before);
}

TEST_F(UsersTest, CreationRulesPerRole) {
  const auto code = [&](const core::User& actor, NewUser user) {
    return TryCreateUser(ViewerOf(actor), user).status().code();
  };
  // Provider staff add contacts and partner agents, not staff.
  EXPECT_EQ(code(agent_, Contact("a1@initech.test", initech_.id)), absl::StatusCode::kOk);
  EXPECT_EQ(code(agent_, {.email = "a2@acme.test", .name = "A", .role = core::Role::kAgent,
                          .org_id = desk_.provider.id}),
            absl::StatusCode::kPermissionDenied);
  // An org admin adds contacts to their own organisation only; a plain contact adds nobody.
  EXPECT_EQ(code(boss_, Contact("b1@globex.test", globex_.id)), absl::StatusCode::kOk);
  EXPECT_EQ(code(jo_, Contact("j1@globex.test", globex_.id)), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(code(boss_, Contact("b2@initech.test", initech_.id)), absl::StatusCode::kNotFound);
  // Only admins mark addresses verified.
  NewUser verified = Contact("b3@globex.test", globex_.id);
  verified.verified = true;
  EXPECT_EQ(code(boss_, verified), absl::StatusCode::kPermissionDenied);
  // Partner agents add contacts to their customers, and see nothing else.
  EXPECT_EQ(code(partner_agent_, Contact("p1@globex.test", globex_.id)), absl::StatusCode::kOk);
  EXPECT_EQ(code(partner_agent_, Contact("p2@initech.test", initech_.id)),
            absl::StatusCode::kNotFound);
  // Tiers belong to provider staff; the organisation must suit the role.
  NewUser tiered = Contact("t1@initech.test", initech_.id);
  tiered.tier = core::Tier::kShiftLead;
  EXPECT_EQ(code(agent_, tiered), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(admin_user(), {.email = "x@initech.test", .name = "X", .role = core::Role::kAgent,
                                .org_id = initech_.id}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code(admin_user(), Contact("y@example.test", 987654)), absl::StatusCode::kNotFound);
}

TEST_F(UsersTest, ReadingPeopleFollowsOrganisationVisibility) {
  const auto code = [&](const core::User& actor, core::UserId id) {
    return GetUser(context(), ViewerOf(actor), id).status().code();
  };
  EXPECT_EQ(code(jo_, boss_.id), absl::StatusCode::kOk);
  EXPECT_EQ(code(jo_, bo_.id), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(jo_, agent_.id), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(partner_agent_, jo_.id), absl::StatusCode::kOk);
  EXPECT_EQ(code(partner_agent_, bo_.id), absl::StatusCode::kNotFound);
  EXPECT_EQ(code(agent_, bo_.id), absl::StatusCode::kOk);
  EXPECT_EQ(code(agent_, 123456), absl::StatusCode::kNotFound);

  absl::StatusOr<ports::Page<core::User>> listed =
      ListUsers(context(), ViewerOf(jo_), {.page = {.limit = 50}});
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<core::UserId> ids;
  for (const auto& user : listed->items) ids.push_back(user.id);
  EXPECT_THAT(ids, ElementsAre(boss_.id, jo_.id));

  listed = ListUsers(context(), ViewerOf(partner_agent_), {.page = {.limit = 50}});
  ASSERT_TRUE(listed.ok());
  ids.clear();
  for (const auto& user : listed->items) ids.push_back(user.id);
  EXPECT_THAT(ids, ElementsAre(partner_agent_.id, boss_.id, jo_.id));

  listed = ListUsers(context(), admin_, {.role = core::Role::kAgent, .page = {.limit = 50}});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->items.size(), 1u);
  EXPECT_EQ(listed->items[0].id, agent_.id);
}

TEST_F(UsersTest, UpdateRules) {
  absl::StatusOr<core::User> renamed = Update(jo_, jo_.id, {.name = "Jo Bloggs"});
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_EQ(renamed->name, "Jo Bloggs");
  EXPECT_EQ(Update(jo_, jo_.id, {.org_admin = true}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(jo_, boss_.id, {.name = "x"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(jo_, bo_.id, {.name = "x"}).status().code(), absl::StatusCode::kNotFound);

  // The org admin manages their contacts but not staff attributes.
  absl::StatusOr<core::User> promoted = Update(boss_, jo_.id, {.org_admin = true});
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_TRUE(promoted->org_admin);
  EXPECT_EQ(Update(boss_, jo_.id, {.verified = true}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(boss_, boss_.id, {.active = false}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  absl::StatusOr<core::User> deactivated = Update(boss_, jo_.id, {.active = false});
  ASSERT_TRUE(deactivated.ok());
  EXPECT_FALSE(deactivated->active);

  // Admins set tiers and skills, on provider staff only.
  absl::StatusOr<core::User> tiered =
      Update(admin_user(), agent_.id, {.tier = core::Tier::kShiftLead, .skills = std::vector<std::string>{"security"}});
  ASSERT_TRUE(tiered.ok()) << tiered.status();
  EXPECT_EQ(tiered->tier, core::Tier::kShiftLead);
  EXPECT_EQ(Update(admin_user(), bo_.id, {.tier = core::Tier::kSme}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Update(agent_, agent_.id, {.tier = core::Tier::kExecutive}).status().code(),
            absl::StatusCode::kPermissionDenied);

  const std::vector<EventRow> events = EventsOfKind("user.updated");
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].actor_id, jo_.id);
  EXPECT_NE(events[0].changes.find("Jo Bloggs"), std::string::npos);
  EXPECT_NE(events[3].changes.find("shift_lead"), std::string::npos);
}

TEST_F(UsersTest, OnlyAnAdminChangesSomeoneElsesRoleWithinTheirOrganisationKind) {
  absl::StatusOr<core::User> promoted =
      Update(admin_user(), agent_.id, {.role = core::Role::kSuccessManager});
  ASSERT_TRUE(promoted.ok()) << promoted.status();
  EXPECT_EQ(promoted->role, core::Role::kSuccessManager);
  absl::StatusOr<core::User> back = Update(admin_user(), agent_.id, {.role = core::Role::kAgent});
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->role, core::Role::kAgent);

  const absl::Status contact_to_agent =
      Update(admin_user(), jo_.id, {.role = core::Role::kAgent}).status();
  EXPECT_EQ(contact_to_agent.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(contact_to_agent.message(), "role: provider roles belong to the provider organisation");
  EXPECT_EQ(
      Update(admin_user(), partner_agent_.id, {.role = core::Role::kCustomer}).status().code(),
      absl::StatusCode::kInvalidArgument);
  const absl::Status own =
      Update(admin_user(), admin_user().id, {.role = core::Role::kAgent}).status();
  EXPECT_EQ(own.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(own.message(), "role: you cannot change your own role; ask another admin");
  EXPECT_EQ(Update(agent_, admin_user().id, {.role = core::Role::kAgent}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(boss_, jo_.id, {.role = core::Role::kPartnerAgent}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(boss_, bo_.id, {.role = core::Role::kCustomer}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Update(admin_user(), 999999, {.role = core::Role::kAgent}).status().code(),
            absl::StatusCode::kNotFound);

  // The same role is no change, so no permission is needed and nothing is recorded.
  absl::StatusOr<core::User> same = Update(jo_, jo_.id, {.role = core::Role::kCustomer});
  ASSERT_TRUE(same.ok()) << same.status();
  EXPECT_TRUE(Update(admin_user(), admin_user().id, {.role = core::Role::kAdmin}).ok());

  const std::vector<EventRow> events = EventsOfKind("user.updated");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].entity_id, std::to_string(agent_.id));
  EXPECT_EQ(events[0].actor_id, admin_user().id);
  EXPECT_NE(events[0].changes.find("\"agent\""), std::string::npos) << events[0].changes;
  EXPECT_NE(events[0].changes.find("\"success_manager\""), std::string::npos) << events[0].changes;
  EXPECT_NE(events[0].changes.find("\"role\""), std::string::npos) << events[0].changes;
}

TEST_F(UsersTest, ARoleChangeEndsThePersonsWebSessions) {
  const std::string token = "session-token-of-the-agent";
  const std::string other_token = "session-token-of-a-contact";
  const absl::Time now = clock_.Now();
  ASSERT_TRUE(Wait<bool>([&](auto done) {
                WriteValue<bool>(
                    *store_,
                    [&](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
                      for (const auto& [secret, user] :
                           {std::pair{token, agent_.id}, std::pair{other_token, jo_.id}}) {
                        core::WebSession session{crypto_->Digest(secret), user, now, now,
                                                 now + kSessionLifetime};
                        if (absl::Status inserted = txn.InsertWebSession(session); !inserted.ok()) {
                          return inserted;
                        }
                      }
                      return true;
                    },
                    std::move(done));
              }).ok());
  absl::StatusOr<Caller> before = AuthenticateSession(context(), token);
  ASSERT_TRUE(before.ok()) << before.status();
  EXPECT_EQ(before->viewer.role, core::Role::kAgent);  // now cached

  ASSERT_TRUE(Update(admin_user(), agent_.id, {.role = core::Role::kAdmin}).ok());
  EXPECT_TRUE(absl::IsUnauthenticated(AuthenticateSession(context(), token).status()));
  EXPECT_TRUE(AuthenticateSession(context(), other_token).ok());

  // Other changes leave sessions alone.
  ASSERT_TRUE(Update(admin_user(), jo_.id, {.name = "Jo Renamed"}).ok());
  EXPECT_TRUE(AuthenticateSession(context(), other_token).ok());
}

TEST_F(UsersTest, LeavingProviderStaffClearsTierAndSkills) {
  // A person recorded as an agent of a customer organisation (before the role rules held).
  core::User misfiled = bo_;
  misfiled.role = core::Role::kAgent;
  misfiled.tier = core::Tier::kSme;
  misfiled.skills = {"network"};
  ASSERT_TRUE(Wait<bool>([&](auto done) {
                WriteValue<bool>(
                    *store_,
                    [&](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
                      if (absl::Status updated = txn.UpdateUser(misfiled); !updated.ok()) {
                        return updated;
                      }
                      return true;
                    },
                    std::move(done));
              }).ok());

  absl::StatusOr<core::User> fixed = Update(admin_user(), bo_.id, {.role = core::Role::kCustomer});
  ASSERT_TRUE(fixed.ok()) << fixed.status();
  EXPECT_EQ(fixed->role, core::Role::kCustomer);
  EXPECT_EQ(fixed->tier, core::Tier::kNone);
  EXPECT_TRUE(fixed->skills.empty());
  absl::StatusOr<core::User> stored = GetUser(context(), admin_, bo_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->tier, core::Tier::kNone);
  EXPECT_TRUE(stored->skills.empty());
  const std::vector<EventRow> events = EventsOfKind("user.updated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].changes.find("\"sme\""), std::string::npos) << events[0].changes;
}

TEST_F(UsersTest, SupportPinRotatesAndVerifies) {
  absl::StatusOr<IssuedPin> issued = Rotate(jo_, jo_.id);
  ASSERT_TRUE(issued.ok()) << issued.status();
  EXPECT_EQ(issued->user_id, jo_.id);
  ASSERT_EQ(issued->pin.size(), static_cast<size_t>(kSupportPinDigits));
  for (char c : issued->pin) EXPECT_TRUE(c >= '0' && c <= '9');

  absl::StatusOr<core::User> stored = GetUser(context(), admin_, jo_.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->pin_hash.empty());
  EXPECT_EQ(stored->pin_hash.find(issued->pin), std::string::npos);

  const core::Viewer agent = ViewerOf(agent_);
  EXPECT_EQ(VerifySupportPin(context(), agent, jo_.id, issued->pin).value_or(false), true);
  const std::string wrong = issued->pin == "000000" ? "111111" : "000000";
  EXPECT_EQ(VerifySupportPin(context(), agent, jo_.id, wrong).value_or(true), false);
  // Nobody but provider staff checks PINs; a user without a PIN never matches.
  EXPECT_EQ(VerifySupportPin(context(), ViewerOf(boss_), jo_.id, issued->pin).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(VerifySupportPin(context(), agent, bo_.id, issued->pin).value_or(true), false);
  EXPECT_EQ(VerifySupportPin(context(), agent, 424242, "123456").status().code(),
            absl::StatusCode::kNotFound);

  // Rotating again retires the old PIN; an admin may rotate anyone's, others only their own.
  absl::StatusOr<IssuedPin> rotated = Rotate(admin_user(), jo_.id);
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_TRUE(VerifySupportPin(context(), agent, jo_.id, rotated->pin).value_or(false));
  if (rotated->pin != issued->pin) {
    EXPECT_FALSE(VerifySupportPin(context(), agent, jo_.id, issued->pin).value_or(true));
  }
  EXPECT_EQ(Rotate(boss_, jo_.id).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Rotate(boss_, bo_.id).status().code(), absl::StatusCode::kNotFound);

  const std::vector<EventRow> events = EventsOfKind("user.pin_rotated");
  ASSERT_EQ(events.size(), 2u);
  for (const EventRow& event : events) {
    EXPECT_EQ(event.changes.find(issued->pin), std::string::npos);
    EXPECT_EQ(event.changes.find(rotated->pin), std::string::npos);
  }
  EXPECT_EQ(events[0].actor_id, jo_.id);
  EXPECT_EQ(events[1].actor_id, desk_.admin.id);
}

}  // namespace
}  // namespace casedesk::app
