#include "core/mail_routing.h"

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace casedesk::core {
namespace {

const std::vector<RouteRule> kRules = {
    {"critical", RouteAction::kOpenCase, Severity::kCritical},
    {"escalation", RouteAction::kEscalate, std::nullopt},
    {"vip@help.example", RouteAction::kOpenCase, Severity::kMajor},
    {"vip", RouteAction::kOpenCase, Severity::kOther},
};

TEST(MailRoutingTest, PicksTheRouteForEachAddress) {
  const struct {
    const char* name;
    std::string envelope;
    std::vector<std::string> to;
    std::vector<std::string> cc;
    RouteAction action;
    std::optional<Severity> severity;
    std::string matched;
  } kRows[] = {
      {"default", "support@help.example", {}, {}, RouteAction::kOpenCase, std::nullopt, ""},
      {"local part",
       "critical@help.example",
       {},
       {},
       RouteAction::kOpenCase,
       Severity::kCritical,
       "critical"},
      {"case-insensitive",
       "Critical@Help.Example",
       {},
       {},
       RouteAction::kOpenCase,
       Severity::kCritical,
       "critical"},
      {"plus detail",
       "critical+c12-abc@help.example",
       {},
       {},
       RouteAction::kOpenCase,
       Severity::kCritical,
       "critical"},
      {"angle brackets",
       "<escalation@help.example>",
       {},
       {},
       RouteAction::kEscalate,
       std::nullopt,
       "escalation"},
      {"exact beats local part",
       "vip@help.example",
       {},
       {},
       RouteAction::kOpenCase,
       Severity::kMajor,
       "vip@help.example"},
      {"local part on another domain",
       "vip@other.example",
       {},
       {},
       RouteAction::kOpenCase,
       Severity::kOther,
       "vip"},
      {"envelope alone decides",
       "support@help.example",
       {"critical@help.example"},
       {},
       RouteAction::kOpenCase,
       std::nullopt,
       ""},
      {"no envelope: To",
       "",
       {"someone@x.example", "critical@help.example"},
       {},
       RouteAction::kOpenCase,
       Severity::kCritical,
       "critical"},
      {"no envelope: Cc",
       "",
       {"support@help.example"},
       {"escalation@help.example"},
       RouteAction::kEscalate,
       std::nullopt,
       "escalation"},
      {"no envelope: exact in Cc beats local part in To",
       "",
       {"critical@help.example"},
       {"vip@help.example"},
       RouteAction::kOpenCase,
       Severity::kMajor,
       "vip@help.example"},
      {"malformed envelope falls back to headers",
       "not-an-address",
       {"critical@help.example"},
       {},
       RouteAction::kOpenCase,
       Severity::kCritical,
       "critical"},
      {"nothing at all", "", {}, {}, RouteAction::kOpenCase, std::nullopt, ""},
  };
  for (const auto& row : kRows) {
    const RouteDecision decision = PickRoute(kRules, row.envelope, row.to, row.cc);
    EXPECT_EQ(decision.action, row.action) << row.name;
    EXPECT_EQ(decision.severity, row.severity) << row.name;
    EXPECT_EQ(decision.matched, row.matched) << row.name;
  }
}

TEST(MailRoutingTest, NoRulesMeansTheDefaultRoute) {
  const RouteDecision decision = PickRoute({}, "critical@help.example", {}, {});
  EXPECT_EQ(decision.action, RouteAction::kOpenCase);
  EXPECT_FALSE(decision.severity.has_value());
  EXPECT_TRUE(decision.matched.empty());
}

}  // namespace
}  // namespace casedesk::core
