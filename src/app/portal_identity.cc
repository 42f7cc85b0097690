#include "app/portal_identity.h"

#include <optional>
#include <utility>

#include "app/mail_settings.h"
#include "app/store_calls.h"

namespace casedesk::app {
namespace {

// A partner's name as its customers know it: the sender name its mail uses, else its name.
absl::StatusOr<std::string> PartnerBrand(ports::StoreTransaction& txn,
                                         const core::Organisation& partner) {
  absl::StatusOr<OrganisationMailSettings> mail = LoadOrganisationMailSettings(txn, partner.id);
  if (!mail.ok()) return mail.status();
  return mail->sender_name.empty() ? partner.name : mail->sender_name;
}

absl::StatusOr<std::string> ProviderBrand(ports::StoreTransaction& txn) {
  absl::StatusOr<std::optional<core::Organisation>> provider = txn.FindProvider();
  if (!provider.ok()) return provider.status();
  return *provider ? (*provider)->name : std::string("Support");
}

absl::StatusOr<std::vector<core::Organisation>> Customers(ports::StoreTransaction& txn,
                                                          core::OrgId partner_id) {
  std::vector<core::Organisation> customers;
  ports::OrgFilter filter;
  filter.parent_id = partner_id;
  filter.page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::Organisation>> page = txn.ListOrganisations(filter);
    if (!page.ok()) return page.status();
    for (core::Organisation& org : page->items) customers.push_back(std::move(org));
    if (page->next_cursor.empty()) return customers;
    filter.page.cursor = page->next_cursor;
  }
}

}  // namespace

bool MayUsePortal(const core::Viewer& viewer) {
  return viewer.role == core::Role::kCustomer || viewer.role == core::Role::kPartnerAgent;
}

absl::StatusOr<PortalIdentity> LoadPortalIdentity(AppContext& context, const Caller& caller) {
  if (!MayUsePortal(caller.viewer)) {
    return absl::PermissionDeniedError("the portal is for customers and partner agents");
  }
  return ReadValue<PortalIdentity>(
      context.store, [&caller](ports::StoreTransaction& txn) -> absl::StatusOr<PortalIdentity> {
        PortalIdentity identity;
        absl::StatusOr<core::Organisation> own = txn.GetOrganisation(caller.viewer.org_id);
        if (!own.ok()) return own.status();
        identity.organisation = *std::move(own);
        absl::StatusOr<std::string> brand = std::string();
        if (identity.organisation.kind == core::OrgKind::kCustomer &&
            identity.organisation.parent_id) {
          absl::StatusOr<core::Organisation> parent =
              txn.GetOrganisation(*identity.organisation.parent_id);
          if (!parent.ok()) return parent.status();
          if (parent->kind == core::OrgKind::kPartner) {
            identity.hides_provider = true;
            brand = PartnerBrand(txn, *parent);
          } else {
            brand = parent->name;
          }
        } else {
          brand = ProviderBrand(txn);
        }
        if (!brand.ok()) return brand.status();
        identity.brand_name = *std::move(brand);
        if (caller.viewer.role == core::Role::kPartnerAgent) {
          absl::StatusOr<std::vector<core::Organisation>> customers =
              Customers(txn, identity.organisation.id);
          if (!customers.ok()) return customers.status();
          identity.customers = *std::move(customers);
        }
        return identity;
      });
}

std::string PortalOrganisationName(const PortalIdentity& identity, core::OrgId org_id) {
  if (identity.organisation.id == org_id) return identity.organisation.name;
  for (const core::Organisation& customer : identity.customers) {
    if (customer.id == org_id) return customer.name;
  }
  return "";
}

}  // namespace casedesk::app
