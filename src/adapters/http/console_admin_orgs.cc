// The organisation routes (see console_admin_orgs.h).
#include "adapters/http/console_admin_orgs.h"

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
#include "adapters/web/console_org_pages.h"
#include "app/organisations.h"
#include "app/plans.h"
#include "app/users.h"
#include "core/access.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kOrgsPath[] = "/console/admin/orgs";

std::string OrgPath(core::OrgId id) { return absl::StrCat(kOrgsPath, "/", id); }

absl::StatusOr<std::vector<core::SupportPlan>> OrgFormPlans(app::AppContext& context,
                                                            const core::Viewer& viewer) {
  ports::PageRequest page;
  page.limit = kDirectoryChoiceLimit;
  absl::StatusOr<ports::Page<core::SupportPlan>> plans = app::ListPlans(context, viewer, page);
  if (!plans.ok()) return plans.status();
  return std::move(plans->items);
}

HttpResponse OrgListPage(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                         int status, web::PostedForm form) {
  const core::Viewer& viewer = web.caller.viewer;
  web::ConsoleOrgListView view;
  view.form = std::move(form);
  view.kind_filter = std::string(request.Query("kind").value_or(""));
  view.parent_filter = std::string(request.Query("parent_id").value_or(""));
  app::OrganisationListRequest list;
  list.page = DirectoryPageRequest(request);
  if (!view.kind_filter.empty()) {
    list.kind = core::EnumFromName<core::OrgKind>(core::kOrgKindNames, view.kind_filter);
    if (!list.kind) view.filter_error = "kind: choose partner or customer";
  }
  if (!view.parent_filter.empty()) {
    list.parent_id = DirectoryIdText(view.parent_filter);
    if (!list.parent_id) view.filter_error = "parent_id: give a partner's number, e.g. 12";
  }
  absl::StatusOr<core::OrgId> provider = DirectoryProviderId(context, viewer);
  if (!provider.ok()) return DirectoryLoadFailure(context, web, provider.status());
  if (view.filter_error.empty()) {
    absl::StatusOr<ports::Page<core::Organisation>> page =
        app::ListOrganisations(context, viewer, list);
    if (absl::IsInvalidArgument(page.status())) {
      view.filter_error = RefusalText(page.status());
    } else if (!page.ok()) {
      return DirectoryLoadFailure(context, web, page.status());
    } else {
      std::vector<core::OrgId> parents;
      for (const core::Organisation& org : page->items) {
        if (org.parent_id && *org.parent_id != *provider) parents.push_back(*org.parent_id);
      }
      view.parent_names = DirectoryOrgNames(context, viewer, parents);
      view.orgs = std::move(page->items);
      const std::vector<std::pair<std::string, std::string>> filters{
          {"kind", view.kind_filter}, {"parent_id", view.parent_filter}};
      if (!page->next_cursor.empty()) {
        std::vector<std::pair<std::string, std::string>> next = filters;
        next.emplace_back("cursor", page->next_cursor);
        view.next_href = DirectoryHref(kOrgsPath, next);
      }
      if (!list.page.cursor.empty()) view.first_href = DirectoryHref(kOrgsPath, filters);
    }
  }
  absl::StatusOr<std::vector<core::SupportPlan>> plans = OrgFormPlans(context, viewer);
  if (!plans.ok()) return DirectoryLoadFailure(context, web, plans.status());
  view.plans = *std::move(plans);
  app::OrganisationListRequest partners;
  partners.kind = core::OrgKind::kPartner;
  partners.page.limit = kDirectoryChoiceLimit;
  absl::StatusOr<ports::Page<core::Organisation>> partner_page =
      app::ListOrganisations(context, viewer, partners);
  if (!partner_page.ok()) return DirectoryLoadFailure(context, web, partner_page.status());
  view.partners = std::move(partner_page->items);
  web::ConsoleFrame frame = DirectoryFrame(context, web, "Organisations", &request);
  view.provider_name = frame.desk_name;
  if (!view.filter_error.empty() && status == 200) status = 400;
  return HtmlPage(status, web::RenderConsoleOrgListPage(frame, view));
}

