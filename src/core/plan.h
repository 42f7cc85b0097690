// Support plans: named, configurable bundles of channels and (filled in by the SLA engine) an SLA
// policy. Partners may hold only partner-eligible plans. Thread-safe: value types.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "core/enum_names.h"
#include "core/organisation.h"

namespace casedesk::core {

enum class Channel { kPortal, kEmail, kApi, kPhone };

inline constexpr std::array<std::pair<Channel, std::string_view>, 4> kChannelNames{{
    {Channel::kPortal, "portal"},
    {Channel::kEmail, "email"},
    {Channel::kApi, "api"},
    {Channel::kPhone, "phone"},
}};

struct SupportPlan {
  std::string name;  // key, e.g. "enterprise"
  std::string display_name;
  std::string description;
  std::vector<Channel> channels;
  bool partner_eligible = false;
  bool after_hours_coverage = false;  // critical cases are worked outside business hours
};

// The plans a fresh desk starts with, modelled on the customer's support tiers.
std::vector<SupportPlan> DefaultSupportPlans();

bool PlanAllowsChannel(const SupportPlan& plan, Channel channel);

// May an organisation of this kind hold this plan?
absl::Status ValidatePlanForOrganisation(const SupportPlan& plan, OrgKind kind);

absl::Status ValidatePlan(const SupportPlan& plan);

}  // namespace casedesk::core
