#include "app/organisations.h"

#include "absl/strings/str_cat.h"
#include "app/directory_test_fixture.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using ::testing::ElementsAre;

class OrganisationsTest : public DirectoryTest {
 protected:
  std::vector<core::OrgId> VisibleIds(const core::Viewer& viewer,
                                      OrganisationListRequest request = {}) {
    absl::StatusOr<ports::Page<core::Organisation>> page =
        ListOrganisations(context(), viewer, request);
    EXPECT_TRUE(page.ok()) << page.status();
    std::vector<core::OrgId> ids;
    if (page.ok()) {
      for (const auto& org : page->items) ids.push_back(org.id);
    }
    return ids;
  }

  absl::StatusOr<core::Organisation> Update(const core::Viewer& viewer, core::OrgId id,
                                            OrganisationPatch patch) {
    return Wait<core::Organisation>(
        [&](auto done) { UpdateOrganisation(context(), viewer, id, patch, std::move(done)); });
  }
};

TEST_F(OrganisationsTest, AdminCreatesPartnerAndCustomersWithAuditEvents) {
  const core::Organisation partner =
      MakeOrg("Resell Co", core::OrgKind::kPartner, desk_.provider.id, "enterprise");
  EXPECT_GT(partner.id, 0);
  EXPECT_EQ(partner.parent_id, desk_.provider.id);
  const core::Organisation customer =
      MakeOrg("Globex", core::OrgKind::kCustomer, partner.id, "professional", true);
  EXPECT_EQ(customer.parent_id, partner.id);
  EXPECT_TRUE(customer.shares_cases);
  // No parent given: the customer sits directly under the provider.
  const core::Organisation direct =
      MakeOrg("Initech", core::OrgKind::kCustomer, std::nullopt, "developer");
  EXPECT_EQ(direct.parent_id, desk_.provider.id);

  absl::StatusOr<core::Organisation> fetched = GetOrganisation(context(), admin_, customer.id);
  ASSERT_TRUE(fetched.ok()) << fetched.status();
  EXPECT_EQ(fetched->name, "Globex");
  EXPECT_EQ(fetched->plan, "professional");

  const std::vector<EventRow> events = EventsOfKind("organisation.created");
  ASSERT_EQ(events.size(), 4u);  // provider + three
  EXPECT_EQ(events[1].entity, "organisation");
  EXPECT_EQ(events[1].entity_id, std::to_string(partner.id));
  EXPECT_EQ(events[1].actor_id, desk_.admin.id);
  EXPECT_NE(events[1].changes.find("Resell Co"), std::string::npos);
}

TEST_F(OrganisationsTest, WhoMayCreateOrganisations) {
  const core::User agent = MakeUser("agent@acme.test", core::Role::kAgent, desk_.provider.id);
  const core::Viewer agent_viewer = ViewerOf(agent);
  NewOrganisation customer{.name = "Umbrella", .kind = core::OrgKind::kCustomer,
                           .plan = "professional"};
  EXPECT_TRUE(TryCreateOrg(agent_viewer, customer).ok());
  NewOrganisation partner{.name = "Channel", .kind = core::OrgKind::kPartner,
                          .plan = "enterprise"};
  EXPECT_EQ(TryCreateOrg(agent_viewer, partner).status().code(),
            absl::StatusCode::kPermissionDenied);

  const core::Organisation globex =
      MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::User boss =
      MakeUser("boss@globex.test", core::Role::kCustomer, globex.id, /*org_admin=*/true);
  EXPECT_EQ(TryCreateOrg(ViewerOf(boss), customer).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(OrganisationsTest, RejectsBadShapesAndPlans) {
  const auto code = [&](NewOrganisation org) { return TryCreateOrg(admin_, org).status().code(); };
  // Developer is not partner-eligible.
  EXPECT_EQ(code({.name = "P", .kind = core::OrgKind::kPartner, .plan = "developer"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.name = "C", .kind = core::OrgKind::kCustomer, .plan = "platinum"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.name = "C", .kind = core::OrgKind::kCustomer, .plan = ""}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.name = "", .kind = core::OrgKind::kCustomer, .plan = "developer"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.name = "Second provider", .kind = core::OrgKind::kProvider}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.name = "C", .kind = core::OrgKind::kCustomer, .parent_id = 424242,
                  .plan = "developer"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.name = "C", .kind = core::OrgKind::kCustomer, .plan = "developer",
                  .time_zone = "Mars/Olympus"}),
            absl::StatusCode::kInvalidArgument);
  const core::Organisation customer =
      MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
  // A customer cannot be the parent of anything.
  EXPECT_EQ(code({.name = "Sub", .kind = core::OrgKind::kCustomer, .parent_id = customer.id,
                  .plan = "developer"}),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EventsOfKind("organisation.created").size(), 2u);  // nothing half-written
}

