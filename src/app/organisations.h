// Organisation use cases. Admins create any partner or customer; other provider staff may
// create customers. Everyone reads only what core::CanSeeOrganisation allows them, and an
// organisation they may not see is NotFound, never PermissionDenied, so ids of other tenants
// reveal nothing. Only admins change organisations. Every change writes its audit event in the
// same transaction. Thread-safe: functions over the thread-safe ports.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "core/access.h"
#include "core/organisation.h"
#include "ports/store.h"

namespace casedesk::app {

struct NewOrganisation {
  std::string name;
  core::OrgKind kind = core::OrgKind::kCustomer;
  std::optional<core::OrgId> parent_id;  // unset: the provider
  std::string plan;
  bool shares_cases = false;
  std::string time_zone = "UTC";
};

struct OrganisationPatch {
  std::optional<std::string> name;
  std::optional<std::string> plan;
  std::optional<bool> shares_cases;
  std::optional<std::string> time_zone;
};

struct OrganisationListRequest {
  std::optional<core::OrgKind> kind;
  std::optional<core::OrgId> parent_id;
  ports::PageRequest page;
};

// The organisations a non-staff viewer may see (their own and, for partner agents, their
// customers); nullopt for provider staff, who see all.
std::optional<std::vector<core::OrgId>> VisibleOrganisationIds(const core::Viewer& viewer);

void CreateOrganisation(AppContext& context, const core::Viewer& viewer, NewOrganisation request,
                        std::function<void(absl::StatusOr<core::Organisation>)> done);

absl::StatusOr<core::Organisation> GetOrganisation(AppContext& context,
                                                   const core::Viewer& viewer, core::OrgId id);

absl::StatusOr<ports::Page<core::Organisation>> ListOrganisations(
    AppContext& context, const core::Viewer& viewer, const OrganisationListRequest& request);

void UpdateOrganisation(AppContext& context, const core::Viewer& viewer, core::OrgId id,
                        OrganisationPatch patch,
                        std::function<void(absl::StatusOr<core::Organisation>)> done);

}  // namespace casedesk::app
