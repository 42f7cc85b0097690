#include "adapters/web/console_status_templates.h"

namespace casedesk::adapters::web {

std::string_view ConsoleStatusMainPartial() {
  return R"html(<h1>Status page</h1>
<p class="cd-lead">Run what customers see on <a href="/status">the public status page</a>. Times are in {{zone_name}}.</p>
<section class="sp-banner sp-indicator-{{indicator_css}}" aria-labelledby="cd-overall">
<h2 id="cd-overall" class="cd-banner-title"><span class="sp-icon" aria-hidden="true">{{indicator_icon}}</span> {{indicator_text}}</h2>
</section>
<div class="cd-grid">
<div class="cd-col">
<section class="sp-section" aria-labelledby="cd-open">
<h2 id="cd-open">Open incidents and maintenance</h2>
{{#has_open}}<ul class="cd-list">
{{#open_events}}{{> event_item}}{{/open_events}}
</ul>{{/has_open}}
{{^has_open}}<p class="cd-empty">Nothing is open.</p>{{/has_open}}
</section>
<section class="sp-section" aria-labelledby="cd-components">
<h2 id="cd-components">Components</h2>
{{#has_components}}<ul class="cd-list">
{{#top_components}}<li class="cd-component-block">
{{#is_group}}<div class="cd-component"><h3 class="cd-component-name">{{name}}</h3>{{> status_badge}}</div>
{{#has_members}}<ul class="cd-members">
{{#members}}<li>{{> component_row}}</li>
{{/members}}</ul>{{/has_members}}
{{^has_members}}<p class="cd-note">No components in this group.</p>{{/has_members}}
{{/is_group}}
{{^is_group}}{{> component_row}}{{/is_group}}
</li>
{{/top_components}}</ul>{{/has_components}}
{{^has_components}}<p class="cd-empty">No components yet: add the first one below.</p>{{/has_components}}
{{#add_component_form}}
<h3 id="cd-add-component">Add a component</h3>
<form class="sp-form cd-panel" method="post" action="/console/status/components" aria-labelledby="cd-add-component">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="add-component-name">Name</label>
<input id="add-component-name" name="name" type="text" required maxlength="255" value="{{name}}"{{#invalid_name}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_name}}>
</div>
<div class="sp-field">
<label for="add-component-group">Group <span class="cd-optional">(optional; a new name creates the group)</span></label>
<input id="add-component-group" name="group" type="text" maxlength="255" value="{{group}}" list="cd-group-names"{{#invalid_group}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_group}}>
<datalist id="cd-group-names">{{#group_names}}<option value="{{group_name}}"></option>{{/group_names}}</datalist>
</div>
<button type="submit" class="sp-button">Add component</button>
</form>
{{/add_component_form}}
</section>
<section class="sp-section" aria-labelledby="cd-closed">
<h2 id="cd-closed">Recently closed</h2>
{{#has_closed}}<ul class="cd-list">
{{#closed_events}}{{> event_item}}{{/closed_events}}
</ul>{{/has_closed}}
{{^has_closed}}<p class="cd-empty">Nothing closed recently.</p>{{/has_closed}}
</section>
</div>
<div class="cd-col">
<section class="sp-section" aria-labelledby="cd-open-incident">
<h2 id="cd-open-incident">Open an incident</h2>
{{#incident_form}}
<form class="sp-form cd-panel" method="post" action="/console/status/incidents" aria-labelledby="cd-open-incident">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="incident-name">Name</label>
<input id="incident-name" name="name" type="text" required maxlength="255" value="{{name}}"{{#invalid_name}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_name}}>
</div>
<div class="sp-field">
<label for="incident-impact">Impact</label>
<select id="incident-impact" name="impact"{{#invalid_impact}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_impact}}>
{{#impact_options}}{{> option}}{{/impact_options}}
</select>
</div>
{{> component_choices}}
<div class="sp-field">
<label for="incident-component-status">Set the affected components to</label>
<select id="incident-component-status" name="component_status"{{#invalid_component_status}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_component_status}}>
{{#component_status_options}}{{> option}}{{/component_status_options}}
</select>
</div>
<div class="sp-field">
<label for="incident-body">First update</label>
<textarea id="incident-body" name="body" rows="4" maxlength="20000" aria-describedby="incident-body-note{{#invalid_body}} {{form_error_id}}{{/invalid_body}}"{{#invalid_body}} aria-invalid="true"{{/invalid_body}}>{{body}}</textarea>
<p class="cd-note" id="incident-body-note">Shown on the public page and sent to subscribers.</p>
</div>
<div class="sp-check"><input type="checkbox" id="incident-notify" name="notify" value="1"{{#notify}} checked{{/notify}}><label for="incident-notify">Notify subscribers</label></div>
<button type="submit" class="sp-button">Open incident</button>
</form>
{{/incident_form}}
</section>
<section class="sp-section" aria-labelledby="cd-schedule">
<h2 id="cd-schedule">Schedule maintenance</h2>
{{#maintenance_form}}
<form class="sp-form cd-panel" method="post" action="/console/status/maintenances" aria-labelledby="cd-schedule">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="maintenance-name">Name</label>
<input id="maintenance-name" name="name" type="text" required maxlength="255" value="{{name}}"{{#invalid_name}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_name}}>
</div>
{{> component_choices}}
<p class="cd-note" id="maintenance-zone-note">Start and end are in the status page's time zone, {{zone_name}}.</p>
<div class="cd-field-pair">
<div class="sp-field">
<label for="maintenance-starts">Starts</label>
<input id="maintenance-starts" name="scheduled_for" type="datetime-local" required value="{{scheduled_for}}" aria-describedby="maintenance-zone-note{{#invalid_scheduled_for}} {{form_error_id}}{{/invalid_scheduled_for}}"{{#invalid_scheduled_for}} aria-invalid="true"{{/invalid_scheduled_for}}>
</div>
<div class="sp-field">
<label for="maintenance-ends">Ends</label>
<input id="maintenance-ends" name="scheduled_until" type="datetime-local" required value="{{scheduled_until}}" aria-describedby="maintenance-zone-note{{#invalid_scheduled_until}} {{form_error_id}}{{/invalid_scheduled_until}}"{{#invalid_scheduled_until}} aria-invalid="true"{{/invalid_scheduled_until}}>
</div>
</div>
<div class="sp-field">
<label for="maintenance-body">Description</label>
<textarea id="maintenance-body" name="body" rows="4" maxlength="20000"{{#invalid_body}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_body}}>{{body}}</textarea>
</div>
<div class="sp-check"><input type="checkbox" id="maintenance-notify" name="notify" value="1"{{#notify}} checked{{/notify}}><label for="maintenance-notify">Notify subscribers</label></div>
<button type="submit" class="sp-button">Schedule maintenance</button>
</form>
{{/maintenance_form}}
</section>
</div>
</div>
)html";
}

std::string_view ConsoleIncidentMainPartial() {
  return R"html(<p class="sp-back"><a href="/console/status"><span aria-hidden="true">&larr;</span> Status page</a></p>
<h1 class="cd-event-title">{{event_name}}</h1>
<p class="sp-event-meta"><span class="sp-tag">{{event_kind}}</span> <span class="sp-tag sp-tag-status">{{event_status}}</span>{{#is_incident}} <span class="sp-tag">Impact: {{impact_word}}</span>{{/is_incident}} <a href="/status/incidents/{{event_id}}">Public page</a></p>
{{#has_window}}<p class="sp-window">Scheduled for <time datetime="{{window_from_iso}}">{{window_from_text}}</time> until <time datetime="{{window_until_iso}}">{{window_until_text}}</time></p>{{/has_window}}
<p class="sp-affected">Affected components: {{#has_affected}}{{affected_names}}{{/has_affected}}{{^has_affected}}none{{/has_affected}}</p>
<div class="cd-grid">
<div class="cd-col">
<section class="sp-section" aria-labelledby="cd-post-update">
<h2 id="cd-post-update">Post an update</h2>
{{#update_form}}
<form class="sp-form cd-panel" method="post" action="/console/status/incidents/{{event_id}}/updates" aria-labelledby="cd-post-update">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="update-status">Status</label>
<select id="update-status" name="status"{{#invalid_status}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_status}}>
{{#status_options}}{{> option}}{{/status_options}}
</select>
</div>
<div class="sp-field">
<label for="update-body">Message</label>
<textarea id="update-body" name="body" rows="5" maxlength="20000"{{#invalid_body}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_body}}>{{body}}</textarea>
</div>
<div class="sp-field">
<label for="update-component-status">Affected components' status</label>
<select id="update-component-status" name="component_status" aria-describedby="update-component-status-note{{#invalid_component_status}} {{form_error_id}}{{/invalid_component_status}}"{{#invalid_component_status}} aria-invalid="true"{{/invalid_component_status}}>
{{#component_status_options}}{{> option}}{{/component_status_options}}
</select>
<p class="cd-note" id="update-component-status-note">Unchanged keeps their status, except that closing returns them to operational.</p>
</div>
<div class="sp-check"><input type="checkbox" id="update-notify" name="notify" value="1"{{#notify}} checked{{/notify}}><label for="update-notify">Notify subscribers</label></div>
{{#has_cases}}
<fieldset class="sp-choices"{{#invalid_linked_cases}} aria-describedby="{{form_error_id}}"{{/invalid_linked_cases}}>
<legend>Linked cases ({{case_count}})</legend>
<div class="sp-check"><input type="radio" id="update-cases-none" name="linked_cases" value="none"{{#cases_none}} checked{{/cases_none}}><label for="update-cases-none">Do not touch linked cases</label></div>
<div class="sp-check"><input type="radio" id="update-cases-update" name="linked_cases" value="update"{{#cases_update}} checked{{/cases_update}}><label for="update-cases-update">Post this update on every linked case</label></div>
<div class="sp-check"><input type="radio" id="update-cases-solve" name="linked_cases" value="solve" aria-describedby="update-cases-solve-note"{{#cases_solve}} checked{{/cases_solve}}><label for="update-cases-solve">Post it and solve the cases</label></div>
<p class="cd-note" id="update-cases-solve-note">Only when resolving: the cases are solved only by an update with the status {{closing_words}}.</p>
</fieldset>
{{/has_cases}}
<button type="submit" class="sp-button">Post update</button>
</form>
{{/update_form}}
</section>
<section class="sp-section" aria-labelledby="cd-timeline">
<h2 id="cd-timeline">Timeline</h2>
{{#has_updates}}<ol class="sp-timeline">
{{#updates}}<li class="sp-update">
<p class="sp-update-head"><strong>{{update_status}}</strong> <time datetime="{{update_iso}}">{{update_text}}</time>{{^update_notified}} <span class="sp-tag">Subscribers not notified</span>{{/update_notified}}</p>
<div class="sp-update-body cd-text">{{update_body}}</div>
{{#has_changes}}<ul class="cd-changes" aria-label="Component changes">
{{#changes}}<li>{{change_name}}: {{change_old}} <span aria-hidden="true">&rarr;</span><span class="sp-vh">to</span> {{change_new}}</li>
{{/changes}}</ul>{{/has_changes}}
</li>
{{/updates}}</ol>{{/has_updates}}
{{^has_updates}}<p class="cd-empty">No updates yet.</p>{{/has_updates}}
</section>
</div>
<div class="cd-col">
<section class="sp-section" aria-labelledby="cd-cases">
<h2 id="cd-cases">Linked cases</h2>
{{#has_cases}}<ul class="cd-list">
{{#cases}}<li class="cd-case">
<a href="/api/v1/cases/{{number}}">Case #{{number}}</a>
<form class="cd-inline" method="post" action="/console/status/incidents/{{event_id}}/cases/{{number}}/unlink">
{{> csrf}}
<button type="submit" class="cd-button">Unlink<span class="sp-vh"> case #{{number}}</span></button>
</form>
{{> form_error_partial}}
</li>
{{/cases}}</ul>{{/has_cases}}
{{^has_cases}}<p class="cd-empty">No cases are linked.</p>{{/has_cases}}
{{#link_form}}
<form class="sp-form cd-panel" method="post" action="/console/status/incidents/{{event_id}}/cases" aria-label="Link a case">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="link-case-number">Case number</label>
<input id="link-case-number" name="case_number" type="text" inputmode="numeric" pattern="#?[0-9]+" required maxlength="18" value="{{case_number}}"{{#invalid_case_number}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_case_number}}>
</div>
<button type="submit" class="sp-button">Link case</button>
</form>
{{/link_form}}
</section>
</div>
</div>
)html";
}

std::string_view ConsoleEventItemPartial() {
  return R"html(<li class="cd-event sp-impact-{{impact_css}}">
<a class="cd-event-name" href="/console/status/incidents/{{event_id}}">{{event_name}}</a>
<p class="sp-event-meta"><span class="sp-tag">{{event_kind}}</span> <span class="sp-tag sp-tag-status">{{event_status}}</span>{{#is_incident}} <span class="sp-tag">Impact: {{impact_word}}</span>{{/is_incident}} {{changed_verb}} <time datetime="{{changed_iso}}">{{changed_text}}</time></p>
{{#has_window}}<p class="sp-window">Scheduled for <time datetime="{{window_from_iso}}">{{window_from_text}}</time> until <time datetime="{{window_until_iso}}">{{window_until_text}}</time></p>{{/has_window}}
</li>
)html";
}

std::string_view ConsoleComponentRowPartial() {
  return R"html(<div class="cd-component">
<{{heading}} class="cd-component-name">{{name}}</{{heading}}>
{{> status_badge}}
<form class="cd-inline" method="post" action="/console/status/components/{{component_id}}">
{{> csrf}}
<label for="component-{{component_id}}-status"><span class="sp-vh">{{name}}: </span>Status</label>
<select id="component-{{component_id}}-status" name="status"{{#form_error}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/form_error}}>
{{#status_options}}{{> option}}{{/status_options}}
</select>
<button type="submit" class="cd-button">Save<span class="sp-vh"> the status of {{name}}</span></button>
</form>
</div>
{{> form_error_partial}}
)html";
}

std::string_view ConsoleChoicesPartial() {
  return R"html({{#has_choices}}<fieldset class="sp-choices"{{#invalid_component_ids}} aria-describedby="{{form_error_id}}"{{/invalid_component_ids}}>
<legend>Affected components</legend>
{{#choices}}<div class="sp-check"><input type="checkbox" id="{{prefix}}-component-{{choice_id}}" name="component_id" value="{{choice_id}}"{{#checked}} checked{{/checked}}><label for="{{prefix}}-component-{{choice_id}}">{{choice_name}}</label></div>
{{/choices}}</fieldset>{{/has_choices}}
{{^has_choices}}<p class="cd-note">No components to choose yet.</p>{{/has_choices}}
)html";
}

}  // namespace casedesk::adapters::web
