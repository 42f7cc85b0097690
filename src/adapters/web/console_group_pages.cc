// The group pages (see console_group_pages.h).
#include "adapters/web/console_group_pages.h"

#include <kainjow/mustache.hpp>

#include "absl/strings/str_cat.h"
#include "adapters/web/template_data.h"
#include "adapters/web/xml_text.h"

namespace casedesk::adapters::web {
namespace {

constexpr std::string_view kGroupListTemplate = R"html(<h1>Groups</h1>
<p class="cd-note">Groups are the queues provider staff work from; at most one is the shared triage queue new cases land in. See also <a href="/console/admin/people">People</a>.</p>
<section class="cc-section" aria-labelledby="groups-list-h">
<h2 id="groups-list-h" class="sp-vh">Groups</h2>
{{#has_rows}}<table class="cq-table">
<caption class="sp-vh">Groups, oldest first</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Description</th><th scope="col">Members</th><th scope="col">Triage queue</th></tr></thead>
<tbody>
{{#rows}}<tr>
<td data-label="Name"><a href="/console/admin/groups/{{id}}">{{name}}</a></td>
<td data-label="Description">{{description}}</td>
<td data-label="Members">{{members}}</td>
<td data-label="Triage queue">{{#triage}}Yes{{/triage}}{{^triage}}No{{/triage}}</td>
</tr>{{/rows}}
</tbody>
</table>{{/has_rows}}
{{^has_rows}}<p class="cd-note">No groups yet.</p>{{/has_rows}}
{{#has_pages}}<nav class="cq-pages" aria-label="Pages of groups">
{{#first_href}}<a href="{{first_href}}">First page</a>{{/first_href}}
{{#next_href}}<a href="{{next_href}}" rel="next">Next page</a>{{/next_href}}
</nav>{{/has_pages}}
</section>
{{#may_edit}}<section class="cc-section" aria-labelledby="groups-new-h">
<h2 id="groups-new-h">New group</h2>
<form method="post" action="/console/admin/groups" class="cc-form" novalidate>
{{> csrf}}
{{> form_error_partial}}
<div class="sp-field">
<label for="groups-new-name">Name</label>
<input id="groups-new-name" name="name" type="text" required maxlength="100" value="{{new_name}}" autocomplete="off">
</div>
<div class="sp-field">
<label for="groups-new-description">Description <span class="cd-optional">(optional)</span></label>
<textarea id="groups-new-description" name="description" rows="2" maxlength="2000">{{new_description}}</textarea>
</div>
<div class="sp-check"><input type="checkbox" id="groups-new-triage" name="triage" value="1"{{#new_triage}} checked{{/new_triage}}><label for="groups-new-triage">The shared triage queue</label></div>
<div><button type="submit" class="sp-button">Create group</button></div>
</form>
</section>{{/may_edit}}
{{^may_edit}}{{> form_error_partial}}<p class="cd-note">Only an admin can create or change groups.</p>{{/may_edit}}
)html";

constexpr std::string_view kGroupTemplate =
    R"html(<p class="sp-back"><a href="/console/admin/groups"><span aria-hidden="true">&larr;</span> All groups</a></p>
<h1>Group {{name}}</h1>
{{^may_edit}}<p class="cd-note">Only an admin can change groups.</p>{{/may_edit}}
<section class="cc-section" aria-labelledby="group-edit-h">
<h2 id="group-edit-h">Details</h2>
<form method="post" action="/console/admin/groups/{{id}}" class="cc-form" novalidate>
{{> csrf}}
{{#group_form}}{{> form_error_partial}}{{/group_form}}
<div class="sp-field">
<label for="group-name">Name</label>
<input id="group-name" name="name" type="text" required maxlength="100" value="{{form_name}}" autocomplete="off">
</div>
<div class="sp-field">
<label for="group-description">Description</label>
<textarea id="group-description" name="description" rows="2" maxlength="2000">{{form_description}}</textarea>
</div>
<div class="sp-check"><input type="checkbox" id="group-triage" name="triage" value="1"{{#form_triage}} checked{{/form_triage}}><label for="group-triage">The shared triage queue</label></div>
<div><button type="submit" class="sp-button">Save group</button></div>
</form>
</section>
<section class="cc-section" aria-labelledby="group-members-h">
<h2 id="group-members-h">Members ({{member_count}})</h2>
{{#members_form}}{{> form_error_partial}}{{/members_form}}
{{#has_members}}<table class="cq-table">
<caption class="sp-vh">Members of the group</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Status</th>{{#may_edit}}<th scope="col"><span class="sp-vh">Remove</span></th>{{/may_edit}}</tr></thead>
<tbody>
{{#members}}<tr>
<td data-label="Name"><a href="/console/admin/people/{{member_id}}">{{member_name}}</a></td>
<td data-label="Email">{{member_email}}</td>
<td data-label="Status">{{#member_active}}Active{{/member_active}}{{^member_active}}Deactivated{{/member_active}}</td>
{{#may_edit}}<td><form method="post" action="/console/admin/groups/{{id}}/members" class="cd-inline">
{{> csrf}}<input type="hidden" name="user_id" value="{{member_id}}">
<button type="submit" class="cd-button" name="action" value="remove" aria-label="Remove {{member_name}}">Remove</button>
</form></td>{{/may_edit}}
</tr>{{/members}}
</tbody>
</table>{{/has_members}}
{{^has_members}}<p class="cd-note">No members.</p>{{/has_members}}
{{#members_not_shown}}<p class="cd-note">{{members_not_shown}} more members are not shown.</p>{{/members_not_shown}}
{{#may_edit}}{{#has_candidates}}<form method="post" action="/console/admin/groups/{{id}}/members" class="cc-form">
{{> csrf}}
<div class="sp-field">
<label for="group-add-member">Staff member</label>
<select id="group-add-member" name="user_id">{{#candidates}}{{> option}}{{/candidates}}</select>
</div>
<div><button type="submit" class="sp-button" name="action" value="add">Add member</button></div>
</form>{{/has_candidates}}{{/may_edit}}
</section>
)html";

}  // namespace

std::string RenderConsoleGroupListPage(const ConsoleFrame& frame,
                                       const ConsoleGroupListView& view) {
  TemplateData data = EmptyObject();
  TemplateData rows = EmptyList();
  for (const core::Group& group : view.groups) {
    TemplateData row = EmptyObject();
    row.set("id", absl::StrCat(group.id));
    row.set("name", CleanText(group.name));
    row.set("description", CleanText(group.description));
    row.set("members", absl::StrCat(group.members.size()));
    row.set("triage", group.triage);
    rows.push_back(row);
  }
  data.set("rows", rows);
  data.set("has_rows", !view.groups.empty());
  data.set("has_pages", !view.next_href.empty() || !view.first_href.empty());
  data.set("next_href", CleanTextOrFalse(view.next_href));
  data.set("first_href", CleanTextOrFalse(view.first_href));
  data.set("may_edit", view.may_edit);
  const bool refused = view.form.Is("new-group");
  data.set("new_name", CleanText(refused ? view.form.Value("name") : ""));
  data.set("new_description", CleanText(refused ? view.form.Value("description") : ""));
  data.set("new_triage", refused && view.form.Sent("triage"));
  data.set("form_error", CleanTextOrFalse(refused ? view.form.error : ""));
  data.set("form_error_id", std::string("groups-new-error"));
  return RenderConsoleDocument(frame, data, kGroupListTemplate);
}

std::string RenderConsoleGroupPage(const ConsoleFrame& frame, const ConsoleGroupView& view) {
  TemplateData data = EmptyObject();
  data.set("id", absl::StrCat(view.group.id));
  data.set("name", CleanText(view.group.name));
  data.set("may_edit", view.may_edit);
  const bool refused = view.form.Is("group");
  data.set("group_form", refused);
  data.set("members_form", view.form.Is("members"));
  data.set("form_error", CleanTextOrFalse(view.form.error));
  data.set("form_error_id", std::string("group-error"));
  data.set("form_name", CleanText(refused ? view.form.Value("name") : view.group.name));
  data.set("form_description",
           CleanText(refused ? view.form.Value("description") : view.group.description));
  data.set("form_triage", refused ? view.form.Sent("triage") : view.group.triage);
  data.set("member_count", absl::StrCat(view.group.members.size()));
  TemplateData members = EmptyList();
  for (const GroupMemberEntry& member : view.members) {
    TemplateData row = EmptyObject();
    row.set("member_id", absl::StrCat(member.id));
    row.set("member_name", CleanText(member.name));
    row.set("member_email", CleanText(member.email));
    row.set("member_active", member.active);
    members.push_back(row);
  }
  data.set("members", members);
  data.set("has_members", !view.members.empty());
  data.set("members_not_shown", view.members_not_shown == 0
                                    ? TemplateData(false)
                                    : TemplateData(absl::StrCat(view.members_not_shown)));
  TemplateData candidates = EmptyList();
  for (const GroupMemberEntry& candidate : view.candidates) {
    TemplateData option = EmptyObject();
    option.set("value", absl::StrCat(candidate.id));
    option.set("label", CleanText(absl::StrCat(candidate.name, " (", candidate.email, ")")));
    option.set("selected", false);
    candidates.push_back(option);
  }
  data.set("candidates", candidates);
  data.set("has_candidates", !view.candidates.empty());
  return RenderConsoleDocument(frame, data, kGroupTemplate);
}

}  // namespace casedesk::adapters::web
