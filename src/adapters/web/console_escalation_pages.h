// The staff console's escalation policy pages: the list (/console/admin/escalation) and one
// policy (/console/admin/escalation/{name}) as a form: description, on/off, the plans and
// severities it covers, and a table of steps (when it runs: trigger, SLA clocks and delay; who
// is paged, in order: a tier, an on-call schedule, a group, a person, experts with a skill or a
// hand-over to another policy; and what happens: notify, reassign, raise the tier). The form
// shows the stored steps and blank ones; a blank step or target is dropped on save. Admins
// save and delete; other staff read. All text is escaped by the templates.
// Thread-safe: pure functions.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "adapters/web/console_layout.h"
#include "core/escalation_policy.h"

namespace casedesk::adapters::web {

// Something a <select> offers: the value posted and the label shown.
struct EscalationChoice {
  std::string value;
  std::string label;
};

// What the target selects offer, besides the tiers and "experts with a skill".
struct EscalationChoices {
  std::vector<EscalationChoice> schedules;  // value: schedule name
  std::vector<EscalationChoice> groups;     // value: group id
  std::vector<EscalationChoice> people;     // value: user id
  std::vector<EscalationChoice> policies;   // value: policy name (other policies)
  std::vector<EscalationChoice> plans;      // value: plan name
};

// One target slot of a step as text: "tier:shift_lead", "oncall:primary", "group:3",
// "user:12", "policy:urgent", "skill" (then `skill` names it), or "" for none.
struct EscalationTargetText {
  std::string target;
  std::string skill;
};

// One step row of the form as text: what is stored, or what was posted.
struct EscalationStepText {
  std::string trigger;              // a kEscalationTriggerNames name, or "" (a blank row)
  std::vector<std::string> clocks;  // kSlaClockKindNames names
  std::string delay;                // minutes
  std::vector<EscalationTargetText> targets;
  std::vector<std::string> actions;  // kEscalationActionNames names
};

struct EscalationFormText {
  std::string description;
  bool enabled = true;
  std::vector<std::string> plans;
  std::vector<std::string> severities;  // "1".."4"
  std::vector<EscalationStepText> steps;
};

// The target slot's text of a target: the inverse of what the form posts.
EscalationTargetText EscalationTargetTextOf(const core::EscalationTarget& target);
// The form for a stored policy, with `blank_steps` blank step rows after its steps; every step
// gets at least `min_targets` target slots and one blank slot after its targets.
EscalationFormText EscalationFormFromPolicy(const core::EscalationPolicy& policy, int blank_steps,
                                            int min_targets);

// "SLA breach (first response, resolution) after 30 min: Executives, on-call primary; notify,
// raise the tier" for the list.
std::string EscalationStepSummary(const core::EscalationLevel& level);

struct ConsoleEscalationListView {
  std::vector<core::EscalationPolicy> policies;  // one page, by name
  std::string next_after;                        // the next page starts after this name; "" none
  bool may_edit = false;                         // admins: the "new policy" form
  std::string error;                             // a refused new name or deletion
};

struct ConsoleEscalationView {
  std::string name;
  bool is_new = false;    // no policy of this name yet
  bool may_edit = false;  // admins
  EscalationFormText form;
  EscalationChoices choices;
  std::string error;  // why the posted policy was refused, shown at the form
};

std::string RenderConsoleEscalationListPage(const ConsoleFrame& frame,
                                            const ConsoleEscalationListView& view);
std::string RenderConsoleEscalationPage(const ConsoleFrame& frame,
                                        const ConsoleEscalationView& view);

}  // namespace casedesk::adapters::web
