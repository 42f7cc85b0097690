// The escalation policy pages (see console_escalation_pages.h).
#include "adapters/web/console_escalation_pages.h"

#include <algorithm>
#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/console_escalation_templates.h"
#include "adapters/web/escalation_labels.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"
#include "core/severity.h"
#include "core/sla_policy.h"

namespace casedesk::adapters::web {
namespace {

using Data = kainjow::mustache::data;

// A checkbox per name of `table`, ticked when in `checked`.
template <typename Enum>
Data EscalationCheckboxes(core::EnumNameTable<Enum> table, const std::vector<std::string>& checked,
                          std::string_view (*label)(std::string_view)) {
  Data list = EmptyList();
  for (const auto& [value, name] : table) {
    Data item = EmptyObject();
    item.set("value", std::string(name));
    item.set("label", std::string(label(name)));
    item.set("checked", std::find(checked.begin(), checked.end(), name) != checked.end());
    list.push_back(item);
  }
  return list;
}

Data EscalationOption(std::string value, std::string label, bool selected) {
  Data option = EmptyObject();
  option.set("value", CleanText(value));
  option.set("label", CleanText(label));
  option.set("selected", selected);
  return option;
}

// The option groups of one target select, `current` selected; a current value that no group
// lists (a person beyond the listed ones, say) is kept as an option of its own.
Data EscalationTargetGroups(const EscalationChoices& choices, const std::string& current) {
  bool found = current.empty();
  Data groups = EmptyList();
  const auto add_group = [&](std::string label, std::string_view prefix,
                             const std::vector<EscalationChoice>& items) {
    Data options = EmptyList();
    for (const EscalationChoice& item : items) {
      std::string value = absl::StrCat(std::string(prefix), item.value);
      const bool selected = value == current;
      found = found || selected;
      options.push_back(EscalationOption(std::move(value), item.label, selected));
    }
    if (items.empty()) return;
    Data group = EmptyObject();
    group.set("group_label", std::move(label));
    group.set("options", options);
    groups.push_back(group);
  };
  std::vector<EscalationChoice> tiers;
  for (const auto& [tier, name] : core::kTierNames) {
    if (tier != core::Tier::kNone)
      tiers.push_back({std::string(name), std::string(EscalationTierLabel(name))});
  }
  add_group("Tiers", "tier:", tiers);
  add_group("On-call schedules", "oncall:", choices.schedules);
  add_group("Experts by skill", "", {{"skill", "Experts with the skill named beside this"}});
  add_group("Groups", "group:", choices.groups);
  add_group("People", "user:", choices.people);
  add_group("Hand over to another policy", "policy:", choices.policies);
  if (!found) add_group("Current", "", {{current, current}});
  return groups;
}

Data EscalationStepData(const EscalationStepText& step, int index, bool blank,
                        const EscalationChoices& choices) {
  Data data = EmptyObject();
  data.set("index", std::to_string(index));
  data.set("number", std::to_string(index + 1));
  data.set("blank", blank);
  Data triggers = EmptyList();
  triggers.push_back(EscalationOption("", "(no step)", step.trigger.empty()));
  bool known_trigger = step.trigger.empty();
  for (const auto& [trigger, name] : core::kEscalationTriggerNames) {
    known_trigger = known_trigger || name == step.trigger;
    triggers.push_back(EscalationOption(
        std::string(name), std::string(EscalationTriggerLabel(name)), name == step.trigger));
  }
  if (!known_trigger) triggers.push_back(EscalationOption(step.trigger, step.trigger, true));
  data.set("triggers", triggers);
  data.set("delay", CleanText(step.delay));
  data.set("clocks", EscalationCheckboxes<core::SlaClockKind>(core::kSlaClockKindNames, step.clocks,
                                                              &EscalationClockLabel));
  data.set("actions", EscalationCheckboxes<core::EscalationAction>(
                          core::kEscalationActionNames, step.actions, &EscalationActionLabel));
  Data targets = EmptyList();
  for (size_t slot = 0; slot < step.targets.size(); ++slot) {
    Data target = EmptyObject();
    target.set("slot", std::to_string(slot));
    target.set("slot_number", std::to_string(slot + 1));
    target.set("has_target", !step.targets[slot].target.empty());
    target.set("skill", CleanText(step.targets[slot].skill));
    target.set("groups", EscalationTargetGroups(choices, step.targets[slot].target));
    targets.push_back(target);
  }
  data.set("targets", targets);
  return data;
}

std::string EscalationCoversText(const core::EscalationPolicy& policy) {
  std::vector<std::string> severities;
  for (core::Severity severity : policy.severities) {
    severities.push_back(std::to_string(core::SeverityLevel(severity)));
  }
  return absl::StrCat(
      policy.plans.empty() ? "Every plan"
                           : absl::StrCat("Plans ", absl::StrJoin(policy.plans, ", ")),
      "; ",
      severities.empty() ? "every severity"
                         : absl::StrCat("severity ", absl::StrJoin(severities, ", ")));
}

}  // namespace

EscalationTargetText EscalationTargetTextOf(const core::EscalationTarget& target) {
  if (target.kind == core::EscalationTargetKind::kSkill) return {"skill", target.ref};
  const std::string kind(
      core::NameOf<core::EscalationTargetKind>(core::kEscalationTargetKindNames, target.kind));
  return {absl::StrCat(kind, ":", target.ref), ""};
}

EscalationFormText EscalationFormFromPolicy(const core::EscalationPolicy& policy, int blank_steps,
                                            int min_targets) {
  EscalationFormText form;
  form.description = policy.description;
  form.enabled = policy.enabled;
  form.plans = policy.plans;
  for (core::Severity severity : policy.severities) {
    form.severities.push_back(std::to_string(core::SeverityLevel(severity)));
  }
  for (const core::EscalationLevel& level : policy.levels) {
    EscalationStepText step;
    step.trigger = std::string(
        core::NameOf<core::EscalationTrigger>(core::kEscalationTriggerNames, level.trigger));
    for (core::SlaClockKind clock : level.clocks) {
      step.clocks.emplace_back(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, clock));
    }
    step.delay = std::to_string(level.delay_minutes);
    for (const core::EscalationTarget& target : level.targets) {
      step.targets.push_back(EscalationTargetTextOf(target));
    }
    for (core::EscalationAction action : level.actions) {
      step.actions.emplace_back(
          core::NameOf<core::EscalationAction>(core::kEscalationActionNames, action));
    }
    step.targets.resize(std::max<size_t>(step.targets.size() + 1, min_targets));
    form.steps.push_back(std::move(step));
  }
  for (int i = 0; i < blank_steps; ++i) {
    EscalationStepText step;
    step.delay = "0";
    step.actions = {"notify"};
    step.targets.resize(std::max(min_targets, 1));
    form.steps.push_back(std::move(step));
  }
  return form;
}

