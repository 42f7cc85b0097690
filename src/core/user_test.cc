#include "core/user.h"

#include <string>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

TEST(UserTest, NormaliseEmail) {
  // A local part of 64 and a domain that bring the address to exactly 254 bytes, the limit.
  const std::string kLongest = std::string(64, 'l') + "@" + std::string(185, 'd') + ".com";
  const struct {
    std::string input;
    std::string expected;  // empty: rejected
  } kTable[] = {
      {"alice@example.com", "alice@example.com"},
      {"Alice@Example.COM", "alice@example.com"},
      {"ALICE.SMITH+Support@Sub.Example.co.uk", "alice.smith+support@sub.example.co.uk"},
      {"a@b.c", "a@b.c"},
      {"j\xc3\xb6rg@example.com", "j\xc3\xb6rg@example.com"},  // UTF-8 kept byte for byte
      {kLongest, kLongest},
      {kLongest + "m", ""},  // 255 bytes
      {"", ""},
      {"ab", ""},
      {"a@b", ""},                        // no dot in the domain
      {"a@b.", ""},                       // domain ends with a dot
      {"a@.com", ""},                     // domain starts with a dot
      {"a@example..com", ""},             // empty label
      {"alice.smith@localhost", ""},      // a dot in the local part does not count
      {"@example.com", ""},               // no local part
      {"alice@", ""},                     // no domain
      {"alice", ""},                      // no @
      {"alice@@example.com", ""},         // two @
      {"alice@example@example.com", ""},  // two @
      {" alice@example.com", ""},         // space
      {"alice@example.com ", ""},
      {"alice smith@example.com", ""},
      {"alice@example.com\n", ""},  // header injection
      {"alice@example.com\r\nBcc: x@y.z", ""},
      {"alice\t@example.com", ""},
      {std::string("alice\0@example.com", 18), ""},
      {"alice\x7f@example.com", ""},
      {"Alice <alice@example.com>", ""},  // a display name is not an address
      {"alice@example.com,bob@example.com", ""},
      {"alice@example.com;bob@example.com", ""},
      {"\"alice\"@example.com", ""},
  };
  for (const auto& row : kTable) {
    EXPECT_EQ(NormaliseEmail(row.input), row.expected) << "'" << row.input << "'";
  }
}

TEST(UserTest, ProviderStaffRoles) {
  const struct {
    Role role;
    bool staff;
  } kTable[] = {{Role::kCustomer, false},
                {Role::kPartnerAgent, false},
                {Role::kAgent, true},
                {Role::kSuccessManager, true},
                {Role::kAdmin, true}};
  for (const auto& row : kTable) {
    EXPECT_EQ(IsProviderStaff(row.role), row.staff) << NameOf<Role>(kRoleNames, row.role);
  }
}

TEST(UserTest, RoleAndTierNamesRoundTrip) {
  const struct {
    Role role;
    std::string_view name;
  } kRoles[] = {{Role::kCustomer, "customer"},
                {Role::kPartnerAgent, "partner_agent"},
                {Role::kAgent, "agent"},
                {Role::kSuccessManager, "success_manager"},
                {Role::kAdmin, "admin"}};
  for (const auto& row : kRoles) {
    EXPECT_EQ(NameOf<Role>(kRoleNames, row.role), row.name);
    EXPECT_EQ(EnumFromName<Role>(kRoleNames, row.name), row.role);
  }
  const struct {
    Tier tier;
    std::string_view name;
  } kTiers[] = {{Tier::kNone, "none"},
                {Tier::kShiftEngineer, "shift_engineer"},
                {Tier::kShiftLead, "shift_lead"},
                {Tier::kSme, "sme"},
                {Tier::kSupportManager, "support_manager"},
                {Tier::kExecutive, "executive"}};
  for (const auto& row : kTiers) {
    EXPECT_EQ(NameOf<Tier>(kTierNames, row.tier), row.name);
    EXPECT_EQ(EnumFromName<Tier>(kTierNames, row.name), row.tier);
  }
  EXPECT_EQ(EnumFromName<Role>(kRoleNames, "Admin"), std::nullopt);
  EXPECT_EQ(EnumFromName<Tier>(kTierNames, "manager"), std::nullopt);
}

}  // namespace
}  // namespace casedesk::core
