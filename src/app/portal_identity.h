// Use case: who the customer and partner portal is for, and how it presents itself to them.
// Customers and partner agents use the portal; provider staff use the console. A customer of a
// partner sees the partner's identity (its mail sender name, else its name), never the
// provider's; everyone else sees the provider's name. Thread-safe: a free function over the
// thread-safe context.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "core/access.h"
#include "core/organisation.h"

namespace casedesk::app {

struct PortalIdentity {
  core::Organisation organisation;  // the person's own organisation
  // Who gives them support, as they know them: the provider, or the partner above their
  // organisation.
  std::string brand_name;
  // A customer of a partner: no page may name the provider (nor link to its status page).
  bool hides_provider = false;
  // Partner agents: the customer organisations they work for, by id.
  std::vector<core::Organisation> customers;
};

// Customers and partner agents.
bool MayUsePortal(const core::Viewer& viewer);

// PermissionDenied for provider staff; store errors otherwise.
absl::StatusOr<PortalIdentity> LoadPortalIdentity(AppContext& context, const Caller& caller);

// The organisation `org_id` as the portal shows it to `identity`'s person ("" when unknown).
std::string PortalOrganisationName(const PortalIdentity& identity, core::OrgId org_id);

}  // namespace casedesk::app