void AddOrganisation(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                     Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "add-org");
  if (!form) return respond(ConsoleNotFound());
  const auto refuse = [&](std::string error) {
    form->error = std::move(error);
    respond(OrgListPage(context, request, web, 400, *std::move(form)));
  };
  app::NewOrganisation org;
  org.name = std::string(absl::StripAsciiWhitespace(form->Value("name")));
  const std::optional<core::OrgKind> kind =
      core::EnumFromName<core::OrgKind>(core::kOrgKindNames, form->Value("kind"));
  if (!kind || *kind == core::OrgKind::kProvider) return refuse("kind: choose partner or customer");
  org.kind = *kind;
  const std::string parent_text = form->Value("parent_id");
  if (!parent_text.empty()) {
    org.parent_id = DirectoryIdText(parent_text);
    if (!org.parent_id) return refuse("parent_id: choose a partner from the list");
  }
  org.plan = form->Value("plan");
  org.time_zone = std::string(absl::StripAsciiWhitespace(form->Value("time_zone")));
  org.shares_cases = form->Sent("shares_cases");
  app::CreateOrganisation(
      context, web.caller.viewer, std::move(org),
      [&context, request, web, form = *std::move(form),
       respond = std::move(respond)](absl::StatusOr<core::Organisation> created) mutable {
        if (created.ok()) {
          return respond(SeeOther(absl::StrCat(OrgPath(created->id), "?notice=org-created")));
        }
        form.error = absl::IsNotFound(created.status()) ? "parent_id: no such partner"
                                                        : RefusalText(created.status());
        respond(
            OrgListPage(context, request, web, HttpStatusFor(created.status()), std::move(form)));
      });
}

HttpResponse OrgPage(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                     core::OrgId id, int status, web::PostedForm form) {
  const core::Viewer& viewer = web.caller.viewer;
  absl::StatusOr<core::Organisation> org = app::GetOrganisation(context, viewer, id);
  if (!org.ok()) return DirectoryLoadFailure(context, web, org.status());
  web::ConsoleOrgView view;
  if (org->parent_id) {
    absl::StatusOr<core::Organisation> parent =
        app::GetOrganisation(context, viewer, *org->parent_id);
    if (parent.ok()) view.parent = *std::move(parent);
  }
  app::UserListRequest people;
  people.org_id = id;
  people.page.limit = kDirectoryPageSize;
  absl::StatusOr<ports::Page<core::User>> contacts = app::ListUsers(context, viewer, people);
  if (!contacts.ok()) return DirectoryLoadFailure(context, web, contacts.status());
  view.contacts = std::move(contacts->items);
  view.more_contacts = !contacts->next_cursor.empty();
  if (org->kind == core::OrgKind::kPartner) {
    app::OrganisationListRequest children;
    children.parent_id = id;
    children.page.limit = kDirectoryPageSize;
    absl::StatusOr<ports::Page<core::Organisation>> customers =
        app::ListOrganisations(context, viewer, children);
    if (!customers.ok()) return DirectoryLoadFailure(context, web, customers.status());
    view.customers = std::move(customers->items);
    view.more_customers = !customers->next_cursor.empty();
  }
  absl::StatusOr<std::vector<core::SupportPlan>> plans = OrgFormPlans(context, viewer);
  if (!plans.ok()) return DirectoryLoadFailure(context, web, plans.status());
  view.plans = *std::move(plans);
  view.org = *std::move(org);
  view.form = std::move(form);
  return HtmlPage(status, web::RenderConsoleOrgPage(
                              DirectoryFrame(context, web, view.org.name, &request), view));
}

