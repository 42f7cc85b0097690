// The escalation policy form of the staff console: reading what it posted (kept as text, to show
// it again after a refusal) and turning it into the JSON document the API's PUT accepts, decoded by
// the same codec (app/escalation_json.h), so that the form and the API accept exactly the same
// things. Messages that name places by their JSON path
// ("levels[1].targets[0]: ...") are rewritten into the rows the form shows ("step 2 target 1:
// ..."). Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "adapters/http/console_escalation_form_support.h"
#include "adapters/web/console_escalation_pages.h"
#include "core/escalation_policy.h"

namespace casedesk::adapters::http {

// Fields: description, enabled, plan*, severity*, and per step row i s<i>_trigger, s<i>_delay,
// s<i>_clock*, s<i>_t<j> with s<i>_k<j>, s<i>_action*, s<i>_remove.

// The posted form as text; rows ticked "remove" are left out.
web::EscalationFormText EscalationFormFromFields(const EscalationFormFields& fields);
// The policy `name` the form describes, checked for shape by app::EscalationPolicyFromJson
// (the rules are checked when it is saved). InvalidArgument naming the row: "step 2: choose
// when the step runs", "step 1 target 2: name the skill".
absl::StatusOr<core::EscalationPolicy> EscalationPolicyFromForm(const std::string& name,
                                                                const web::EscalationFormText& form,
                                                                EscalationFormRows& rows);
// A refusal's message with "levels[k]" and "targets[j]" paths given as the form's rows.
std::string EscalationFormMessage(std::string_view message, const EscalationFormRows& rows);

}  // namespace casedesk::adapters::http
