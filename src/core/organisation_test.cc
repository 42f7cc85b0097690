#include "core/organisation.h"

#include <string>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

Organisation Org(OrgKind kind, std::string name = "Example", std::string plan = "professional") {
  Organisation org;
  org.name = std::move(name);
  org.kind = kind;
  org.plan = std::move(plan);
  return org;
}

TEST(OrganisationTest, ValidateNewOrganisation) {
  const Organisation provider = Org(OrgKind::kProvider, "Provider", "");
  const Organisation partner = Org(OrgKind::kPartner, "Reseller");
  const Organisation customer = Org(OrgKind::kCustomer, "Customer");
  const struct {
    const char* what;
    Organisation org;
    const Organisation* parent;
    bool ok;
  } kTable[] = {
      {"partner under the provider", Org(OrgKind::kPartner), &provider, true},
      {"customer under the provider", Org(OrgKind::kCustomer), &provider, true},
      {"customer under a partner", Org(OrgKind::kCustomer), &partner, true},
      {"second provider", Org(OrgKind::kProvider, "Other", ""), nullptr, false},
      {"second provider under the provider", Org(OrgKind::kProvider), &provider, false},
      {"partner without parent", Org(OrgKind::kPartner), nullptr, false},
      {"partner under a partner", Org(OrgKind::kPartner), &partner, false},
      {"partner under a customer", Org(OrgKind::kPartner), &customer, false},
      {"customer without parent", Org(OrgKind::kCustomer), nullptr, false},
      {"customer under a customer", Org(OrgKind::kCustomer), &customer, false},
      {"customer without plan", Org(OrgKind::kCustomer, "Example", ""), &provider, false},
      {"partner without plan", Org(OrgKind::kPartner, "Example", ""), &provider, false},
      {"empty name", Org(OrgKind::kCustomer, ""), &provider, false},
      {"name of 200", Org(OrgKind::kCustomer, std::string(200, 'n')), &provider, true},
      {"name of 201", Org(OrgKind::kCustomer, std::string(201, 'n')), &provider, false},
  };
  for (const auto& row : kTable) {
    const absl::Status status = ValidateNewOrganisation(row.org, row.parent);
    EXPECT_EQ(status.ok(), row.ok) << row.what << ": " << status;
    if (!status.ok()) {
      EXPECT_TRUE(absl::IsInvalidArgument(status)) << row.what;
    }
  }
}

TEST(OrganisationTest, KindNamesRoundTrip) {
  const struct {
    OrgKind kind;
    std::string_view name;
  } kTable[] = {{OrgKind::kProvider, "provider"},
                {OrgKind::kPartner, "partner"},
                {OrgKind::kCustomer, "customer"}};
  for (const auto& row : kTable) {
    EXPECT_EQ(NameOf<OrgKind>(kOrgKindNames, row.kind), row.name);
    EXPECT_EQ(EnumFromName<OrgKind>(kOrgKindNames, row.name), row.kind);
  }
  EXPECT_EQ(EnumFromName<OrgKind>(kOrgKindNames, "reseller"), std::nullopt);
}

}  // namespace
}  // namespace casedesk::core
