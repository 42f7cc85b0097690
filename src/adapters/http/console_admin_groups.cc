// The group routes (see console_admin_groups.h).
#include "adapters/http/console_admin_groups.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_directory_support.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_group_pages.h"
#include "app/groups.h"
#include "app/users.h"
#include "core/access.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kGroupsPath[] = "/console/admin/groups";
// Members listed on a group's page, each with its own remove form: keeps the page under 100 KB.
constexpr size_t kGroupMembersShown = 100;

std::string GroupPath(core::GroupId id) { return absl::StrCat(kGroupsPath, "/", id); }

HttpResponse GroupListPage(app::AppContext& context, const HttpRequest& request,
                           const WebCaller& web, int status, web::PostedForm form) {
  web::ConsoleGroupListView view;
  view.form = std::move(form);
  view.may_edit = core::IsAdmin(web.caller.viewer);
  const ports::PageRequest page = DirectoryPageRequest(request);
  absl::StatusOr<ports::Page<core::Group>> groups =
      app::ListGroups(context, web.caller.viewer, page);
  if (!groups.ok() && !absl::IsInvalidArgument(groups.status())) {
    return DirectoryLoadFailure(context, web, groups.status());
  }
  if (groups.ok()) {
    view.groups = std::move(groups->items);
    if (!groups->next_cursor.empty()) {
      view.next_href = DirectoryHref(kGroupsPath, {{"cursor", groups->next_cursor}});
    }
  }
  if (!page.cursor.empty()) view.first_href = kGroupsPath;
  return HtmlPage(status, web::RenderConsoleGroupListPage(
                              DirectoryFrame(context, web, "Groups", &request), view));
}

void CreateGroupFromForm(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                         Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "new-group");
  if (!form) return respond(ConsoleNotFound());
  app::NewGroup group;
  group.name = std::string(absl::StripAsciiWhitespace(form->Value("name")));
  group.description = std::string(absl::StripAsciiWhitespace(form->Value("description")));
  group.triage = form->Sent("triage");
  app::CreateGroup(
      context, web.caller.viewer, std::move(group),
      [&context, request, web, form = *std::move(form),
       respond = std::move(respond)](absl::StatusOr<core::Group> created) mutable {
        if (created.ok()) {
          return respond(SeeOther(absl::StrCat(GroupPath(created->id), "?notice=group-created")));
        }
        form.error = RefusalText(created.status());
        respond(
            GroupListPage(context, request, web, HttpStatusFor(created.status()), std::move(form)));
      });
}

web::GroupMemberEntry MemberEntryOf(const core::User& user) {
  return {user.id, user.name.empty() ? user.email : user.name, user.email, user.active};
}

HttpResponse GroupPage(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                       core::GroupId id, int status, web::PostedForm form) {
  const core::Viewer& viewer = web.caller.viewer;
  absl::StatusOr<core::Group> group = app::GetGroup(context, viewer, id);
  if (!group.ok()) return DirectoryLoadFailure(context, web, group.status());
  web::ConsoleGroupView view;
  view.may_edit = core::IsAdmin(viewer);
  // The provider's staff (bounded): names of members and who may be added.
  std::map<core::UserId, core::User> staff;
  absl::StatusOr<core::OrgId> provider = DirectoryProviderId(context, viewer);
  if (!provider.ok()) return DirectoryLoadFailure(context, web, provider.status());
  app::UserListRequest list;
  list.org_id = *provider;
  list.page.limit = kDirectoryChoiceLimit;
  absl::StatusOr<ports::Page<core::User>> people = app::ListUsers(context, viewer, list);
  if (!people.ok()) return DirectoryLoadFailure(context, web, people.status());
  for (core::User& user : people->items) staff.emplace(user.id, std::move(user));
  const size_t shown = std::min(group->members.size(), kGroupMembersShown);
  view.members_not_shown = group->members.size() - shown;
  for (size_t i = 0; i < shown; ++i) {
    const core::UserId member = group->members[i];
    if (const auto it = staff.find(member); it != staff.end()) {
      view.members.push_back(MemberEntryOf(it->second));
    } else if (absl::StatusOr<core::User> user = app::GetUser(context, viewer, member); user.ok()) {
      view.members.push_back(MemberEntryOf(*user));
    } else {
      view.members.push_back({member, absl::StrCat("user ", member), "", false});
    }
  }
  for (const auto& [user_id, user] : staff) {
    const bool member =
        std::find(group->members.begin(), group->members.end(), user_id) != group->members.end();
    if (!member && user.active && core::IsProviderStaff(user.role)) {
      view.candidates.push_back(MemberEntryOf(user));
    }
  }
  view.group = *std::move(group);
  view.form = std::move(form);
  return HtmlPage(
      status,
      web::RenderConsoleGroupPage(
          DirectoryFrame(context, web, absl::StrCat("Group ", view.group.name), &request), view));
}

