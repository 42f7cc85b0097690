#include "core/access.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

// The desk every table below is written against:
//   provider 1
//   ├── partner 10 ── customers 11 and 12
//   ├── partner 13 ── customer 40
//   ├── customer 20 (shares cases among its contacts)
//   └── customer 30 (does not share; carol is its org admin)
constexpr OrgId kProvider = 1;
constexpr OrgId kPartner = 10;
constexpr OrgId kPartnerCustomerA = 11;
constexpr OrgId kPartnerCustomerB = 12;
constexpr OrgId kOtherPartner = 13;
constexpr OrgId kSharingCustomer = 20;
constexpr OrgId kPrivateCustomer = 30;
constexpr OrgId kOtherPartnerCustomer = 40;

Organisation Org(OrgId id, OrgKind kind) {
  Organisation org;
  org.id = id;
  org.kind = kind;
  return org;
}

const Organisation kProviderOrg = Org(kProvider, OrgKind::kProvider);
const Organisation kPartnerOrg = Org(kPartner, OrgKind::kPartner);
const Organisation kPartnerCustomerAOrg = Org(kPartnerCustomerA, OrgKind::kCustomer);
const Organisation kPartnerCustomerBOrg = Org(kPartnerCustomerB, OrgKind::kCustomer);
const Organisation kOtherPartnerOrg = Org(kOtherPartner, OrgKind::kPartner);
const Organisation kSharingCustomerOrg = Org(kSharingCustomer, OrgKind::kCustomer);
const Organisation kPrivateCustomerOrg = Org(kPrivateCustomer, OrgKind::kCustomer);
const Organisation kOtherPartnerCustomerOrg = Org(kOtherPartnerCustomer, OrgKind::kCustomer);

Viewer MakeViewer(UserId user, Role role, OrgId org, bool org_admin = false,
                  bool shares_cases = false, std::vector<OrgId> children = {}) {
  Viewer viewer;
  viewer.user_id = user;
  viewer.role = role;
  viewer.org_id = org;
  viewer.org_admin = org_admin;
  viewer.org_shares_cases = shares_cases;
  viewer.child_org_ids = std::move(children);
  return viewer;
}

// alice: contact of the sharing customer. bob: plain contact of the private customer.
// carol: org admin of the private customer. dave: contact of a partner's customer.
// pat: agent of partner 10. quinn: agent of partner 13.
const Viewer kAlice = MakeViewer(100, Role::kCustomer, kSharingCustomer, false, true);
const Viewer kBob = MakeViewer(101, Role::kCustomer, kPrivateCustomer);
const Viewer kCarol = MakeViewer(102, Role::kCustomer, kPrivateCustomer, true, false);
const Viewer kDave = MakeViewer(103, Role::kCustomer, kPartnerCustomerA);
const Viewer kPat = MakeViewer(200, Role::kPartnerAgent, kPartner, false, false,
                               {kPartnerCustomerA, kPartnerCustomerB});
const Viewer kQuinn =
    MakeViewer(201, Role::kPartnerAgent, kOtherPartner, false, false, {kOtherPartnerCustomer});
const Viewer kAgent = MakeViewer(300, Role::kAgent, kProvider);
const Viewer kSuccessManager = MakeViewer(301, Role::kSuccessManager, kProvider);
const Viewer kAdmin = MakeViewer(302, Role::kAdmin, kProvider);

Case MakeCase(CaseNumber number, OrgId org, UserId requester, std::vector<UserId> followers = {}) {
  Case c;
  c.number = number;
  c.org_id = org;
  c.requester_id = requester;
  c.followers = std::move(followers);
  return c;
}

// c1: another contact's case at the sharing customer.
// c2: bob's own case.       c3: a colleague's case bob follows.
// c4: a colleague's case, bob not involved.
// c5: dave's case at partner 10's customer.  c6: a case at partner 10's other customer.
// c7: partner 10's own case.  c8: a case under the other partner.
// c9: a private-customer case that alice (another organisation) was CC'd on.
const Case kCases[] = {
    MakeCase(1, kSharingCustomer, 104),
    MakeCase(2, kPrivateCustomer, 101),
    MakeCase(3, kPrivateCustomer, 105, {101}),
    MakeCase(4, kPrivateCustomer, 105),
    MakeCase(5, kPartnerCustomerA, 103),
    MakeCase(6, kPartnerCustomerB, 106),
    MakeCase(7, kPartner, 200),
    MakeCase(8, kOtherPartnerCustomer, 107),
    MakeCase(9, kPrivateCustomer, 105, {108, 100}),
};

