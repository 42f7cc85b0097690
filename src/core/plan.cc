#include "core/plan.h"

#include <algorithm>

namespace casedesk::core {

std::vector<SupportPlan> DefaultSupportPlans() {
  return {
      {.name = "developer",
       .display_name = "Developer",
       .description = "For non-critical development environments.",
       .channels = {Channel::kPortal, Channel::kApi},
       .partner_eligible = false,
       .after_hours_coverage = false},
      {.name = "professional",
       .display_name = "Professional",
       .description = "The default plan for production workloads.",
       .channels = {Channel::kPortal, Channel::kEmail, Channel::kApi},
       .partner_eligible = true,
       .after_hours_coverage = false},
      {.name = "enterprise",
       .display_name = "Enterprise",
       .description = "Premier support with after-hours coverage for critical cases.",
       .channels = {Channel::kPortal, Channel::kEmail, Channel::kApi, Channel::kPhone},
       .partner_eligible = true,
       .after_hours_coverage = true},
  };
}

bool PlanAllowsChannel(const SupportPlan& plan, Channel channel) {
  return std::find(plan.channels.begin(), plan.channels.end(), channel) != plan.channels.end();
}

absl::Status ValidatePlanForOrganisation(const SupportPlan& plan, OrgKind kind) {
  if (kind == OrgKind::kPartner && !plan.partner_eligible) {
    return absl::InvalidArgumentError("plan '" + plan.name +
                                      "' is not available to partners");
  }
  return absl::OkStatus();
}

absl::Status ValidatePlan(const SupportPlan& plan) {
  if (plan.name.empty() || plan.name.size() > 64) {
    return absl::InvalidArgumentError("plan name must be 1 to 64 characters");
  }
  for (char c : plan.name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
      return absl::InvalidArgumentError(
          "plan name may hold only lower-case letters, digits, '-' and '_'");
    }
  }
  if (plan.channels.empty()) {
    return absl::InvalidArgumentError("a plan needs at least one channel");
  }
  return absl::OkStatus();
}

}  // namespace casedesk::core
