// The organisation pages (see console_org_pages.h).
#include "adapters/web/console_org_pages.h"

#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "adapters/web/console_directory_labels.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

constexpr std::string_view kOrgListTemplate = R"html(<h1>Organisations</h1>
<p class="cd-note">Customers, and the partners who give their own customers first-line support. See also <a href="/console/admin/people">People</a>.</p>
<form method="get" action="/console/admin/orgs" class="cc-form" aria-label="Filter organisations">
{{#filter_error}}<p class="cd-form-error" id="orgs-filter-error" role="alert">{{filter_error}}</p>{{/filter_error}}
<div class="cd-field-pair">
<div class="sp-field">
<label for="orgs-kind">Kind</label>
<select id="orgs-kind" name="kind">{{#kind_filter}}{{> option}}{{/kind_filter}}</select>
</div>
<div class="sp-field">
<label for="orgs-parent">Partner id <span class="cd-optional">(optional)</span></label>
<input id="orgs-parent" name="parent_id" type="text" inputmode="numeric" value="{{parent_filter}}" autocomplete="off">
</div>
</div>
<div><button type="submit" class="cd-button">Filter</button></div>
</form>
<section class="cc-section" aria-labelledby="orgs-list-h">
<h2 id="orgs-list-h" class="sp-vh">Organisations</h2>
{{#has_rows}}<table class="cq-table">
<caption class="sp-vh">Organisations, oldest first</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Partner</th><th scope="col">Plan</th><th scope="col">Time zone</th></tr></thead>
<tbody>
{{#rows}}<tr>
<td data-label="Name"><a href="/console/admin/orgs/{{id}}">{{name}}</a></td>
<td data-label="Kind">{{kind}}</td>
<td data-label="Partner">{{#parent_link}}<a href="/console/admin/orgs/{{parent_id}}">{{parent_name}}</a>{{/parent_link}}{{^parent_link}}&mdash;{{/parent_link}}</td>
<td data-label="Plan">{{plan}}</td>
<td data-label="Time zone">{{time_zone}}</td>
</tr>{{/rows}}
</tbody>
</table>{{/has_rows}}
{{^has_rows}}<p class="cd-note">No organisation matches these filters.</p>{{/has_rows}}
{{#has_pages}}<nav class="cq-pages" aria-label="Pages of organisations">
{{#first_href}}<a href="{{first_href}}">First page</a>{{/first_href}}
{{#next_href}}<a href="{{next_href}}" rel="next">Next page</a>{{/next_href}}
</nav>{{/has_pages}}
</section>
<section class="cc-section" aria-labelledby="orgs-add-h">
<h2 id="orgs-add-h">Add an organisation</h2>
<p class="cd-note">A partner sits under the provider; a customer under the provider or under a partner. Admins add partners; any staff member adds customers.</p>
<form method="post" action="/console/admin/orgs" class="cc-form" novalidate>
{{> csrf}}
{{> form_error_partial}}
<div class="cd-field-pair">
<div class="sp-field">
<label for="orgs-add-name">Name</label>
<input id="orgs-add-name" name="name" type="text" required maxlength="200" value="{{add_name}}" autocomplete="off">
</div>
<div class="sp-field">
<label for="orgs-add-kind">Kind</label>
<select id="orgs-add-kind" name="kind">{{#add_kinds}}{{> option}}{{/add_kinds}}</select>
</div>
</div>
<div class="cd-field-pair">
<div class="sp-field">
<label for="orgs-add-parent">Partner</label>
<select id="orgs-add-parent" name="parent_id">{{#add_parents}}{{> option}}{{/add_parents}}</select>
</div>
<div class="sp-field">
<label for="orgs-add-plan">Plan</label>
<select id="orgs-add-plan" name="plan">{{#add_plans}}{{> option}}{{/add_plans}}</select>
</div>
</div>
<div class="sp-field">
<label for="orgs-add-zone">Time zone</label>
<input id="orgs-add-zone" name="time_zone" type="text" required value="{{add_zone}}" autocomplete="off" spellcheck="false">
</div>
<div class="sp-check"><input type="checkbox" id="orgs-add-shares" name="shares_cases" value="1"{{#add_shares}} checked{{/add_shares}}><label for="orgs-add-shares">Contacts see each other's cases</label></div>
<div><button type="submit" class="sp-button">Add organisation</button></div>
</form>
</section>
)html";

constexpr std::string_view kOrgTemplate =
    R"html(<p class="sp-back"><a href="/console/admin/orgs"><span aria-hidden="true">&larr;</span> All organisations</a></p>
<h1>{{name}}</h1>
<dl class="cc-facts">
<dt>Kind</dt><dd>{{kind}}</dd>
{{#parent_link}}<dt>Partner</dt><dd><a href="/console/admin/orgs/{{parent_id}}">{{parent_name}}</a> <span class="cd-note">{{parent_kind}}</span></dd>{{/parent_link}}
<dt>Plan</dt><dd>{{#plan}}{{plan}}{{/plan}}{{^plan}}&mdash;{{/plan}}</dd>
</dl>
<section class="cc-section" aria-labelledby="org-edit-h">
<h2 id="org-edit-h">Details</h2>
<p class="cd-note">Only an admin changes organisations. The partner is fixed when the organisation is added.</p>
<form method="post" action="/console/admin/orgs/{{id}}" class="cc-form" novalidate>
{{> csrf}}
{{#org_form}}{{> form_error_partial}}{{/org_form}}
<div class="cd-field-pair">
<div class="sp-field">
<label for="org-name">Name</label>
<input id="org-name" name="name" type="text" required maxlength="200" value="{{form_name}}" autocomplete="off">
</div>
{{^provider}}<div class="sp-field">
<label for="org-plan">Plan</label>
<select id="org-plan" name="plan">{{#plans}}{{> option}}{{/plans}}</select>
</div>{{/provider}}
</div>
<div class="sp-field">
<label for="org-zone">Time zone</label>
<input id="org-zone" name="time_zone" type="text" required value="{{form_zone}}" aria-describedby="org-zone-hint" autocomplete="off" spellcheck="false">
<p id="org-zone-hint" class="cd-note">An IANA name such as Europe/London; customers see SLA promises in it.</p>
</div>
<div class="sp-check"><input type="checkbox" id="org-shares" name="shares_cases" value="1"{{#form_shares}} checked{{/form_shares}}><label for="org-shares">Contacts see each other's cases</label></div>
<div><button type="submit" class="sp-button">Save organisation</button></div>
</form>
</section>
<section class="cc-section" aria-labelledby="org-contacts-h">
<h2 id="org-contacts-h">{{#provider}}Staff{{/provider}}{{^provider}}Contacts{{/provider}}</h2>
{{#has_contacts}}<table class="cq-table">
<caption class="sp-vh">People of {{name}}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#contacts}}<tr>
<td data-label="Name"><a href="/console/admin/people/{{contact_id}}">{{contact_name}}</a></td>
<td data-label="Email">{{contact_email}}</td>
<td data-label="Role">{{contact_role}}</td>
<td data-label="Status">{{#contact_active}}Active{{/contact_active}}{{^contact_active}}Deactivated{{/contact_active}}</td>
</tr>{{/contacts}}
</tbody>
</table>{{/has_contacts}}
{{^has_contacts}}<p class="cd-note">No one yet.</p>{{/has_contacts}}
{{#more_contacts}}<p><a href="/console/admin/people?org_id={{id}}">All people of {{name}}</a></p>{{/more_contacts}}
{{^provider}}<form method="post" action="/console/admin/orgs/{{id}}/contacts" class="cc-form" novalidate aria-labelledby="org-contact-h">
<h3 id="org-contact-h">Add a {{contact_kind}}</h3>
{{> csrf}}
{{#contact_form}}{{> form_error_partial}}{{/contact_form}}
<div class="cd-field-pair">
<div class="sp-field">
<label for="org-contact-email">Contact email address</label>
<input id="org-contact-email" name="email" type="email" required maxlength="254" value="{{contact_email_typed}}" autocomplete="off">
</div>
<div class="sp-field">
<label for="org-contact-name">Contact name</label>
<input id="org-contact-name" name="name" type="text" required maxlength="200" value="{{contact_name_typed}}" autocomplete="off">
</div>
</div>
{{#customer}}<div class="sp-check"><input type="checkbox" id="org-contact-admin" name="org_admin" value="1"{{#contact_admin_typed}} checked{{/contact_admin_typed}}><label for="org-contact-admin">Manages the organisation's contacts</label></div>{{/customer}}
<div><button type="submit" class="sp-button">Add contact</button></div>
</form>{{/provider}}
{{#provider}}<p class="cd-note">Add staff on the <a href="/console/admin/people">People</a> page.</p>{{/provider}}
</section>
{{#partner}}<section class="cc-section" aria-labelledby="org-customers-h">
<h2 id="org-customers-h">Customers</h2>
{{#has_customers}}<table class="cq-table">
<caption class="sp-vh">Customers of {{name}}</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Plan</th></tr></thead>
<tbody>
{{#customers}}<tr>
<td data-label="Name"><a href="/console/admin/orgs/{{customer_id}}">{{customer_name}}</a></td>
<td data-label="Plan">{{customer_plan}}</td>
</tr>{{/customers}}
</tbody>
</table>{{/has_customers}}
{{^has_customers}}<p class="cd-note">No customers yet.</p>{{/has_customers}}
{{#more_customers}}<p><a href="/console/admin/orgs?parent_id={{id}}">All customers of {{name}}</a></p>{{/more_customers}}
</section>{{/partner}}
)html";

// Options of the plans, `selected` marked; a stored plan missing from `plans` is kept.
TemplateData OrgPlanOptions(const std::vector<core::SupportPlan>& plans,
                            const std::string& selected) {
  TemplateData options = EmptyList();
  bool found = false;
  for (const core::SupportPlan& plan : plans) {
    TemplateData option = EmptyObject();
    option.set("value", CleanText(plan.name));
    option.set("label", CleanText(plan.display_name.empty()
                                      ? plan.name
                                      : absl::StrCat(plan.display_name, " (", plan.name, ")")));
    option.set("selected", plan.name == selected);
    found = found || plan.name == selected;
    options.push_back(option);
  }
  if (!found && !selected.empty()) {
    TemplateData option = EmptyObject();
    option.set("value", CleanText(selected));
    option.set("label", CleanText(selected));
    option.set("selected", true);
    options.push_back(option);
  }
  return options;
}

}  // namespace

std::string RenderConsoleOrgListPage(const ConsoleFrame& frame, const ConsoleOrgListView& view) {
  TemplateData data = EmptyObject();
  data.set("kind_filter", OrgKindOptions(view.kind_filter, "Any kind"));
  data.set("parent_filter", CleanText(view.parent_filter));
  data.set("filter_error", CleanTextOrFalse(view.filter_error));
  TemplateData rows = EmptyList();
  for (const core::Organisation& org : view.orgs) {
    TemplateData row = EmptyObject();
    row.set("id", absl::StrCat(org.id));
    row.set("name", CleanText(org.name));
    row.set("kind", std::string(OrgKindText(org.kind)));
    const auto parent =
        org.parent_id ? view.parent_names.find(*org.parent_id) : view.parent_names.end();
    const bool partner_parent = parent != view.parent_names.end();
    row.set("parent_link", partner_parent);
    if (partner_parent) {
      row.set("parent_id", absl::StrCat(parent->first));
      row.set("parent_name", CleanText(parent->second));
    }
    row.set("plan", CleanText(org.plan.empty() ? "\xE2\x80\x94" : org.plan));
    row.set("time_zone", CleanText(org.time_zone));
    rows.push_back(row);
  }
  data.set("rows", rows);
  data.set("has_rows", !view.orgs.empty());
  data.set("has_pages", !view.next_href.empty() || !view.first_href.empty());
  data.set("next_href", CleanTextOrFalse(view.next_href));
  data.set("first_href", CleanTextOrFalse(view.first_href));
  const bool refused = view.form.Is("add-org");
  data.set("add_name", CleanText(refused ? view.form.Value("name") : ""));
  data.set("add_kinds", OrgKindOptions(refused ? view.form.Value("kind") : "customer", ""));
  const std::string parent_typed = refused ? view.form.Value("parent_id") : "";
  TemplateData parents = EmptyList();
  TemplateData provider = EmptyObject();
  provider.set("value", std::string());
  provider.set("label", CleanText(absl::StrCat("None: directly under ", view.provider_name)));
  provider.set("selected", parent_typed.empty());
  parents.push_back(provider);
  for (const core::Organisation& partner : view.partners) {
    TemplateData option = EmptyObject();
    option.set("value", absl::StrCat(partner.id));
    option.set("label", CleanText(partner.name));
    option.set("selected", parent_typed == absl::StrCat(partner.id));
    parents.push_back(option);
  }
  data.set("add_parents", parents);
  data.set("add_plans", OrgPlanOptions(view.plans, refused ? view.form.Value("plan") : ""));
  data.set("add_zone", CleanText(refused ? view.form.Value("time_zone") : "UTC"));
  data.set("add_shares", refused && view.form.Sent("shares_cases"));
  data.set("form_error", CleanTextOrFalse(refused ? view.form.error : ""));
  data.set("form_error_id", std::string("orgs-add-error"));
  return RenderConsoleDocument(frame, data, kOrgListTemplate);
}

std::string RenderConsoleOrgPage(const ConsoleFrame& frame, const ConsoleOrgView& view) {
  const core::Organisation& org = view.org;
  TemplateData data = EmptyObject();
  data.set("id", absl::StrCat(org.id));
  data.set("name", CleanText(org.name));
  data.set("kind", std::string(OrgKindText(org.kind)));
  data.set("provider", org.kind == core::OrgKind::kProvider);
  data.set("partner", org.kind == core::OrgKind::kPartner);
  data.set("customer", org.kind == core::OrgKind::kCustomer);
  data.set("contact_kind",
           std::string(org.kind == core::OrgKind::kPartner ? "partner agent" : "contact"));
  // Only a partner is linked as the parent; the provider is everyone's root.
  const bool partner_parent = view.parent && view.parent->kind == core::OrgKind::kPartner;
  data.set("parent_link", partner_parent);
  if (partner_parent) {
    data.set("parent_id", absl::StrCat(view.parent->id));
    data.set("parent_name", CleanText(view.parent->name));
    data.set("parent_kind", std::string(OrgKindText(view.parent->kind)));
  }
  data.set("plan", CleanTextOrFalse(org.plan));
  const bool refused = view.form.Is("org");
  data.set("org_form", refused);
  data.set("contact_form", view.form.Is("contact"));
  data.set("form_error", CleanTextOrFalse(view.form.error));
  data.set("form_error_id", std::string("org-error"));
  data.set("form_name", CleanText(refused ? view.form.Value("name") : org.name));
  data.set("form_zone", CleanText(refused ? view.form.Value("time_zone") : org.time_zone));
  data.set("form_shares", refused ? view.form.Sent("shares_cases") : org.shares_cases);
  data.set("plans", OrgPlanOptions(view.plans, refused ? view.form.Value("plan") : org.plan));
  TemplateData contacts = EmptyList();
  for (const core::User& user : view.contacts) {
    TemplateData row = EmptyObject();
    row.set("contact_id", absl::StrCat(user.id));
    row.set("contact_name", CleanText(user.name.empty() ? user.email : user.name));
    row.set("contact_email", CleanText(user.email));
    row.set("contact_role", std::string(RoleText(user.role)));
    row.set("contact_active", user.active);
    contacts.push_back(row);
  }
  data.set("contacts", contacts);
  data.set("has_contacts", !view.contacts.empty());
  data.set("more_contacts", view.more_contacts);
  const bool contact_refused = view.form.Is("contact");
  data.set("contact_email_typed", CleanText(contact_refused ? view.form.Value("email") : ""));
  data.set("contact_name_typed", CleanText(contact_refused ? view.form.Value("name") : ""));
  data.set("contact_admin_typed", contact_refused && view.form.Sent("org_admin"));
  TemplateData customers = EmptyList();
  for (const core::Organisation& customer : view.customers) {
    TemplateData row = EmptyObject();
    row.set("customer_id", absl::StrCat(customer.id));
    row.set("customer_name", CleanText(customer.name));
    row.set("customer_plan", CleanText(customer.plan));
    customers.push_back(row);
  }
  data.set("customers", customers);
  data.set("has_customers", !view.customers.empty());
  data.set("more_customers", view.more_customers);
  return RenderConsoleDocument(frame, data, kOrgTemplate);
}

}  // namespace casedesk::adapters::web
