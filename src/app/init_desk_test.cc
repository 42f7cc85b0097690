#include "app/init_desk.h"

#include <gmock/gmock.h>

#include "app/default_escalations.h"
#include "app/sla_settings.h"

#include <algorithm>

#include "app/directory_test_fixture.h"
#include "app/groups.h"
#include "app/plans.h"
#include "app/severity_definitions.h"
#include "gtest/gtest.h"

namespace casedesk::app {
namespace {

using InitDeskTest = DirectoryTest;

TEST_F(InitDeskTest, CreatesProviderAndVerifiedAdmin) {
  EXPECT_EQ(desk_.provider.kind, core::OrgKind::kProvider);
  EXPECT_EQ(desk_.provider.name, "Acme Cloud");
  EXPECT_FALSE(desk_.provider.parent_id.has_value());
  EXPECT_EQ(desk_.admin.email, "admin@example.com");
  EXPECT_EQ(desk_.admin.role, core::Role::kAdmin);
  EXPECT_EQ(desk_.admin.org_id, desk_.provider.id);
  EXPECT_TRUE(desk_.admin.verified);
  EXPECT_TRUE(desk_.admin.org_admin);
  EXPECT_FALSE(desk_.password_generated);
  EXPECT_EQ(desk_.admin_password, kAdminPassword);

  absl::StatusOr<core::User> stored = GetUser(context(), admin_, desk_.admin.id);
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_NE(stored->password_hash.find("$argon2id$"), std::string::npos);
  EXPECT_TRUE(crypto_->VerifyPassword(stored->password_hash, kAdminPassword));
  EXPECT_FALSE(crypto_->VerifyPassword(stored->password_hash, "wrong password"));
}

TEST_F(InitDeskTest, CreatesDefaultPlansSeveritiesAndTriageQueue) {
  absl::StatusOr<ports::Page<core::SupportPlan>> plans = ListPlans(context(), admin_, {.limit = 50});
  ASSERT_TRUE(plans.ok()) << plans.status();
  std::vector<std::string> names;
  for (const auto& plan : plans->items) names.push_back(plan.name);
  EXPECT_EQ(names, (std::vector<std::string>{"developer", "enterprise", "professional"}));

  absl::StatusOr<std::vector<core::SeverityDefinition>> severities =
      GetSeverityDefinitions(context());
  ASSERT_TRUE(severities.ok()) << severities.status();
  ASSERT_EQ(severities->size(), 4u);
  EXPECT_EQ((*severities)[0].name, "Critical");
  EXPECT_EQ((*severities)[3].name, "Other");
  EXPECT_TRUE(store_->Read([](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<std::optional<std::string>> setting = txn.GetSetting("severity_definitions");
    if (!setting.ok()) return setting.status();
    return setting->has_value() ? absl::OkStatus() : absl::NotFoundError("setting missing");
  }).ok());

  absl::StatusOr<ports::Page<core::Group>> groups = ListGroups(context(), admin_, {.limit = 50});
  ASSERT_TRUE(groups.ok()) << groups.status();
  ASSERT_EQ(groups->items.size(), 1u);
  EXPECT_EQ(groups->items[0].name, "Triage");
  EXPECT_TRUE(groups->items[0].triage);
}

TEST_F(InitDeskTest, StoresTheDefaultEscalationPoliciesAndTheyAreValid) {
  absl::StatusOr<std::vector<core::EscalationPolicy>> stored =
      ReadValue<std::vector<core::EscalationPolicy>>(
          *store_, [](ports::StoreTransaction& txn) { return LoadEscalationPolicies(txn); });
  ASSERT_TRUE(stored.ok()) << stored.status();
  std::vector<std::string> names;
  for (const core::EscalationPolicy& policy : *stored) names.push_back(policy.name);
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("urgent-cases", "sla-clocks",
                                                      "security-incidents",
                                                      "management-escalation"));
  core::EscalationCatalog catalog;
  for (const core::SupportPlan& plan : core::DefaultSupportPlans()) catalog.plans.insert(plan.name);
  for (const core::EscalationPolicy& policy : DefaultEscalationPolicies()) {
    EXPECT_TRUE(core::ValidateEscalationPolicy(policy, catalog).ok()) << policy.name;
  }
  // What seed 001 asks for: executives are told of urgent (critical) cases.
  std::vector<core::PlannedEscalation> planned = core::PlanEscalations(
      *stored, {.trigger = core::EscalationTrigger::kCaseCreatedCritical,
                .severity = core::Severity::kCritical,
                .plan = "enterprise",
                .at = absl::UnixEpoch()});
  ASSERT_EQ(planned.size(), 1u);
  EXPECT_EQ(planned[0].definition.targets[0].ref, "executive");
}

TEST_F(InitDeskTest, WritesAuditEventsAsTheSystem) {
  const std::vector<EventRow> events = Events();
  std::vector<std::string> kinds;
  for (const EventRow& event : events) {
    kinds.push_back(event.kind);
    EXPECT_EQ(event.actor_id, 0) << event.kind;
  }
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "plan.created"), 3);
  for (const char* kind : {"organisation.created", "user.created", "group.created",
                           "severity_definitions.updated"}) {
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), kind), 1) << kind;
  }
  for (const EventRow& event : events) {
    EXPECT_EQ(event.changes.find(kAdminPassword), std::string::npos);
    EXPECT_EQ(event.changes.find("argon2"), std::string::npos);
  }
}