void SaveOrganisation(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                      core::OrgId id, Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "org");
  if (!form) return respond(ConsoleNotFound());
  absl::StatusOr<core::Organisation> org = app::GetOrganisation(context, web.caller.viewer, id);
  if (!org.ok()) return respond(DirectoryLoadFailure(context, web, org.status()));
  app::OrganisationPatch patch;
  const std::string name(absl::StripAsciiWhitespace(form->Value("name")));
  const std::string zone(absl::StripAsciiWhitespace(form->Value("time_zone")));
  if (name != org->name) patch.name = name;
  if (org->kind != core::OrgKind::kProvider && form->Value("plan") != org->plan) {
    patch.plan = form->Value("plan");
  }
  if (zone != org->time_zone) patch.time_zone = zone;
  if (form->Sent("shares_cases") != org->shares_cases) {
    patch.shares_cases = form->Sent("shares_cases");
  }
  if (!patch.name && !patch.plan && !patch.time_zone && !patch.shares_cases) {
    return respond(SeeOther(absl::StrCat(OrgPath(id), "?notice=unchanged")));
  }
  app::UpdateOrganisation(
      context, web.caller.viewer, id, std::move(patch),
      [&context, request, web, id, form = *std::move(form),
       respond = std::move(respond)](absl::StatusOr<core::Organisation> saved) mutable {
        if (saved.ok()) return respond(SeeOther(absl::StrCat(OrgPath(id), "?notice=saved")));
        if (absl::IsNotFound(saved.status())) return respond(ConsoleNotFound());
        form.error = RefusalText(saved.status());
        respond(OrgPage(context, request, web, id, HttpStatusFor(saved.status()), std::move(form)));
      });
}

void AddOrgContact(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                   core::OrgId id, Respond respond) {
  std::optional<web::PostedForm> form = DirectoryPostedForm(request, "contact");
  if (!form) return respond(ConsoleNotFound());
  absl::StatusOr<core::Organisation> org = app::GetOrganisation(context, web.caller.viewer, id);
  if (!org.ok()) return respond(DirectoryLoadFailure(context, web, org.status()));
  if (org->kind == core::OrgKind::kProvider) {
    form->error = "Add staff on the People page.";
    return respond(OrgPage(context, request, web, id, 400, *std::move(form)));
  }
  app::NewUser user;
  user.email = std::string(absl::StripAsciiWhitespace(form->Value("email")));
  user.name = std::string(absl::StripAsciiWhitespace(form->Value("name")));
  user.role =
      org->kind == core::OrgKind::kPartner ? core::Role::kPartnerAgent : core::Role::kCustomer;
  user.org_id = id;
  user.org_admin = org->kind == core::OrgKind::kCustomer && form->Sent("org_admin");
  app::CreateUser(context, web.caller.viewer, std::move(user),
                  [&context, request, web, id, form = *std::move(form),
                   respond = std::move(respond)](absl::StatusOr<core::User> created) mutable {
                    if (created.ok()) {
                      return respond(SeeOther(absl::StrCat(OrgPath(id), "?notice=contact-added")));
                    }
                    if (absl::IsNotFound(created.status())) return respond(ConsoleNotFound());
                    form.error = RefusalText(created.status());
                    respond(OrgPage(context, request, web, id, HttpStatusFor(created.status()),
                                    std::move(form)));
                  });
}

std::optional<core::OrgId> OrgIdOf(const HttpRequest& request) {
  absl::StatusOr<int64_t> id = IdFromPath(request, "id");
  if (!id.ok()) return std::nullopt;
  return *id;
}

}  // namespace

void RegisterConsoleOrgRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", kOrgsPath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               respond(OrgListPage(context, request, web, 200, {}));
             }));
  router.Add("POST", kOrgsPath,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               AddOrganisation(context, request, web, std::move(respond));
             }));
  router.Add("GET", "/console/admin/orgs/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::OrgId> id = OrgIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               respond(OrgPage(context, request, web, *id, 200, {}));
             }));
  router.Add("POST", "/console/admin/orgs/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::OrgId> id = OrgIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               SaveOrganisation(context, request, web, *id, std::move(respond));
             }));
  router.Add("POST", "/console/admin/orgs/{id}/contacts",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::OrgId> id = OrgIdOf(request);
               if (!MayUseCaseConsole(web) || !id) return respond(ConsoleNotFound());
               AddOrgContact(context, request, web, *id, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http
