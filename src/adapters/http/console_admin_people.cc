// The people routes (see console_admin_people.h).
#include "adapters/http/console_admin_people.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "adapters/http/api_support.h"
#include "adapters/http/console_admin_groups.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_directory_support.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_people_pages.h"
#include "app/audit_trail.h"
#include "app/groups.h"
#include "app/organisations.h"
#include "app/users.h"
#include "core/access.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kPeoplePath[] = "/console/admin/people";
// The person page shows this many of the newest events, found within this many pages of 200.
constexpr size_t kPersonRecentEvents = 10;
constexpr int kPersonEventPages = 5;

std::string PersonPath(core::UserId id) { return absl::StrCat(kPeoplePath, "/", id); }

std::vector<std::string> SkillsFromText(std::string_view text) {
  std::vector<std::string> skills;
  for (absl::string_view skill : absl::StrSplit(absl::string_view(text.data(), text.size()),
                                                absl::ByAnyChar(", \t\r\n"), absl::SkipEmpty())) {
    skills.emplace_back(skill);
  }
  return skills;
}

// The list with `form` (the refused add form, if any) and the filters of the query.
HttpResponse PeopleListPage(app::AppContext& context, const HttpRequest& request,
                            const WebCaller& web, int status, web::PostedForm form) {
  web::ConsolePeopleListView view;
  view.form = std::move(form);
  view.role_filter = std::string(request.Query("role").value_or(""));
  view.org_filter = std::string(request.Query("org_id").value_or(""));
  app::UserListRequest list;
  list.page = DirectoryPageRequest(request);
  if (!view.role_filter.empty()) {
    list.role = core::EnumFromName<core::Role>(core::kRoleNames, view.role_filter);
    if (!list.role) view.filter_error = "role: choose a role from the list";
  }
  if (!view.org_filter.empty()) {
    list.org_id = DirectoryIdText(view.org_filter);
    if (!list.org_id) view.filter_error = "org_id: give an organisation's number, e.g. 12";
  }
  if (view.filter_error.empty()) {
    absl::StatusOr<ports::Page<core::User>> page = app::ListUsers(context, web.caller.viewer, list);
    if (absl::IsInvalidArgument(page.status())) {
      view.filter_error = RefusalText(page.status());
    } else if (!page.ok()) {
      return DirectoryLoadFailure(context, web, page.status());
    } else {
      std::vector<core::OrgId> org_ids;
      for (const core::User& user : page->items) org_ids.push_back(user.org_id);
      view.org_names = DirectoryOrgNames(context, web.caller.viewer, org_ids);
      view.people = std::move(page->items);
      const std::vector<std::pair<std::string, std::string>> filters{{"role", view.role_filter},
                                                                     {"org_id", view.org_filter}};
      if (!page->next_cursor.empty()) {
        std::vector<std::pair<std::string, std::string>> next = filters;
        next.emplace_back("cursor", page->next_cursor);
        view.next_href = DirectoryHref(kPeoplePath, next);
      }
      if (!list.page.cursor.empty()) view.first_href = DirectoryHref(kPeoplePath, filters);
    }
  }
  if (!view.filter_error.empty() && status == 200) status = 400;
  return HtmlPage(status, web::RenderConsolePeopleListPage(
                              DirectoryFrame(context, web, "People", &request), view));
}

void AddPerson(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
               Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "add-person");
  if (!form) return respond(ConsoleNotFound());
  const auto refuse = [&](int status, std::string error) {
    form->error = std::move(error);
    respond(PeopleListPage(context, request, web, status, *std::move(form)));
  };
  app::NewUser user;
  user.email = std::string(absl::StripAsciiWhitespace(form->Value("email")));
  user.name = std::string(absl::StripAsciiWhitespace(form->Value("name")));
  const std::optional<core::Role> role =
      core::EnumFromName<core::Role>(core::kRoleNames, form->Value("role"));
  if (!role) return refuse(400, "role: choose a role from the list");
  user.role = *role;
  const std::string tier_text = form->Value("tier");
  const std::optional<core::Tier> tier = core::EnumFromName<core::Tier>(
      core::kTierNames, tier_text.empty() ? std::string("none") : tier_text);
  if (!tier) return refuse(400, "tier: choose a tier from the list");
  user.tier = *tier;
  const std::string org_text(absl::StripAsciiWhitespace(form->Value("org_id")));
  if (org_text.empty()) {
    absl::StatusOr<core::OrgId> provider = DirectoryProviderId(context, web.caller.viewer);
    if (!provider.ok())
      return refuse(HttpStatusFor(provider.status()), RefusalText(provider.status()));
    user.org_id = *provider;
  } else if (const std::optional<int64_t> org = DirectoryIdText(org_text)) {
    user.org_id = *org;
  } else {
    return refuse(400, "org_id: give the organisation's number, or leave it empty for staff");
  }
  app::CreateUser(
      context, web.caller.viewer, std::move(user),
      [&context, request, web, form = *std::move(form),
       respond = std::move(respond)](absl::StatusOr<core::User> created) mutable {
        if (created.ok()) {
          return respond(SeeOther(absl::StrCat(PersonPath(created->id), "?notice=person-added")));
        }
        form.error = absl::IsNotFound(created.status()) ? "org_id: no organisation with that number"
                                                        : RefusalText(created.status());
        respond(PeopleListPage(context, request, web, HttpStatusFor(created.status()),
                               std::move(form)));
      });
}