TEST(AccessTest, CanSeeCaseForEveryRole) {
  const struct {
    const char* who;
    Viewer viewer;
    // Visibility of c1..c9: 'Y' sees it, '.' does not.
    std::string sees;
  } kTable[] = {
      // clang-format off
      //                                    c123456789
      {"alice",           kAlice,          "Y.......Y"},
      {"bob",             kBob,            ".YY......"},
      {"carol",           kCarol,          ".YYY....Y"},
      {"dave",            kDave,           "....Y...."},
      {"pat",             kPat,            "....YYY.."},
      {"quinn",           kQuinn,          ".......Y."},
      {"agent",           kAgent,          "YYYYYYYYY"},
      {"success manager", kSuccessManager, "YYYYYYYYY"},
      {"admin",           kAdmin,          "YYYYYYYYY"},
      // clang-format on
  };
  for (const auto& row : kTable) {
    const CaseScope scope = ScopeFor(row.viewer);
    for (size_t i = 0; i < std::size(kCases); ++i) {
      const bool expected = row.sees.at(i) == 'Y';
      EXPECT_EQ(CanSeeCase(row.viewer, kCases[i]), expected) << row.who << " c" << i + 1;
      // The scope a store would query with agrees with the direct check.
      EXPECT_EQ(CanSeeCase(scope, kCases[i]), expected) << row.who << " c" << i + 1;
    }
  }
}

TEST(AccessTest, ScopeForEveryRole) {
  const struct {
    const char* who;
    Viewer viewer;
    bool all;
    std::vector<OrgId> org_ids;
    std::optional<UserId> participant;
  } kTable[] = {
      {"agent", kAgent, true, {}, std::nullopt},
      {"success manager", kSuccessManager, true, {}, std::nullopt},
      {"admin", kAdmin, true, {}, std::nullopt},
      {"partner agent",
       kPat,
       false,
       {kPartner, kPartnerCustomerA, kPartnerCustomerB},
       200},
      {"partner agent without customers",
       MakeViewer(202, Role::kPartnerAgent, kOtherPartner),
       false,
       {kOtherPartner},
       202},
      {"customer, org shares", kAlice, false, {kSharingCustomer}, 100},
      {"customer, org private", kBob, false, {}, 101},
      {"customer org admin, org private", kCarol, false, {kPrivateCustomer}, 102},
      {"customer org admin, org shares",
       MakeViewer(109, Role::kCustomer, kSharingCustomer, true, true),
       false,
       {kSharingCustomer},
       109},
  };
  for (const auto& row : kTable) {
    const CaseScope scope = ScopeFor(row.viewer);
    EXPECT_EQ(scope.all, row.all) << row.who;
    EXPECT_EQ(scope.org_ids, row.org_ids) << row.who;
    EXPECT_EQ(scope.participant, row.participant) << row.who;
  }
}

TEST(AccessTest, EmptyScopeSeesNothing) {
  const CaseScope nothing;
  for (const Case& c : kCases) EXPECT_FALSE(CanSeeCase(nothing, c)) << c.number;
}

TEST(AccessTest, CommentsAndInternalNotes) {
  const struct {
    const char* who;
    Viewer viewer;
    bool sees_internal;
  } kTable[] = {
      {"customer", kBob, false},
      {"customer org admin", kCarol, false},
      {"partner agent", kPat, false},
      {"agent", kAgent, true},
      {"success manager", kSuccessManager, true},
      {"admin", kAdmin, true},
  };
  for (const auto& row : kTable) {
    EXPECT_TRUE(CanSeeComment(row.viewer, Visibility::kPublic)) << row.who;
    EXPECT_EQ(CanSeeComment(row.viewer, Visibility::kInternal), row.sees_internal) << row.who;
    EXPECT_EQ(CanSeeInternal(row.viewer), row.sees_internal) << row.who;
    EXPECT_EQ(CanTriage(row.viewer), row.sees_internal) << row.who;
    EXPECT_EQ(IsAdmin(row.viewer), row.viewer.role == Role::kAdmin) << row.who;
  }
}

