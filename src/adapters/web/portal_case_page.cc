#include "adapters/web/portal_case_page.h"

#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kMain =
    R"html(<p class="pt-back"><a href="/portal">Back to my cases</a></p>
<h1><span class="pt-number">Case #{{number}}:</span> {{subject}}</h1>
<dl class="pt-summary">
<div><dt>Status</dt><dd><span class="pt-status pt-status-{{status_class}}">{{status}}</span></dd></div>
<div><dt>Severity</dt><dd>{{severity}}</dd></div>
<div><dt>Kind</dt><dd>{{category}}</dd></div>
{{#org_name}}<div><dt>Organisation</dt><dd>{{org_name}}</dd></div>
{{/org_name}}<div><dt>Opened</dt><dd>{{opened}}</dd></div>
{{#partner_agent}}<div><dt>Your reference</dt><dd>{{#partner_reference}}{{partner_reference}}{{/partner_reference}}{{^partner_reference}}none yet{{/partner_reference}}</dd></div>
{{/partner_agent}}</dl>
<p class="pt-promise{{#promise_late}} pt-late{{/promise_late}}" role="status">{{#promise_late}}<span class="sp-icon" aria-hidden="true">!</span> {{/promise_late}}{{promise}}</p>
{{> service_task_section}}
{{> remote_access_section}}
<section class="pt-section" aria-labelledby="pt-reported">
<h2 id="pt-reported">What was reported</h2>
<div class="cd-text pt-body">{{description}}</div>
{{#has_facts}}<dl class="pt-facts">
{{#facts}}<div><dt>{{label}}</dt><dd class="cd-text">{{value}}</dd></div>
{{/facts}}</dl>
{{/has_facts}}{{#has_files}}<h3>Files</h3>
<ul class="pt-files">
{{#files}}{{> file}}
{{/files}}</ul>
{{/has_files}}</section>
<section class="pt-section" aria-labelledby="pt-conversation">
<h2 id="pt-conversation">Conversation</h2>
{{#has_comments}}<ol class="pt-conversation">
{{#comments}}<li class="pt-comment{{#support}} pt-comment-support{{/support}}">
<p class="pt-comment-head"><strong>{{author}}</strong> <span class="pt-side">({{side}})</span> <time datetime="{{time_iso}}">{{time}}</time></p>
<div class="cd-text pt-body">{{body}}</div>
{{#has_files}}<ul class="pt-files">
{{#files}}{{> file}}
{{/files}}</ul>
{{/has_files}}</li>
{{/comments}}</ol>
{{/has_comments}}{{^has_comments}}<p class="pt-empty">No replies yet.</p>
{{/has_comments}}</section>
{{^closed}}<section class="pt-section" aria-labelledby="pt-reply">
<h2 id="pt-reply">Reply</h2>
<form class="sp-form pt-form" method="post" action="/portal/cases/{{number}}/replies" enctype="multipart/form-data">
{{> csrf}}
<div class="sp-field">
<label for="pt-reply-body">Your reply</label>
{{#reply_error}}<p class="pt-field-error" id="pt-reply-error"><span class="sp-icon" aria-hidden="true">!</span> {{reply_error}}</p>
{{/reply_error}}<textarea id="pt-reply-body" name="body" rows="6"{{#reply_error}} aria-invalid="true" aria-describedby="pt-reply-error"{{/reply_error}}>{{reply_body}}</textarea>
</div>
<div class="sp-field">
<label for="pt-reply-files">Files <span class="cd-optional">(optional)</span></label>
<p class="pt-hint" id="pt-reply-files-hint">Up to 10 files, {{max_file_size}} each.</p>
<input type="file" id="pt-reply-files" name="attachments" multiple aria-describedby="pt-reply-files-hint">
</div>
<button type="submit" class="sp-button">Send reply</button>
</form>
</section>
<section class="pt-section" aria-labelledby="pt-escalate">
<h2 id="pt-escalate">{{#partner_agent}}Escalate to {{provider_name}}{{/partner_agent}}{{^partner_agent}}Ask for an escalation{{/partner_agent}}</h2>
<p class="pt-hint" id="pt-escalation-hint">If the case is not moving fast enough for its impact, tell us why: a support manager will look at it.</p>
<form class="sp-form pt-form" method="post" action="/portal/cases/{{number}}/escalations">
{{> csrf}}
<div class="sp-field">
<label for="pt-escalation-reason">Reason</label>
{{#escalation_error}}<p class="pt-field-error" id="pt-escalation-error"><span class="sp-icon" aria-hidden="true">!</span> {{escalation_error}}</p>
{{/escalation_error}}<textarea id="pt-escalation-reason" name="reason" rows="3" aria-describedby="pt-escalation-hint{{#escalation_error}} pt-escalation-error{{/escalation_error}}"{{#escalation_error}} aria-invalid="true"{{/escalation_error}}>{{escalation_reason}}</textarea>
</div>
<button type="submit" class="pt-button-quiet">Request escalation</button>
</form>
</section>
{{#partner_agent}}<section class="pt-section" aria-labelledby="pt-reference">
<h2 id="pt-reference">Your reference number</h2>
<form class="sp-form pt-form" method="post" action="/portal/cases/{{number}}/reference">
{{> csrf}}
<div class="sp-field">
<label for="pt-reference-value">Reference in your own system</label>
{{#reference_error}}<p class="pt-field-error" id="pt-reference-error"><span class="sp-icon" aria-hidden="true">!</span> {{reference_error}}</p>
{{/reference_error}}<input type="text" id="pt-reference-value" name="partner_reference" value="{{partner_reference}}"{{#reference_error}} aria-invalid="true" aria-describedby="pt-reference-error"{{/reference_error}}>
</div>
<button type="submit" class="pt-button-quiet">Save reference</button>
</form>
</section>
{{/partner_agent}}{{/closed}}{{#closed}}<p class="pt-note">This case is closed. If the problem is back, <a href="/portal/cases/new">open a new case</a>.</p>
{{/closed}})html";

constexpr std::string_view kFilePartial =
    R"html(<li><a href="{{href}}" download>{{name}}</a> <span class="pt-size">({{size}})</span></li>)html";

Data Optional(const std::string& text) {
  return text.empty() ? Data{false} : Data{CleanText(text)};
}

Data Files(const std::vector<PortalFileLink>& files) {
  Data list{Data::type::list};
  for (const PortalFileLink& file : files) {
    Data entry{Data::type::object};
    entry.set("name", CleanText(file.name));
    entry.set("href", CleanText(file.href));
    entry.set("size", CleanText(file.size));
    list.push_back(entry);
  }
  return list;
}

}  // namespace

std::string RenderPortalCasePage(const PortalFrame& frame, const PortalCasePageView& view) {
  Data data{Data::type::object};
  data.set("number", CleanText(view.number));
  data.set("subject", CleanText(view.subject));
  data.set("status", CleanText(view.status));
  data.set("status_class", CleanText(view.status_class));
  data.set("severity", CleanText(view.severity));
  data.set("category", CleanText(view.category));
  data.set("org_name", Optional(view.org_name));
  data.set("opened", CleanText(view.opened));
  data.set("promise", CleanText(view.promise));
  data.set("promise_late", view.promise_late);
  data.set("description", CleanText(view.description));
  Data facts{Data::type::list};
  for (const auto& [label, value] : view.facts) {
    Data entry{Data::type::object};
    entry.set("label", CleanText(label));
    entry.set("value", CleanText(value));
    facts.push_back(entry);
  }
  data.set("facts", facts);
  data.set("has_facts", !view.facts.empty());
  data.set("partner_agent", view.partner_agent);
  data.set("partner_reference", Optional(view.partner_reference));
  data.set("provider_name", CleanText(view.provider_name));
  data.set("files", Files(view.files));
  data.set("has_files", !view.files.empty());
  Data comments{Data::type::list};
  for (const PortalCommentEntry& comment : view.comments) {
    Data entry{Data::type::object};
    entry.set("author", CleanText(comment.author));
    entry.set("side", CleanText(comment.side));
    entry.set("support", comment.support);
    entry.set("time", CleanText(comment.time));
    entry.set("time_iso", CleanText(comment.time_iso));
    entry.set("body", CleanText(comment.body));
    entry.set("files", Files(comment.files));
    entry.set("has_files", !comment.files.empty());
    comments.push_back(entry);
  }
  data.set("comments", comments);
  data.set("has_comments", !view.comments.empty());
  data.set("closed", view.closed);
  data.set("max_file_size", CleanText(view.max_file_size));
  data.set("reply_body", CleanText(view.reply_body));
  data.set("reply_error", Optional(view.reply_error));
  data.set("escalation_reason", CleanText(view.escalation_reason));
  data.set("escalation_error", Optional(view.escalation_error));
  data.set("reference_error", Optional(view.reference_error));
  data.set("file", Data{mustache::partial([] { return std::string(kFilePartial); })});
  // Remote access requests (issue 7, portal_remote_access_section).
  data.set("remote_access", PortalRemoteAccessData(view.remote_access));
  data.set("remote_access_section",
           Data{mustache::partial([] { return std::string(PortalRemoteAccessSectionPartial()); })});
  // The service task's estimate and decision (issue 7, portal_service_task_section).
  data.set("service_task", PortalServiceTaskData(view.service_task));
  data.set("service_task_section",
           Data{mustache::partial([] { return std::string(PortalServiceTaskSectionPartial()); })});
  return RenderPortalDocument(frame, data, kMain);
}

}  // namespace casedesk::adapters::web
