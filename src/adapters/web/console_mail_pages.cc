// The mail settings and template pages (see console_mail_pages.h).
#include "adapters/web/console_mail_pages.h"

#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"
#include "core/severity.h"

namespace casedesk::adapters::web {
namespace {

constexpr std::string_view kMailSettingsTemplate = R"html(<h1>Mail settings</h1>
<p class="cd-note">How the desk sends mail and who may open cases by writing to it. Mail from a verified contact opens a case for their organisation; so does mail from an organisation's registered support alias or domain (set per organisation below). Everyone else gets the unknown-sender treatment.</p>
{{^may_edit}}<p class="cd-note">Only an admin can change the mail settings.</p>{{/may_edit}}
<form method="post" action="/console/admin/mail" class="cc-form" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#form_error}}<p class="cd-form-error" id="ms-error" role="alert">{{form_error}}</p>{{/form_error}}
<fieldset class="sp-choices">
<legend>Outgoing mail</legend>
<div class="cd-field-pair">
<div class="sp-field">
<label for="ms-from-address">From address</label>
<input id="ms-from-address" name="from_address" type="email" value="{{from_address}}" aria-describedby="ms-from-hint" autocomplete="off">
<p id="ms-from-hint" class="cd-note">Empty: the address in the server's configuration (smtp.from).</p>
</div>
<div class="sp-field">
<label for="ms-from-name">From name</label>
<input id="ms-from-name" name="from_name" type="text" value="{{from_name}}">
</div>
</div>
<div class="cd-field-pair">
<div class="sp-field">
<label for="ms-tag">Case tag in subjects</label>
<input id="ms-tag" name="case_tag_prefix" type="text" value="{{case_tag_prefix}}" aria-describedby="ms-tag-hint">
<p id="ms-tag-hint" class="cd-note">Subjects carry "[{{case_tag_prefix}} #123456]"; replies with the tag thread to the case.</p>
</div>
<div class="sp-field">
<label for="ms-reply-local">Reply address local part</label>
<input id="ms-reply-local" name="reply_local_part" type="text" value="{{reply_local_part}}">
</div>
<div class="sp-field">
<label for="ms-reply-domain">Reply address domain <span class="cd-optional">(optional)</span></label>
<input id="ms-reply-domain" name="reply_domain" type="text" value="{{reply_domain}}" aria-describedby="ms-reply-hint">
<p id="ms-reply-hint" class="cd-note">Set it to use signed per-case reply addresses (the domain must deliver to Casedesk); empty: replies go to the from address.</p>
</div>
</div>
</fieldset>
<fieldset class="sp-choices">
<legend>Inbound addresses</legend>
<div class="sp-field">
<label for="ms-routes">Routes</label>
<textarea id="ms-routes" name="routes" rows="5" aria-describedby="ms-routes-hint" spellcheck="false">{{routes}}</textarea>
<p id="ms-routes-hint" class="cd-note">One inbound address per line: the address (a local part such as "critical" or a whole address), then what it does, "open_case" or "escalate", and for open_case an optional severity 1 to 4. Example: "critical open_case 1". Addresses not listed open cases at the default severity. Replies to known cases thread whatever the address.</p>
</div>
<div class="sp-field">
<label for="ms-severity">Default severity of new cases</label>
<select id="ms-severity" name="default_severity">
{{#severities}}<option value="{{level}}"{{#selected}} selected{{/selected}}>{{level}} · {{name}}</option>{{/severities}}
</select>
</div>
</fieldset>
<fieldset class="sp-choices">
<legend>Unknown senders</legend>
<p id="ms-unknown-hint" class="cd-note">Mail that may neither open a case nor reply (a sender who is not a verified contact, alias or domain of an organisation).</p>
<div class="sp-check"><input id="ms-unknown-notice" name="unknown_senders" type="radio" value="notice"{{#notice}} checked{{/notice}}><label for="ms-unknown-notice">Refuse it and send a notice explaining how to register</label></div>
<div class="sp-check"><input id="ms-unknown-quarantine" name="unknown_senders" type="radio" value="quarantine"{{#quarantine}} checked{{/quarantine}}><label for="ms-unknown-quarantine">Hold it for an agent to accept or reject</label></div>
<div class="sp-field">
<label for="ms-interval">Minutes between notices to one address</label>
<input id="ms-interval" name="notice_interval_minutes" type="number" min="1" value="{{notice_interval_minutes}}">
</div>
</fieldset>
{{#may_edit}}<div><button type="submit" name="action" value="save">Save mail settings</button></div>{{/may_edit}}
</form>
<section class="cc-section" aria-labelledby="ms-orgs-h">
<h2 id="ms-orgs-h">An organisation's mail settings</h2>
<p class="cd-note">Support aliases and domains that may open cases for an organisation, and a partner's own sender.</p>
<form method="get" action="/console/admin/mail" class="cd-inline">
<label for="ms-org">Organisation</label>
<select id="ms-org" name="org">
{{#organisations}}<option value="{{id}}">{{name}} ({{kind}})</option>{{/organisations}}
</select>
<button type="submit">Open organisation settings</button>
</form>
{{#more_organisations}}<p class="cd-note">Only the first organisations are listed; others are reached from their page at /console/admin/mail/orgs/ID.</p>{{/more_organisations}}
</section>
)html";

constexpr std::string_view kMailOrgTemplate =
    R"html(<p><a href="/console/admin/mail">Desk mail settings</a></p>
<h1>Mail settings of {{org_name}}</h1>
{{^may_edit}}<p class="cd-note">Only an admin can change an organisation's mail settings.</p>{{/may_edit}}
<form method="post" action="/console/admin/mail/orgs/{{org_id}}" class="cc-form" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#form_error}}<p class="cd-form-error" id="mo-error" role="alert">{{form_error}}</p>{{/form_error}}
<fieldset class="sp-choices">
<legend>Who may open cases by mail</legend>
<div class="sp-field">
<label for="mo-aliases">Support aliases</label>
<textarea id="mo-aliases" name="support_aliases" rows="3" aria-describedby="mo-aliases-hint" spellcheck="false">{{support_aliases}}</textarea>
<p id="mo-aliases-hint" class="cd-note">One address per line: shared mailboxes that open cases for this organisation (its first org admin is the requester).</p>
</div>
<div class="sp-field">
<label for="mo-domains">Domains</label>
<textarea id="mo-domains" name="domains" rows="3" aria-describedby="mo-domains-hint" spellcheck="false">{{domains}}</textarea>
<p id="mo-domains-hint" class="cd-note">One domain per line, e.g. "customer.example": every address there may open cases (customer organisations only; a new sender becomes an unverified contact).</p>
</div>
</fieldset>
<fieldset class="sp-choices">
<legend>Sender for this organisation's customers (partners)</legend>
<div class="cd-field-pair">
<div class="sp-field">
<label for="mo-sender-address">Sender address</label>
<input id="mo-sender-address" name="sender_address" type="email" value="{{sender_address}}" autocomplete="off">
</div>
<div class="sp-field">
<label for="mo-sender-name">Sender name</label>
<input id="mo-sender-name" name="sender_name" type="text" value="{{sender_name}}">
</div>
</div>
<div class="sp-field">
<label for="mo-signature">Signature</label>
<textarea id="mo-signature" name="signature" rows="3">{{signature}}</textarea>
</div>
</fieldset>
{{#may_edit}}<div><button type="submit" name="action" value="save">Save organisation mail settings</button></div>{{/may_edit}}
</form>
)html";

constexpr std::string_view kMailTemplateListTemplate = R"html(<h1>Mail templates</h1>
<p class="cd-note">The subject and plain-text body of each kind of mail the desk sends. A customised template replaces the shipped one until it is reset.</p>
<table class="cq-table">
<caption class="sp-vh">Mail templates by kind</caption>
<thead><tr><th scope="col">Kind</th><th scope="col">Subject</th><th scope="col">Source</th></tr></thead>
<tbody>
{{#templates}}<tr>
<td data-label="Kind"><a href="/console/admin/mail/templates/{{kind}}">{{kind}}</a></td>
<td data-label="Subject">{{subject}}</td>
<td data-label="Source">{{#customised}}Customised{{/customised}}{{^customised}}Shipped{{/customised}}</td>
</tr>{{/templates}}
</tbody>
</table>
)html";

constexpr std::string_view kMailTemplateTemplate =
    R"html(<p><a href="/console/admin/mail/templates">All templates</a></p>
<h1>Template <code>{{kind}}</code></h1>
<p class="cd-note">{{#customised}}Customised: this text replaces the shipped template.{{/customised}}{{^customised}}The shipped template applies.{{/customised}}</p>
{{^may_edit}}<p class="cd-note">Only an admin can change mail templates. You can preview them.</p>{{/may_edit}}
<form method="post" action="/console/admin/mail/templates/{{kind}}" class="cc-form" novalidate>
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
{{#form_error}}<p class="cd-form-error" id="mt-error" role="alert">{{form_error}}</p>{{/form_error}}
<div class="sp-field">
<label for="mt-subject">Subject</label>
<input id="mt-subject" name="subject" type="text" value="{{subject}}" required spellcheck="false">
</div>
<div class="sp-field">
<label for="mt-body">Body</label>
<textarea id="mt-body" name="body" rows="14" required aria-describedby="mt-body-hint" spellcheck="false">{{body}}</textarea>
<p id="mt-body-hint" class="cd-note">{{syntax_hint}}</p>
</div>
<div class="cd-inline">
<button type="submit" name="action" value="preview">Preview</button>
{{#may_edit}}<button type="submit" name="action" value="save">Save template</button>{{/may_edit}}
</div>
</form>
<section class="cc-section" aria-labelledby="mt-values-h">
<h2 id="mt-values-h">Placeholders</h2>
<ul class="cd-list" id="mt-values">{{#placeholders}}<li><code>{{tag}}</code></li>{{/placeholders}}</ul>
</section>
{{#has_preview}}
<section class="cc-section" aria-labelledby="mt-preview-h" id="mt-preview">
<h2 id="mt-preview-h">Preview with sample values{{#unsaved}} (not saved){{/unsaved}}</h2>
<dl class="cc-facts">
<dt>Subject</dt><dd id="mt-preview-subject">{{preview_subject}}</dd>
<dt>Body</dt><dd class="cd-text" id="mt-preview-body">{{preview_body}}</dd>
</dl>
</section>
{{/has_preview}}
{{#reset}}
<section class="cc-section" aria-labelledby="mt-reset-h">
<h2 id="mt-reset-h">Reset</h2>
<form method="post" action="/console/admin/mail/templates/{{kind}}/reset" class="cd-inline">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button type="submit" name="reset">Reset to the shipped template</button>
</form>
</section>
{{/reset}}
)html";

// Shown as a value so that the template's own tags stay unambiguous.
constexpr std::string_view kMailTemplateSyntaxHint =
    "Mustache: {{name}} inserts a value, {{#name}}...{{/name}} shows text only when the value is "
    "set, {{^name}}...{{/name}} only when it is not. The body is plain text: values go in as "
    "they are.";

TemplateData MailOrgChoiceData(const MailOrgChoice& choice) {
  TemplateData item = EmptyObject();
  item.set("id", absl::StrCat(choice.id));
  item.set("name", CleanText(choice.name));
  item.set("kind", CleanText(choice.kind));
  return item;
}

std::string MailPageWithNav(MailAdminSection section, std::string_view main) {
  return absl::StrCat(MailAdminNavHtml(section), std::string(main));
}

}  // namespace

std::string MailAdminNavHtml(MailAdminSection current) {
  struct Link {
    MailAdminSection section;
    std::string_view href;
    std::string_view label;
  };
  static constexpr Link kLinks[] = {
      {MailAdminSection::kSettings, "/console/admin/mail", "Settings"},
      {MailAdminSection::kTemplates, "/console/admin/mail/templates", "Templates"},
      {MailAdminSection::kInbound, "/console/admin/mail/inbound", "Held and refused mail"},
      {MailAdminSection::kOutbox, "/console/admin/mail/outbox", "Outbox"},
  };
  std::string html = "<nav class=\"cd-inline\" aria-label=\"Mail administration\">";
  for (const Link& link : kLinks) {
    absl::StrAppend(&html, "<a href=\"", std::string(link.href), "\"",
                    link.section == current ? " aria-current=\"page\"" : "", ">",
                    std::string(link.label), "</a>");
  }
  absl::StrAppend(&html, "</nav>\n");
  return html;
}

MailDeskFormText MailDeskFormFromSettings(const app::MailDeskSettings& settings) {
  MailDeskFormText form;
  form.from_address = settings.from_address;
  form.from_name = settings.from_name;
  form.case_tag_prefix = settings.case_tag_prefix;
  form.reply_local_part = settings.reply_local_part;
  form.reply_domain = settings.reply_domain;
  form.unknown_senders = settings.unknown_senders == app::UnknownSenderTreatment::kQuarantine
                             ? "quarantine"
                             : "notice";
  form.notice_interval_minutes = absl::StrCat(absl::ToInt64Minutes(settings.notice_interval));
  form.default_severity = absl::StrCat(core::SeverityLevel(settings.default_severity));
  std::vector<std::string> lines;
  for (const app::MailRoute& route : settings.routes) {
    std::string line =
        absl::StrCat(route.address, " ",
                     route.action == app::MailRouteAction::kEscalate ? "escalate" : "open_case");
    if (route.severity) absl::StrAppend(&line, " ", core::SeverityLevel(*route.severity));
    lines.push_back(std::move(line));
  }
  form.routes = absl::StrJoin(lines, "\n");
  return form;
}

MailOrgFormText MailOrgFormFromSettings(const app::OrganisationMailSettings& settings) {
  MailOrgFormText form;
  form.support_aliases = absl::StrJoin(settings.support_aliases, "\n");
  form.domains = absl::StrJoin(settings.domains, "\n");
  form.sender_address = settings.sender_address;
  form.sender_name = settings.sender_name;
  form.signature = settings.signature;
  return form;
}

std::string RenderConsoleMailSettingsPage(const ConsoleFrame& frame,
                                          const ConsoleMailSettingsView& view) {
  TemplateData data = EmptyObject();
  const MailDeskFormText& form = view.form;
  data.set("may_edit", view.may_edit);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("from_address", CleanText(form.from_address));
  data.set("from_name", CleanText(form.from_name));
  data.set("case_tag_prefix", CleanText(form.case_tag_prefix));
  data.set("reply_local_part", CleanText(form.reply_local_part));
  data.set("reply_domain", CleanText(form.reply_domain));
  data.set("routes", CleanText(form.routes));
  data.set("notice", form.unknown_senders != "quarantine");
  data.set("quarantine", form.unknown_senders == "quarantine");
  data.set("notice_interval_minutes", CleanText(form.notice_interval_minutes));
  TemplateData severities = EmptyList();
  for (const auto& [severity, name] : core::kSeverityNames) {
    TemplateData option = EmptyObject();
    const std::string level = absl::StrCat(core::SeverityLevel(severity));
    option.set("level", level);
    option.set("name", std::string(name));
    option.set("selected", level == form.default_severity);
    severities.push_back(option);
  }
  data.set("severities", severities);
  TemplateData organisations = EmptyList();
  for (const MailOrgChoice& choice : view.organisations) {
    organisations.push_back(MailOrgChoiceData(choice));
  }
  data.set("organisations", organisations);
  data.set("more_organisations", view.more_organisations);
  return RenderConsoleDocument(frame, data,
                               MailPageWithNav(MailAdminSection::kSettings, kMailSettingsTemplate));
}

std::string RenderConsoleOrgMailPage(const ConsoleFrame& frame, const ConsoleOrgMailView& view) {
  TemplateData data = EmptyObject();
  data.set("org_id", absl::StrCat(view.organisation.id));
  data.set("org_name", CleanText(view.organisation.name));
  data.set("may_edit", view.may_edit);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("support_aliases", CleanText(view.form.support_aliases));
  data.set("domains", CleanText(view.form.domains));
  data.set("sender_address", CleanText(view.form.sender_address));
  data.set("sender_name", CleanText(view.form.sender_name));
  data.set("signature", CleanText(view.form.signature));
  return RenderConsoleDocument(frame, data,
                               MailPageWithNav(MailAdminSection::kSettings, kMailOrgTemplate));
}

std::string RenderConsoleMailTemplateListPage(const ConsoleFrame& frame,
                                              const ConsoleMailTemplateListView& view) {
  TemplateData data = EmptyObject();
  TemplateData rows = EmptyList();
  for (const app::MailTemplateEntry& entry : view.templates) {
    TemplateData row = EmptyObject();
    row.set("kind", CleanText(entry.kind));
    row.set("subject", CleanText(entry.content.subject));
    row.set("customised", entry.customised);
    rows.push_back(row);
  }
  data.set("templates", rows);
  return RenderConsoleDocument(
      frame, data, MailPageWithNav(MailAdminSection::kTemplates, kMailTemplateListTemplate));
}

std::string RenderConsoleMailTemplatePage(const ConsoleFrame& frame,
                                          const ConsoleMailTemplateView& view) {
  TemplateData data = EmptyObject();
  data.set("kind", CleanText(view.kind));
  data.set("customised", view.customised);
  data.set("may_edit", view.may_edit);
  data.set("reset", view.may_edit && view.customised);
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("subject", CleanText(view.subject));
  data.set("body", CleanText(view.body));
  TemplateData placeholders = EmptyList();
  for (const std::string& name : view.placeholders) {
    TemplateData item = EmptyObject();
    item.set("tag", CleanText(absl::StrCat("{{", name, "}}")));
    placeholders.push_back(item);
  }
  data.set("placeholders", placeholders);
  data.set("syntax_hint", std::string(kMailTemplateSyntaxHint));
  data.set("unsaved", view.unsaved);
  data.set("has_preview", view.preview.has_value());
  if (view.preview) {
    data.set("preview_subject", CleanText(view.preview->subject));
    data.set("preview_body", CleanText(view.preview->body));
  }
  return RenderConsoleDocument(
      frame, data, MailPageWithNav(MailAdminSection::kTemplates, kMailTemplateTemplate));
}

}  // namespace casedesk::adapters::web
