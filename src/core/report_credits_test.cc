#include "core/report_credits.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

using ::testing::HasSubstr;

CreditRules Enterprise() {
  for (const CreditRules& rules : DefaultCreditRules()) {
    if (rules.plan == "enterprise") return rules;
  }
  return {};
}

TEST(CreditRulesTest, ShippedDefaultsAreValid) {
  const std::vector<CreditRules> defaults = DefaultCreditRules();
  ASSERT_EQ(defaults.size(), 3u);
  for (const CreditRules& rules : defaults) {
    EXPECT_TRUE(ValidateCreditRules(rules).ok()) << rules.plan;
  }
  EXPECT_TRUE(defaults[0].rules.empty());  // developer
}

TEST(CreditRulesTest, ValidationNamesTheField) {
  struct Row {
    CreditRules rules;
    std::string field;
  };
  CreditRules duplicate = Enterprise();
  duplicate.rules.push_back(duplicate.rules.front());
  const Row rows[] = {
      {{.currency = "usd"}, "currency"},
      {{.monthly_fee_cents = -1}, "monthly_fee_cents"},
      {{.cap_percent = 101}, "cap_percent"},
      {{.rules = {{Severity::kMajor, SlaClockKind::kTriage, 5}}}, "rules[0].clock"},
      {{.rules = {{Severity::kMajor, SlaClockKind::kResolution, -5}}}, "rules[0].percent"},
      {duplicate, "rules[6]"},
  };
  for (const Row& row : rows) {
    const absl::Status status = ValidateCreditRules(row.rules);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << row.field;
    EXPECT_THAT(status.message(), HasSubstr(row.field));
  }
}

TEST(ComputeCreditTest, SumsRulePercentsPerBreachAndCapsTheMonth) {
  CreditRules rules = Enterprise();
  rules.monthly_fee_cents = 200000;  // 2,000.00
  struct Row {
    std::vector<BreachCount> breaches;
    double percent;
    bool capped;
    int64_t amount;
    int64_t credited;
  };
  const Row rows[] = {
      {{}, 0, false, 0, 0},
      {{{Severity::kCritical, SlaClockKind::kResolution, 1}}, 15, false, 30000, 1},
      {{{Severity::kMajor, SlaClockKind::kFirstResponse, 2},
        {Severity::kOther, SlaClockKind::kResolution, 9}},  // no rule for "other"
       10,
       false,
       20000,
       2},
      {{{Severity::kCritical, SlaClockKind::kResolution, 4}}, 50, true, 100000, 4},
  };
  for (const Row& row : rows) {
    const CreditOwed owed = ComputeCredit(rules, row.breaches);
    EXPECT_DOUBLE_EQ(owed.percent, row.percent);
    EXPECT_EQ(owed.capped, row.capped);
    EXPECT_EQ(owed.amount_cents, row.amount);
    EXPECT_EQ(owed.breaches, row.credited);
  }
}

TEST(BreachesOfTest, CountsEveryClockPerSeverity) {
  const std::vector<SlaCountRow> rows = {
      {.org_id = 1,
       .severity = Severity::kMajor,
       .cases = 3,
       .first_response = {.breached = 1},
       .resolution = {.breached = 2},
       .update_breaches = 0},
      {.org_id = 1,
       .severity = Severity::kMajor,
       .cases = 1,
       .first_response = {.breached = 1},
       .resolution = {},
       .update_breaches = 3},
  };
  const std::vector<BreachCount> breaches = BreachesOf(rows);
  ASSERT_EQ(breaches.size(), 3u);
  EXPECT_EQ(breaches[0].clock, SlaClockKind::kFirstResponse);
  EXPECT_EQ(breaches[0].breaches, 2);
  EXPECT_EQ(breaches[1].clock, SlaClockKind::kNextUpdate);
  EXPECT_EQ(breaches[1].breaches, 3);
  EXPECT_EQ(breaches[2].clock, SlaClockKind::kResolution);
  EXPECT_EQ(breaches[2].breaches, 2);
}

}  // namespace
}  // namespace casedesk::core