// Answers a group write: 303 back with `notice`, the 404 page for an unknown group, or the
// page again with the refused form.
std::function<void(absl::StatusOr<core::Group>)> AnswerGroupWrite(
    app::AppContext& context, const HttpRequest& request, const WebCaller& web, core::GroupId id,
    std::string notice, web::PostedForm form, Respond respond) {
  return [&context, request, web, id, notice = std::move(notice), form = std::move(form),
          respond = std::move(respond)](absl::StatusOr<core::Group> saved) mutable {
    if (saved.ok()) return respond(SeeOther(absl::StrCat(GroupPath(id), "?notice=", notice)));
    if (absl::IsNotFound(saved.status())) return respond(ConsoleNotFound());
    form.error = RefusalText(saved.status());
    respond(GroupPage(context, request, web, id, HttpStatusFor(saved.status()), std::move(form)));
  };
}

void SaveGroup(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
               core::GroupId id, Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "group");
  if (!form) return respond(ConsoleNotFound());
  absl::StatusOr<core::Group> group = app::GetGroup(context, web.caller.viewer, id);
  if (!group.ok()) return respond(DirectoryLoadFailure(context, web, group.status()));
  app::GroupPatch patch;
  const std::string name(absl::StripAsciiWhitespace(form->Value("name")));
  const std::string description(absl::StripAsciiWhitespace(form->Value("description")));
  if (name != group->name) patch.name = name;
  if (description != group->description) patch.description = description;
  if (form->Sent("triage") != group->triage) patch.triage = form->Sent("triage");
  if (!patch.name && !patch.description && !patch.triage) {
    return respond(SeeOther(absl::StrCat(GroupPath(id), "?notice=unchanged")));
  }
  app::UpdateGroup(
      context, web.caller.viewer, id, std::move(patch),
      AnswerGroupWrite(context, request, web, id, "saved", *std::move(form), std::move(respond)));
}

void ChangeGroupMembers(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                        core::GroupId id, Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "members");
  if (!form) return respond(ConsoleNotFound());
  absl::StatusOr<core::Group> group = app::GetGroup(context, web.caller.viewer, id);
  if (!group.ok()) return respond(DirectoryLoadFailure(context, web, group.status()));
  const std::string action = form->Value("action");
  const std::optional<int64_t> user_id = DirectoryIdText(form->Value("user_id"));
  if ((action != "add" && action != "remove") || !user_id) {
    form->error = "user_id: choose a staff member";
    return respond(GroupPage(context, request, web, id, 400, *std::move(form)));
  }
  std::vector<core::UserId> members = group->members;
  const auto found = std::find(members.begin(), members.end(), *user_id);
  if (action == "add" && found == members.end()) members.push_back(*user_id);
  if (action == "remove" && found != members.end()) members.erase(found);
  if (members == group->members) {
    return respond(SeeOther(absl::StrCat(GroupPath(id), "?notice=unchanged")));
  }
  app::GroupPatch patch;
  patch.members = std::move(members);
  app::UpdateGroup(context, web.caller.viewer, id, std::move(patch),
                   AnswerGroupWrite(context, request, web, id,
                                    action == "add" ? "member-added" : "member-removed",
                                    *std::move(form), std::move(respond)));
}

std::optional<core::GroupId> GroupIdOf(const HttpRequest& request) {
  absl::StatusOr<int64_t> id = IdFromPath(request, "id");
  if (!id.ok()) return std::nullopt;
  return *id;
}

}  // namespace

void RegisterConsoleGroupRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", kGroupsPath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               respond(GroupListPage(context, request, web, 200, {}));
             }));
  router.Add("POST", kGroupsPath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               CreateGroupFromForm(context, request, web, std::move(respond));
             }));
  router.Add("GET", "/console/admin/groups/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::GroupId> id = GroupIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               respond(GroupPage(context, request, web, *id, 200, {}));
             }));
  router.Add("POST", "/console/admin/groups/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::GroupId> id = GroupIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               SaveGroup(context, request, web, *id, std::move(respond));
             }));
  router.Add("POST", "/console/admin/groups/{id}/members",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::GroupId> id = GroupIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               ChangeGroupMembers(context, request, web, *id, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http
