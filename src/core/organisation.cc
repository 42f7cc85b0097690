#include "core/organisation.h"

namespace casedesk::core {

absl::Status ValidateNewOrganisation(const Organisation& org, const Organisation* parent) {
  if (org.name.empty() || org.name.size() > 200) {
    return absl::InvalidArgumentError("name must be 1 to 200 characters");
  }
  switch (org.kind) {
    case OrgKind::kProvider:
      return absl::InvalidArgumentError("there is exactly one provider organisation");
    case OrgKind::kPartner:
      if (parent == nullptr || parent->kind != OrgKind::kProvider) {
        return absl::InvalidArgumentError("a partner's parent_id must be the provider");
      }
      break;
    case OrgKind::kCustomer:
      if (parent == nullptr || parent->kind == OrgKind::kCustomer) {
        return absl::InvalidArgumentError(
            "a customer's parent_id must be the provider or a partner");
      }
      break;
  }
  if (org.plan.empty()) {
    return absl::InvalidArgumentError("plan is required for partners and customers");
  }
  return absl::OkStatus();
}

}  // namespace casedesk::core
