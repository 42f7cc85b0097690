// The SLA policy routes of a plan (see console_admin_plans.h).
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "adapters/http/console_admin_plans.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_plan_sla_page.h"
#include "app/plans.h"
#include "app/severity_definitions.h"
#include "app/sla_configuration.h"
#include "core/access.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kPlanSlaSavedNotice[] = "saved";
// A plan without a policy starts from the shipped policy of this plan.
constexpr char kPlanSlaTemplatePlan[] = "professional";

std::string PlanSlaPath(const std::string& plan) {
  return absl::StrCat("/console/admin/plans/", plan, "/sla");
}

// The page's view with everything but the form: the policy in force (or the template), the
// calendars and the severity names. nullopt when the plan does not exist (or may not be seen);
// a store failure is returned as the status.
absl::StatusOr<std::optional<web::ConsolePlanSlaView>> LoadPlanSlaView(app::AppContext& context,
                                                                       const WebCaller& web,
                                                                       const std::string& plan) {
  absl::StatusOr<core::SupportPlan> found = app::GetPlan(context, web.caller.viewer, plan);
  if (absl::IsNotFound(found.status()) || absl::IsPermissionDenied(found.status())) {
    return std::nullopt;
  }
  if (!found.ok()) return found.status();
  web::ConsolePlanSlaView view;
  view.plan = plan;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  absl::StatusOr<app::PlanSlaPolicy> policy =
      app::GetPlanSlaPolicy(context, web.caller.viewer, plan);
  if (policy.ok()) {
    view.base = policy->policy;
    view.shipped = policy->shipped;
  } else if (absl::IsNotFound(policy.status())) {
    view.has_policy = false;
    const std::map<std::string, core::SlaPolicy> shipped = core::DefaultSlaPolicies();
    const auto it = shipped.find(kPlanSlaTemplatePlan);
    view.base = it != shipped.end() ? it->second : shipped.begin()->second;
  } else if (absl::IsPermissionDenied(policy.status())) {
    return std::nullopt;
  } else {
    return policy.status();
  }
  absl::StatusOr<std::vector<app::CalendarEntry>> calendars =
      app::ListCalendars(context, web.caller.viewer);
  if (!calendars.ok()) return calendars.status();
  for (const app::CalendarEntry& entry : *calendars) view.calendars.push_back(entry.name);
  for (int level = 1; level <= 4; ++level) {
    view.severity_names[level - 1] = absl::StrCat("Severity ", level);
  }
  absl::StatusOr<std::vector<core::SeverityDefinition>> definitions =
      app::GetSeverityDefinitions(context);
  if (definitions.ok()) {
    for (const core::SeverityDefinition& definition : *definitions) {
      const int level = core::SeverityLevel(definition.level);
      if (level >= 1 && level <= 4) view.severity_names[level - 1] = definition.name;
    }
  }
  return view;
}

web::ConsoleFrame PlanSlaFrame(app::AppContext& context, const WebCaller& web,
                               const std::string& plan, std::string notice) {
  web::ConsoleFrame frame =
      MakeConsoleFrame(context, web, "admin", absl::StrCat("SLA policy of ", plan));
  frame.notice = std::move(notice);
  return frame;
}

HttpResponse PlanSlaUnavailable(app::AppContext& context, const WebCaller& web,
                                const std::string& plan, const absl::Status& status) {
  return HtmlPage(503, web::RenderConsoleMessagePage(PlanSlaFrame(context, web, plan, ""),
                                                     RefusalText(status)));
}

HttpResponse PlanSlaPage(app::AppContext& context, const HttpRequest& request,
                         const WebCaller& web) {
  const std::string plan = request.path_params.at("name");
  absl::StatusOr<std::optional<web::ConsolePlanSlaView>> view = LoadPlanSlaView(context, web, plan);
  if (!view.ok()) return PlanSlaUnavailable(context, web, plan, view.status());
  if (!view->has_value()) return ConsoleNotFound();
  web::ConsolePlanSlaView& page = **view;
  page.form = web::SlaPolicyFormFromPolicy(page.base);
  const bool saved = request.Query("notice").value_or("") == kPlanSlaSavedNotice;
  return HtmlPage(200,
                  web::RenderConsolePlanSlaPage(
                      PlanSlaFrame(context, web, plan,
                                   saved ? "SLA policy saved. Open cases of this plan are being "
                                           "recomputed."
                                         : ""),
                      page));
}

void SavePlanSla(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                 Respond respond) {
  const std::string plan = request.path_params.at("name");
  std::optional<std::vector<std::pair<std::string, std::string>>> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  absl::StatusOr<std::optional<web::ConsolePlanSlaView>> loaded =
      LoadPlanSlaView(context, web, plan);
  if (!loaded.ok()) return respond(PlanSlaUnavailable(context, web, plan, loaded.status()));
  if (!loaded->has_value()) return respond(ConsoleNotFound());
  web::ConsolePlanSlaView view = **std::move(loaded);
  view.form = web::SlaPolicyFormFromFields(
      [&fields](std::string_view name) { return FormValue(*fields, name); });
  absl::StatusOr<core::SlaPolicy> policy = web::SlaPolicyFromForm(view.form, view.base);
  if (!policy.ok()) {
    view.error = std::string(policy.status().message());
    return respond(
        HtmlPage(400, web::RenderConsolePlanSlaPage(PlanSlaFrame(context, web, plan, ""), view)));
  }
  app::PutPlanSlaPolicy(
      context, web.caller.viewer, plan, *std::move(policy),
      [&context, web, plan, view = std::move(view),
       respond = std::move(respond)](absl::StatusOr<app::PlanSlaPolicy> saved) mutable {
        if (saved.ok()) {
          return respond(
              SeeOther(absl::StrCat(PlanSlaPath(plan), "?notice=", kPlanSlaSavedNotice)));
        }
        view.error = RefusalText(saved.status());
        respond(
            HtmlPage(HttpStatusFor(saved.status()),
                     web::RenderConsolePlanSlaPage(PlanSlaFrame(context, web, plan, ""), view)));
      });
}

}  // namespace

void RegisterConsolePlanSlaRoutes(Router& router, app::AppContext& context) {
  router.Add("GET", "/console/admin/plans/{name}/sla",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               respond(PlanSlaPage(context, request, web));
             }));
  router.Add("POST", "/console/admin/plans/{name}/sla",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               SavePlanSla(context, request, web, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http
