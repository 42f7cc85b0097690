// The plan and severity definition pages (see console_plan_pages.h).
#include "adapters/web/console_plan_pages.h"

#include <algorithm>
#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"
#include "core/enum_names.h"

namespace casedesk::adapters::web {
namespace {

// The fields of a plan form, shared by the new plan form and the plan page; `prefix` keeps the
// ids apart.
constexpr std::string_view kPlanFieldsPartial = R"html(<div class="sp-field">
<label for="{{prefix}}-display">Display name</label>
<input id="{{prefix}}-display" name="display_name" type="text" maxlength="200" value="{{display_name}}">
</div>
<div class="sp-field">
<label for="{{prefix}}-description">Description</label>
<textarea id="{{prefix}}-description" name="description" rows="3">{{description}}</textarea>
</div>
<fieldset class="sp-choices">
<legend>Channels</legend>
{{#channels}}<div class="sp-check"><input type="checkbox" id="{{prefix}}-channel-{{value}}" name="channels" value="{{value}}"{{#checked}} checked{{/checked}}><label for="{{prefix}}-channel-{{value}}">{{label}}</label></div>
{{/channels}}</fieldset>
<fieldset class="sp-choices">
<legend>Coverage</legend>
<div class="sp-check"><input type="checkbox" id="{{prefix}}-partner" name="partner_eligible" value="1"{{#partner_eligible}} checked{{/partner_eligible}}><label for="{{prefix}}-partner">Partners may hold this plan</label></div>
<div class="sp-check"><input type="checkbox" id="{{prefix}}-after-hours" name="after_hours_coverage" value="1"{{#after_hours_coverage}} checked{{/after_hours_coverage}}><label for="{{prefix}}-after-hours">Critical cases are worked after hours</label></div>
</fieldset>
)html";

constexpr std::string_view kPlanListTemplate = R"html(<p><a href="/console/admin">Admin</a></p>
<h1>Support plans</h1>
<p class="cd-note">A plan is what an organisation holds: the channels its people may use to open
cases, whether partners may hold it, whether critical cases are worked after hours, and the SLA
policy its cases run on. The written definitions of the severity levels are on the
<a href="/console/admin/severities">severity definitions</a> page.</p>
<section class="cc-section" aria-labelledby="plan-list-h">
<h2 id="plan-list-h" class="sp-vh">Plans</h2>
<table class="cq-table">
<caption class="sp-vh">Support plans by name</caption>
<thead><tr><th scope="col">Plan</th><th scope="col">Display name</th><th scope="col">Channels</th><th scope="col">Partners</th><th scope="col">After hours</th><th scope="col">SLA policy</th></tr></thead>
<tbody>
{{#plans}}<tr>
<td data-label="Plan"><a href="/console/admin/plans/{{name}}">{{name}}</a></td>
<td data-label="Display name">{{display_name}}</td>
<td data-label="Channels">{{channels}}</td>
<td data-label="Partners">{{#partner_eligible}}Eligible{{/partner_eligible}}{{^partner_eligible}}No{{/partner_eligible}}</td>
<td data-label="After hours">{{#after_hours}}Covered{{/after_hours}}{{^after_hours}}No{{/after_hours}}</td>
<td data-label="SLA policy"><a href="/console/admin/plans/{{name}}/sla">{{sla}}<span class="sp-vh"> SLA policy of {{name}}</span></a></td>
</tr>{{/plans}}
</tbody>
</table>
{{#next_cursor}}<p><a href="/console/admin/plans?cursor={{next_cursor}}">More plans</a></p>{{/next_cursor}}
</section>
{{#may_edit}}
<section class="cc-section" aria-labelledby="plan-new-h">
<h2 id="plan-new-h">New plan</h2>
<form method="post" action="/console/admin/plans" class="cc-form" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#form_error}}<p class="cd-form-error" id="plan-new-error" role="alert">{{form_error}}</p>{{/form_error}}
<div class="sp-field">
<label for="plan-new-name">Name</label>
<input id="plan-new-name" name="name" type="text" required maxlength="64" value="{{new_name}}" aria-describedby="plan-new-hint" autocomplete="off" spellcheck="false">
<p id="plan-new-hint" class="cd-note">The plan's key: lower-case letters, digits, "-" and "_", e.g. "premium". It cannot be changed later.</p>
</div>
{{#form}}{{> plan_fields}}{{/form}}
<div><button type="submit">Create plan</button></div>
</form>
</section>
{{/may_edit}}
)html";

constexpr std::string_view kPlanTemplate =
    R"html(<p><a href="/console/admin/plans">All plans</a></p>
<h1>Plan <code>{{name}}</code></h1>
<p><a href="/console/admin/plans/{{name}}/sla">SLA policy of this plan</a></p>
{{^may_edit}}<p class="cd-note">Only an admin can change plans.</p>{{/may_edit}}
<section class="cc-section" aria-labelledby="plan-edit-h">
<h2 id="plan-edit-h">Settings</h2>
<form method="post" action="/console/admin/plans/{{name}}" class="cc-form" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#form_error}}<p class="cd-form-error" id="plan-error" role="alert">{{form_error}}</p>{{/form_error}}
{{#form}}{{> plan_fields}}{{/form}}
{{#may_edit}}<div><button type="submit">Save plan</button></div>{{/may_edit}}
</form>
</section>
<section class="cc-section" aria-labelledby="plan-history-h">
<h2 id="plan-history-h">History</h2>
{{^events_available}}<p class="cd-note">The history cannot be shown right now.</p>{{/events_available}}
{{#events_available}}{{^has_events}}<p class="cd-note">No changes recorded.</p>{{/has_events}}{{/events_available}}
{{#has_events}}<table class="cq-table">
<caption class="sp-vh">Changes to this plan, oldest first</caption>
<thead><tr><th scope="col">When (UTC)</th><th scope="col">Event</th><th scope="col">Changes</th></tr></thead>
<tbody>
{{#events}}<tr>
<td data-label="When (UTC)"><time datetime="{{iso}}">{{at}}</time></td>
<td data-label="Event">{{kind}}</td>
<td data-label="Changes">{{#changes}}<div>{{field}}: {{before}} → {{after}}</div>{{/changes}}</td>
</tr>{{/events}}
</tbody>
</table>
{{#events_next}}<p><a href="/console/admin/plans/{{name}}?events={{events_next}}">Later changes</a></p>{{/events_next}}
{{/has_events}}
</section>
)html";

constexpr std::string_view kSeverityTemplate = R"html(<p><a href="/console/admin">Admin</a></p>
<h1>Severity definitions</h1>
<p class="cd-note">Customers read these when they choose a severity for a new case, so they can
choose honestly. Each level needs a name and a one-line summary; the description says what
qualifies, and examples are listed one per line. Targets per severity are set in each
<a href="/console/admin/plans">plan's</a> SLA policy.</p>
{{^may_edit}}<p class="cd-note">Only an admin can change the severity definitions.</p>{{/may_edit}}
<form method="post" action="/console/admin/severities" class="cc-form" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#form_error}}<p class="cd-form-error" id="sev-error" role="alert">{{form_error}}</p>{{/form_error}}
{{#levels}}<fieldset class="sp-choices">
<legend>Severity {{level}}</legend>
<div class="sp-field">
<label for="sev-{{level}}-name">Severity {{level}} name</label>
<input id="sev-{{level}}-name" name="s{{level}}_name" type="text" required maxlength="40" value="{{name}}">
</div>
<div class="sp-field">
<label for="sev-{{level}}-summary">Severity {{level}} summary</label>
<input id="sev-{{level}}-summary" name="s{{level}}_summary" type="text" required maxlength="300" value="{{summary}}">
</div>
<div class="sp-field">
<label for="sev-{{level}}-description">Severity {{level}} description</label>
<textarea id="sev-{{level}}-description" name="s{{level}}_description" rows="3">{{description}}</textarea>
</div>
<div class="sp-field">
<label for="sev-{{level}}-examples">Severity {{level}} examples <span class="cd-optional">(one per line)</span></label>
<textarea id="sev-{{level}}-examples" name="s{{level}}_examples" rows="3">{{examples}}</textarea>
</div>
</fieldset>
{{/levels}}
{{#may_edit}}<div><button type="submit">Save definitions</button></div>{{/may_edit}}
</form>
)html";

TemplateData PlanFormData(const PlanFormText& form, std::string_view prefix) {
  TemplateData data = EmptyObject();
  data.set("prefix", std::string(prefix));
  data.set("display_name", CleanText(form.display_name));
  data.set("description", CleanText(form.description));
  TemplateData channels = EmptyList();
  for (const auto& [channel, name] : core::kChannelNames) {
    TemplateData choice = EmptyObject();
    choice.set("value", std::string(name));
    std::string label(name);
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    choice.set("label", label == "Api" ? std::string("API") : label);
    choice.set("checked",
               std::find(form.channels.begin(), form.channels.end(), name) != form.channels.end());
    channels.push_back(choice);
  }
  data.set("channels", channels);
  data.set("partner_eligible", form.partner_eligible);
  data.set("after_hours_coverage", form.after_hours_coverage);
  return data;
}

std::string PlanChannelsText(const std::vector<core::Channel>& channels) {
  std::vector<std::string> names;
  for (core::Channel channel : channels) {
    names.emplace_back(core::NameOf<core::Channel>(core::kChannelNames, channel));
  }
  return names.empty() ? std::string("none") : absl::StrJoin(names, ", ");
}

}  // namespace

PlanFormText PlanFormFromPlan(const core::SupportPlan& plan) {
  PlanFormText form;
  form.name = plan.name;
  form.display_name = plan.display_name;
  form.description = plan.description;
  for (core::Channel channel : plan.channels) {
    form.channels.emplace_back(core::NameOf<core::Channel>(core::kChannelNames, channel));
  }
  form.partner_eligible = plan.partner_eligible;
  form.after_hours_coverage = plan.after_hours_coverage;
  return form;
}

std::array<SeverityFormText, 4> SeverityFormFromDefinitions(
    const std::vector<core::SeverityDefinition>& definitions) {
  std::array<SeverityFormText, 4> levels;
  for (int i = 0; i < 4; ++i) levels[i].level = i + 1;
  for (const core::SeverityDefinition& definition : definitions) {
    const int level = core::SeverityLevel(definition.level);
    if (level < 1 || level > 4) continue;
    SeverityFormText& text = levels[level - 1];
    text.name = definition.name;
    text.summary = definition.summary;
    text.description = definition.description;
    text.examples = absl::StrJoin(definition.examples, "\n");
  }
  return levels;
}

std::string RenderConsolePlanListPage(const ConsoleFrame& frame, const ConsolePlanListView& view) {
  TemplateData data = EmptyObject();
  TemplateData rows = EmptyList();
  for (const PlanListRow& row : view.plans) {
    TemplateData item = EmptyObject();
    item.set("name", CleanText(row.plan.name));
    item.set("display_name", CleanText(row.plan.display_name));
    item.set("channels", PlanChannelsText(row.plan.channels));
    item.set("partner_eligible", row.plan.partner_eligible);
    item.set("after_hours", row.plan.after_hours_coverage);
    item.set("sla", CleanText(row.sla));
    rows.push_back(item);
  }
  data.set("plans", rows);
  data.set("next_cursor", CleanTextOrFalse(view.next_cursor));
  data.set("may_edit", view.may_edit);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("new_name", CleanText(view.form.name));
  data.set("form", PlanFormData(view.form, "plan-new"));
  data.set("plan_fields", PartialData(kPlanFieldsPartial));
  return RenderConsoleDocument(frame, data, kPlanListTemplate);
}

std::string RenderConsolePlanPage(const ConsoleFrame& frame, const ConsolePlanView& view) {
  TemplateData data = EmptyObject();
  data.set("name", CleanText(view.name));
  data.set("may_edit", view.may_edit);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("form", PlanFormData(view.form, "plan"));
  data.set("plan_fields", PartialData(kPlanFieldsPartial));
  data.set("events_available", view.events_available);
  data.set("has_events", !view.events.empty());
  TemplateData events = EmptyList();
  for (const core::AuditEvent& event : view.events) {
    TemplateData item = EmptyObject();
    item.set("iso", IsoTime(event.at));
    item.set("at", absl::FormatTime("%a %e %b %Y %H:%M", event.at, absl::UTCTimeZone()));
    item.set("kind", CleanText(event.kind));
    TemplateData changes = EmptyList();
    for (const core::FieldChange& change : event.changes) {
      TemplateData line = EmptyObject();
      line.set("field", CleanText(change.field));
      line.set("before", CleanText(change.before.empty() ? "(none)" : change.before));
      line.set("after", CleanText(change.after.empty() ? "(none)" : change.after));
      changes.push_back(line);
    }
    item.set("changes", changes);
    events.push_back(item);
  }
  data.set("events", events);
  data.set("events_next", CleanTextOrFalse(view.events_next_cursor));
  return RenderConsoleDocument(frame, data, kPlanTemplate);
}

std::string RenderConsoleSeverityPage(const ConsoleFrame& frame, const ConsoleSeverityView& view) {
  TemplateData data = EmptyObject();
  data.set("may_edit", view.may_edit);
  data.set("form_error", CleanTextOrFalse(view.error));
  TemplateData levels = EmptyList();
  for (const SeverityFormText& level : view.levels) {
    TemplateData item = EmptyObject();
    item.set("level", absl::StrCat(level.level));
    item.set("name", CleanText(level.name));
    item.set("summary", CleanText(level.summary));
    item.set("description", CleanText(level.description));
    item.set("examples", CleanText(level.examples));
    levels.push_back(item);
  }
  data.set("levels", levels);
  return RenderConsoleDocument(frame, data, kSeverityTemplate);
}

}  // namespace casedesk::adapters::web
