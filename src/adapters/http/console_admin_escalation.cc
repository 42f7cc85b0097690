// The escalation policy routes (see console_admin_escalation.h).
#include "adapters/http/console_admin_escalation.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/http/console_admin_oncall.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_escalation_forms.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "app/groups.h"
#include "app/plans.h"
#include "app/sla_configuration.h"
#include "app/sla_settings.h"
#include "app/users.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kEscalationSavedNotice[] = "saved";
constexpr char kEscalationDeletedNotice[] = "deleted";
constexpr size_t kEscalationListPage = 50;
// What the target selects offer is bounded so that a policy's page stays light whatever the
// directory holds: every target slot of every step repeats these lists, so their lengths
// shrink as slots grow, from these caps down to a floor, keeping the options of the whole
// page within a budget (a chosen value is always kept, see EscalationTargetGroups).
constexpr int kEscalationPeopleChoices = 30;
constexpr int kEscalationGroupChoices = 20;
constexpr int kEscalationNamedChoices = 15;  // schedules, policies
constexpr int kEscalationChoiceFloor = 5;
constexpr int kEscalationOptionBudget = 700;  // options over all target selects of a page
constexpr int kEscalationPlanChoices = 50;

std::string EscalationPath(const std::string& name) {
  return absl::StrCat("/console/admin/escalation/", name);
}

std::string EscalationNameOf(const HttpRequest& request) {
  const auto it = request.path_params.find("name");
  return it == request.path_params.end() ? std::string() : it->second;
}

web::ConsoleFrame EscalationFrame(app::AppContext& context, const WebCaller& web, std::string title,
                                  std::string notice) {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", std::move(title));
  frame.notice = std::move(notice);
  return frame;
}

HttpResponse EscalationListPage(app::AppContext& context, const HttpRequest& request,
                                const WebCaller& web, int status, std::string notice,
                                std::string error) {
  web::ConsoleFrame frame = EscalationFrame(context, web, "Escalation policies", std::move(notice));
  absl::StatusOr<std::vector<core::EscalationPolicy>> policies =
      app::ListEscalationPolicies(context, web.caller.viewer);
  if (!policies.ok()) {
    return HtmlPage(HttpStatusFor(policies.status()) >= 500 ? 503 : 403,
                    web::RenderConsoleMessagePage(frame, RefusalText(policies.status())));
  }
  const std::string after(request.Query("after").value_or(""));
  web::ConsoleEscalationListView view;
  for (core::EscalationPolicy& policy : *policies) {
    if (!after.empty() && policy.name <= after) continue;
    if (view.policies.size() == kEscalationListPage) {
      view.next_after = view.policies.back().name;
      break;
    }
    view.policies.push_back(std::move(policy));
  }
  view.may_edit = core::IsAdmin(web.caller.viewer);
  view.error = std::move(error);
  return HtmlPage(status, web::RenderConsoleEscalationListPage(frame, view));
}

// `cap` of a list, scaled to the page's `slots` target selects.
int EscalationChoiceCap(int cap, size_t slots) {
  const int per_select = kEscalationOptionBudget / static_cast<int>(std::max<size_t>(slots, 1));
  const int all_caps =
      kEscalationPeopleChoices + kEscalationGroupChoices + 2 * kEscalationNamedChoices;
  return std::clamp(cap * per_select / all_caps, kEscalationChoiceFloor, cap);
}

