// The inbound mail and outbox pages (see console_mail_pages.h). A held message is shown as its
// decoded headers and its plain text in an escaped, pre-wrapped block: the message's HTML is
// never put into the page.
#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_mail_pages.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

constexpr std::string_view kMailInboundListTemplate = R"html(<h1>Held and refused mail</h1>
<p class="cd-note">Inbound mail that opened nothing: held for an agent (quarantine), refused, or failed. Open a message to read it and, while it is held, accept it (it opens a case as its sender) or reject it.</p>
<form method="get" action="/console/admin/mail/inbound" class="cd-inline">
<label for="mi-status">Show</label>
<select id="mi-status" name="status">
{{#filters}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/filters}}
</select>
<button type="submit">Show messages</button>
</form>
{{#has_rows}}
<table class="cq-table" id="mi-list">
<caption class="sp-vh">Inbound messages, newest first</caption>
<thead><tr><th scope="col">Received</th><th scope="col">From</th><th scope="col">Subject</th><th scope="col">Status</th><th scope="col">Reason</th></tr></thead>
<tbody>
{{#rows}}<tr>
<td data-label="Received"><time datetime="{{iso}}">{{received}}</time></td>
<td data-label="From">{{from}}</td>
<td data-label="Subject"><a href="/console/admin/mail/inbound/{{id}}">{{subject}}</a></td>
<td data-label="Status">{{status}}</td>
<td data-label="Reason">{{reason}}</td>
</tr>{{/rows}}
</tbody>
</table>
{{/has_rows}}
{{^has_rows}}<p class="cd-empty">No messages.</p>{{/has_rows}}
{{#has_pages}}<nav class="cq-pages" aria-label="Pages of inbound mail">
{{#first_href}}<a href="{{first_href}}">First page</a>{{/first_href}}
{{#next_href}}<a href="{{next_href}}" rel="next">Older messages</a>{{/next_href}}
</nav>{{/has_pages}}
)html";

constexpr std::string_view kMailInboundMessageTemplate =
    R"html(<p><a href="/console/admin/mail/inbound">Held and refused mail</a></p>
<h1>Inbound message {{id}}</h1>
<dl class="cc-facts" id="mi-facts">
<dt>Status</dt><dd>{{status}}</dd>
{{#reason}}<dt>Reason</dt><dd>{{reason}}</dd>{{/reason}}
<dt>Received</dt><dd><time datetime="{{iso}}">{{received}}</time> by {{channel}}</dd>
{{#envelope_from}}<dt>Envelope sender</dt><dd>{{envelope_from}}</dd>{{/envelope_from}}
{{#envelope_to}}<dt>Delivered to</dt><dd>{{envelope_to}}</dd>{{/envelope_to}}
{{#case_number}}<dt>Case</dt><dd><a href="/console/cases/{{case_number}}">Case {{case_number}}</a></dd>{{/case_number}}
{{#decided}}<dt>Decided</dt><dd><time datetime="{{decided_iso}}">{{decided}}</time></dd>{{/decided}}
</dl>
{{#form_error}}<p class="cd-form-error" id="mi-error" role="alert">{{form_error}}</p>{{/form_error}}
{{#may_decide}}
<section class="cc-section" aria-labelledby="mi-decide-h">
<h2 id="mi-decide-h">Decide</h2>
<form method="post" action="/console/admin/mail/inbound/{{id}}/accept" class="cc-form">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<div class="sp-field">
<label for="mi-org">Organisation for a new contact</label>
<select id="mi-org" name="org_id" aria-describedby="mi-org-hint">
<option value="">The sender's own organisation</option>
{{#organisations}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}} ({{kind}})</option>{{/organisations}}
</select>
<p id="mi-org-hint" class="cd-note">Accepting opens a case as the sender. A sender who is not a contact yet becomes an unverified contact of the organisation chosen here.</p>
</div>
<div><button type="submit" name="accept">Accept and open a case</button></div>
</form>
<form method="post" action="/console/admin/mail/inbound/{{id}}/reject" class="cc-form">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<div class="sp-field">
<label for="mi-reason">Reason for rejecting <span class="cd-optional">(optional)</span></label>
<input id="mi-reason" name="reason" type="text" maxlength="500" value="{{form_reason}}">
</div>
<div><button type="submit" name="reject">Reject</button></div>
</form>
</section>
{{/may_decide}}
<section class="cc-section" aria-labelledby="mi-message-h">
<h2 id="mi-message-h">Message</h2>
{{#parse_error}}<p class="cd-note">The message could not be read: {{parse_error}}</p>{{/parse_error}}
{{^parse_error}}
<dl class="cc-facts" id="mi-headers">
{{#headers}}<dt>{{name}}</dt><dd>{{value}}</dd>{{/headers}}
</dl>
{{#had_html}}<p class="cd-note">The message also has an HTML version; it is shown here as text only.</p>{{/had_html}}
<h3>Text</h3>
<div class="cd-text" id="mi-text">{{text}}</div>
{{#text_cut}}<p class="cd-note">The text is cut short here; the whole message is in its raw form.</p>{{/text_cut}}
{{/parse_error}}
</section>
)html";

constexpr std::string_view kMailOutboxTemplate = R"html(<h1>Outbox</h1>
<p class="cd-note">Mail waiting for delivery ({{pending_count}}) and mail given up after permanent refusals or 48 hours of failures ({{failed_count}}). Retrying queues a given-up message again, due at once.</p>
{{^may_retry}}<p class="cd-note">Only an admin can retry messages.</p>{{/may_retry}}
<nav class="cd-inline" aria-label="Outbox states">
<a href="/console/admin/mail/outbox?state=failed"{{#failed}} aria-current="page"{{/failed}}>Given up ({{failed_count}})</a>
<a href="/console/admin/mail/outbox?state=pending"{{^failed}} aria-current="page"{{/failed}}>Waiting ({{pending_count}})</a>
</nav>
{{#form_error}}<p class="cd-form-error" id="mx-error" role="alert">{{form_error}}</p>{{/form_error}}
{{#has_rows}}
<table class="cq-table" id="mx-list">
<caption class="sp-vh">{{#failed}}Given-up messages, newest first{{/failed}}{{^failed}}Waiting messages, oldest first{{/failed}}</caption>
<thead><tr><th scope="col">Queued</th><th scope="col">To</th><th scope="col">Kind</th><th scope="col">Subject</th><th scope="col">Attempts</th><th scope="col">Last error</th>{{#retry_column}}<th scope="col">Action</th>{{/retry_column}}</tr></thead>
<tbody>
{{#rows}}<tr>
<td data-label="Queued"><time datetime="{{iso}}">{{created}}</time></td>
<td data-label="To">{{recipient}}</td>
<td data-label="Kind">{{kind}}</td>
<td data-label="Subject">{{#case_number}}<a href="/console/cases/{{case_number}}">{{subject}}</a>{{/case_number}}{{^case_number}}{{subject}}{{/case_number}}</td>
<td data-label="Attempts">{{attempts}}</td>
<td data-label="Last error">{{last_error}}</td>
{{#retry_column}}<td data-label="Action"><form method="post" action="/console/admin/mail/outbox/{{id}}/retry" class="cd-inline">
<input type="hidden" name="csrf_token" value="{{csrf_token}}">
<button type="submit" name="retry" aria-label="Retry message {{id}} to {{recipient}}">Retry</button>
</form></td>{{/retry_column}}
</tr>{{/rows}}
</tbody>
</table>
{{/has_rows}}
{{^has_rows}}<p class="cd-empty">No messages.</p>{{/has_rows}}
{{#has_pages}}<nav class="cq-pages" aria-label="Pages of the outbox">
{{#first_href}}<a href="{{first_href}}">First page</a>{{/first_href}}
{{#next_href}}<a href="{{next_href}}" rel="next">Next page</a>{{/next_href}}
</nav>{{/has_pages}}
)html";

// The filters of the inbound list: what an agent looks for first, then everything.
constexpr std::pair<std::string_view, std::string_view> kMailInboundFilters[] = {
    {"quarantined", "Held for a decision"},
    {"rejected", "Refused"},
    {"failed", "Failed"},
    {"all", "All inbound mail"},
};

std::string MailShownTime(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", time, absl::UTCTimeZone());
}

// What a status is called on the pages.
std::string MailStatusLabel(ports::InboundMailStatus status) {
  switch (status) {
    case ports::InboundMailStatus::kCaseOpened:
      return "Case opened";
    case ports::InboundMailStatus::kReplyAdded:
      return "Reply added";
    case ports::InboundMailStatus::kEscalated:
      return "Escalated";
    case ports::InboundMailStatus::kQuarantined:
      return "Held";
    case ports::InboundMailStatus::kRejected:
      return "Refused";
    case ports::InboundMailStatus::kAutomatic:
      return "Automatic";
    case ports::InboundMailStatus::kBounce:
      return "Bounce";
    case ports::InboundMailStatus::kDuplicate:
      return "Duplicate";
    case ports::InboundMailStatus::kFailed:
      return "Failed";
  }
  return std::string(ports::InboundMailStatusName(status));
}

// The paging links of a list whose address `base` already has a query.
void SetMailPages(TemplateData& data, std::string_view base, bool first_page,
                  const std::string& next_cursor) {
  data.set("has_pages", !first_page || !next_cursor.empty());
  data.set("first_href", first_page ? TemplateData(false) : TemplateData(std::string(base)));
  data.set("next_href", next_cursor.empty() ? TemplateData(false)
                                            : TemplateData(absl::StrCat(std::string(base),
                                                                        "&cursor=", next_cursor)));
}

}  // namespace

std::string RenderConsoleInboundListPage(const ConsoleFrame& frame,
                                         const ConsoleInboundListView& view) {
  TemplateData data = EmptyObject();
  TemplateData filters = EmptyList();
  for (const auto& [value, label] : kMailInboundFilters) {
    TemplateData option = EmptyObject();
    option.set("value", std::string(value));
    option.set("label", std::string(label));
    option.set("selected", value == view.status);
    filters.push_back(option);
  }
  data.set("filters", filters);
  TemplateData rows = EmptyList();
  for (const ports::InboundMail& mail : view.rows) {
    TemplateData row = EmptyObject();
    row.set("id", absl::StrCat(mail.id));
    row.set("iso", IsoTime(mail.received_at));
    row.set("received", MailShownTime(mail.received_at));
    row.set("from", CleanText(mail.from_address.empty() ? mail.envelope_from : mail.from_address));
    row.set("subject", CleanText(mail.subject.empty() ? "(no subject)" : mail.subject));
    row.set("status", MailStatusLabel(mail.status));
    row.set("reason", CleanText(mail.reason));
    rows.push_back(row);
  }
  data.set("has_rows", !view.rows.empty());
  data.set("rows", rows);
  SetMailPages(data, absl::StrCat("/console/admin/mail/inbound?status=", view.status),
               view.first_page, view.next_cursor);
  return RenderConsoleDocument(frame, data,
                               absl::StrCat(MailAdminNavHtml(MailAdminSection::kInbound),
                                            std::string(kMailInboundListTemplate)));
}

std::string RenderConsoleInboundMessagePage(const ConsoleFrame& frame,
                                            const ConsoleInboundMessageView& view) {
  const ports::InboundMail& mail = view.row;
  TemplateData data = EmptyObject();
  data.set("id", absl::StrCat(mail.id));
  data.set("status", MailStatusLabel(mail.status));
  data.set("reason", CleanTextOrFalse(mail.reason));
  data.set("iso", IsoTime(mail.received_at));
  data.set("received", MailShownTime(mail.received_at));
  data.set("channel", CleanText(mail.channel));
  data.set("envelope_from", CleanTextOrFalse(mail.envelope_from));
  data.set("envelope_to", CleanTextOrFalse(mail.envelope_to));
  data.set("case_number", mail.case_number == 0 ? TemplateData(false)
                                                : TemplateData(absl::StrCat(mail.case_number)));
  data.set("decided",
           mail.decided_at ? TemplateData(MailShownTime(*mail.decided_at)) : TemplateData(false));
  data.set("decided_iso", mail.decided_at ? IsoTime(*mail.decided_at) : std::string());
  data.set("form_error", CleanTextOrFalse(view.error));
  data.set("may_decide", view.may_decide);
  TemplateData organisations = EmptyList();
  for (const MailOrgChoice& choice : view.organisations) {
    TemplateData item = EmptyObject();
    item.set("id", absl::StrCat(choice.id));
    item.set("name", CleanText(choice.name));
    item.set("kind", CleanText(choice.kind));
    item.set("selected", absl::StrCat(choice.id) == view.form_org_id);
    organisations.push_back(item);
  }
  data.set("organisations", organisations);
  data.set("form_reason", CleanText(view.form_reason));
  data.set("parse_error", CleanTextOrFalse(view.parse_error));
  TemplateData headers = EmptyList();
  for (const auto& [name, value] : view.headers) {
    TemplateData header = EmptyObject();
    header.set("name", CleanText(name));
    header.set("value", CleanText(value));
    headers.push_back(header);
  }
  data.set("headers", headers);
  data.set("had_html", view.had_html);
  data.set("text", CleanText(view.text));
  data.set("text_cut", view.text_cut);
  return RenderConsoleDocument(frame, data,
                               absl::StrCat(MailAdminNavHtml(MailAdminSection::kInbound),
                                            std::string(kMailInboundMessageTemplate)));
}

std::string RenderConsoleOutboxPage(const ConsoleFrame& frame, const ConsoleOutboxView& view) {
  TemplateData data = EmptyObject();
  data.set("failed", view.failed);
  data.set("pending_count", absl::StrCat(view.pending_count));
  data.set("failed_count", absl::StrCat(view.failed_count));
  data.set("may_retry", view.may_retry);
  data.set("retry_column", view.may_retry && view.failed);
  data.set("form_error", CleanTextOrFalse(view.error));
  TemplateData rows = EmptyList();
  for (const ports::Notification& notification : view.rows) {
    TemplateData row = EmptyObject();
    row.set("id", absl::StrCat(notification.id));
    row.set("iso", IsoTime(notification.created_at));
    row.set("created", MailShownTime(notification.created_at));
    row.set("recipient", CleanText(notification.recipient_email));
    row.set("kind", CleanText(notification.kind));
    row.set("subject", CleanText(notification.subject));
    row.set("case_number", notification.case_number == 0
                               ? TemplateData(false)
                               : TemplateData(absl::StrCat(notification.case_number)));
    row.set("attempts", absl::StrCat(notification.attempts));
    row.set("last_error", CleanText(notification.last_error));
    rows.push_back(row);
  }
  data.set("has_rows", !view.rows.empty());
  data.set("rows", rows);
  SetMailPages(
      data, absl::StrCat("/console/admin/mail/outbox?state=", view.failed ? "failed" : "pending"),
      view.first_page, view.next_cursor);
  return RenderConsoleDocument(
      frame, data,
      absl::StrCat(MailAdminNavHtml(MailAdminSection::kOutbox), std::string(kMailOutboxTemplate)));
}

}  // namespace casedesk::adapters::web
