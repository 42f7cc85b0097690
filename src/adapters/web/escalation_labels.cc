// Labels of escalation names (see escalation_labels.h).
#include "adapters/web/escalation_labels.h"

#include <array>
#include <span>
#include <utility>

#include "absl/strings/str_cat.h"

namespace casedesk::adapters::web {
namespace {

using EscalationLabelTable = std::span<const std::pair<std::string_view, std::string_view>>;

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kEscalationTriggerLabels{{
    {"case_created_critical", "A critical case is opened"},
    {"sla_warning", "An SLA clock warns"},
    {"sla_breach", "An SLA clock breaches"},
    {"customer_request", "The customer asks for escalation"},
    {"security_incident", "A security incident is flagged"},
    {"manual", "An agent escalates by hand"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kEscalationClockLabels{{
    {"first_response", "First response"},
    {"next_update", "Next update"},
    {"resolution", "Resolution"},
    {"triage", "Triage"},
    {"status_notification", "Status notification"},
    {"estimate", "Service task estimate"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kEscalationActionLabels{{
    {"notify", "Notify them"},
    {"reassign", "Reassign the case"},
    {"raise_tier", "Raise the case a tier"},
}};

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kEscalationTierLabels{{
    {"none", "No tier"},
    {"shift_engineer", "Shift engineers"},
    {"shift_lead", "Shift leads"},
    {"sme", "Subject-matter experts"},
    {"support_manager", "Support managers"},
    {"executive", "Executives"},
}};

std::string_view EscalationLabelIn(EscalationLabelTable table, std::string_view name) {
  for (const auto& [key, label] : table) {
    if (key == name) return label;
  }
  return name;
}

}  // namespace

std::string_view EscalationTriggerLabel(std::string_view trigger) {
  return EscalationLabelIn(kEscalationTriggerLabels, trigger);
}

std::string_view EscalationClockLabel(std::string_view clock) {
  return EscalationLabelIn(kEscalationClockLabels, clock);
}

std::string_view EscalationActionLabel(std::string_view action) {
  return EscalationLabelIn(kEscalationActionLabels, action);
}

std::string_view EscalationTierLabel(std::string_view tier) {
  return EscalationLabelIn(kEscalationTierLabels, tier);
}

std::string EscalationTargetLabel(const core::EscalationTarget& target) {
  switch (target.kind) {
    case core::EscalationTargetKind::kTier:
      return std::string(EscalationTierLabel(target.ref));
    case core::EscalationTargetKind::kOnCall:
      return absl::StrCat("on-call ", target.ref);
    case core::EscalationTargetKind::kSkill:
      return absl::StrCat("experts in ", target.ref);
    case core::EscalationTargetKind::kGroup:
      return absl::StrCat("group ", target.ref);
    case core::EscalationTargetKind::kUser:
      return absl::StrCat("user ", target.ref);
    case core::EscalationTargetKind::kPolicy:
      return absl::StrCat("hand over to ", target.ref);
  }
  return target.ref;
}

}  // namespace casedesk::adapters::web