// The newest events of the person, newest first, within kPersonEventPages pages.
std::vector<core::AuditEvent> RecentPersonEvents(app::AppContext& context,
                                                 const core::Viewer& viewer, core::UserId id) {
  std::vector<core::AuditEvent> recent;
  ports::PageRequest page;
  page.limit = kDirectoryChoiceLimit;
  for (int i = 0; i < kPersonEventPages; ++i) {
    absl::StatusOr<ports::Page<core::AuditEvent>> events =
        app::ListEntityEvents(context, viewer, "user", absl::StrCat(id), page);
    if (!events.ok()) break;
    for (core::AuditEvent& event : events->items) recent.push_back(std::move(event));
    if (recent.size() > kPersonRecentEvents) {
      recent.erase(recent.begin(), recent.end() - kPersonRecentEvents);
    }
    if (events->next_cursor.empty()) break;
    page.cursor = events->next_cursor;
  }
  std::reverse(recent.begin(), recent.end());
  return recent;
}

HttpResponse PersonPage(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                        core::UserId id, int status, web::PostedForm form) {
  const core::Viewer& viewer = web.caller.viewer;
  absl::StatusOr<core::User> user = app::GetUser(context, viewer, id);
  if (!user.ok()) return DirectoryLoadFailure(context, web, user.status());
  absl::StatusOr<core::Organisation> org = app::GetOrganisation(context, viewer, user->org_id);
  if (!org.ok()) return DirectoryLoadFailure(context, web, org.status());
  web::ConsolePersonView view;
  view.is_admin = core::IsAdmin(viewer);
  view.is_self = viewer.user_id == id;
  if (core::IsProviderStaff(user->role)) {
    ports::PageRequest page;
    page.limit = kDirectoryChoiceLimit;
    absl::StatusOr<ports::Page<core::Group>> groups = app::ListGroups(context, viewer, page);
    if (!groups.ok()) return DirectoryLoadFailure(context, web, groups.status());
    view.groups_complete = groups->next_cursor.empty();
    for (core::Group& group : groups->items) {
      const bool member =
          std::find(group.members.begin(), group.members.end(), id) != group.members.end();
      (member ? view.groups : view.other_groups).push_back(std::move(group));
    }
  }
  view.events = RecentPersonEvents(context, viewer, id);
  std::vector<core::UserId> actors;
  for (const core::AuditEvent& event : view.events) actors.push_back(event.actor_id);
  view.actor_names = DirectoryPeopleNames(context, viewer, actors);
  view.user = *std::move(user);
  view.org = *std::move(org);
  view.form = std::move(form);
  const std::string title = view.user.name.empty() ? view.user.email : view.user.name;
  return HtmlPage(
      status, web::RenderConsolePersonPage(DirectoryFrame(context, web, title, &request), view));
}

// The patch of what the details form changed; an error names the field.
absl::StatusOr<app::UserPatch> PersonPatchOf(const web::PostedForm& form, const core::User& user) {
  app::UserPatch patch;
  const std::string name(absl::StripAsciiWhitespace(form.Value("name")));
  if (name != user.name) patch.name = name;
  if (form.Sent("role")) {
    const std::optional<core::Role> role =
        core::EnumFromName<core::Role>(core::kRoleNames, form.Value("role"));
    if (!role) return absl::InvalidArgumentError("role: choose a role from the list");
    if (*role != user.role) patch.role = *role;
  }
  if (core::IsProviderStaff(user.role)) {
    const std::optional<core::Tier> tier =
        core::EnumFromName<core::Tier>(core::kTierNames, form.Value("tier"));
    if (!tier) return absl::InvalidArgumentError("tier: choose a tier from the list");
    if (*tier != user.tier) patch.tier = *tier;
    std::vector<std::string> skills = SkillsFromText(form.Value("skills"));
    if (skills != user.skills) patch.skills = std::move(skills);
  } else if (form.Sent("org_admin") != user.org_admin) {
    patch.org_admin = form.Sent("org_admin");
  }
  if (form.Sent("active") != user.active) patch.active = form.Sent("active");
  return patch;
}

