// The role rules of core/access.h: which roles fit which organisations, who may change a
// person's role, and what a person keeps when their role changes.
#include <string>
#include <vector>

#include "core/access.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

Organisation RoleChangeOrg(OrgId id, OrgKind kind) {
  Organisation org;
  org.id = id;
  org.kind = kind;
  return org;
}

User RoleChangePerson(UserId id, Role role, OrgId org) {
  User user;
  user.id = id;
  user.role = role;
  user.org_id = org;
  return user;
}

Viewer RoleChangeViewer(UserId id, Role role, OrgId org) {
  Viewer viewer;
  viewer.user_id = id;
  viewer.role = role;
  viewer.org_id = org;
  return viewer;
}

const Organisation kRoleProvider = RoleChangeOrg(1, OrgKind::kProvider);
const Organisation kRolePartner = RoleChangeOrg(2, OrgKind::kPartner);
const Organisation kRoleCustomer = RoleChangeOrg(3, OrgKind::kCustomer);

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
  const Viewer admin = RoleChangeViewer(10, Role::kAdmin, kRoleProvider.id);
  const User agent = RoleChangePerson(20, Role::kAgent, kRoleProvider.id);
  const User contact = RoleChangePerson(30, Role::kCustomer, kRoleCustomer.id);
  const User partner_agent = RoleChangePerson(40, Role::kPartnerAgent, kRolePartner.id);

  EXPECT_TRUE(CheckCanChangeRole(admin, agent, kRoleProvider, Role::kSuccessManager).ok());
  EXPECT_TRUE(CheckCanChangeRole(admin, agent, kRoleProvider, Role::kAdmin).ok());

  const absl::Status contact_to_agent =
      CheckCanChangeRole(admin, contact, kRoleCustomer, Role::kAgent);
  EXPECT_TRUE(absl::IsInvalidArgument(contact_to_agent));
  EXPECT_EQ(contact_to_agent.message(), "role: provider roles belong to the provider organisation");
  EXPECT_TRUE(absl::IsInvalidArgument(
      CheckCanChangeRole(admin, contact, kRoleCustomer, Role::kPartnerAgent)));
  EXPECT_TRUE(absl::IsInvalidArgument(
      CheckCanChangeRole(admin, partner_agent, kRolePartner, Role::kCustomer)));
  EXPECT_TRUE(
      absl::IsInvalidArgument(CheckCanChangeRole(admin, agent, kRoleProvider, Role::kCustomer)));

  const absl::Status own =
      CheckCanChangeRole(admin, RoleChangePerson(admin.user_id, Role::kAdmin, kRoleProvider.id),
                         kRoleProvider, Role::kAgent);
  EXPECT_TRUE(absl::IsInvalidArgument(own));
  EXPECT_EQ(own.message().substr(0, 6), "role: ");

  for (Role role : {Role::kAgent, Role::kSuccessManager, Role::kCustomer, Role::kPartnerAgent}) {
    const Viewer viewer = RoleChangeViewer(50, role, kRoleProvider.id);
    EXPECT_TRUE(absl::IsPermissionDenied(
        CheckCanChangeRole(viewer, agent, kRoleProvider, Role::kSuccessManager)))
        << static_cast<int>(role);
  }
}

TEST(RoleChangeTest, LeavingStaffDropsTierAndSkills) {
  User agent = RoleChangePerson(20, Role::kAgent, kRoleProvider.id);
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
