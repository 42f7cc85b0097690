// The portal's service-task routes (issue 7):
//   GET  /portal/service-tasks/new                  the "Request a service task" form
//   POST /portal/service-tasks                      app::RequestServiceTask -> 303 to the case
//   POST /portal/cases/{number}/service-task/approve | decline   the customer's decision -> 303
//                                                   back to the case page's section
// and the section the case page shows (PortalServiceTaskSectionFor). Forms work without
// JavaScript (post, redirect, get); a refusal is a message page with the reason. Thread-safe once
// registered.
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_service_tasks.h"
#include "adapters/http/api_support.h"
#include "adapters/http/portal_support.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/portal_text.h"
#include "app/portal_identity.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kRequestTitle[] = "Request a service task";

std::string StateLabel(core::ServiceTaskState state) {
  switch (state) {
    case core::ServiceTaskState::kRequested:
      return "Requested: we are preparing an estimate";
    case core::ServiceTaskState::kEstimated:
      return "Estimated: waiting for your decision";
    case core::ServiceTaskState::kApproved:
      return "Approved: we are planning the work";
    case core::ServiceTaskState::kDeclined:
      return "Declined";
    case core::ServiceTaskState::kScheduled:
      return "Scheduled";
    case core::ServiceTaskState::kInProgress:
      return "In progress";
    case core::ServiceTaskState::kDone:
      return "Done";
  }
  return "";
}

std::string SectionPath(core::CaseNumber number) {
  return absl::StrCat(PortalCasePath(number), "#service-task");
}

// The request form again, with what was typed and the refusal.
HttpResponse RequestPage(const PortalPage& page, const WebCaller& web, int status,
                         const PortalPost* post, const std::string& error) {
  web::PortalServiceTaskForm form;
  if (post != nullptr) {
    form.subject = post->Value("subject");
    form.description = post->Value("description");
    form.org_id = post->Value("org_id");
  }
  form.error = error;
  if (web.caller.viewer.role == core::Role::kPartnerAgent) {
    for (const core::Organisation& customer : page.identity.customers) {
      form.organisations.emplace_back(absl::StrCat(customer.id), customer.name);
    }
  }
  return HtmlPage(status, web::RenderPortalServiceTaskPage(page.frame, form));
}

void AddDecision(Router& router, app::AppContext& context, app::StatusPageCache& cache,
                 core::ServiceTaskAction action, std::string failure) {
  const std::string name(
      core::NameOf<core::ServiceTaskAction>(core::kServiceTaskActionNames, action));
  router.Add(
      "POST", "/portal/cases/{number}/service-task/" + name,
      PortalFormAuthenticated(context, [&context, &cache, action, failure = std::move(failure)](
                                           const HttpRequest& request, Respond respond,
                                           const WebCaller& web, PortalPost post) {
        const std::optional<core::CaseNumber> number = CaseNumberOf(request);
        if (!number || !app::MayUsePortal(web.caller.viewer)) return respond(PortalNotFound());
        core::ServiceTaskCommand command;
        command.action = action;
        command.reason = post.Value("reason");
        app::ActOnServiceTask(
            context, web.caller, *number, std::move(command),
            [&context, &cache, web, number = *number, failure, method = request.method,
             respond = std::move(respond)](absl::StatusOr<app::ServiceTaskView> outcome) {
              if (outcome.ok()) return respond(SeeOther(SectionPath(number)));
              respond(PortalCaseActionRefused(context, cache, web, number, failure,
                                              outcome.status(), method));
            });
      }));
}

}  // namespace

web::PortalServiceTaskSection PortalServiceTaskSectionFor(app::AppContext& context,
                                                          const app::Caller& caller,
                                                          core::CaseNumber number, absl::Time now,
                                                          absl::TimeZone zone) {
  web::PortalServiceTaskSection section;
  absl::StatusOr<app::ServiceTaskView> view = app::GetServiceTask(context, caller, number);
  if (!view.ok()) return section;
  const core::ServiceTask& task = view->task;
  section.present = true;
  section.state =
      std::string(core::NameOf<core::ServiceTaskState>(core::kServiceTaskStateNames, task.state));
  section.state_label = StateLabel(task.state);
  if (task.estimate_minutes) {
    section.hours = core::FormatEstimateHours(*task.estimate_minutes);
    section.completion_date = task.completion_date;
  }
  if (task.state == core::ServiceTaskState::kRequested && view->estimate_clock &&
      view->estimate_clock->due_at) {
    section.estimate_due = web::LocalTimeText(*view->estimate_clock->due_at, now, zone);
  }
  section.start_date = task.start_date;
  if (task.state == core::ServiceTaskState::kDeclined) {
    section.decline_reason = task.decline_reason;
  }
  for (core::ServiceTaskAction action : view->allowed_actions) {
    if (action == core::ServiceTaskAction::kApprove) section.can_decide = true;
  }
  return section;
}

void RegisterPortalServiceTaskRoutes(Router& router, app::AppContext& context,
                                     app::StatusPageCache& cache) {
  router.Add("GET", "/portal/service-tasks/new",
             WebAuthenticated(context, [&context, &cache](const HttpRequest& request,
                                                          Respond respond, const WebCaller& web) {
               absl::StatusOr<PortalPage> page =
                   LoadPortalPage(context, cache, web, kRequestTitle, "new");
               if (!page.ok()) return respond(PortalLoadFailure(page.status(), request.method));
               respond(RequestPage(*page, web, 200, nullptr, ""));
             }));

  router.Add("POST", "/portal/service-tasks",
             PortalFormAuthenticated(
                 context, [&context, &cache](const HttpRequest& request, Respond respond,
                                             const WebCaller& web, PortalPost post) {
                   absl::StatusOr<PortalPage> page =
                       LoadPortalPage(context, cache, web, kRequestTitle, "new");
                   if (!page.ok()) return respond(PortalLoadFailure(page.status(), request.method));
                   app::OpenCaseRequest open;
                   open.subject = post.Value("subject");
                   open.description = post.Value("description");
                   // Seed 001 asks severity for incidents; a service task is planned work.
                   open.severity = 3;
                   int64_t org_id = 0;
                   if (absl::SimpleAtoi(post.Value("org_id"), &org_id) &&
                       org_id != page->identity.organisation.id) {
                     open.org_id = org_id;
                   }
                   auto shown = std::make_shared<PortalPage>(*std::move(page));
                   auto kept = std::make_shared<PortalPost>(std::move(post));
                   app::RequestServiceTask(
                       context, web.caller, std::move(open),
                       [web, shown, kept, respond = std::move(respond)](
                           absl::StatusOr<app::ServiceTaskView> requested) {
                         if (requested.ok()) {
                           return respond(SeeOther(absl::StrCat(
                               PortalCasePath(requested->record.number), "?notice=opened")));
                         }
                         respond(RequestPage(*shown, web, HttpStatusFor(requested.status()),
                                             kept.get(), PortalRefusalText(requested.status())));
                       });
                 }));

  AddDecision(router, context, cache, core::ServiceTaskAction::kApprove,
              "The estimate was not approved:");
  AddDecision(router, context, cache, core::ServiceTaskAction::kDecline,
              "The estimate was not declined:");
}

}  // namespace casedesk::adapters::http
