#include "app/plans.h"

#include "app/directory_test_fixture.h"
#include "app/severity_definitions.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

class PlansTest : public DirectoryTest {
 protected:
  void SetUp() override {
    DirectoryTest::SetUp();
    globex_ = MakeOrg("Globex", core::OrgKind::kCustomer, std::nullopt, "professional");
    contact_ = ViewerOf(MakeUser("jo@globex.test", core::Role::kCustomer, globex_.id));
  }

  absl::StatusOr<core::SupportPlan> Create(const core::Viewer& viewer, core::SupportPlan plan) {
    return Wait<core::SupportPlan>(
        [&](auto done) { CreatePlan(context(), viewer, plan, std::move(done)); });
  }

  absl::StatusOr<core::SupportPlan> Update(const core::Viewer& viewer, const std::string& name,
                                           PlanPatch patch) {
    return Wait<core::SupportPlan>(
        [&](auto done) { UpdatePlan(context(), viewer, name, patch, std::move(done)); });
  }

  absl::StatusOr<std::vector<core::SeverityDefinition>> Replace(
      const core::Viewer& viewer, std::vector<core::SeverityDefinition> definitions) {
    return Wait<std::vector<core::SeverityDefinition>>([&](auto done) {
      ReplaceSeverityDefinitions(context(), viewer, definitions, std::move(done));
    });
  }

  core::Organisation globex_;
  core::Viewer contact_;
};

TEST_F(PlansTest, EveryoneReadsPlansPageByPage) {
  absl::StatusOr<ports::Page<core::SupportPlan>> first =
      ListPlans(context(), contact_, {.limit = 2});
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].name, "developer");
  EXPECT_EQ(first->next_cursor, "enterprise");
  absl::StatusOr<ports::Page<core::SupportPlan>> second =
      ListPlans(context(), contact_, {.limit = 2, .cursor = first->next_cursor});
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].name, "professional");
  EXPECT_TRUE(second->next_cursor.empty());

  absl::StatusOr<core::SupportPlan> enterprise = GetPlan(context(), contact_, "enterprise");
  ASSERT_TRUE(enterprise.ok());
  EXPECT_TRUE(enterprise->partner_eligible);
  EXPECT_TRUE(core::PlanAllowsChannel(*enterprise, core::Channel::kPhone));
  EXPECT_EQ(GetPlan(context(), contact_, "gold").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(PlansTest, AdminsCreateAndUpdatePlans) {
  core::SupportPlan basic{.name = "basic", .channels = {core::Channel::kPortal}};
  EXPECT_EQ(Create(contact_, basic).status().code(), absl::StatusCode::kPermissionDenied);
  absl::StatusOr<core::SupportPlan> created = Create(admin_, basic);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->display_name, "basic");
  EXPECT_EQ(Create(admin_, basic).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Create(admin_, {.name = "Bad Name", .channels = {core::Channel::kPortal}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Create(admin_, {.name = "nochannels"}).status().code(),
            absl::StatusCode::kInvalidArgument);

  absl::StatusOr<core::SupportPlan> updated =
      Update(admin_, "basic", {.display_name = "Basic", .partner_eligible = true});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(GetPlan(context(), contact_, "basic")->display_name, "Basic");
  EXPECT_EQ(Update(contact_, "basic", {.display_name = "Mine"}).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(admin_, "gold", {.display_name = "Gold"}).status().code(),
            absl::StatusCode::kNotFound);

  ASSERT_EQ(EventsOfKind("plan.created").size(), 4u);  // three defaults + basic
  const std::vector<EventRow> events = EventsOfKind("plan.updated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entity_id, "basic");
  EXPECT_EQ(events[0].actor_id, desk_.admin.id);
}

TEST_F(PlansTest, APlanPartnersHoldStaysPartnerEligible) {
  MakeOrg("Resell Co", core::OrgKind::kPartner, std::nullopt, "enterprise");
  EXPECT_EQ(Update(admin_, "enterprise", {.partner_eligible = false}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Update(admin_, "professional", {.partner_eligible = false}).ok());
}

TEST_F(PlansTest, SeverityDefinitionsAreReadByAllAndReplacedByAdmins) {
  std::vector<core::SeverityDefinition> definitions = DefaultSeverityDefinitions();
  definitions[1].summary = "Production is limping.";
  EXPECT_EQ(Replace(contact_, definitions).status().code(), absl::StatusCode::kPermissionDenied);
  absl::StatusOr<std::vector<core::SeverityDefinition>> replaced = Replace(admin_, definitions);
  ASSERT_TRUE(replaced.ok()) << replaced.status();
  absl::StatusOr<std::vector<core::SeverityDefinition>> read = GetSeverityDefinitions(context());
  ASSERT_TRUE(read.ok());
  EXPECT_EQ((*read)[1].summary, "Production is limping.");

  std::vector<core::SeverityDefinition> missing(definitions.begin(), definitions.begin() + 3);
  EXPECT_EQ(Replace(admin_, missing).status().code(), absl::StatusCode::kInvalidArgument);
  std::vector<core::SeverityDefinition> twice = definitions;
  twice[3].level = core::Severity::kCritical;
  EXPECT_EQ(Replace(admin_, twice).status().code(), absl::StatusCode::kInvalidArgument);

  const std::vector<EventRow> events = EventsOfKind("severity_definitions.updated");
  ASSERT_EQ(events.size(), 2u);  // defaults at init, then the change
  EXPECT_NE(events[1].changes.find("Production is limping."), std::string::npos);
  EXPECT_NE(events[1].changes.find("2.summary"), std::string::npos);
}

}  // namespace
}  // namespace casedesk::app