// What the selects of `form` offer.
web::EscalationChoices EscalationChoicesFor(app::AppContext& context, const core::Viewer& viewer,
                                            const std::string& policy_name,
                                            const web::EscalationFormText& form) {
  size_t slots = 0;
  for (const web::EscalationStepText& step : form.steps) slots += step.targets.size();
  const size_t named = EscalationChoiceCap(kEscalationNamedChoices, slots);
  web::EscalationChoices choices;
  if (absl::StatusOr<std::vector<core::OnCallSchedule>> schedules =
          app::ListOnCallSchedules(context, viewer);
      schedules.ok()) {
    for (const core::OnCallSchedule& schedule : *schedules) {
      if (choices.schedules.size() == named) break;
      choices.schedules.push_back(
          {schedule.name, schedule.display_name.empty()
                              ? schedule.name
                              : absl::StrCat(schedule.display_name, " (", schedule.name, ")")});
    }
  }
  if (absl::StatusOr<ports::Page<core::Group>> groups = app::ListGroups(
          context, viewer, {.limit = EscalationChoiceCap(kEscalationGroupChoices, slots)});
      groups.ok()) {
    for (const core::Group& group : groups->items) {
      choices.groups.push_back({std::to_string(group.id), group.name});
    }
  }
  choices.people =
      EscalationStaffChoices(context, viewer, EscalationChoiceCap(kEscalationPeopleChoices, slots));
  if (absl::StatusOr<std::vector<core::EscalationPolicy>> policies =
          app::ListEscalationPolicies(context, viewer);
      policies.ok()) {
    for (const core::EscalationPolicy& policy : *policies) {
      if (choices.policies.size() == named) break;
      if (policy.name != policy_name) choices.policies.push_back({policy.name, policy.name});
    }
  }
  if (absl::StatusOr<ports::Page<core::SupportPlan>> plans =
          app::ListPlans(context, viewer, {.limit = kEscalationPlanChoices});
      plans.ok()) {
    for (const core::SupportPlan& plan : plans->items) {
      choices.plans.push_back(
          {plan.name, plan.display_name.empty() ? plan.name : plan.display_name});
    }
  }
  return choices;
}

HttpResponse EscalationPage(app::AppContext& context, const WebCaller& web, const std::string& name,
                            std::string notice) {
  web::ConsoleEscalationView view;
  view.name = name;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  absl::StatusOr<core::EscalationPolicy> policy =
      app::GetEscalationPolicy(context, web.caller.viewer, name);
  if (policy.ok()) {
    view.form = web::EscalationFormFromPolicy(*policy, view.may_edit ? 1 : 0, 2);
  } else if (absl::IsNotFound(policy.status()) && view.may_edit && app::IsValidConfigName(name)) {
    view.is_new = true;
    view.form = web::EscalationFormFromPolicy(core::EscalationPolicy{}, 2, 2);
  } else if (absl::IsNotFound(policy.status()) || absl::IsPermissionDenied(policy.status())) {
    return ConsoleNotFound();
  } else {
    return HtmlPage(
        503, web::RenderConsoleMessagePage(EscalationFrame(context, web, "Escalation policy", ""),
                                           RefusalText(policy.status())));
  }
  view.choices = EscalationChoicesFor(context, web.caller.viewer, name, view.form);
  return HtmlPage(200, web::RenderConsoleEscalationPage(
                           EscalationFrame(context, web, absl::StrCat("Escalation policy ", name),
                                           std::move(notice)),
                           view));
}

void PostEscalation(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                    Respond respond) {
  const std::string name = EscalationNameOf(request);
  std::optional<EscalationFormFields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  web::ConsoleEscalationView view;
  view.name = name;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  absl::StatusOr<core::EscalationPolicy> stored =
      app::GetEscalationPolicy(context, web.caller.viewer, name);
  if (!stored.ok()) {
    if (!absl::IsNotFound(stored.status()) || !view.may_edit || !app::IsValidConfigName(name)) {
      return respond(ConsoleNotFound());
    }
    view.is_new = true;
  }
  view.form = EscalationFormFromFields(*fields);
  view.choices = EscalationChoicesFor(context, web.caller.viewer, name, view.form);
  const std::string title = absl::StrCat("Escalation policy ", name);
  const auto refuse = [&context, web, title](int status, web::ConsoleEscalationView& shown,
                                             std::string reason) {
    shown.error = std::move(reason);
    return HtmlPage(
        status, web::RenderConsoleEscalationPage(EscalationFrame(context, web, title, ""), shown));
  };
  if (!view.may_edit) {
    return respond(refuse(403, view, "Only an admin can change escalation policies."));
  }
  EscalationFormRows rows;
  absl::StatusOr<core::EscalationPolicy> policy = EscalationPolicyFromForm(name, view.form, rows);
  if (!policy.ok()) return respond(refuse(400, view, std::string(policy.status().message())));
  app::PutEscalationPolicy(
      context, web.caller.viewer, name, *std::move(policy),
      [name, refuse, rows, view = std::move(view),
       respond = std::move(respond)](absl::StatusOr<core::EscalationPolicy> saved) mutable {
        if (saved.ok()) {
          return respond(
              SeeOther(absl::StrCat(EscalationPath(name), "?notice=", kEscalationSavedNotice)));
        }
        const std::string reason =
            HttpStatusFor(saved.status()) >= 500
                ? RefusalText(saved.status())
                : EscalationFormMessage(std::string(saved.status().message()), rows);
        respond(refuse(HttpStatusFor(saved.status()), view, reason));
      });
}