TEST_F(OrganisationsTest, CustomerSeesOnlyItsOwnOrganisation) {
  const core::Organisation globex =
      MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::Organisation initech =
      MakeOrg("Initech", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::Viewer jo = ViewerOf(MakeUser("jo@globex.test", core::Role::kCustomer, globex.id));
  EXPECT_TRUE(GetOrganisation(context(), jo, globex.id).ok());
  EXPECT_EQ(GetOrganisation(context(), jo, initech.id).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(GetOrganisation(context(), jo, desk_.provider.id).status().code(),
            absl::StatusCode::kNotFound);
  // Another tenant's id and an id that does not exist look the same.
  EXPECT_EQ(GetOrganisation(context(), jo, initech.id).status().message(),
            absl::StrCat("organisation ", initech.id, " not found"));
  EXPECT_THAT(VisibleIds(jo), ElementsAre(globex.id));
}

TEST_F(OrganisationsTest, PartnerAgentSeesItsCustomersOnly) {
  const core::Organisation partner =
      MakeOrg("Resell Co", core::OrgKind::kPartner, std::nullopt, "enterprise");
  const core::Organisation first =
      MakeOrg("First", core::OrgKind::kCustomer, partner.id, "professional");
  const core::Organisation second =
      MakeOrg("Second", core::OrgKind::kCustomer, partner.id, "professional");
  const core::Organisation direct =
      MakeOrg("Direct", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::Viewer agent =
      ViewerOf(MakeUser("pa@resell.test", core::Role::kPartnerAgent, partner.id));
  EXPECT_THAT(VisibleIds(agent), ElementsAre(partner.id, first.id, second.id));
  EXPECT_THAT(VisibleIds(agent, {.kind = core::OrgKind::kCustomer}),
              ElementsAre(first.id, second.id));
  EXPECT_TRUE(GetOrganisation(context(), agent, first.id).ok());
  EXPECT_EQ(GetOrganisation(context(), agent, direct.id).status().code(),
            absl::StatusCode::kNotFound);
  // Staff see everything; filters narrow it.
  EXPECT_EQ(VisibleIds(admin_).size(), 5u);
  EXPECT_THAT(VisibleIds(admin_, {.parent_id = partner.id}), ElementsAre(first.id, second.id));
}

TEST_F(OrganisationsTest, ListsPageWithACursor) {
  for (int i = 0; i < 5; ++i) {
    MakeOrg("Customer " + std::to_string(i), core::OrgKind::kCustomer, std::nullopt, "developer");
  }
  OrganisationListRequest request{.kind = core::OrgKind::kCustomer, .page = {.limit = 2}};
  std::vector<std::string> names;
  for (int pages = 0; pages < 10; ++pages) {
    absl::StatusOr<ports::Page<core::Organisation>> page =
        ListOrganisations(context(), admin_, request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_LE(page->items.size(), 2u);
    for (const auto& org : page->items) names.push_back(org.name);
    if (page->next_cursor.empty()) break;
    request.page.cursor = page->next_cursor;
  }
  EXPECT_EQ(names.size(), 5u);
}

TEST_F(OrganisationsTest, OnlyAdminsUpdateAndChangesAreAudited) {
  const core::Organisation partner =
      MakeOrg("Resell Co", core::OrgKind::kPartner, std::nullopt, "enterprise");
  const core::Organisation globex =
      MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
  const core::Organisation initech =
      MakeOrg("Initech", core::OrgKind::kCustomer, std::nullopt, "professional");

  absl::StatusOr<core::Organisation> updated =
      Update(admin_, globex.id,
             {.plan = "enterprise", .shares_cases = true, .time_zone = "Europe/Berlin"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->plan, "enterprise");
  EXPECT_TRUE(updated->shares_cases);
  EXPECT_EQ(GetOrganisation(context(), admin_, globex.id)->time_zone, "Europe/Berlin");
  const std::vector<EventRow> events = EventsOfKind("organisation.updated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0].changes.find("professional"), std::string::npos);
  EXPECT_NE(events[0].changes.find("enterprise"), std::string::npos);

  EXPECT_EQ(Update(admin_, partner.id, {.plan = "developer"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Update(admin_, 9999, {.name = "x"}).status().code(), absl::StatusCode::kNotFound);

  const core::Viewer boss =
      ViewerOf(MakeUser("boss@globex.test", core::Role::kCustomer, globex.id, true));
  EXPECT_EQ(Update(boss, globex.id, {.name = "Mine"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(boss, initech.id, {.name = "Theirs"}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(EventsOfKind("organisation.updated").size(), 1u);
}

}  // namespace
}  // namespace casedesk::app
