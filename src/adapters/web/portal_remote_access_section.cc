#include "adapters/web/portal_remote_access_section.h"

#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kPortalRemoteAccessSection =
    R"html({{#remote_access}}<section class="pt-section pt-ra" id="remote-access" aria-labelledby="pt-ra-h">
<h2 id="pt-ra-h">Remote access</h2>
<ul class="pt-ra-list">
{{#items}}<li class="pt-ra-item pt-ra-{{status}}" id="remote-access-{{id}}">
<p class="pt-ra-head"><strong>{{method}}</strong> <span class="pt-ra-status">{{status_label}}</span></p>
<p class="cd-text">{{purpose}}</p>
<p class="pt-hint">From {{window_start}} until {{window_end}} (your time).</p>
{{#outcome}}<p class="pt-hint">{{outcome}}</p>{{/outcome}}
{{#credential_fields}}<p class="pt-hint">You gave: {{credential_fields}}. They are erased when access ends.</p>{{/credential_fields}}
{{#can_grant}}<form class="sp-form pt-form pt-ra-grant" method="post" action="/portal/cases/{{number}}/remote-access/{{id}}/grant" autocomplete="off">
{{> csrf}}
<fieldset>
<legend>Grant access</legend>
<p class="pt-hint" id="pt-ra-hint-{{id}}">Optional: how to connect. Kept encrypted, shown only to the support team while access lasts, and erased when it ends. Leave empty what does not apply.</p>
<div class="sp-field"><label for="pt-ra-host-{{id}}">Host or address</label>
<input type="text" id="pt-ra-host-{{id}}" name="host" autocomplete="off" aria-describedby="pt-ra-hint-{{id}}"></div>
<div class="sp-field"><label for="pt-ra-user-{{id}}">User name</label>
<input type="text" id="pt-ra-user-{{id}}" name="username" autocomplete="off"></div>
<div class="sp-field"><label for="pt-ra-password-{{id}}">Password</label>
<input type="password" id="pt-ra-password-{{id}}" name="password" autocomplete="off"></div>
<div class="sp-field"><label for="pt-ra-code-{{id}}">One-time code</label>
<input type="text" id="pt-ra-code-{{id}}" name="one_time_code" autocomplete="off" inputmode="numeric"></div>
<div class="sp-field"><label for="pt-ra-other-{{id}}">Other details (meeting link, port, ...)</label>
<textarea id="pt-ra-other-{{id}}" name="details" rows="2" autocomplete="off"></textarea></div>
</fieldset>
<button type="submit" class="sp-button">Grant access</button>
</form>{{/can_grant}}
{{#can_refuse}}<form class="sp-form pt-form pt-ra-refuse" method="post" action="/portal/cases/{{number}}/remote-access/{{id}}/refuse">
{{> csrf}}
<div class="sp-field"><label for="pt-ra-reason-{{id}}">Reason for refusing <span class="cd-optional">(optional)</span></label>
<input type="text" id="pt-ra-reason-{{id}}" name="reason" maxlength="1000"></div>
<button type="submit" class="pt-button-quiet">Refuse</button>
</form>{{/can_refuse}}
{{#can_revoke}}<form class="pt-form pt-ra-revoke" method="post" action="/portal/cases/{{number}}/remote-access/{{id}}/revoke">
{{> csrf}}
<button type="submit" class="pt-button-quiet">Revoke access now</button>
</form>{{/can_revoke}}
</li>
{{/items}}</ul>
</section>
{{/remote_access}})html";

}  // namespace

Data PortalRemoteAccessData(const PortalRemoteAccessSection& section) {
  if (section.items.empty()) return Data{false};
  Data data{Data::type::object};
  Data items{Data::type::list};
  for (const PortalRemoteAccessItem& item : section.items) {
    Data row{Data::type::object};
    row.set("id", CleanText(item.id));
    row.set("method", CleanText(item.method));
    row.set("purpose", CleanText(item.purpose));
    row.set("window_start", CleanText(item.window_start));
    row.set("window_end", CleanText(item.window_end));
    row.set("status", CleanText(item.status));
    row.set("status_label", CleanText(item.status_label));
    row.set("outcome", CleanTextOrFalse(item.outcome));
    row.set("credential_fields", CleanTextOrFalse(item.credential_fields));
    row.set("can_grant", item.can_grant);
    row.set("can_refuse", item.can_refuse);
    row.set("can_revoke", item.can_revoke);
    items.push_back(row);
  }
  data.set("items", items);
  return data;
}

std::string_view PortalRemoteAccessSectionPartial() { return kPortalRemoteAccessSection; }

}  // namespace casedesk::adapters::web
