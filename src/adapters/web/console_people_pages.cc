// The people pages (see console_people_pages.h).
#include "adapters/web/console_people_pages.h"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "adapters/web/console_case_labels.h"
#include "adapters/web/console_directory_labels.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"
#include "core/access.h"

namespace casedesk::adapters::web {
namespace {

constexpr std::string_view kPeopleListTemplate = R"html(<h1>People</h1>
<p class="cd-note">Provider staff, partner agents and customer contacts. See also <a href="/console/admin/groups">Groups</a> and <a href="/console/admin/orgs">Organisations</a>.</p>
<form method="get" action="/console/admin/people" class="cc-form" aria-label="Filter people">
{{#filter_error}}<p class="cd-form-error" id="people-filter-error" role="alert">{{filter_error}}</p>{{/filter_error}}
<div class="cd-field-pair">
<div class="sp-field">
<label for="people-role">Role</label>
<select id="people-role" name="role">{{#role_filter}}{{> option}}{{/role_filter}}</select>
</div>
<div class="sp-field">
<label for="people-org">Organisation id <span class="cd-optional">(optional)</span></label>
<input id="people-org" name="org_id" type="text" inputmode="numeric" value="{{org_filter}}" autocomplete="off">
</div>
</div>
<div><button type="submit" class="cd-button">Filter</button></div>
</form>
<section class="cc-section" aria-labelledby="people-list-h">
<h2 id="people-list-h" class="sp-vh">People</h2>
{{#has_rows}}<table class="cq-table">
<caption class="sp-vh">People, oldest first</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Organisation</th><th scope="col">Status</th></tr></thead>
<tbody>
{{#rows}}<tr>
<td data-label="Name"><a href="/console/admin/people/{{id}}">{{name}}</a></td>
<td data-label="Email">{{email}}</td>
<td data-label="Role">{{role}}</td>
<td data-label="Organisation"><a href="/console/admin/orgs/{{org_id}}">{{org_name}}</a></td>
<td data-label="Status">{{#active}}Active{{/active}}{{^active}}Deactivated{{/active}}</td>
</tr>{{/rows}}
</tbody>
</table>{{/has_rows}}
{{^has_rows}}<p class="cd-note">No one matches these filters.</p>{{/has_rows}}
{{#has_pages}}<nav class="cq-pages" aria-label="Pages of people">
{{#first_href}}<a href="{{first_href}}">First page</a>{{/first_href}}
{{#next_href}}<a href="{{next_href}}" rel="next">Next page</a>{{/next_href}}
</nav>{{/has_pages}}
</section>
<section class="cc-section" aria-labelledby="people-add-h">
<h2 id="people-add-h">Add a person</h2>
<p class="cd-note">Staff (agents, success managers, admins) belong to the provider: leave the organisation empty. A customer contact or partner agent belongs to the organisation whose id you give; admins add staff, any staff member adds contacts.</p>
<form method="post" action="/console/admin/people" class="cc-form" novalidate>
{{> csrf}}
{{> form_error_partial}}
<div class="cd-field-pair">
<div class="sp-field">
<label for="people-add-email">Email address</label>
<input id="people-add-email" name="email" type="email" required maxlength="254" value="{{add_email}}" autocomplete="off">
</div>
<div class="sp-field">
<label for="people-add-name">Name</label>
<input id="people-add-name" name="name" type="text" required maxlength="200" value="{{add_name}}" autocomplete="off">
</div>
</div>
<div class="cd-field-pair">
<div class="sp-field">
<label for="people-add-role">Role</label>
<select id="people-add-role" name="role">{{#add_roles}}{{> option}}{{/add_roles}}</select>
</div>
<div class="sp-field">
<label for="people-add-org">Organisation id <span class="cd-optional">(empty: the provider)</span></label>
<input id="people-add-org" name="org_id" type="text" inputmode="numeric" value="{{add_org}}" autocomplete="off">
</div>
</div>
<div class="sp-field">
<label for="people-add-tier">Escalation tier <span class="cd-optional">(staff only)</span></label>
<select id="people-add-tier" name="tier">{{#add_tiers}}{{> option}}{{/add_tiers}}</select>
</div>
<div><button type="submit" class="sp-button">Add person</button></div>
</form>
</section>
)html";

constexpr std::string_view kPersonTemplate =
    R"html(<p class="sp-back"><a href="/console/admin/people"><span aria-hidden="true">&larr;</span> All people</a></p>
<h1>{{name}}</h1>
<dl class="cc-facts">
<dt>Email</dt><dd>{{email}}</dd>
<dt>Role</dt><dd>{{role}}</dd>
<dt>Organisation</dt><dd><a href="/console/admin/orgs/{{org_id}}">{{org_name}}</a> <span class="cd-note">{{org_kind}}</span></dd>
<dt>Status</dt><dd>{{#active}}Active{{/active}}{{^active}}Deactivated: cannot sign in or use the API{{/active}}</dd>
<dt>Address verified</dt><dd>{{#verified}}Yes{{/verified}}{{^verified}}No{{/verified}}</dd>
<dt>Added</dt><dd><time datetime="{{created_iso}}">{{created_text}}</time></dd>
</dl>
<section class="cc-section" aria-labelledby="person-edit-h">
<h2 id="person-edit-h">Details</h2>
<p class="cd-note">Only an admin changes a role, to one that fits the organisation. {{#staff}}Admins change the tier and skills; only an admin changes provider staff.{{/staff}}{{^staff}}Staff change contacts' names and status; only an admin marks an address verified.{{/staff}}</p>
<form method="post" action="/console/admin/people/{{id}}" class="cc-form" novalidate>
{{> csrf}}
{{#person_form}}{{> form_error_partial}}{{/person_form}}
<div class="sp-field">
<label for="person-name">Name</label>
<input id="person-name" name="name" type="text" required maxlength="200" value="{{form_name}}" autocomplete="off">
</div>
{{#is_admin}}<div class="sp-field">
<label for="person-role">Role</label>
<select id="person-role" name="role" aria-describedby="person-role-hint"{{#role_invalid}} aria-invalid="true"{{/role_invalid}}>{{#roles}}{{> option}}{{/roles}}</select>
<p id="person-role-hint" class="cd-note">{{#is_self}}You cannot change your own role; another admin can.{{/is_self}}{{^is_self}}The roles that fit a {{org_kind_word}} organisation. A new role ends the person's web sessions: they sign in again to use it.{{/is_self}}</p>
</div>{{/is_admin}}
{{#staff}}<div class="sp-field">
<label for="person-tier">Escalation tier</label>
<select id="person-tier" name="tier">{{#tiers}}{{> option}}{{/tiers}}</select>
</div>
<div class="sp-field">
<label for="person-skills">Skills</label>
<input id="person-skills" name="skills" type="text" value="{{form_skills}}" aria-describedby="person-skills-hint" autocomplete="off" spellcheck="false">
<p id="person-skills-hint" class="cd-note">Lower-case words separated by commas, e.g. network, storage, security.</p>
</div>{{/staff}}
{{^staff}}<div class="sp-check"><input type="checkbox" id="person-org-admin" name="org_admin" value="1"{{#form_org_admin}} checked{{/form_org_admin}}><label for="person-org-admin">Manages the organisation's contacts</label></div>{{/staff}}
<div class="sp-check"><input type="checkbox" id="person-active" name="active" value="1"{{#form_active}} checked{{/form_active}}><label for="person-active">Active (may sign in and use the API)</label></div>
<div><button type="submit" class="sp-button">Save person</button></div>
</form>
</section>
{{#staff}}<section class="cc-section" aria-labelledby="person-groups-h">
<h2 id="person-groups-h">Groups</h2>
{{#groups_form}}{{> form_error_partial}}{{/groups_form}}
{{#has_groups}}<ul>
{{#groups}}<li><a href="/console/admin/groups/{{group_id}}">{{group_name}}</a>{{#is_admin}}
<form method="post" action="/console/admin/people/{{id}}/groups" class="cd-inline">
{{> csrf}}<input type="hidden" name="group_id" value="{{group_id}}">
<button type="submit" class="cd-button" name="action" value="remove" aria-label="Remove from {{group_name}}">Remove</button>
</form>{{/is_admin}}</li>
{{/groups}}</ul>{{/has_groups}}
{{^has_groups}}<p class="cd-note">Not in any group.</p>{{/has_groups}}
{{^groups_complete}}<p class="cd-note">Only the first groups are shown here; see <a href="/console/admin/groups">all groups</a>.</p>{{/groups_complete}}
{{#is_admin}}{{#has_other_groups}}<form method="post" action="/console/admin/people/{{id}}/groups" class="cc-form">
{{> csrf}}
<div class="sp-field">
<label for="person-add-group">Group</label>
<select id="person-add-group" name="group_id">{{#other_groups}}{{> option}}{{/other_groups}}</select>
</div>
<div><button type="submit" class="sp-button" name="action" value="add">Add to group</button></div>
</form>{{/has_other_groups}}{{/is_admin}}
</section>{{/staff}}
<section class="cc-section" aria-labelledby="person-history-h">
<h2 id="person-history-h">Recent history</h2>
{{#has_events}}<ol class="cc-history">
{{#events}}<li><time datetime="{{event_iso}}">{{event_time}}</time> <span class="cc-event-kind">{{event_kind}}</span> <span class="cd-note">by {{event_actor}}</span>
{{#event_changes}}<p class="cd-changes">{{event_changes}}</p>{{/event_changes}}</li>
{{/events}}</ol>{{/has_events}}
{{^has_events}}<p class="cd-note">No changes recorded.</p>{{/has_events}}
</section>
)html";

std::string PersonDisplayName(const core::User& user) {
  return user.name.empty() ? user.email : user.name;
}

// The roles that fit the person's organisation, and their current role should it not (a person
// added before the rule), so showing the form never proposes a change by itself.
TemplateData PersonRoleOptions(const ConsolePersonView& view, std::string_view selected) {
  std::vector<core::Role> roles = core::RolesFittingOrganisation(view.org.kind);
  if (std::find(roles.begin(), roles.end(), view.user.role) == roles.end()) {
    roles.insert(roles.begin(), view.user.role);
  }
  TemplateData options = EmptyList();
  for (core::Role role : roles) {
    const std::string_view name = core::NameOf<core::Role>(core::kRoleNames, role);
    TemplateData option = EmptyObject();
    option.set("value", std::string(name));
    option.set("label", std::string(RoleText(role)));
    option.set("selected", name == selected);
    options.push_back(option);
  }
  return options;
}

}  // namespace

std::string RenderConsolePeopleListPage(const ConsoleFrame& frame,
                                        const ConsolePeopleListView& view) {
  TemplateData data = EmptyObject();
  data.set("role_filter", RoleOptions(view.role_filter, "Any role"));
  data.set("org_filter", CleanText(view.org_filter));
  data.set("filter_error", CleanTextOrFalse(view.filter_error));
  TemplateData rows = EmptyList();
  for (const core::User& user : view.people) {
    TemplateData row = EmptyObject();
    row.set("id", absl::StrCat(user.id));
    row.set("name", CleanText(PersonDisplayName(user)));
    row.set("email", CleanText(user.email));
    row.set("role", std::string(RoleText(user.role)));
    row.set("org_id", absl::StrCat(user.org_id));
    const auto org = view.org_names.find(user.org_id);
    row.set("org_name",
            CleanText(org == view.org_names.end() ? absl::StrCat("Organisation ", user.org_id)
                                                  : org->second));
    row.set("active", user.active);
    rows.push_back(row);
  }
  data.set("rows", rows);
  data.set("has_rows", !view.people.empty());
  data.set("has_pages", !view.next_href.empty() || !view.first_href.empty());
  data.set("next_href", CleanTextOrFalse(view.next_href));
  data.set("first_href", CleanTextOrFalse(view.first_href));
  const bool refused = view.form.Is("add-person");
  data.set("add_email", CleanText(refused ? view.form.Value("email") : ""));
  data.set("add_name", CleanText(refused ? view.form.Value("name") : ""));
  data.set("add_org", CleanText(refused ? view.form.Value("org_id") : ""));
  data.set("add_roles", RoleOptions(refused ? view.form.Value("role") : "agent", ""));
  data.set("add_tiers", TierOptions(refused ? view.form.Value("tier") : "none"));
  data.set("form_error", CleanTextOrFalse(refused ? view.form.error : ""));
  data.set("form_error_id", std::string("people-add-error"));
  return RenderConsoleDocument(frame, data, kPeopleListTemplate);
}

std::string RenderConsolePersonPage(const ConsoleFrame& frame, const ConsolePersonView& view) {
  const core::User& user = view.user;
  TemplateData data = EmptyObject();
  data.set("id", absl::StrCat(user.id));
  data.set("name", CleanText(PersonDisplayName(user)));
  data.set("email", CleanText(user.email));
  data.set("role", std::string(RoleText(user.role)));
  data.set("org_id", absl::StrCat(user.org_id));
  data.set("org_name", CleanText(view.org.name));
  data.set("org_kind", std::string(OrgKindText(view.org.kind)));
  data.set("active", user.active);
  data.set("verified", user.verified);
  data.set("created_iso", IsoTime(user.created_at));
  data.set("created_text", ShortTime(user.created_at));
  const bool staff = core::IsProviderStaff(user.role);
  data.set("staff", staff);
  data.set("is_admin", view.is_admin);
  const bool refused = view.form.Is("person");
  data.set("person_form", refused);
  data.set("groups_form", view.form.Is("groups"));
  data.set("form_error", CleanTextOrFalse(view.form.error));
  data.set("form_error_id", std::string("person-error"));
  data.set("form_name", CleanText(refused ? view.form.Value("name") : user.name));
  data.set("form_skills",
           CleanText(refused ? view.form.Value("skills") : absl::StrJoin(user.skills, ", ")));
  data.set("tiers", TierOptions(refused ? view.form.Value("tier")
                                        : core::NameOf<core::Tier>(core::kTierNames, user.tier)));
  data.set("is_self", view.is_self);
  std::string org_kind_word(OrgKindText(view.org.kind));
  absl::AsciiStrToLower(&org_kind_word);
  data.set("org_kind_word", org_kind_word);
  data.set("roles", PersonRoleOptions(
                        view, refused ? view.form.Value("role")
                                      : core::NameOf<core::Role>(core::kRoleNames, user.role)));
  data.set("role_invalid", refused && view.form.ErrorField() == "role");
  data.set("form_org_admin", refused ? view.form.Sent("org_admin") : user.org_admin);
  data.set("form_active", refused ? view.form.Sent("active") : user.active);
  TemplateData groups = EmptyList();
  for (const core::Group& group : view.groups) {
    TemplateData row = EmptyObject();
    row.set("group_id", absl::StrCat(group.id));
    row.set("group_name", CleanText(group.name));
    groups.push_back(row);
  }
  data.set("groups", groups);
  data.set("has_groups", !view.groups.empty());
  data.set("groups_complete", view.groups_complete);
  TemplateData others = EmptyList();
  for (const core::Group& group : view.other_groups) {
    TemplateData option = EmptyObject();
    option.set("value", absl::StrCat(group.id));
    option.set("label", CleanText(group.name));
    option.set("selected", false);
    others.push_back(option);
  }
  data.set("other_groups", others);
  data.set("has_other_groups", !view.other_groups.empty());
  TemplateData events = EmptyList();
  for (const core::AuditEvent& event : view.events) {
    events.push_back(DirectoryEventData(event, view.actor_names));
  }
  data.set("events", events);
  data.set("has_events", !view.events.empty());
  return RenderConsoleDocument(frame, data, kPersonTemplate);
}

}  // namespace casedesk::adapters::web
