// The escalation and on-call page templates (see console_escalation_templates.h).
#include "adapters/web/console_escalation_templates.h"

namespace casedesk::adapters::web {

std::string_view EscalationListTemplate() {
  return R"html(<h1>Escalation policies</h1>
<p class="cd-note">A policy pages people when something happens to a case: a critical case is opened, an SLA clock warns or breaches, the customer asks, a security incident is flagged or an agent escalates by hand. Each step says when it runs, who hears of it (a tier, an on-call schedule, a group, a person, experts with a skill, or another policy) and what happens to the case. On-call schedules are kept on <a href="/console/admin/oncall">their own page</a>.</p>
{{#form_error}}<p class="cd-form-error" id="esc-list-error" role="alert">{{form_error}}</p>{{/form_error}}
<section class="cc-section" aria-labelledby="esc-list-h">
<h2 id="esc-list-h" class="sp-vh">Policies</h2>
{{#has_rows}}<table class="cq-table">
<caption class="sp-vh">Escalation policies by name</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Covers</th><th scope="col">Steps</th><th scope="col">State</th></tr></thead>
<tbody>
{{#policies}}<tr>
<td data-label="Name"><a href="/console/admin/escalation/{{name}}">{{name}}</a>{{#description}}<br><span class="cd-note">{{description}}</span>{{/description}}</td>
<td data-label="Covers">{{covers}}</td>
<td data-label="Steps"><ol>{{#steps}}<li>{{text}}</li>{{/steps}}</ol></td>
<td data-label="State">{{#enabled}}Enabled{{/enabled}}{{^enabled}}Disabled{{/enabled}}</td>
</tr>{{/policies}}
</tbody>
</table>{{/has_rows}}
{{^has_rows}}<p class="cd-empty">No escalation policies yet.</p>{{/has_rows}}
{{#next_href}}<nav class="cq-pages" aria-label="Pages of policies"><a href="/console/admin/escalation">First page</a> <a href="{{next_href}}" rel="next">Next page</a></nav>{{/next_href}}
</section>
{{#may_edit}}
<section class="cc-section" aria-labelledby="esc-new-h">
<h2 id="esc-new-h">New escalation policy</h2>
<form method="get" action="/console/admin/escalation" class="cc-form">
<div class="sp-field">
<label for="esc-new-name">Name</label>
<input id="esc-new-name" name="new" type="text" required maxlength="64" pattern="[a-z0-9_\-]+" aria-describedby="esc-new-hint">
<p id="esc-new-hint" class="cd-note">Lower-case letters, digits, "_" and "-", e.g. "enterprise-breaches".</p>
</div>
<div><button type="submit">Create policy</button></div>
</form>
</section>
{{/may_edit}}
)html";
}

std::string_view EscalationPolicyTemplate() {
  return R"html(<p><a href="/console/admin/escalation">All escalation policies</a></p>
<h1>{{#is_new}}New escalation policy {{/is_new}}{{^is_new}}Escalation policy {{/is_new}}<code>{{name}}</code></h1>
{{^may_edit}}<p class="cd-note">Only an admin can change escalation policies. You can read this one.</p>{{/may_edit}}
<form method="post" action="/console/admin/escalation/{{name}}" class="cc-form" novalidate>
{{> csrf}}
{{#form_error}}<p class="cd-form-error" id="esc-error" role="alert">{{form_error}}</p>{{/form_error}}
<div class="sp-field">
<label for="esc-description">Description <span class="cd-optional">(optional)</span></label>
<input id="esc-description" name="description" type="text" maxlength="500" value="{{description}}">
</div>
<div class="sp-check"><input type="checkbox" id="esc-enabled" name="enabled" value="1"{{#enabled}} checked{{/enabled}}><label for="esc-enabled">Enabled</label></div>
<fieldset class="sp-choices">
<legend>Plans</legend>
<p class="cd-note">None ticked: cases of every plan.</p>
{{#plans}}<div class="sp-check"><input type="checkbox" id="esc-plan-{{value}}" name="plan" value="{{value}}"{{#checked}} checked{{/checked}}><label for="esc-plan-{{value}}">{{label}}</label></div>
{{/plans}}</fieldset>
<fieldset class="sp-choices">
<legend>Severities</legend>
<p class="cd-note">None ticked: cases of every severity.</p>
{{#severities}}<div class="sp-check"><input type="checkbox" id="esc-sev-{{value}}" name="severity" value="{{value}}"{{#checked}} checked{{/checked}}><label for="esc-sev-{{value}}">{{label}}</label></div>
{{/severities}}</fieldset>
<h2>Steps</h2>
<p class="cd-note" id="esc-steps-hint">Each step runs on its own when its cause happens and its delay has passed. Targets are tried in order: "reassign" gives the case to the first target that reaches someone (a group takes the case into its queue). A step left without a cause is dropped; so is a target left at "(none)".</p>
{{#steps}}<fieldset class="sp-choices" id="esc-step-{{number}}">
<legend>Step {{number}}{{#blank}} (new){{/blank}}</legend>
<div class="cd-field-pair">
<div class="sp-field">
<label for="esc-s{{index}}-trigger">When<span class="sp-vh"> (step {{number}})</span></label>
<select id="esc-s{{index}}-trigger" name="s{{index}}_trigger">{{#triggers}}{{> option}}{{/triggers}}</select>
</div>
<div class="sp-field">
<label for="esc-s{{index}}-delay">Delay in minutes<span class="sp-vh"> (step {{number}})</span></label>
<input id="esc-s{{index}}-delay" name="s{{index}}_delay" type="number" min="0" step="1" value="{{delay}}">
</div>
</div>
<fieldset class="sp-choices">
<legend>SLA clocks<span class="sp-vh"> of step {{number}}</span></legend>
<p class="cd-note">Only for "an SLA clock warns" or "breaches". None ticked: any clock.</p>
{{#clocks}}<div class="sp-check"><input type="checkbox" id="esc-s{{index}}-clock-{{value}}" name="s{{index}}_clock" value="{{value}}"{{#checked}} checked{{/checked}}><label for="esc-s{{index}}-clock-{{value}}">{{label}}<span class="sp-vh"> (step {{number}})</span></label></div>
{{/clocks}}</fieldset>
<fieldset class="sp-choices">
<legend>Who is paged, in order<span class="sp-vh"> (step {{number}})</span></legend>
{{#targets}}<div class="cd-field-pair">
<div class="sp-field">
<label for="esc-s{{index}}-t{{slot}}">Step {{number}} target {{slot_number}}</label>
<select id="esc-s{{index}}-t{{slot}}" name="s{{index}}_t{{slot}}"><option value=""{{^has_target}} selected{{/has_target}}>(none)</option>{{#groups}}<optgroup label="{{group_label}}">{{#options}}{{> option}}{{/options}}</optgroup>{{/groups}}</select>
</div>
<div class="sp-field">
<label for="esc-s{{index}}-k{{slot}}">Skill for step {{number}} target {{slot_number}} <span class="cd-optional">(experts with a skill)</span></label>
<input id="esc-s{{index}}-k{{slot}}" name="s{{index}}_k{{slot}}" type="text" maxlength="64" value="{{skill}}" autocomplete="off" spellcheck="false">
</div>
</div>
{{/targets}}</fieldset>
<fieldset class="sp-choices">
<legend>Then<span class="sp-vh"> (step {{number}})</span></legend>
{{#actions}}<div class="sp-check"><input type="checkbox" id="esc-s{{index}}-action-{{value}}" name="s{{index}}_action" value="{{value}}"{{#checked}} checked{{/checked}}><label for="esc-s{{index}}-action-{{value}}">{{label}}<span class="sp-vh"> (step {{number}})</span></label></div>
{{/actions}}</fieldset>
{{^blank}}<div class="sp-check"><input type="checkbox" id="esc-s{{index}}-remove" name="s{{index}}_remove" value="1"><label for="esc-s{{index}}-remove">Remove step {{number}}</label></div>{{/blank}}
</fieldset>
{{/steps}}
{{#may_edit}}<div class="cd-inline"><button type="submit" name="action" value="save">Save policy</button></div>{{/may_edit}}
</form>
{{#deletable}}
<section class="cc-section" aria-labelledby="esc-delete-h">
<h2 id="esc-delete-h">Delete</h2>
<form method="post" action="/console/admin/escalation/{{name}}/delete" class="cd-inline">
{{> csrf}}
<button type="submit">Delete policy</button>
</form>
</section>
{{/deletable}}
)html";
}

std::string_view OnCallListTemplate() {
  return R"html(<h1>On-call schedules</h1>
<p class="cd-note">A schedule says who is on call at any moment: layers of people who take turns, each layer perhaps only in weekly windows, and overrides for swaps and holidays. Escalation policies page "the person on call" on a schedule; they are kept on <a href="/console/admin/escalation">their own page</a>.</p>
{{#form_error}}<p class="cd-form-error" id="onc-list-error" role="alert">{{form_error}}</p>{{/form_error}}
<section class="cc-section" aria-labelledby="onc-list-h">
<h2 id="onc-list-h" class="sp-vh">Schedules</h2>
{{#has_rows}}<table class="cq-table">
<caption class="sp-vh">On-call schedules by name, with who is on call now</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Time zone</th><th scope="col">On call now</th><th scope="col">Until</th></tr></thead>
<tbody>
{{#rows}}<tr>
<td data-label="Name"><a href="/console/admin/oncall/{{name}}">{{name}}</a>{{#display_name}}<br><span class="cd-note">{{display_name}}</span>{{/display_name}}</td>
<td data-label="Time zone">{{time_zone}}</td>
<td data-label="On call now">{{#has_shift}}{{who}} <span class="cd-note">({{layer}})</span>{{/has_shift}}{{^has_shift}}Nobody{{#problem}}: {{problem}}{{/problem}}{{/has_shift}}</td>
<td data-label="Until">{{#has_shift}}{{#open_ended}}no change within 8 weeks{{/open_ended}}{{^open_ended}}<time datetime="{{until_iso}}">{{until}}</time>{{/open_ended}}{{/has_shift}}</td>
</tr>{{/rows}}
</tbody>
</table>{{/has_rows}}
{{^has_rows}}<p class="cd-empty">No on-call schedules yet.</p>{{/has_rows}}
{{#next_href}}<nav class="cq-pages" aria-label="Pages of schedules"><a href="/console/admin/oncall">First page</a> <a href="{{next_href}}" rel="next">Next page</a></nav>{{/next_href}}
</section>
{{#may_edit}}
<section class="cc-section" aria-labelledby="onc-new-h">
<h2 id="onc-new-h">New on-call schedule</h2>
<form method="get" action="/console/admin/oncall" class="cc-form">
<div class="sp-field">
<label for="onc-new-name">Name</label>
<input id="onc-new-name" name="new" type="text" required maxlength="64" pattern="[a-z0-9_\-]+" aria-describedby="onc-new-hint">
<p id="onc-new-hint" class="cd-note">Lower-case letters, digits, "_" and "-", e.g. "primary".</p>
</div>
<div><button type="submit">Create schedule</button></div>
</form>
</section>
{{/may_edit}}
)html";
}

std::string_view OnCallScheduleTemplate() {
  return R"html(<p><a href="/console/admin/oncall">All on-call schedules</a></p>
<h1>{{#is_new}}New on-call schedule {{/is_new}}{{^is_new}}On-call schedule {{/is_new}}<code>{{name}}</code></h1>
{{^may_edit}}<p class="cd-note">Only an admin can change on-call schedules. You can read this one.</p>{{/may_edit}}
{{#has_schedule}}<section class="cc-section" aria-labelledby="onc-now-h" id="onc-now">
<h2 id="onc-now-h">Who is on call</h2>
{{#has_shifts}}<table class="cq-table">
<caption class="sp-vh">Who is on call now and after the next hand-overs, as saved</caption>
<thead><tr><th scope="col">From</th><th scope="col">Until</th><th scope="col">On call</th><th scope="col">Layer</th></tr></thead>
<tbody>
{{#shifts}}<tr>
<td data-label="From">{{#first}}Now, since {{/first}}<time datetime="{{since_iso}}">{{since}}</time></td>
<td data-label="Until">{{#open_ended}}no change within 8 weeks{{/open_ended}}{{^open_ended}}<time datetime="{{until_iso}}">{{until}}</time>{{/open_ended}}</td>
<td data-label="On call">{{who}}</td>
<td data-label="Layer">{{layer}}</td>
</tr>{{/shifts}}
</tbody>
</table>{{/has_shifts}}
{{^has_shifts}}<p>Nobody is on call now{{#now_problem}}: {{now_problem}}{{/now_problem}}.</p>{{/has_shifts}}
</section>{{/has_schedule}}
<form method="post" action="/console/admin/oncall/{{name}}" class="cc-form" novalidate>
{{> csrf}}
{{#form_error}}<p class="cd-form-error" id="onc-error" role="alert">{{form_error}}</p>{{/form_error}}
<div class="cd-field-pair">
<div class="sp-field">
<label for="onc-display">Display name <span class="cd-optional">(optional)</span></label>
<input id="onc-display" name="display_name" type="text" maxlength="200" value="{{display_name}}">
</div>
<div class="sp-field">
<label for="onc-zone">Time zone</label>
<input id="onc-zone" name="time_zone" type="text" required value="{{time_zone}}" aria-describedby="onc-zone-hint" autocomplete="off" spellcheck="false">
</div>
</div>
<p id="onc-zone-hint" class="cd-note">The time zone is an IANA name such as Europe/London or UTC. Starts, windows and overrides are local times in this zone.</p>
<h2>Layers</h2>
<p class="cd-note">People in a layer take turns in the order given, handing over every turn length from the start. Where layers overlap, the later layer wins. Together the layers must leave nobody-on-call gaps nowhere. A layer left without name and people is dropped.</p>
{{#layers}}<fieldset class="sp-choices" id="onc-layer-{{number}}">
<legend>Layer {{number}}{{#blank}} (new){{/blank}}</legend>
<div class="cd-field-pair">
<div class="sp-field">
<label for="onc-l{{index}}-name">Layer {{number}} name</label>
<input id="onc-l{{index}}-name" name="l{{index}}_name" type="text" maxlength="64" value="{{layer_name}}" autocomplete="off">
</div>
<div class="sp-field">
<label for="onc-l{{index}}-start">Layer {{number}} first hand-over (local time)</label>
<input id="onc-l{{index}}-start" name="l{{index}}_start" type="datetime-local" value="{{start}}">
</div>
<div class="sp-field">
<label for="onc-l{{index}}-turn">Layer {{number}} turn length in minutes</label>
<input id="onc-l{{index}}-turn" name="l{{index}}_turn" type="number" min="1" max="525600" step="1" value="{{turn}}" aria-describedby="onc-turn-hint-{{index}}">
</div>
</div>
<p id="onc-turn-hint-{{index}}" class="cd-note">A turn of 1440 minutes is a day, 10080 a week.</p>
<fieldset class="sp-choices">
<legend>People of layer {{number}}, in turn order</legend>
<div class="cd-field-pair">
{{#participants}}<div class="sp-field">
<label for="onc-l{{index}}-p{{slot}}">Layer {{number}} person {{slot_number}}</label>
<select id="onc-l{{index}}-p{{slot}}" name="l{{index}}_p{{slot}}">{{#options}}{{> option}}{{/options}}</select>
</div>
{{/participants}}</div>
</fieldset>
<div class="sp-field">
<label for="onc-l{{index}}-restrictions">Layer {{number}} only in these weekly windows <span class="cd-optional">(optional)</span></label>
<input id="onc-l{{index}}-restrictions" name="l{{index}}_restrictions" type="text" value="{{restrictions}}" aria-describedby="onc-restrictions-hint-{{index}}" autocomplete="off" spellcheck="false">
<p id="onc-restrictions-hint-{{index}}" class="cd-note">A day and local times, separated by commas: "mon 09:00-17:00, sat 22:00-06:00". A window may run past midnight. Empty: always.</p>
</div>
{{^blank}}<div class="sp-check"><input type="checkbox" id="onc-l{{index}}-remove" name="l{{index}}_remove" value="1"><label for="onc-l{{index}}-remove">Remove layer {{number}}</label></div>{{/blank}}
</fieldset>
{{/layers}}
<h2>Overrides</h2>
<p class="cd-note">An override puts one person on call for a stretch of time, whatever the layers say. A row left empty is dropped.</p>
{{#overrides}}<fieldset class="sp-choices" id="onc-override-{{number}}">
<legend>Override {{number}}{{#blank}} (new){{/blank}}</legend>
<div class="cd-field-pair">
<div class="sp-field">
<label for="onc-o{{index}}-user">Override {{number}} person</label>
<select id="onc-o{{index}}-user" name="o{{index}}_user">{{#options}}{{> option}}{{/options}}</select>
</div>
<div class="sp-field">
<label for="onc-o{{index}}-start">Override {{number}} from (local time)</label>
<input id="onc-o{{index}}-start" name="o{{index}}_start" type="datetime-local" value="{{start}}">
</div>
<div class="sp-field">
<label for="onc-o{{index}}-end">Override {{number}} until (local time)</label>
<input id="onc-o{{index}}-end" name="o{{index}}_end" type="datetime-local" value="{{end}}">
</div>
<div class="sp-field">
<label for="onc-o{{index}}-reason">Override {{number}} reason <span class="cd-optional">(optional)</span></label>
<input id="onc-o{{index}}-reason" name="o{{index}}_reason" type="text" maxlength="200" value="{{reason}}">
</div>
</div>
{{^blank}}<div class="sp-check"><input type="checkbox" id="onc-o{{index}}-remove" name="o{{index}}_remove" value="1"><label for="onc-o{{index}}-remove">Remove override {{number}}</label></div>{{/blank}}
</fieldset>
{{/overrides}}
{{#may_edit}}<div class="cd-inline"><button type="submit" name="action" value="save">Save schedule</button></div>{{/may_edit}}
</form>
{{#deletable}}
<section class="cc-section" aria-labelledby="onc-delete-h">
<h2 id="onc-delete-h">Delete</h2>
<form method="post" action="/console/admin/oncall/{{name}}/delete" class="cd-inline">
{{> csrf}}
<button type="submit">Delete schedule</button>
</form>
</section>
{{/deletable}}
)html";
}

}  // namespace casedesk::adapters::web