TEST(AccessTest, CanOpenCaseFor) {
  const struct {
    const char* who;
    Viewer viewer;
    Organisation org;
    bool allowed;
  } kTable[] = {
      {"agent for provider", kAgent, kProviderOrg, false},
      {"agent for partner", kAgent, kPartnerOrg, true},
      {"agent for partner's customer", kAgent, kPartnerCustomerAOrg, true},
      {"agent for direct customer", kAgent, kPrivateCustomerOrg, true},
      {"success manager for customer", kSuccessManager, kSharingCustomerOrg, true},
      {"admin for provider", kAdmin, kProviderOrg, false},
      {"admin for customer", kAdmin, kOtherPartnerCustomerOrg, true},
      {"partner agent for own partner", kPat, kPartnerOrg, true},
      {"partner agent for own customer A", kPat, kPartnerCustomerAOrg, true},
      {"partner agent for own customer B", kPat, kPartnerCustomerBOrg, true},
      {"partner agent for direct customer", kPat, kSharingCustomerOrg, false},
      {"partner agent for other partner's customer", kPat, kOtherPartnerCustomerOrg, false},
      {"partner agent for other partner", kPat, kOtherPartnerOrg, false},
      {"partner agent for provider", kPat, kProviderOrg, false},
      {"customer for own org", kBob, kPrivateCustomerOrg, true},
      {"customer for other org", kBob, kSharingCustomerOrg, false},
      {"customer for its partner", kDave, kPartnerOrg, false},
      {"customer for provider", kAlice, kProviderOrg, false},
  };
  for (const auto& row : kTable) {
    EXPECT_EQ(CanOpenCaseFor(row.viewer, row.org), row.allowed) << row.who;
  }
}

TEST(AccessTest, CanSeeOrganisation) {
  const struct {
    const char* who;
    Viewer viewer;
    Organisation org;
    bool allowed;
  } kTable[] = {
      {"agent sees provider", kAgent, kProviderOrg, true},
      {"agent sees any customer", kAgent, kOtherPartnerCustomerOrg, true},
      {"partner agent sees own partner", kPat, kPartnerOrg, true},
      {"partner agent sees own customer", kPat, kPartnerCustomerBOrg, true},
      {"partner agent does not see other partner's customer", kPat, kOtherPartnerCustomerOrg,
       false},
      {"partner agent does not see provider", kPat, kProviderOrg, false},
      {"customer sees own org", kDave, kPartnerCustomerAOrg, true},
      {"customer does not see sibling customer", kDave, kPartnerCustomerBOrg, false},
      {"customer does not see its partner", kDave, kPartnerOrg, false},
  };
  for (const auto& row : kTable) {
    EXPECT_EQ(CanSeeOrganisation(row.viewer, row.org), row.allowed) << row.who;
  }
}

