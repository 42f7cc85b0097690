// Organisations: the one provider running the desk, partners (resellers that give Level-1
// support to their own customers) and customers (under the provider or under a partner).
// Thread-safe: value types.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/enum_names.h"
#include "core/ids.h"

namespace casedesk::core {

enum class OrgKind { kProvider, kPartner, kCustomer };

inline constexpr std::array<std::pair<OrgKind, std::string_view>, 3> kOrgKindNames{{
    {OrgKind::kProvider, "provider"},
    {OrgKind::kPartner, "partner"},
    {OrgKind::kCustomer, "customer"},
}};

struct Organisation {
  OrgId id = 0;
  std::string name;
  OrgKind kind = OrgKind::kCustomer;
  std::optional<OrgId> parent_id;  // the provider, or the partner above a customer
  std::string plan;                // support plan name; empty for the provider
  bool shares_cases = false;       // contacts see each other's cases
  std::string time_zone = "UTC";   // for period boundaries and the customer's "your time"
  absl::Time created_at = absl::InfinitePast();
};

// Checks the shape of a new organisation against its parent. `parent` is required for partners
// and customers and must be the provider (for partners) or the provider or a partner (customers).
absl::Status ValidateNewOrganisation(const Organisation& org, const Organisation* parent);

}  // namespace casedesk::core
