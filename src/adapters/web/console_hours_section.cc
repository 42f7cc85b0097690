#include "adapters/web/console_hours_section.h"

#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_status_model.h"
#include "adapters/web/portal_hours_page.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"
#include "core/time_entry.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kTimeSection =
    R"html(<section class="cc-section hr-console" id="cc-time" aria-labelledby="cc-time-h">
<h2 id="cc-time-h">Time</h2>
{{#time}}
{{#has_entries}}
<table class="hr-entries">
<caption class="sp-vh">Time logged on this case</caption>
<thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Time</th><th scope="col">Kind</th><th scope="col">Note</th></tr></thead>
<tbody>
{{#entries}}<tr>
<td><time datetime="{{at_iso}}">{{at_text}}</time></td>
<td>{{author}}</td>
<td>{{duration}}{{^billable}} <span class="cd-note">(not billable)</span>{{/billable}}</td>
<td>{{kind}}{{#activity}}<br><span class="cd-note">{{activity}}</span>{{/activity}}</td>
<td>{{note}}</td>
</tr>
{{/entries}}
</tbody>
</table>
<p class="cd-note">Total {{total}}, of which {{billable_total}} billable.</p>
{{/has_entries}}
{{^has_entries}}<p class="cd-note">No time logged yet.</p>{{/has_entries}}
{{#form}}
<form method="post" action="/console/cases/{{number}}/time" class="sp-form hr-log-form">
{{> csrf}}
{{> form_error_partial}}
<div class="hr-form-row">
<div class="sp-field">
<label for="cc-time-minutes">Minutes</label>
<input id="cc-time-minutes" name="minutes" type="number" min="1" max="1440" step="1" inputmode="numeric" required value="{{minutes}}"{{#invalid_minutes}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_minutes}}>
</div>
<div class="sp-field">
<label for="cc-time-kind">Package</label>
<select id="cc-time-kind" name="kind"{{#invalid_kind}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_kind}}>{{#kinds}}{{> option}}{{/kinds}}</select>
</div>
<div class="sp-field">
<label for="cc-time-activity">Activity</label>
<select id="cc-time-activity" name="activity"{{#invalid_activity}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_activity}}>{{#activities}}{{> option}}{{/activities}}</select>
</div>
</div>
<div class="sp-field hr-check">
<input id="cc-time-billable" name="billable" type="checkbox" value="1"{{#billable}} checked{{/billable}}>
<label for="cc-time-billable">Billable (draws on the organisation's package)</label>
</div>
<div class="sp-field">
<label for="cc-time-note">What was done <span class="cd-optional">(optional)</span></label>
<textarea id="cc-time-note" name="note" rows="2"{{#invalid_note}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_note}}>{{note}}</textarea>
</div>
<button type="submit" class="sp-button">Log time</button>
</form>
{{/form}}
{{/time}}
</section>
)html";

Data TimeKindOption(std::string value, std::string_view label, bool selected) {
  Data option{Data::type::object};
  option.set("value", std::move(value));
  option.set("label", CleanText(label));
  option.set("selected", selected);
  return option;
}

}  // namespace

Data ConsoleTimeData(const ConsoleCaseView& view) {
  Data time{Data::type::object};
  Data entries{Data::type::list};
  int64_t total = 0;
  int64_t billable = 0;
  for (const core::TimeEntry& entry : view.time_entries) {
    Data row{Data::type::object};
    row.set("at_iso", IsoTime(entry.worked_at));
    row.set("at_text", ShortTime(entry.worked_at));
    row.set("author", CleanText(PersonName(view.names, entry.author_id)));
    row.set("duration", HoursText(entry.minutes));
    row.set("billable", entry.billable);
    row.set("kind", std::string(core::HoursKindLabel(entry.kind)));
    row.set("activity",
            entry.activity ? Data{std::string(core::ActivityLabel(*entry.activity))} : Data{false});
    row.set("note", CleanText(entry.note));
    entries.push_back(row);
    total += entry.minutes;
    if (entry.billable) billable += entry.minutes;
  }
  time.set("entries", entries);
  time.set("has_entries", !view.time_entries.empty());
  time.set("total", HoursText(total));
  time.set("billable_total", HoursText(billable));

  // The form keeps what was typed when it comes back refused.
  const PostedForm& posted = view.form;
  const bool again = posted.Is("time");
  Data form{Data::type::object};
  AddFormState(form, posted, "time", "cc-time-error",
               {"minutes", "kind", "activity", "note", "billable"});
  form.set("minutes", again ? CleanText(posted.Value("minutes")) : std::string());
  form.set("note", again ? CleanText(posted.Value("note")) : std::string());
  form.set("billable", again ? !posted.Value("billable").empty() : true);
  const std::string kind = again ? posted.Value("kind") : "customer_success";
  Data kinds{Data::type::list};
  for (const auto& [value, name] : core::kHoursKindNames) {
    kinds.push_back(TimeKindOption(std::string(name), core::HoursKindLabel(value), name == kind));
  }
  form.set("kinds", kinds);
  const std::string activity = again ? posted.Value("activity") : "";
  Data activities{Data::type::list};
  activities.push_back(TimeKindOption("", "(none)", activity.empty()));
  for (const auto& [value, name] : core::kActivityNames) {
    activities.push_back(
        TimeKindOption(std::string(name), core::ActivityLabel(value), name == activity));
  }
  form.set("activities", activities);
  time.set("form", form);
  return time;
}

std::string_view ConsoleTimeSectionPartial() { return kTimeSection; }

}  // namespace casedesk::adapters::web