TEST(AccessTest, CheckCanCreateUser) {
  const struct {
    const char* who;
    Viewer viewer;
    Role role;
    Organisation org;
    bool verified;
    absl::StatusCode expected;
  } kTable[] = {
      // Admins create anyone, in the kind of organisation the role belongs to.
      {"admin: customer", kAdmin, Role::kCustomer, kSharingCustomerOrg, false,
       absl::StatusCode::kOk},
      {"admin: verified customer", kAdmin, Role::kCustomer, kSharingCustomerOrg, true,
       absl::StatusCode::kOk},
      {"admin: partner agent", kAdmin, Role::kPartnerAgent, kPartnerOrg, false,
       absl::StatusCode::kOk},
      {"admin: agent", kAdmin, Role::kAgent, kProviderOrg, false, absl::StatusCode::kOk},
      {"admin: success manager", kAdmin, Role::kSuccessManager, kProviderOrg, false,
       absl::StatusCode::kOk},
      {"admin: admin", kAdmin, Role::kAdmin, kProviderOrg, false, absl::StatusCode::kOk},
      {"admin: agent in a customer", kAdmin, Role::kAgent, kSharingCustomerOrg, false,
       absl::StatusCode::kInvalidArgument},
      {"admin: customer in the provider", kAdmin, Role::kCustomer, kProviderOrg, false,
       absl::StatusCode::kInvalidArgument},
      {"admin: customer in a partner", kAdmin, Role::kCustomer, kPartnerOrg, false,
       absl::StatusCode::kInvalidArgument},
      {"admin: partner agent in a customer", kAdmin, Role::kPartnerAgent, kSharingCustomerOrg,
       false, absl::StatusCode::kInvalidArgument},
      {"admin: partner agent in the provider", kAdmin, Role::kPartnerAgent, kProviderOrg, false,
       absl::StatusCode::kInvalidArgument},
      // Other provider staff: customers and partner agents, unverified.
      {"agent: customer", kAgent, Role::kCustomer, kPartnerCustomerAOrg, false,
       absl::StatusCode::kOk},
      {"agent: partner agent", kAgent, Role::kPartnerAgent, kPartnerOrg, false,
       absl::StatusCode::kOk},
      {"success manager: customer", kSuccessManager, Role::kCustomer, kPrivateCustomerOrg, false,
       absl::StatusCode::kOk},
      {"agent: verified customer", kAgent, Role::kCustomer, kSharingCustomerOrg, true,
       absl::StatusCode::kPermissionDenied},
      {"agent: agent", kAgent, Role::kAgent, kProviderOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"agent: admin", kAgent, Role::kAdmin, kProviderOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"success manager: success manager", kSuccessManager, Role::kSuccessManager, kProviderOrg,
       false, absl::StatusCode::kPermissionDenied},
      {"agent: customer in a partner", kAgent, Role::kCustomer, kPartnerOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"agent: partner agent in a customer", kAgent, Role::kPartnerAgent, kSharingCustomerOrg,
       false, absl::StatusCode::kPermissionDenied},
      // A customer organisation's admin: contacts of that organisation only.
      {"org admin: own contact", kCarol, Role::kCustomer, kPrivateCustomerOrg, false,
       absl::StatusCode::kOk},
      {"org admin: verified own contact", kCarol, Role::kCustomer, kPrivateCustomerOrg, true,
       absl::StatusCode::kPermissionDenied},
      {"org admin: other org's contact", kCarol, Role::kCustomer, kSharingCustomerOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"org admin: partner agent", kCarol, Role::kPartnerAgent, kPartnerOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"org admin: agent", kCarol, Role::kAgent, kProviderOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"plain contact: own org", kBob, Role::kCustomer, kPrivateCustomerOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"contact of a sharing org: own org", kAlice, Role::kCustomer, kSharingCustomerOrg, false,
       absl::StatusCode::kPermissionDenied},
      // Partner agents: contacts of their partner's customers.
      {"partner agent: own customer A", kPat, Role::kCustomer, kPartnerCustomerAOrg, false,
       absl::StatusCode::kOk},
      {"partner agent: own customer B", kPat, Role::kCustomer, kPartnerCustomerBOrg, false,
       absl::StatusCode::kOk},
      {"partner agent: verified contact", kPat, Role::kCustomer, kPartnerCustomerAOrg, true,
       absl::StatusCode::kPermissionDenied},
      {"partner agent: direct customer", kPat, Role::kCustomer, kSharingCustomerOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"partner agent: other partner's customer", kPat, Role::kCustomer, kOtherPartnerCustomerOrg,
       false, absl::StatusCode::kPermissionDenied},
      {"partner agent: partner agent", kPat, Role::kPartnerAgent, kPartnerOrg, false,
       absl::StatusCode::kPermissionDenied},
      {"partner agent: customer in own partner org", kPat, Role::kCustomer, kPartnerOrg, false,
       absl::StatusCode::kPermissionDenied},
  };
  for (const auto& row : kTable) {
    User user;
    user.role = row.role;
    user.org_id = row.org.id;
    user.verified = row.verified;
    EXPECT_EQ(CheckCanCreateUser(row.viewer, user, row.org).code(), row.expected) << row.who;
  }
}

TEST(AccessTest, CheckStatusChangeAllowed) {
  constexpr CaseStatus kStatuses[] = {CaseStatus::kNew,     CaseStatus::kOpen,
                                      CaseStatus::kPending, CaseStatus::kOnHold,
                                      CaseStatus::kSolved,  CaseStatus::kClosed};
  const struct {
    const char* who;
    Viewer viewer;
    // Allowed targets: 'Y' or '.', in the order new, open, pending, on_hold, solved, closed.
    std::string allowed;
  } kTable[] = {
      // clang-format off
      //                                       NOPHSC
      {"customer",           kBob,            ".Y..Y."},
      {"customer org admin", kCarol,          ".Y..Y."},
      {"partner agent",      kPat,            ".YY.Y."},
      {"agent",              kAgent,          "YYYYYY"},
      {"success manager",    kSuccessManager, "YYYYYY"},
      {"admin",              kAdmin,          "YYYYYY"},
      // clang-format on
  };
  for (const auto& row : kTable) {
    for (size_t i = 0; i < std::size(kStatuses); ++i) {
      const absl::Status status = CheckStatusChangeAllowed(row.viewer, kStatuses[i]);
      EXPECT_EQ(status.ok(), row.allowed.at(i) == 'Y') << row.who << " -> " << i;
      if (!status.ok()) {
        EXPECT_TRUE(absl::IsPermissionDenied(status)) << status;
      }
    }
  }
}

// ---- Role changes ----

