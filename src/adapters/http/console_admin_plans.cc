// The support plan routes (see console_admin_plans.h); the SLA policy and severity definition
// routes are in console_admin_plan_sla.cc and console_admin_severities.cc.
#include "adapters/http/console_admin_plans.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_plan_pages.h"
#include "app/audit_trail.h"
#include "app/plans.h"
#include "app/sla_configuration.h"
#include "core/access.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

using PlanFormFields = std::vector<std::pair<std::string, std::string>>;

constexpr char kPlanCreatedNotice[] = "created";
constexpr char kPlanSavedNotice[] = "saved";
constexpr int kPlanListLimit = 50;
constexpr int kPlanEventsLimit = 20;

std::string ConsolePlanPath(const std::string& name) {
  return absl::StrCat("/console/admin/plans/", name);
}

std::string PlanNameParam(const HttpRequest& request) {
  const auto it = request.path_params.find("name");
  return it == request.path_params.end() ? std::string() : it->second;
}

web::ConsoleFrame PlanAdminFrame(app::AppContext& context, const WebCaller& web, std::string title,
                                 std::string notice) {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", std::move(title));
  frame.notice = std::move(notice);
  return frame;
}

web::PlanFormText PlanFormTextOf(const PlanFormFields& fields) {
  web::PlanFormText form;
  form.name = std::string(absl::StripAsciiWhitespace(FormValue(fields, "name")));
  form.display_name = FormValue(fields, "display_name");
  form.description = FormValue(fields, "description");
  for (const auto& [key, value] : fields) {
    if (key == "channels") form.channels.push_back(value);
  }
  form.partner_eligible = !FormValue(fields, "partner_eligible").empty();
  form.after_hours_coverage = !FormValue(fields, "after_hours_coverage").empty();
  return form;
}

absl::StatusOr<std::vector<core::Channel>> PlanChannelsOf(const web::PlanFormText& form) {
  std::vector<core::Channel> channels;
  for (const std::string& name : form.channels) {
    const std::optional<core::Channel> channel =
        core::EnumFromName<core::Channel>(core::kChannelNames, name);
    if (!channel) return absl::InvalidArgumentError(absl::StrCat("channels: unknown '", name, "'"));
    channels.push_back(*channel);
  }
  return channels;
}

// Where the plan's SLA policy comes from, for the list.
std::string PlanSlaSource(app::AppContext& context, const WebCaller& web, const std::string& plan) {
  absl::StatusOr<app::PlanSlaPolicy> policy =
      app::GetPlanSlaPolicy(context, web.caller.viewer, plan);
  if (policy.ok()) return policy->shipped ? "Shipped" : "Stored";
  return absl::IsNotFound(policy.status()) ? "None" : "Unavailable";
}

HttpResponse PlanListPage(app::AppContext& context, const WebCaller& web, std::string cursor,
                          int status, std::string notice, web::PlanFormText form,
                          std::string error) {
  web::ConsoleFrame frame = PlanAdminFrame(context, web, "Support plans", std::move(notice));
  absl::StatusOr<ports::Page<core::SupportPlan>> plans = app::ListPlans(
      context, web.caller.viewer, ports::PageRequest{kPlanListLimit, std::move(cursor)});
  if (!plans.ok()) {
    return HtmlPage(HttpStatusFor(plans.status()) >= 500 ? 503 : 403,
                    web::RenderConsoleMessagePage(frame, RefusalText(plans.status())));
  }
  web::ConsolePlanListView view;
  for (core::SupportPlan& plan : plans->items) {
    std::string sla = PlanSlaSource(context, web, plan.name);
    view.plans.push_back({std::move(plan), std::move(sla)});
  }
  view.next_cursor = std::move(plans->next_cursor);
  view.may_edit = core::IsAdmin(web.caller.viewer);
  view.form = std::move(form);
  view.error = std::move(error);
  return HtmlPage(status, web::RenderConsolePlanListPage(frame, view));
}

// The page of plan `name`: the stored plan, or `posted` (with `error`) after a refusal.
HttpResponse PlanPage(app::AppContext& context, const WebCaller& web, const std::string& name,
                      std::string events_cursor, int status, std::string notice,
                      std::optional<web::PlanFormText> posted, std::string error) {
  absl::StatusOr<core::SupportPlan> plan = app::GetPlan(context, web.caller.viewer, name);
  web::ConsoleFrame frame =
      PlanAdminFrame(context, web, absl::StrCat("Plan ", name), std::move(notice));
  if (absl::IsNotFound(plan.status())) return ConsoleNotFound();
  if (!plan.ok()) {
    return HtmlPage(503, web::RenderConsoleMessagePage(frame, RefusalText(plan.status())));
  }
  web::ConsolePlanView view;
  view.name = name;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  view.form = posted ? *std::move(posted) : web::PlanFormFromPlan(*plan);
  view.error = std::move(error);
  absl::StatusOr<ports::Page<core::AuditEvent>> events =
      app::ListEntityEvents(context, web.caller.viewer, "plan", name,
                            ports::PageRequest{kPlanEventsLimit, std::move(events_cursor)});
  if (events.ok()) {
    view.events = std::move(events->items);
    view.events_next_cursor = std::move(events->next_cursor);
  } else {
    view.events_available = false;
  }
  return HtmlPage(status, web::RenderConsolePlanPage(frame, view));
}

