#include "adapters/web/console_service_task_section.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_status_model.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kConsoleServiceTaskSection =
    R"html({{#service_task}}<section class="cc-section cc-st" id="cc-service-task" aria-labelledby="cc-st-h">
<h2 id="cc-st-h">Service task</h2>
<p><span class="cc-st-state cc-st-{{state}}">{{state_label}}</span>{{#estimate_count}} <span class="cd-note">({{estimate_count}} estimates given)</span>{{/estimate_count}}</p>
{{#clock}}<p class="cd-note">Estimate {{clock}}</p>{{/clock}}
{{#hours}}<dl class="cc-st-estimate">
<dt>Estimate</dt><dd>{{hours}} hours</dd>
<dt>Projected completion</dt><dd>{{completion_date}}</dd>
{{#start_date}}<dt>Planned start</dt><dd>{{start_date}}</dd>{{/start_date}}
</dl>{{/hours}}
{{#decline_reason}}<p class="cd-note">Declined by the customer: {{decline_reason}}</p>{{/decline_reason}}
{{#estimate}}<form method="post" action="/console/cases/{{number}}/service-task/estimate" class="sp-form cc-st-estimate-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-st-hours">Hours</label>
<input id="cc-st-hours" name="hours" type="number" min="0.01" max="10000" step="0.01" inputmode="decimal" required value="{{hours_value}}"{{#invalid_hours}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_hours}}>
</div>
<div class="sp-field">
<label for="cc-st-completion">Projected completion date</label>
<input id="cc-st-completion" name="completion_date" type="date" required value="{{completion_value}}"{{#invalid_completion_date}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_completion_date}}>
</div>
<button type="submit" class="sp-button">{{estimate_label}}</button>
</form>{{/estimate}}
{{#schedule}}<form method="post" action="/console/cases/{{number}}/service-task/schedule" class="sp-form cc-st-schedule-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-st-start-date">Start date</label>
<input id="cc-st-start-date" name="start_date" type="date" required value="{{start_value}}"{{#invalid_start_date}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_start_date}}>
</div>
<button type="submit" class="sp-button">Schedule</button>
</form>{{/schedule}}
{{#start}}<form method="post" action="/console/cases/{{number}}/service-task/start" class="cc-st-start-form">
{{> csrf}}
{{> form_error_partial}}
<button type="submit" class="sp-button">Start the work</button>
</form>{{/start}}
{{#done}}<form method="post" action="/console/cases/{{number}}/service-task/done" class="cc-st-done-form">
{{> csrf}}
{{> form_error_partial}}
<button type="submit" class="sp-button">Mark done</button>
</form>{{/done}}
</section>
{{/service_task}})html";

std::string StateLabel(core::ServiceTaskState state) {
  switch (state) {
    case core::ServiceTaskState::kRequested:
      return "Requested: waiting for an estimate";
    case core::ServiceTaskState::kEstimated:
      return "Estimated: waiting for the customer";
    case core::ServiceTaskState::kApproved:
      return "Approved: to be scheduled";
    case core::ServiceTaskState::kDeclined:
      return "Declined by the customer";
    case core::ServiceTaskState::kScheduled:
      return "Scheduled";
    case core::ServiceTaskState::kInProgress:
      return "In progress";
    case core::ServiceTaskState::kDone:
      return "Done";
  }
  return "";
}

std::string Instant(absl::Time at) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", at, absl::UTCTimeZone());
}

// "due 2026-03-09 22:00 UTC", "breached at ...", "given at ...".
std::string ClockText(const core::SlaClock& clock, absl::Time now) {
  if (clock.achieved_at) {
    return absl::StrCat("given ", Instant(*clock.achieved_at),
                        clock.breached_at ? " (after its due instant)" : " (on time)");
  }
  if (clock.breached_at) return absl::StrCat("overdue since ", Instant(*clock.breached_at));
  if (clock.paused()) return "clock paused while the case waits on the customer";
  if (clock.due_at) return absl::StrCat("due ", Instant(*clock.due_at));
  return "";
}

// The data of one step's form: the form's error state and whether it is shown.
Data StepForm(const PostedForm& posted, std::string_view name,
              std::initializer_list<std::string_view> fields) {
  Data form{Data::type::object};
  AddFormState(form, posted, name, absl::StrCat("cc-", std::string(name), "-error"), fields);
  return form;
}

}  // namespace

Data ConsoleServiceTaskData(const std::optional<app::ServiceTaskView>& view,
                            const PostedForm& posted, absl::Time now) {
  if (!view) return Data{false};
  const core::ServiceTask& task = view->task;
  Data data{Data::type::object};
  data.set("state", std::string(core::NameOf<core::ServiceTaskState>(core::kServiceTaskStateNames,
                                                                     task.state)));
  data.set("state_label", StateLabel(task.state));
  data.set("estimate_count",
           task.estimate_count > 1 ? Data{absl::StrCat(task.estimate_count)} : Data{false});
  const std::string clock = view->estimate_clock ? ClockText(*view->estimate_clock, now) : "";
  data.set("clock", clock.empty() ? Data{false} : Data{CleanText(clock)});
  if (task.estimate_minutes) {
    data.set("hours", core::FormatEstimateHours(*task.estimate_minutes));
    data.set("completion_date", CleanText(task.completion_date));
  } else {
    data.set("hours", false);
  }
  data.set("start_date", task.start_date.empty() ? Data{false} : Data{CleanText(task.start_date)});
  data.set("decline_reason",
           task.state == core::ServiceTaskState::kDeclined && !task.decline_reason.empty()
               ? Data{CleanText(task.decline_reason)}
               : Data{false});
  const auto allowed = [&](core::ServiceTaskAction action) {
    for (core::ServiceTaskAction a : view->allowed_actions) {
      if (a == action) return true;
    }
    return false;
  };
  if (allowed(core::ServiceTaskAction::kEstimate)) {
    Data form = StepForm(posted, "st-estimate", {"hours", "completion_date"});
    const bool again = posted.Is("st-estimate");
    form.set("hours_value", again ? CleanText(posted.Value("hours")) : std::string());
    form.set("completion_value",
             again ? CleanText(posted.Value("completion_date")) : CleanText(task.completion_date));
    form.set("estimate_label", task.estimate_count > 0 ? "Give a new estimate" : "Give estimate");
    data.set("estimate", form);
  } else {
    data.set("estimate", false);
  }
  if (allowed(core::ServiceTaskAction::kSchedule)) {
    Data form = StepForm(posted, "st-schedule", {"start_date"});
    form.set("start_value", posted.Is("st-schedule") ? CleanText(posted.Value("start_date"))
                                                     : CleanText(task.start_date));
    data.set("schedule", form);
  } else {
    data.set("schedule", false);
  }
  data.set("start", allowed(core::ServiceTaskAction::kStart) ? StepForm(posted, "st-start", {})
                                                             : Data{false});
  data.set("done",
           allowed(core::ServiceTaskAction::kDone) ? StepForm(posted, "st-done", {}) : Data{false});
  return data;
}

std::string_view ConsoleServiceTaskSectionPartial() { return kConsoleServiceTaskSection; }

}  // namespace casedesk::adapters::web
