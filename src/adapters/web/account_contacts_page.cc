#include "adapters/web/account_contacts_page.h"

#include <kainjow/mustache.hpp>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr std::string_view kContactsMain = R"html(<h1>{{title}}</h1>
<p class="ac-intro">The people of {{contacts_org}} who may open and follow cases with us. Invited people join when they accept the invitation we mail them; deactivated people can no longer sign in or open cases.</p>
<section aria-labelledby="contacts-heading">
<h2 id="contacts-heading">People</h2>
<table class="ac-contacts">
<thead><tr><th scope="col">Name</th><th scope="col">Email address</th><th scope="col">State</th><th scope="col">Role</th><th scope="col"><span class="sp-vh">Actions</span></th></tr></thead>
<tbody>
{{#contacts}}
<tr id="contact-{{contact_id}}">
<td>{{contact_name}}{{#is_self}} (you){{/is_self}}</td>
<td>{{contact_email}}</td>
<td><span class="ac-state ac-state-{{state_class}}">{{state}}</span></td>
<td>{{role}}</td>
<td class="ac-actions">
{{^is_self}}
{{#row_error}}<p class="ac-field-error" id="contact-{{contact_id}}-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{row_error}}</p>{{/row_error}}
<form method="post" action="/portal/contacts/{{contact_id}}/active">{{> csrf}}<input type="hidden" name="active" value="{{next_active}}"><button type="submit" class="ac-button-quiet" aria-label="{{active_action}}: {{contact_name}}">{{active_action}}</button></form>
<form method="post" action="/portal/contacts/{{contact_id}}/org-admin">{{> csrf}}<input type="hidden" name="org_admin" value="{{next_admin}}"><button type="submit" class="ac-button-quiet" aria-label="{{admin_action}}: {{contact_name}}">{{admin_action}}</button></form>
{{#invited}}<form method="post" action="/portal/contacts/{{contact_id}}/invitation">{{> csrf}}<button type="submit" class="ac-button-quiet" aria-label="Send the invitation again: {{contact_name}}">Send the invitation again</button></form>{{/invited}}
{{/is_self}}
</td>
</tr>
{{/contacts}}
</tbody>
</table>
</section>
<section aria-labelledby="invite-heading">
<h2 id="invite-heading">Invite a contact</h2>
{{#invite_error}}<p class="sp-flash sp-flash-error" id="invite-error" role="alert"><span class="sp-icon" aria-hidden="true">!</span> {{invite_error}}</p>{{/invite_error}}
<form class="sp-form" method="post" action="/portal/contacts"{{#invite_error}} aria-describedby="invite-error"{{/invite_error}}>
{{> csrf}}
<div class="sp-field">
<label for="invite-name">Name</label>
<input id="invite-name" name="name" type="text" value="{{invite_name}}" required maxlength="200" autocomplete="off"{{#name_error}} aria-invalid="true" aria-describedby="invite-name-error"{{/name_error}}>
{{#name_error}}<p class="ac-field-error" id="invite-name-error"><span class="sp-icon" aria-hidden="true">!</span> {{name_error}}</p>{{/name_error}}
</div>
<div class="sp-field">
<label for="invite-email">Email address</label>
<input id="invite-email" name="email" type="email" value="{{invite_email}}" required maxlength="254" autocomplete="off" autocapitalize="none" spellcheck="false"{{#email_error}} aria-invalid="true" aria-describedby="invite-email-error"{{/email_error}}>
{{#email_error}}<p class="ac-field-error" id="invite-email-error"><span class="sp-icon" aria-hidden="true">!</span> {{email_error}}</p>{{/email_error}}
</div>
<button type="submit" class="sp-button">Send the invitation</button>
</form>
</section>
)html";

}  // namespace

std::string RenderContactsPage(const PortalFrame& frame, const ContactsView& view) {
  Data data{Data::type::object};
  data.set("contacts_org", CleanText(view.org_name));
  Data rows{Data::type::list};
  for (const ContactRow& contact : view.contacts) {
    Data row{Data::type::object};
    row.set("contact_id", absl::StrCat(contact.id));
    row.set("contact_name", CleanText(contact.name));
    row.set("contact_email", CleanText(contact.email));
    const char* state = !contact.active ? "Deactivated" : contact.invited ? "Invited" : "Active";
    const char* state_class = !contact.active ? "inactive" : contact.invited ? "invited" : "active";
    row.set("state", std::string(state));
    row.set("state_class", std::string(state_class));
    row.set("role", std::string(contact.org_admin ? "Organisation admin" : "Contact"));
    row.set("is_self", Data{contact.is_self});
    row.set("invited", Data{contact.invited && contact.active});
    row.set("next_active", std::string(contact.active ? "false" : "true"));
    row.set("active_action", std::string(contact.active ? "Deactivate" : "Reactivate"));
    row.set("next_admin", std::string(contact.org_admin ? "false" : "true"));
    row.set("admin_action", std::string(contact.org_admin ? "Remove organisation admin"
                                                          : "Make organisation admin"));
    const bool refused = view.posted.Is(absl::StrCat("contact-", contact.id));
    row.set("row_error", CleanTextOrFalse(refused ? view.posted.error : ""));
    rows.push_back(row);
  }
  data.set("contacts", rows);
  const bool invite = view.posted.Is("invite");
  data.set("invite_name", CleanText(invite ? view.posted.Value("name") : ""));
  data.set("invite_email", CleanText(invite ? view.posted.Value("email") : ""));
  const std::string field = invite ? view.posted.ErrorField() : "";
  const std::string detail = field.empty() ? "" : view.posted.error.substr(field.size() + 2);
  data.set("name_error", CleanTextOrFalse(field == "name" ? detail : ""));
  data.set("email_error", CleanTextOrFalse(field == "email" ? detail : ""));
  data.set(
      "invite_error",
      CleanTextOrFalse(invite && field != "name" && field != "email" ? view.posted.error : ""));
  return RenderPortalDocument(frame, data, kContactsMain);
}

}  // namespace casedesk::adapters::web