std::string EscalationStepSummary(const core::EscalationLevel& level) {
  std::string text(EscalationTriggerLabel(
      core::NameOf<core::EscalationTrigger>(core::kEscalationTriggerNames, level.trigger)));
  if (!level.clocks.empty()) {
    std::vector<std::string> clocks;
    for (core::SlaClockKind clock : level.clocks) {
      clocks.emplace_back(
          EscalationClockLabel(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, clock)));
    }
    absl::StrAppend(&text, " (", absl::StrJoin(clocks, ", "), ")");
  }
  if (level.delay_minutes > 0) absl::StrAppend(&text, ", after ", level.delay_minutes, " min");
  std::vector<std::string> targets;
  for (const core::EscalationTarget& target : level.targets)
    targets.push_back(EscalationTargetLabel(target));
  std::vector<std::string> actions;
  for (core::EscalationAction action : level.actions) {
    actions.emplace_back(EscalationActionLabel(
        core::NameOf<core::EscalationAction>(core::kEscalationActionNames, action)));
  }
  absl::StrAppend(&text, ": ", absl::StrJoin(targets, ", "), "; ", absl::StrJoin(actions, ", "));
  return text;
}

std::string RenderConsoleEscalationListPage(const ConsoleFrame& frame,
                                            const ConsoleEscalationListView& view) {
  Data data = EmptyObject();
  Data rows = EmptyList();
  for (const core::EscalationPolicy& policy : view.policies) {
    Data row = EmptyObject();
    row.set("name", CleanText(policy.name));
    row.set("description", CleanTextOrFalse(policy.description));
    row.set("covers", CleanText(EscalationCoversText(policy)));
    row.set("enabled", policy.enabled);
    Data steps = EmptyList();
    for (const core::EscalationLevel& level : policy.levels) {
      Data step = EmptyObject();
      step.set("text", CleanText(EscalationStepSummary(level)));
      steps.push_back(step);
    }
    row.set("steps", steps);
    rows.push_back(row);
  }
  data.set("has_rows", !view.policies.empty());
  data.set("policies", rows);
  data.set(
      "next_href",
      view.next_after.empty()
          ? Data(false)
          : Data(CleanText(absl::StrCat("/console/admin/escalation?after=", view.next_after))));
  data.set("may_edit", view.may_edit);
  data.set("form_error", CleanTextOrFalse(view.error));
  return RenderConsoleDocument(frame, data, EscalationListTemplate());
}

std::string RenderConsoleEscalationPage(const ConsoleFrame& frame,
                                        const ConsoleEscalationView& view) {
  Data data = EmptyObject();
  data.set("name", CleanText(view.name));
  data.set("is_new", view.is_new);
  data.set("may_edit", view.may_edit);
  data.set("deletable", view.may_edit && !view.is_new);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("description", CleanText(view.form.description));
  data.set("enabled", view.form.enabled);
  Data plans = EmptyList();
  std::vector<EscalationChoice> plan_choices = view.choices.plans;
  for (const std::string& plan : view.form.plans) {
    if (std::none_of(plan_choices.begin(), plan_choices.end(),
                     [&](const EscalationChoice& c) { return c.value == plan; })) {
      plan_choices.push_back({plan, plan});
    }
  }
  for (const EscalationChoice& plan : plan_choices) {
    Data item = EmptyObject();
    item.set("value", CleanText(plan.value));
    item.set("label", CleanText(plan.label));
    item.set("checked", std::find(view.form.plans.begin(), view.form.plans.end(), plan.value) !=
                            view.form.plans.end());
    plans.push_back(item);
  }
  data.set("plans", plans);
  Data severities = EmptyList();
  for (const auto& [severity, name] : core::kSeverityNames) {
    const std::string level = std::to_string(core::SeverityLevel(severity));
    Data item = EmptyObject();
    item.set("value", level);
    item.set("label", absl::StrCat("Severity ", level, " (", std::string(name), ")"));
    item.set("checked", std::find(view.form.severities.begin(), view.form.severities.end(),
                                  level) != view.form.severities.end());
    severities.push_back(item);
  }
  data.set("severities", severities);
  Data steps = EmptyList();
  for (size_t i = 0; i < view.form.steps.size(); ++i) {
    const EscalationStepText& step = view.form.steps[i];
    const bool blank = step.trigger.empty();
    steps.push_back(EscalationStepData(step, static_cast<int>(i), blank, view.choices));
  }
  data.set("steps", steps);
  return RenderConsoleDocument(frame, data, EscalationPolicyTemplate());
}

}  // namespace casedesk::adapters::web