User Person(UserId id, Role role, OrgId org) {
  User user;
  user.id = id;
  user.role = role;
  user.org_id = org;
  return user;
}

TEST(RoleChangeTest, RolesFitTheirKindOfOrganisation) {
  EXPECT_EQ(RolesFittingOrganisation(OrgKind::kProvider),
            (std::vector<Role>{Role::kAgent, Role::kSuccessManager, Role::kAdmin}));
  EXPECT_EQ(RolesFittingOrganisation(OrgKind::kPartner), std::vector<Role>{Role::kPartnerAgent});
  EXPECT_EQ(RolesFittingOrganisation(OrgKind::kCustomer), std::vector<Role>{Role::kCustomer});
  EXPECT_EQ(CheckRoleFitsOrganisation(Role::kAgent, OrgKind::kCustomer).message(),
            "provider roles belong to the provider organisation");
  EXPECT_EQ(CheckRoleFitsOrganisation(Role::kCustomer, OrgKind::kProvider).message(),
            "customers and partner agents belong to a customer or partner");
  EXPECT_EQ(CheckRoleFitsOrganisation(Role::kCustomer, OrgKind::kPartner).message(),
            "a customer contact belongs to a customer organisation");
  EXPECT_EQ(CheckRoleFitsOrganisation(Role::kPartnerAgent, OrgKind::kCustomer).message(),
            "a partner agent belongs to a partner organisation");
}

TEST(RoleChangeTest, OnlyAnAdminChangesSomeoneElsesRoleToOneThatFits) {
  const Viewer admin = MakeViewer(10, Role::kAdmin, kProviderOrg.id);
  const User agent = Person(20, Role::kAgent, kProviderOrg.id);
  const User contact = Person(30, Role::kCustomer, kPrivateCustomerOrg.id);
  const User partner_agent = Person(40, Role::kPartnerAgent, kPartnerOrg.id);

  EXPECT_TRUE(CheckCanChangeRole(admin, agent, kProviderOrg, Role::kSuccessManager).ok());
  EXPECT_TRUE(CheckCanChangeRole(admin, agent, kProviderOrg, Role::kAdmin).ok());

  const absl::Status contact_to_agent =
      CheckCanChangeRole(admin, contact, kPrivateCustomerOrg, Role::kAgent);
  EXPECT_TRUE(absl::IsInvalidArgument(contact_to_agent));
  EXPECT_EQ(contact_to_agent.message(), "role: provider roles belong to the provider organisation");
  EXPECT_TRUE(absl::IsInvalidArgument(
      CheckCanChangeRole(admin, contact, kPrivateCustomerOrg, Role::kPartnerAgent)));
  EXPECT_TRUE(absl::IsInvalidArgument(
      CheckCanChangeRole(admin, partner_agent, kPartnerOrg, Role::kCustomer)));
  EXPECT_TRUE(
      absl::IsInvalidArgument(CheckCanChangeRole(admin, agent, kProviderOrg, Role::kCustomer)));

  const absl::Status own =
      CheckCanChangeRole(admin, Person(admin.user_id, Role::kAdmin, kProviderOrg.id),
                         kProviderOrg, Role::kAgent);
  EXPECT_TRUE(absl::IsInvalidArgument(own));
  EXPECT_EQ(own.message().substr(0, 6), "role: ");

  for (Role role : {Role::kAgent, Role::kSuccessManager, Role::kCustomer, Role::kPartnerAgent}) {
    const Viewer viewer = MakeViewer(50, role, kProviderOrg.id);
    EXPECT_TRUE(absl::IsPermissionDenied(
        CheckCanChangeRole(viewer, agent, kProviderOrg, Role::kSuccessManager)))
        << static_cast<int>(role);
  }
}

TEST(RoleChangeTest, LeavingStaffDropsTierAndSkills) {
  User agent = Person(20, Role::kAgent, kProviderOrg.id);
  agent.tier = Tier::kShiftLead;
  agent.skills = {"network", "security"};

  const User manager = WithRole(agent, Role::kSuccessManager);
  EXPECT_EQ(manager.role, Role::kSuccessManager);
  EXPECT_EQ(manager.tier, Tier::kShiftLead);
  EXPECT_EQ(manager.skills, agent.skills);

  const User contact = WithRole(agent, Role::kCustomer);
  EXPECT_EQ(contact.role, Role::kCustomer);
  EXPECT_EQ(contact.tier, Tier::kNone);
  EXPECT_TRUE(contact.skills.empty());
  EXPECT_EQ(contact.id, agent.id);
}

}  // namespace
}  // namespace casedesk::core