void DeleteEscalation(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                      Respond respond) {
  app::DeleteEscalationPolicy(
      context, web.caller.viewer, EscalationNameOf(request),
      [&context, request, web,
       respond = std::move(respond)](absl::StatusOr<core::EscalationPolicy> deleted) {
        if (absl::IsNotFound(deleted.status())) return respond(ConsoleNotFound());
        if (!deleted.ok()) {
          const std::string reason = absl::IsPermissionDenied(deleted.status())
                                         ? "Only an admin can delete escalation policies."
                                         : RefusalText(deleted.status());
          return respond(EscalationListPage(context, request, web, HttpStatusFor(deleted.status()),
                                            "", reason));
        }
        respond(
            SeeOther(absl::StrCat("/console/admin/escalation?notice=", kEscalationDeletedNotice)));
      });
}

}  // namespace

std::vector<web::EscalationChoice> EscalationStaffChoices(app::AppContext& context,
                                                          const core::Viewer& viewer, int limit) {
  std::vector<web::EscalationChoice> people;
  app::UserListRequest staff;
  staff.org_id = viewer.org_id;
  staff.page.limit = 200;
  absl::StatusOr<ports::Page<core::User>> users = app::ListUsers(context, viewer, staff);
  if (!users.ok()) return people;
  std::vector<const core::User*> listed;
  std::map<std::string, int> names;
  for (const core::User& user : users->items) {
    if (!user.active || !core::IsProviderStaff(user.role)) continue;
    if (static_cast<int>(listed.size()) == limit) break;
    listed.push_back(&user);
    ++names[user.name];
  }
  // Names keep the selects light; the address tells apart people of the same name.
  for (const core::User* user : listed) {
    people.push_back({std::to_string(user->id),
                      user->name.empty()      ? user->email
                      : names[user->name] > 1 ? absl::StrCat(user->name, " <", user->email, ">")
                                              : user->name});
  }
  return people;
}

void RegisterConsoleEscalationRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "GET", "/console/admin/escalation",
      WebAuthenticated(
          context, [&context](const HttpRequest& request, Respond respond, const WebCaller& web) {
            if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
            if (const auto name = request.Query("new")) {
              if (!core::IsAdmin(web.caller.viewer)) return respond(ConsoleNotFound());
              if (!app::IsValidConfigName(*name)) {
                return respond(EscalationListPage(
                    context, request, web, 400, "",
                    "name: 1 to 64 lower-case letters, digits, \"_\" and \"-\""));
              }
              return respond(SeeOther(EscalationPath(std::string(*name))));
            }
            const bool deleted = request.Query("notice").value_or("") == kEscalationDeletedNotice;
            respond(EscalationListPage(context, request, web, 200,
                                       deleted ? "Escalation policy deleted." : "", ""));
          }));
  router.Add("GET", "/console/admin/escalation/{name}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               const bool saved = request.Query("notice").value_or("") == kEscalationSavedNotice;
               respond(EscalationPage(context, web, EscalationNameOf(request),
                                      saved ? "Escalation policy saved." : ""));
             }));
  router.Add("POST", "/console/admin/escalation/{name}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               PostEscalation(context, request, web, std::move(respond));
             }));
  router.Add("POST", "/console/admin/escalation/{name}/delete",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               DeleteEscalation(context, request, web, std::move(respond));
             }));
  RegisterConsoleOnCallRoutes(router, context);
}

}  // namespace casedesk::adapters::http