void CreatePlanFromForm(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                        Respond respond) {
  std::optional<PlanFormFields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  web::PlanFormText form = PlanFormTextOf(*fields);
  absl::StatusOr<std::vector<core::Channel>> channels = PlanChannelsOf(form);
  if (!channels.ok()) {
    return respond(PlanListPage(context, web, "", 400, "", std::move(form),
                                std::string(channels.status().message())));
  }
  core::SupportPlan plan;
  plan.name = form.name;
  plan.display_name = form.display_name;
  plan.description = form.description;
  plan.channels = *std::move(channels);
  plan.partner_eligible = form.partner_eligible;
  plan.after_hours_coverage = form.after_hours_coverage;
  app::CreatePlan(context, web.caller.viewer, std::move(plan),
                  [&context, web, form = std::move(form), respond = std::move(respond)](
                      absl::StatusOr<core::SupportPlan> created) mutable {
                    if (created.ok()) {
                      return respond(SeeOther(absl::StrCat(ConsolePlanPath(created->name),
                                                           "?notice=", kPlanCreatedNotice)));
                    }
                    respond(PlanListPage(context, web, "", HttpStatusFor(created.status()), "",
                                         std::move(form), RefusalText(created.status())));
                  });
}

void SavePlanFromForm(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                      Respond respond) {
  const std::string name = PlanNameParam(request);
  std::optional<PlanFormFields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  web::PlanFormText form = PlanFormTextOf(*fields);
  form.name = name;
  absl::StatusOr<std::vector<core::Channel>> channels = PlanChannelsOf(form);
  if (!channels.ok()) {
    return respond(PlanPage(context, web, name, "", 400, "", std::move(form),
                            std::string(channels.status().message())));
  }
  // The form shows every field, so the patch sets them all.
  app::PlanPatch patch;
  patch.display_name = form.display_name;
  patch.description = form.description;
  patch.channels = *std::move(channels);
  patch.partner_eligible = form.partner_eligible;
  patch.after_hours_coverage = form.after_hours_coverage;
  app::UpdatePlan(context, web.caller.viewer, name, std::move(patch),
                  [&context, web, name, form = std::move(form),
                   respond = std::move(respond)](absl::StatusOr<core::SupportPlan> saved) mutable {
                    if (saved.ok()) {
                      return respond(SeeOther(
                          absl::StrCat(ConsolePlanPath(name), "?notice=", kPlanSavedNotice)));
                    }
                    if (absl::IsNotFound(saved.status())) return respond(ConsoleNotFound());
                    respond(PlanPage(context, web, name, "", HttpStatusFor(saved.status()), "",
                                     std::move(form), RefusalText(saved.status())));
                  });
}

std::string PlanNoticeText(const HttpRequest& request) {
  const std::string notice(request.Query("notice").value_or(""));
  if (notice == kPlanCreatedNotice) return "Plan created. Give it an SLA policy next.";
  if (notice == kPlanSavedNotice) return "Plan saved.";
  return "";
}

}  // namespace

void RegisterConsolePlanRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "GET", "/console/admin/plans",
      WebAuthenticated(
          context, [&context](const HttpRequest& request, Respond respond, const WebCaller& web) {
            if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
            respond(PlanListPage(context, web, std::string(request.Query("cursor").value_or("")),
                                 200, "", web::PlanFormText{.channels = {"portal", "email"}}, ""));
          }));
  router.Add("POST", "/console/admin/plans",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               CreatePlanFromForm(context, request, web, std::move(respond));
             }));
  router.Add("GET", "/console/admin/plans/{name}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               respond(PlanPage(context, web, PlanNameParam(request),
                                std::string(request.Query("events").value_or("")), 200,
                                PlanNoticeText(request), std::nullopt, ""));
             }));
  router.Add("POST", "/console/admin/plans/{name}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
               SavePlanFromForm(context, request, web, std::move(respond));
             }));
  RegisterConsolePlanSlaRoutes(router, context);
  RegisterConsoleSeverityRoutes(router, context);
}

}  // namespace casedesk::adapters::http
