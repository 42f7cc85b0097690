#include "app/default_escalations.h"

#include <string>

#include "core/access.h"

namespace casedesk::app {
namespace {

using core::EscalationAction;
using core::EscalationTargetKind;
using core::EscalationTrigger;

core::EscalationTarget Tier(std::string name) { return {EscalationTargetKind::kTier, name}; }

}  // namespace

std::vector<core::EscalationPolicy> DefaultEscalationPolicies() {
  core::EscalationPolicy urgent;
  urgent.name = "urgent-cases";
  urgent.description = "Executives and shift leads hear of every critical case at once.";
  urgent.levels.push_back({.trigger = EscalationTrigger::kCaseCreatedCritical,
                           .clocks = {},
                           .delay_minutes = 0,
                           .targets = {Tier("executive"), Tier("shift_lead")},
                           .actions = {EscalationAction::kNotify}});

  core::EscalationPolicy sla;
  sla.name = "sla-clocks";
  sla.description =
      "A warning reaches the shift leads; a breach reaches the support managers and raises the "
      "case a tier.";
  sla.levels.push_back({.trigger = EscalationTrigger::kSlaWarning,
                        .clocks = {},
                        .delay_minutes = 0,
                        .targets = {Tier("shift_lead")},
                        .actions = {EscalationAction::kNotify}});
  sla.levels.push_back({.trigger = EscalationTrigger::kSlaBreach,
                        .clocks = {},
                        .delay_minutes = 0,
                        .targets = {Tier("support_manager")},
                        .actions = {EscalationAction::kNotify, EscalationAction::kRaiseTier}});

  core::EscalationPolicy security;
  security.name = "security-incidents";
  security.description =
      "A security incident is assigned to a security expert; the experts and the support "
      "managers are told.";
  security.levels.push_back(
      {.trigger = EscalationTrigger::kSecurityIncident,
       .clocks = {},
       .delay_minutes = 0,
       .targets = {{EscalationTargetKind::kSkill, std::string(core::kSecuritySkill)},
                   Tier("support_manager")},
       .actions = {EscalationAction::kNotify, EscalationAction::kReassign}});

  core::EscalationPolicy management;
  management.name = "management-escalation";
  management.description =
      "A customer asking for escalation reaches the management team and raises the case a tier.";
  management.levels.push_back(
      {.trigger = EscalationTrigger::kCustomerRequest,
       .clocks = {},
       .delay_minutes = 0,
       .targets = {Tier("support_manager")},
       .actions = {EscalationAction::kNotify, EscalationAction::kRaiseTier}});

  return {urgent, sla, security, management};
}

}  // namespace casedesk::app
