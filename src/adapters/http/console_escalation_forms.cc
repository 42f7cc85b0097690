// The escalation policy form (see console_escalation_forms.h).
#include "adapters/http/console_escalation_forms.h"

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/escalation_json.h"

namespace casedesk::adapters::http {

using nlohmann::json;

web::EscalationFormText EscalationFormFromFields(const EscalationFormFields& fields) {
  web::EscalationFormText form;
  form.description = EscalationField(fields, "description");
  form.enabled = !EscalationField(fields, "enabled").empty();
  form.plans = EscalationFieldValues(fields, "plan");
  form.severities = EscalationFieldValues(fields, "severity");
  for (int i = 0; i < kEscalationFormMaxRows; ++i) {
    const std::string prefix = absl::StrCat("s", i, "_");
    if (!EscalationFieldSent(fields, prefix + "trigger")) continue;
    if (!EscalationField(fields, prefix + "remove").empty()) continue;
    web::EscalationStepText step;
    step.trigger = EscalationField(fields, prefix + "trigger");
    step.delay = EscalationField(fields, prefix + "delay");
    step.clocks = EscalationFieldValues(fields, prefix + "clock");
    step.actions = EscalationFieldValues(fields, prefix + "action");
    for (int j = 0; j < kEscalationFormMaxSlots; ++j) {
      const std::string target = absl::StrCat(prefix, "t", j);
      const std::string skill = absl::StrCat(prefix, "k", j);
      if (!EscalationFieldSent(fields, target) && !EscalationFieldSent(fields, skill)) continue;
      step.targets.push_back({EscalationField(fields, target), EscalationField(fields, skill)});
    }
    form.steps.push_back(std::move(step));
  }
  return form;
}

absl::StatusOr<core::EscalationPolicy> EscalationPolicyFromForm(const std::string& name,
                                                                const web::EscalationFormText& form,
                                                                EscalationFormRows& rows) {
  rows = {};
  json document = {{"name", name},
                   {"description", EscalationTrimmed(form.description)},
                   {"enabled", form.enabled},
                   {"plans", form.plans},
                   {"severities", json::array()},
                   {"levels", json::array()}};
  for (const std::string& severity : form.severities) {
    int level = 0;
    if (!absl::SimpleAtoi(severity, &level)) {
      return EscalationRowError("severities", "not a severity level 1 to 4");
    }
    document["severities"].push_back(level);
  }
  for (size_t row = 0; row < form.steps.size(); ++row) {
    const web::EscalationStepText& step = form.steps[row];
    const std::string where = absl::StrCat("step ", row + 1);
    json targets = json::array();
    std::vector<int> slots;
    for (size_t slot = 0; slot < step.targets.size(); ++slot) {
      const std::string target = EscalationTrimmed(step.targets[slot].target);
      const std::string skill = EscalationTrimmed(step.targets[slot].skill);
      const std::string slot_where = absl::StrCat(where, " target ", slot + 1);
      if (target.empty() && skill.empty()) continue;
      if (target.empty() || target == "skill") {
        if (skill.empty()) return EscalationRowError(slot_where, "name the skill");
        targets.push_back({{"kind", "skill"}, {"ref", skill}});
      } else {
        const size_t colon = target.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == target.size()) {
          return EscalationRowError(slot_where, "choose who is paged from the list");
        }
        if (!skill.empty()) {
          return EscalationRowError(
              slot_where, "a skill is only for \"Experts with the skill named beside this\"");
        }
        targets.push_back({{"kind", target.substr(0, colon)}, {"ref", target.substr(colon + 1)}});
      }
      slots.push_back(static_cast<int>(slot));
    }
    if (step.trigger.empty()) {
      if (!targets.empty()) return EscalationRowError(where, "choose when the step runs");
      continue;  // a blank row
    }
    absl::StatusOr<int64_t> delay = EscalationMinutes(step.delay, 0, where + " delay");
    if (!delay.ok()) return delay.status();
    document["levels"].push_back({{"trigger", step.trigger},
                                  {"clocks", step.clocks},
                                  {"delay_minutes", *delay},
                                  {"targets", std::move(targets)},
                                  {"actions", step.actions}});
    rows.rows.push_back(static_cast<int>(row));
    rows.slots.push_back(std::move(slots));
  }
  absl::StatusOr<core::EscalationPolicy> policy = app::EscalationPolicyFromJson(document);
  if (!policy.ok()) {
    return absl::InvalidArgumentError(
        EscalationFormMessage(std::string(policy.status().message()), rows));
  }
  return policy;
}

std::string EscalationFormMessage(std::string_view message, const EscalationFormRows& rows) {
  std::string text(message);
  if (text.rfind("levels: ", 0) == 0) return absl::StrCat("steps: ", text.substr(8));
  int step = -1;
  if (!EscalationRelabel(text, "levels", "step", rows.rows, &step)) return text;
  if (step >= 0 && step < static_cast<int>(rows.slots.size())) {
    EscalationRelabel(text, "targets", "target", rows.slots[step], nullptr);
  }
  return text;
}

}  // namespace casedesk::adapters::http