bool PersonPatchIsEmpty(const app::UserPatch& patch) {
  return !patch.name && !patch.tier && !patch.skills && !patch.active && !patch.org_admin &&
         !patch.verified && !patch.role;
}

void SavePerson(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                core::UserId id, Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "person");
  if (!form) return respond(ConsoleNotFound());
  absl::StatusOr<core::User> user = app::GetUser(context, web.caller.viewer, id);
  if (!user.ok()) return respond(DirectoryLoadFailure(context, web, user.status()));
  absl::StatusOr<app::UserPatch> patch = PersonPatchOf(*form, *user);
  if (!patch.ok()) {
    form->error = std::string(patch.status().message());
    return respond(PersonPage(context, request, web, id, 400, *std::move(form)));
  }
  if (PersonPatchIsEmpty(*patch)) {
    return respond(SeeOther(absl::StrCat(PersonPath(id), "?notice=unchanged")));
  }
  const bool role_changes = patch->role.has_value();
  app::UpdateUser(context, web.caller.viewer, id, *std::move(patch),
                  [&context, request, web, id, role_changes, form = *std::move(form),
                   respond = std::move(respond)](absl::StatusOr<core::User> saved) mutable {
                    if (saved.ok()) {
                      return respond(SeeOther(absl::StrCat(
                          PersonPath(id), "?notice=", role_changes ? "role-changed" : "saved")));
                    }
                    if (absl::IsNotFound(saved.status())) return respond(ConsoleNotFound());
                    form.error = RefusalText(saved.status());
                    respond(PersonPage(context, request, web, id, HttpStatusFor(saved.status()),
                                       std::move(form)));
                  });
}

void ChangePersonGroups(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                        core::UserId id, Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "groups");
  if (!form) return respond(ConsoleNotFound());
  absl::StatusOr<core::User> user = app::GetUser(context, web.caller.viewer, id);
  if (!user.ok()) return respond(DirectoryLoadFailure(context, web, user.status()));
  const auto refuse = [&](int status, std::string error) {
    form->error = std::move(error);
    respond(PersonPage(context, request, web, id, status, *std::move(form)));
  };
  const std::string action = form->Value("action");
  if (action != "add" && action != "remove") return refuse(400, "action: add or remove");
  const std::optional<int64_t> group_id = DirectoryIdText(form->Value("group_id"));
  if (!group_id) return refuse(400, "group_id: choose a group");
  absl::StatusOr<core::Group> group = app::GetGroup(context, web.caller.viewer, *group_id);
  if (!group.ok()) {
    return refuse(HttpStatusFor(group.status()), absl::IsNotFound(group.status())
                                                     ? "group_id: no such group"
                                                     : RefusalText(group.status()));
  }
  std::vector<core::UserId> members = group->members;
  const auto found = std::find(members.begin(), members.end(), id);
  if (action == "add" && found == members.end()) members.push_back(id);
  if (action == "remove" && found != members.end()) members.erase(found);
  if (members == group->members) {
    return respond(SeeOther(absl::StrCat(PersonPath(id), "?notice=unchanged")));
  }
  app::GroupPatch patch;
  patch.members = std::move(members);
  app::UpdateGroup(
      context, web.caller.viewer, *group_id, std::move(patch),
      [&context, request, web, id, action, form = *std::move(form),
       respond = std::move(respond)](absl::StatusOr<core::Group> saved) mutable {
        if (saved.ok()) {
          return respond(SeeOther(absl::StrCat(
              PersonPath(id), "?notice=", action == "add" ? "member-added" : "member-removed")));
        }
        form.error = RefusalText(saved.status());
        respond(
            PersonPage(context, request, web, id, HttpStatusFor(saved.status()), std::move(form)));
      });
}

// The route's person id, or nullopt (the 404 page) for a malformed one.
std::optional<core::UserId> PersonIdOf(const HttpRequest& request) {
  absl::StatusOr<int64_t> id = IdFromPath(request, "id");
  if (!id.ok()) return std::nullopt;
  return *id;
}

}  // namespace

void RegisterConsolePeopleRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", kPeoplePath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               respond(PeopleListPage(context, request, web, 200, {}));
             }));
  router.Add("POST", kPeoplePath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               AddPerson(context, request, web, std::move(respond));
             }));
  router.Add("GET", "/console/admin/people/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::UserId> id = PersonIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               respond(PersonPage(context, request, web, *id, 200, {}));
             }));
  router.Add("POST", "/console/admin/people/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::UserId> id = PersonIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               SavePerson(context, request, web, *id, std::move(respond));
             }));
  router.Add("POST", "/console/admin/people/{id}/groups",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::UserId> id = PersonIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               ChangePersonGroups(context, request, web, *id, std::move(respond));
             }));
  RegisterConsoleGroupRoutes(router, context);
}

}  // namespace casedesk::adapters::http
