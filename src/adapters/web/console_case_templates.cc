#include "adapters/web/console_case_templates.h"

namespace casedesk::adapters::web {

std::string_view ConsoleQueueMainPartial() {
  return R"html(<h1 id="cq-heading">{{heading}}</h1>
<nav class="cq-tabs" aria-label="Queues">
<ul>
{{#tabs}}<li><a href="{{tab_href}}"{{#tab_active}} aria-current="page"{{/tab_active}}>{{tab_label}}</a></li>
{{/tabs}}</ul>
</nav>
{{#has_saved_views}}<nav class="cq-tabs cq-views" aria-label="Your saved views">
<ul>
{{#saved_views}}<li><a href="{{view_href}}"{{#view_active}} aria-current="page"{{/view_active}}>{{view_name}}</a></li>
{{/saved_views}}</ul>
</nav>{{/has_saved_views}}
<form class="cd-inline cq-filter" method="get" action="/console/cases">
<input type="hidden" name="queue" value="{{queue}}">
{{#org_id}}<input type="hidden" name="org" value="{{org_id}}">{{/org_id}}
<label for="cq-severity">Severity</label>
<select id="cq-severity" name="severity">{{^by_severity}}<option value="">Any severity</option>{{/by_severity}}{{#severity_options}}{{> option}}{{/severity_options}}</select>
<label for="cq-group">Group</label>
<select id="cq-group" name="group"><option value="">Any group</option>{{#group_options}}{{> option}}{{/group_options}}</select>
<button type="submit" class="cd-button">Show</button>
</form>
{{#org_id}}<p class="cq-narrowed">Organisation: <strong>{{org_name}}</strong> <a href="{{without_org_href}}">Show every organisation</a></p>{{/org_id}}
<p class="cd-lead">{{description}} Earliest next SLA deadline first.</p>
<div id="cq-live" class="cq-live" data-live>
{{#has_rows}}<div class="cq-scroll">
<table class="cq-table">
<caption class="sp-vh">{{heading}}, earliest next SLA deadline first</caption>
<thead><tr><th scope="col">Case</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Organisation</th><th scope="col">Assignee</th><th scope="col">Next deadline</th></tr></thead>
<tbody>
{{#rows}}<tr class="cq-row" data-case="{{number}}">
<td class="cq-subject"><a class="cq-case-link" href="/console/cases/{{number}}">#{{number}} {{subject}}</a></td>
<td data-label="Severity"><span class="cc-sev cc-sev-{{severity_level}}"><span class="sp-icon" aria-hidden="true">{{severity_icon}}</span> {{severity_text}}</span>{{^severity_confirmed}} <span class="cc-tag">unconfirmed</span>{{/severity_confirmed}}</td>
<td data-label="Status">{{status_text}}</td>
<td data-label="Organisation"><a href="{{org_href}}" title="Only this organisation's cases">{{org_name}}</a></td>
<td data-label="Assignee">{{#assignee_name}}{{assignee_name}}{{/assignee_name}}{{^assignee_name}}<span class="cd-note">Unassigned</span>{{/assignee_name}}</td>
<td data-label="Next deadline">{{#due}}<time class="cc-due{{#overdue}} cc-overdue{{/overdue}}" datetime="{{due_iso}}" title="{{due_text}}" data-countdown>{{#overdue}}<span class="sp-icon" aria-hidden="true">!</span> {{/overdue}}{{countdown}}</time>{{/due}}{{^due}}<span class="cd-note">No running clock</span>{{/due}}</td>
</tr>
{{/rows}}</tbody>
</table>
</div>{{/has_rows}}
{{^has_rows}}<p class="cd-empty">No cases in this queue.</p>{{/has_rows}}
{{#has_pages}}<nav class="cq-pages" aria-label="Pages of this queue">
{{#first_href}}<a href="{{first_href}}">First page</a>{{/first_href}}
{{#next_href}}<a href="{{next_href}}" rel="next">Next page</a>{{/next_href}}
</nav>{{/has_pages}}
</div>
<section class="cq-saving" aria-labelledby="cq-saving-heading">
<h2 id="cq-saving-heading" class="sp-vh">Saved views</h2>
<details class="cq-save"{{#save_open}} open{{/save_open}}>
<summary>Save this view</summary>
<form method="post" action="/console/views">
{{> csrf}}
<input type="hidden" name="filter" value="{{filter}}">
{{> form_error_partial}}
<label for="cq-view-name">Name of the view</label>
<input id="cq-view-name" name="name" type="text" maxlength="60" required autocomplete="off" value="{{save_name}}"{{#invalid_name}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_name}}>
<button type="submit" class="cd-button">Save view</button>
</form>
</details>
{{#has_saved_views}}<details class="cq-manage">
<summary>Manage saved views</summary>
<ul class="cq-view-list">
{{#saved_views}}<li><a href="{{view_href}}">{{view_name}}</a>
<form class="cd-inline" method="post" action="/console/views/{{view_id}}/delete">{{> csrf}}<button type="submit" class="cd-button">Delete<span class="sp-vh"> the view {{view_name}}</span></button></form></li>
{{/saved_views}}</ul>
</details>{{/has_saved_views}}
</section>
{{> shortcuts}}
<script src="/static/console.js" defer></script>
)html";
}

std::string_view ConsoleHistoryMainPartial() {
  return R"html(<p class="sp-back"><a href="/console/cases/{{number}}"><span aria-hidden="true">&larr;</span> Case #{{number}}</a></p>
<h1>History of case #{{number}}: {{subject}}</h1>
<ol class="cc-history">
{{#events}}<li><time datetime="{{at_iso}}">{{at_text}}</time> <span class="cc-event-kind">{{kind_text}}</span> <span class="cd-note">by {{actor}}</span>
{{#has_changes}}<ul class="cd-changes">{{#changes}}<li>{{field}}: {{before}} &rarr; {{after}}</li>{{/changes}}</ul>{{/has_changes}}
{{#reason}}<p class="cd-changes">Reason: {{reason}}</p>{{/reason}}
</li>
{{/events}}</ol>
{{#next_href}}<nav class="cq-pages" aria-label="Pages of the history"><a href="{{next_href}}" rel="next">Later events</a></nav>{{/next_href}}
)html";
}

std::string_view ConsoleShortcutsPartial() {
  return R"html(<details class="cc-shortcuts" id="cc-shortcuts">
<summary>Keyboard shortcuts</summary>
<dl>
<dt><kbd>j</kbd> / <kbd>k</kbd></dt><dd>Next / previous case in the queue</dd>
<dt><kbd>Enter</kbd></dt><dd>Open the selected case</dd>
<dt><kbd>r</kbd></dt><dd>Write a public reply</dd>
<dt><kbd>n</kbd></dt><dd>Write an internal note</dd>
<dt><kbd>?</kbd></dt><dd>Show or hide this help</dd>
</dl>
</details>
)html";
}

std::string_view ConsoleCaseMainPartial() {
  return R"html(<p class="sp-back"><a href="/console/cases"><span aria-hidden="true">&larr;</span> Queues</a></p>
<h1 class="cc-title"><span class="cc-number">#{{number}}</span> {{subject}}</h1>
<ul class="cc-badges" aria-label="Case summary">
<li><span class="cc-sev cc-sev-{{severity_level}}"><span class="sp-icon" aria-hidden="true">{{severity_icon}}</span> Severity {{severity_text}}</span>{{^severity_confirmed}} <span class="cc-tag">unconfirmed; customer chose {{proposed_text}}</span>{{/severity_confirmed}}</li>
<li><span class="cc-status cc-status-{{status}}">Status: {{status_text}}</span></li>
<li>Assignee: {{#assignee_name}}{{assignee_name}}{{/assignee_name}}{{^assignee_name}}unassigned{{/assignee_name}}</li>
<li>Group: {{#group_name}}{{group_name}}{{/group_name}}{{^group_name}}none{{/group_name}}</li>
{{#escalated}}<li><span class="cc-tag cc-tag-alert"><span class="sp-icon" aria-hidden="true">&#x2191;</span> Escalated to {{tier}}</span></li>{{/escalated}}
{{#security_incident}}<li><span class="cc-tag cc-tag-alert">Security incident</span></li>{{/security_incident}}
</ul>
<div class="cc-layout">
<div class="cc-main">
<section class="cc-section" aria-labelledby="cc-conversation-h">
<h2 id="cc-conversation-h">Conversation</h2>
<div class="cc-description">
<p class="cc-meta">Opened by {{requester_name}} <time datetime="{{created_iso}}">{{created_text}}</time></p>
<div class="cd-text">{{description}}</div>
</div>
<div id="cc-live-conversation" data-live>
{{#earlier_comments}}<p class="cd-note">{{earlier_comments}} earlier comments are not shown. <a href="/console/cases/{{number}}?conversation=all">Show the whole conversation</a></p>{{/earlier_comments}}
{{#has_comments}}<ol class="cc-timeline">
{{#comments}}<li class="cc-comment {{#internal}}cc-internal{{/internal}}{{^internal}}cc-public{{/internal}}" id="comment-{{comment_id}}">
<article aria-label="{{kind_label}} by {{author}}">
<p class="cc-comment-head"><span class="cc-kind">{{#internal}}<span class="sp-icon" aria-hidden="true">&#x25C6;</span>{{/internal}}{{^internal}}<span class="sp-icon" aria-hidden="true">&#x2709;</span>{{/internal}} {{kind_label}}</span> <span class="cc-author">{{author}}</span> <time datetime="{{at_iso}}">{{at_text}}</time>{{#channel}} <span class="cd-note">via {{channel}}</span>{{/channel}}</p>
<div class="cd-text">{{body}}</div>
{{#has_files}}<ul class="cc-files">{{#files}}<li><a href="/console/attachments/{{file_id}}" download>{{file_name}}</a> <span class="cd-note">({{file_size}})</span></li>{{/files}}</ul>{{/has_files}}
</article>
</li>
{{/comments}}</ol>{{/has_comments}}
{{^has_comments}}<p class="cd-empty">No replies or notes yet.</p>{{/has_comments}}
</div>
</section>
{{#open_for_comments}}
<section class="cc-section cc-compose cc-compose-public" aria-labelledby="cc-reply-h">
<h2 id="cc-reply-h"><span class="sp-icon" aria-hidden="true">&#x2709;</span> Public reply</h2>
{{#reply}}<form method="post" action="/console/cases/{{number}}/reply" class="sp-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-reply">Reply <span class="cd-optional">(the requester and followers receive it)</span></label>
<textarea id="cc-reply" name="body" rows="5" required{{#invalid_body}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_body}}>{{body}}</textarea>
</div>
<button type="submit" class="sp-button">Send reply</button>
</form>{{/reply}}
</section>
<section class="cc-section kb-case-tools" aria-labelledby="kb-case-h">
<h2 id="kb-case-h">Knowledge base</h2>
<p><a href="/console/kb/answer?case={{number}}">Answer with an article</a> <span class="cd-optional">(find one customers can read; its link goes into a reply)</span></p>
<form method="post" action="/console/cases/{{number}}/kb-draft" class="cd-inline">
{{> csrf}}
<button type="submit" class="sp-button">Draft an article from this case</button>
</form>
</section>
<section class="cc-section cc-compose cc-compose-internal" aria-labelledby="cc-note-h">
<h2 id="cc-note-h"><span class="sp-icon" aria-hidden="true">&#x25C6;</span> Internal note</h2>
{{#note}}<form method="post" action="/console/cases/{{number}}/note" class="sp-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-note">Note <span class="cd-optional">(staff only; the customer never sees it)</span></label>
<textarea id="cc-note" name="body" rows="4" required{{#invalid_body}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_body}}>{{body}}</textarea>
</div>
<button type="submit" class="sp-button cc-button-internal">Add internal note</button>
</form>{{/note}}
</section>
{{/open_for_comments}}
{{^open_for_comments}}<p class="cd-note">This case is closed: it takes no more replies or notes.</p>{{/open_for_comments}}
{{> service_task_section}}
{{> time_section}}
{{> engineering_section}}
{{> remote_access_section}}
<section class="cc-section" aria-labelledby="cc-history-h">
<h2 id="cc-history-h">History</h2>
<div id="cc-live-history" data-live>
{{#earlier_events}}<p class="cd-note">{{earlier_events}} earlier events are not shown. <a href="/console/cases/{{number}}/history">Show the whole history</a></p>{{/earlier_events}}
<ol class="cc-history">
{{#events}}<li><time datetime="{{at_iso}}">{{at_text}}</time> <span class="cc-event-kind">{{kind_text}}</span> <span class="cd-note">by {{actor}}</span>
{{#has_changes}}<ul class="cd-changes">{{#changes}}<li>{{field}}: {{before}} &rarr; {{after}}</li>{{/changes}}</ul>{{/has_changes}}
{{#reason}}<p class="cd-changes">Reason: {{reason}}</p>{{/reason}}
</li>
{{/events}}</ol>
</div>
</section>
</div>
<div class="cc-side">
<section class="cc-section cd-panel" aria-labelledby="cc-triage-h">
<h2 id="cc-triage-h">Triage</h2>
{{#take}}<form method="post" action="/console/cases/{{number}}/assignee" class="cc-form">
{{> csrf}}
<input type="hidden" name="assignee" value="{{viewer_id}}">
<button type="submit" class="sp-button">Take this case</button>
</form>{{/take}}
{{#status_form}}<form method="post" action="/console/cases/{{number}}/status" class="cc-form" id="cc-status-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-status">Status</label>
<select id="cc-status" name="status"{{#invalid_status}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_status}}>{{#options}}{{> option}}{{/options}}</select>
</div>
<button type="submit" class="cd-button">Change status</button>
</form>{{/status_form}}
{{#severity_form}}<form method="post" action="/console/cases/{{number}}/severity" class="cc-form" id="cc-severity-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-severity">Severity</label>
<select id="cc-severity" name="severity"{{#invalid_severity}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_severity}}>{{#options}}{{> option}}{{/options}}</select>
</div>
<div class="sp-field">
<label for="cc-severity-code">Why</label>
<select id="cc-severity-code" name="reason_code"{{#invalid_severity_reason_code}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_severity_reason_code}}>{{#codes}}{{> option}}{{/codes}}</select>
</div>
<div class="sp-field">
<label for="cc-severity-reason">Explanation</label>
<textarea id="cc-severity-reason" name="reason" rows="2" required{{#invalid_severity_reason}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_severity_reason}}>{{reason}}</textarea>
</div>
<button type="submit" class="cd-button">{{#unconfirmed}}Confirm or change severity{{/unconfirmed}}{{^unconfirmed}}Change severity{{/unconfirmed}}</button>
</form>{{/severity_form}}
{{#assignee_form}}<form method="post" action="/console/cases/{{number}}/assignee" class="cc-form" id="cc-assignee-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-assignee">Assignee</label>
<select id="cc-assignee" name="assignee"{{#invalid_assignee_id}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_assignee_id}}>{{#options}}{{> option}}{{/options}}</select>
</div>
<button type="submit" class="cd-button">Assign</button>
</form>{{/assignee_form}}
{{#group_form}}<form method="post" action="/console/cases/{{number}}/group" class="cc-form" id="cc-group-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-group">Group</label>
<select id="cc-group" name="group"{{#invalid_group_id}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_group_id}}>{{#options}}{{> option}}{{/options}}</select>
</div>
<button type="submit" class="cd-button">Move to group</button>
</form>{{/group_form}}
</section>
<section class="cc-section" aria-labelledby="cc-sla-h">
<h2 id="cc-sla-h">SLA clocks</h2>
<div id="cc-live-sla" data-live>
{{#has_sla}}<p class="cd-note">Plan {{plan}}.</p>
<ul class="cc-clocks">
{{#clocks}}<li class="cc-clock cc-clock-{{state}}">
<h3 class="cc-clock-name">{{name}} <span class="cc-tag">{{state_text}}</span></h3>
{{#due}}<p>Due <time datetime="{{due_iso}}">{{due_text}}</time>: <time class="cc-due{{#overdue}} cc-overdue{{/overdue}}" datetime="{{due_iso}}" data-countdown>{{#overdue}}<span class="sp-icon" aria-hidden="true">!</span> {{/overdue}}{{countdown}}</time></p>{{/due}}
{{#achieved}}<p>Achieved <time datetime="{{achieved_iso}}">{{achieved_text}}</time>{{#late}}, late{{/late}}</p>{{/achieved}}
{{#breached}}<p class="cc-breached"><span class="sp-icon" aria-hidden="true">!</span> Breached <time datetime="{{breached_iso}}">{{breached_text}}</time></p>{{/breached}}
{{#has_steps}}<details><summary>Why this due time</summary><ol class="cc-steps">{{#steps}}<li>{{step}}</li>{{/steps}}</ol></details>{{/has_steps}}
</li>
{{/clocks}}</ul>{{/has_sla}}
{{^has_sla}}<p class="cd-note">The organisation's plan has no SLA policy.</p>{{/has_sla}}
</div>
</section>
<section class="cc-section" aria-labelledby="cc-context-h">
<h2 id="cc-context-h">Requester and organisation</h2>
<dl class="cc-facts">
<dt>Requester</dt><dd>{{requester_name}} <span class="cd-note">{{requester_email}}</span></dd>
<dt>Organisation</dt><dd>{{org_name}}</dd>
<dt>Plan</dt><dd>{{#plan_name}}{{plan_name}}{{/plan_name}}{{^plan_name}}none{{/plan_name}}</dd>
<dt>Category</dt><dd>{{category}}</dd>
{{#product}}<dt>Product</dt><dd>{{product}}{{#component}} / {{component}}{{/component}}</dd>{{/product}}
</dl>
{{#has_fields}}<h3>Environment</h3><dl class="cc-facts">{{#fields}}<dt>{{key}}</dt><dd class="cd-text">{{value}}</dd>{{/fields}}</dl>{{/has_fields}}
<h3>Severity flags</h3>
{{#has_flags}}<ul class="cc-flags">{{#flags}}<li><span class="sp-icon" aria-hidden="true">&#x2691;</span> Severity {{flagged}} flagged by {{flagged_by}} <time datetime="{{at_iso}}">{{at_text}}</time>: {{reason}}</li>{{/flags}}</ul>{{/has_flags}}
{{^has_flags}}<p class="cd-note">This case's severity has not been flagged.</p>{{/has_flags}}
<p class="cc-flag-history{{#flags_alert}} cc-tag-alert{{/flags_alert}}" id="cc-flag-history">{{#flags_alert}}<span class="sp-icon" aria-hidden="true">&#x2691;</span> {{/flags_alert}}Severity misuse flagged in the last 90 days: {{org_flags}} for {{org_name}}, {{requester_flags}} for {{requester_name}}.</p>
<h3>Recent cases of {{org_name}}</h3>
{{#has_recent}}<ul class="cc-recent">{{#recent}}<li><a href="/console/cases/{{recent_number}}">#{{recent_number}} {{recent_subject}}</a> <span class="cd-note">{{recent_status}}</span></li>{{/recent}}</ul>{{/has_recent}}
{{^has_recent}}<p class="cd-note">No other cases.</p>{{/has_recent}}
</section>
<section class="cc-section" aria-labelledby="cc-files-h">
<h2 id="cc-files-h">Attachments</h2>
{{#has_attachments}}<ul class="cc-files">{{#attachments}}<li><a href="/console/attachments/{{file_id}}" download>{{file_name}}</a> <span class="cd-note">({{file_size}}{{#file_internal}}, internal{{/file_internal}})</span></li>{{/attachments}}</ul>{{/has_attachments}}
{{^has_attachments}}<p class="cd-note">No files.</p>{{/has_attachments}}
</section>
<section class="cc-section cd-panel" aria-labelledby="cc-more-h">
<h2 id="cc-more-h">Escalate or flag</h2>
{{#escalate_form}}<form method="post" action="/console/cases/{{number}}/escalate" class="cc-form" id="cc-escalate-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-escalate-reason">Why escalate</label>
<textarea id="cc-escalate-reason" name="reason" rows="2" required{{#invalid_reason}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_reason}}>{{reason}}</textarea>
</div>
<button type="submit" class="cd-button">Escalate</button>
</form>{{/escalate_form}}
{{#flag_form}}<form method="post" action="/console/cases/{{number}}/flag" class="cc-form" id="cc-flag-form">
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="cc-flag-reason">Why the customer's severity {{proposed_text}} was misused</label>
<textarea id="cc-flag-reason" name="reason" rows="2" required{{#invalid_reason}} aria-invalid="true" aria-describedby="{{form_error_id}}"{{/invalid_reason}}>{{reason}}</textarea>
</div>
<button type="submit" class="cd-button">Flag severity misuse</button>
</form>{{/flag_form}}
</section>
</div>
</div>
{{> shortcuts}}
<script src="/static/console.js" defer></script>
)html";
}

}  // namespace casedesk::adapters::web
