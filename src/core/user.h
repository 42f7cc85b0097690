// People: customer contacts, partner agents, provider agents (with a tier and skills),
// customer-success managers and admins. Thread-safe: value types.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/time/time.h"
#include "core/enum_names.h"
#include "core/ids.h"

namespace casedesk::core {

enum class Role { kCustomer, kPartnerAgent, kAgent, kSuccessManager, kAdmin };

inline constexpr std::array<std::pair<Role, std::string_view>, 5> kRoleNames{{
    {Role::kCustomer, "customer"},
    {Role::kPartnerAgent, "partner_agent"},
    {Role::kAgent, "agent"},
    {Role::kSuccessManager, "success_manager"},
    {Role::kAdmin, "admin"},
}};

// Escalation tiers of provider agents, lowest first.
enum class Tier { kNone, kShiftEngineer, kShiftLead, kSme, kSupportManager, kExecutive };

inline constexpr std::array<std::pair<Tier, std::string_view>, 6> kTierNames{{
    {Tier::kNone, "none"},
    {Tier::kShiftEngineer, "shift_engineer"},
    {Tier::kShiftLead, "shift_lead"},
    {Tier::kSme, "sme"},
    {Tier::kSupportManager, "support_manager"},
    {Tier::kExecutive, "executive"},
}};

struct User {
  UserId id = 0;
  std::string email;  // stored lower-cased
  std::string name;
  Role role = Role::kCustomer;
  OrgId org_id = 0;
  Tier tier = Tier::kNone;
  std::vector<std::string> skills;  // e.g. network, storage, platform, security
  bool verified = false;            // email address verified; unverified addresses do not count
  bool org_admin = false;           // manages the organisation's authorised contact list
  bool active = true;
  std::string password_hash;  // argon2id string; empty when no password is set
  std::string pin_hash;       // support PIN digest; empty when none
  absl::Time created_at = absl::InfinitePast();
};

// Provider staff: see every case and internal notes.
inline bool IsProviderStaff(Role role) {
  return role == Role::kAgent || role == Role::kSuccessManager || role == Role::kAdmin;
}

// Lower-cases an address and checks it has the shape local@domain; empty on failure.
std::string NormaliseEmail(std::string_view email);

}  // namespace casedesk::core
