// The on-call schedule form of the staff console: reading what it posted (kept as text, to show
// it again after a refusal) and turning it into the JSON document the API's PUT accepts,
// decoded by the same codec (app/escalation_json.h). Messages naming places by their JSON path
// ("layers[0].participants[1]: ...") are rewritten into the form's rows ("layer 1 participant
// 2: ..."). Thread-safe: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "adapters/http/console_escalation_form_support.h"
#include "adapters/web/console_oncall_pages.h"
#include "core/oncall_schedule.h"

namespace casedesk::adapters::http {

// Fields: display_name, time_zone; per layer row i l<i>_name, l<i>_start, l<i>_turn, l<i>_p<j>,
// l<i>_restrictions, l<i>_remove; per override row i o<i>_user, o<i>_start, o<i>_end,
// o<i>_reason, o<i>_remove.

// The posted form as text; rows ticked "remove" are left out.
web::OnCallFormText OnCallFormFromFields(const EscalationFormFields& fields);
// The schedule `name` the form describes; override times are local to the schedule's zone
// ("YYYY-MM-DDTHH:MM"). Restrictions read "mon 22:00-06:00, sat 00:00-24:00".
absl::StatusOr<core::OnCallSchedule> OnCallScheduleFromForm(const std::string& name,
                                                            const web::OnCallFormText& form,
                                                            EscalationFormRows& rows);
// A refusal's message with "layers[k]", "participants[j]" and "overrides[k]" paths given as
// the form's rows.
std::string OnCallFormMessage(std::string_view message, const EscalationFormRows& rows);

}  // namespace casedesk::adapters::http