TEST_F(InitDeskTest, SecondInitialisationIsRefused) {
  absl::StatusOr<InitDeskResult> again =
      InitDesk(context(), {"other@example.com", "another password", "Other"});
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  absl::StatusOr<ports::Page<core::Organisation>> orgs =
      ListOrganisations(context(), admin_, {.page = {.limit = 50}});
  ASSERT_TRUE(orgs.ok());
  EXPECT_EQ(orgs->items.size(), 1u);
}

TEST_F(InitDeskTest, GeneratesAPasswordWhenNoneIsGiven) {
  auto store = adapters::sqlite::SqliteStore::Open(directory_ + "/second.db");
  ASSERT_TRUE(store.ok()) << store.status();
  AppContext second{**store, clock_, *crypto_, *blobs_, {}};
  absl::StatusOr<InitDeskResult> desk = InitDesk(second, {"ops@example.com", "", ""});
  ASSERT_TRUE(desk.ok()) << desk.status();
  EXPECT_TRUE(desk->password_generated);
  EXPECT_GE(desk->admin_password.size(), 20u);
  EXPECT_TRUE(crypto_->VerifyPassword(desk->admin.password_hash, desk->admin_password));
  EXPECT_FALSE(desk->provider.name.empty());
}

TEST_F(InitDeskTest, RejectsBadEmailAndShortPassword) {
  EXPECT_EQ(InitDesk(context(), {"not-an-address", "long enough pass", ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(InitDesk(context(), {"a@example.com", "short", ""}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DefaultSeverityDefinitionsTest, AreValidAndRoundTripThroughTheSetting) {
  const std::vector<core::SeverityDefinition> defaults = DefaultSeverityDefinitions();
  EXPECT_TRUE(ValidateSeverityDefinitions(defaults).ok());
  absl::StatusOr<std::vector<core::SeverityDefinition>> parsed =
      SeverityDefinitionsFromSetting(SeverityDefinitionsToSetting(defaults));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), defaults.size());
  for (size_t i = 0; i < defaults.size(); ++i) {
    EXPECT_EQ((*parsed)[i].level, defaults[i].level);
    EXPECT_EQ((*parsed)[i].summary, defaults[i].summary);
    EXPECT_EQ((*parsed)[i].examples, defaults[i].examples);
  }
  EXPECT_EQ(SeverityDefinitionsFromSetting("{\"levels\": 3}").status().code(),
            absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace casedesk::app
