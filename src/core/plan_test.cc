#include "core/plan.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

const SupportPlan& PlanNamed(const std::vector<SupportPlan>& plans, const std::string& name) {
  for (const SupportPlan& plan : plans) {
    if (plan.name == name) return plan;
  }
  static const SupportPlan kMissing;
  ADD_FAILURE() << "no plan " << name;
  return kMissing;
}

TEST(PlanTest, DefaultPlans) {
  const std::vector<SupportPlan> plans = DefaultSupportPlans();
  ASSERT_EQ(plans.size(), 3u);
  const struct {
    std::string name;
    std::string display_name;
    bool partner_eligible;
    bool after_hours;
    // portal, email, api, phone
    std::vector<bool> channels;
  } kTable[] = {
      {"developer", "Developer", false, false, {true, false, true, false}},
      {"professional", "Professional", true, false, {true, true, true, false}},
      {"enterprise", "Enterprise", true, true, {true, true, true, true}},
  };
  constexpr Channel kChannels[] = {Channel::kPortal, Channel::kEmail, Channel::kApi,
                                   Channel::kPhone};
  for (const auto& row : kTable) {
    const SupportPlan& plan = PlanNamed(plans, row.name);
    EXPECT_EQ(plan.display_name, row.display_name);
    EXPECT_EQ(plan.partner_eligible, row.partner_eligible) << row.name;
    EXPECT_EQ(plan.after_hours_coverage, row.after_hours) << row.name;
    for (size_t i = 0; i < std::size(kChannels); ++i) {
      EXPECT_EQ(PlanAllowsChannel(plan, kChannels[i]), row.channels[i])
          << row.name << " " << NameOf<Channel>(kChannelNames, kChannels[i]);
    }
    EXPECT_TRUE(ValidatePlan(plan).ok()) << row.name;
  }
}

TEST(PlanTest, ValidatePlanForOrganisation) {
  const std::vector<SupportPlan> plans = DefaultSupportPlans();
  const struct {
    std::string plan;
    OrgKind kind;
    bool ok;
  } kTable[] = {
      {"developer", OrgKind::kCustomer, true},    {"developer", OrgKind::kPartner, false},
      {"professional", OrgKind::kCustomer, true}, {"professional", OrgKind::kPartner, true},
      {"enterprise", OrgKind::kCustomer, true},   {"enterprise", OrgKind::kPartner, true},
  };
  for (const auto& row : kTable) {
    const absl::Status status = ValidatePlanForOrganisation(PlanNamed(plans, row.plan), row.kind);
    EXPECT_EQ(status.ok(), row.ok) << row.plan << " " << NameOf<OrgKind>(kOrgKindNames, row.kind);
  }
  EXPECT_EQ(
      std::string(
          ValidatePlanForOrganisation(PlanNamed(plans, "developer"), OrgKind::kPartner).message()),
      "plan 'developer' is not available to partners");
}

TEST(PlanTest, ValidatePlan) {
  const struct {
    std::string name;
    std::vector<Channel> channels;
    bool ok;
  } kTable[] = {
      {"gold", {Channel::kPortal}, true},
      {"gold-plus_2", {Channel::kEmail, Channel::kPhone}, true},
      {std::string(64, 'p'), {Channel::kApi}, true},
      {std::string(65, 'p'), {Channel::kApi}, false},
      {"", {Channel::kApi}, false},
      {"Gold", {Channel::kApi}, false},
      {"gold plan", {Channel::kApi}, false},
      {"gold.plan", {Channel::kApi}, false},
      {"../gold", {Channel::kApi}, false},
      {"gold", {}, false},
  };
  for (const auto& row : kTable) {
    SupportPlan plan;
    plan.name = row.name;
    plan.channels = row.channels;
    EXPECT_EQ(ValidatePlan(plan).ok(), row.ok) << "'" << row.name << "'";
  }
}

}  // namespace
}  // namespace casedesk::core
