// The status console's routes (see console_status.h). GETs render from the use cases; each POST
// reads its form, calls one use case and answers from its `done` once the change is durable:
// 303 back to the page with a notice code (PRG), or the page again with the status the refusal
// maps to, the error next to the form and the typed values kept.
#include "adapters/http/console_status.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/console_status_forms.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_notices.h"
#include "app/status_components.h"
#include "app/status_incidents.h"

namespace casedesk::adapters::http {
namespace {

constexpr char kOverview[] = "/console/status";

std::string IncidentPath(core::IncidentId id) {
  return absl::StrCat("/console/status/incidents/", id);
}

std::string WithNotice(const std::string& path, std::string_view code) {
  return absl::StrCat(path, "?notice=", std::string(code));
}

std::string StatusNoticeOf(const HttpRequest& request) {
  const std::optional<std::string_view> code = request.Query("notice");
  return code ? web::ConsoleNoticeText(*code) : std::string();
}

std::optional<int64_t> PathNumber(const HttpRequest& request, const std::string& name) {
  const auto it = request.path_params.find(name);
  int64_t value = 0;
  if (it == request.path_params.end() || !absl::SimpleAtoi(it->second, &value) || value <= 0) {
    return std::nullopt;
  }
  return value;
}

// Where a form lives, so a refusal can show that page again.
struct FormPage {
  std::optional<core::IncidentId> incident;  // unset: the overview

  HttpResponse Render(app::AppContext& context, const WebCaller& web, int status,
                      const web::PostedForm& form) const {
    return incident ? IncidentConsolePage(context, web, *incident, status, "", form)
                    : StatusOverviewPage(context, web, status, "", form);
  }
  std::string Path() const { return incident ? IncidentPath(*incident) : kOverview; }
};

// The page again with `refusal` next to `form` and the status it maps to.
HttpResponse StatusRefused(app::AppContext& context, const WebCaller& web, const FormPage& page,
                           web::PostedForm form, const absl::Status& refusal) {
  form.error = RefusalText(refusal);
  return page.Render(context, web, HttpStatusFor(refusal), form);
}

// The `done` of a write: 303 to the page with `notice`, or the page with the refusal.
template <typename T>
app::Done<T> AnswerForm(app::AppContext& context, WebCaller web, FormPage page,
                        web::PostedForm form, std::string_view notice, Respond respond) {
  return [&context, web = std::move(web), page, form = std::move(form),
          notice = std::string(notice), respond = std::move(respond)](absl::StatusOr<T> outcome) {
    if (outcome.ok()) return respond(SeeOther(WithNotice(page.Path(), notice)));
    respond(StatusRefused(context, web, page, form, outcome.status()));
  };
}

// What every POST does first: staff only, a readable form. Returns the posted form, or nullopt
// after answering.
std::optional<web::PostedForm> ReadForm(app::AppContext& context, const HttpRequest& request,
                                        const WebCaller& web, const FormPage& page,
                                        std::string name, Respond& respond) {
  if (!MayUseStatusConsole(web)) {
    respond(ConsoleNotFound());
    return std::nullopt;
  }
  web::PostedForm form;
  form.name = std::move(name);
  std::optional<FormFieldList> fields = FormFields(request);
  if (!fields) {
    respond(StatusRefused(context, web, page, std::move(form),
                          absl::InvalidArgumentError("form: could not be read; send it again")));
    return std::nullopt;
  }
  form.fields = *std::move(fields);
  return form;
}

// An incident page's id from the path, checked to be an event the caller may see; answers the
// 404 page otherwise.
std::optional<core::IncidentId> ExistingIncident(app::AppContext& context,
                                                 const HttpRequest& request, const WebCaller& web,
                                                 Respond& respond) {
  const std::optional<int64_t> id = PathNumber(request, "id");
  if (!id || !app::GetIncident(context, web.caller.viewer, *id).ok()) {
    respond(ConsoleNotFound());
    return std::nullopt;
  }
  return *id;
}

void RegisterStatusPages(Router& router, app::AppContext& context) {
  router.Add("GET", kOverview,
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               respond(StatusOverviewPage(context, web, 200, StatusNoticeOf(request), {}));
             }));
  router.Add("GET", "/console/status/incidents/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<int64_t> id = PathNumber(request, "id");
               if (!id || !MayUseStatusConsole(web)) return respond(ConsoleNotFound());
               respond(IncidentConsolePage(context, web, *id, 200, StatusNoticeOf(request), {}));
             }));
}

void RegisterComponentForms(Router& router, app::AppContext& context) {
  router.Add(
      "POST", "/console/status/components",
      WebAuthenticated(
          context, [&context](const HttpRequest& request, Respond respond, const WebCaller& web) {
            std::optional<web::PostedForm> form =
                ReadForm(context, request, web, {}, "add-component", respond);
            if (!form) return;
            absl::StatusOr<app::NewStatusComponent> component = ParseNewComponentForm(form->fields);
            if (!component.ok())
              return respond(StatusRefused(context, web, {}, *form, component.status()));
            app::CreateStatusComponent(
                context, web.caller.viewer, *std::move(component),
                AnswerForm<core::StatusComponent>(context, web, {}, *std::move(form),
                                                  web::kNoticeComponentAdded, std::move(respond)));
          }));
  router.Add(
      "POST", "/console/status/components/{id}",
      WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                           const WebCaller& web) {
        const std::optional<int64_t> id = PathNumber(request, "id");
        if (!id) return respond(ConsoleNotFound());
        std::optional<web::PostedForm> form =
            ReadForm(context, request, web, {}, absl::StrCat("component-", *id), respond);
        if (!form) return;
        absl::StatusOr<app::StatusComponentPatch> patch = ParseComponentStatusForm(form->fields);
        if (!patch.ok()) return respond(StatusRefused(context, web, {}, *form, patch.status()));
        app::UpdateStatusComponent(
            context, web.caller.viewer, *id, *std::move(patch),
            AnswerForm<core::StatusComponent>(context, web, {}, *std::move(form),
                                              web::kNoticeComponentSaved, std::move(respond)));
      }));
}

void RegisterEventForms(Router& router, app::AppContext& context) {
  router.Add("POST", "/console/status/incidents",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               std::optional<web::PostedForm> form =
                   ReadForm(context, request, web, {}, "incident", respond);
               if (!form) return;
               absl::StatusOr<app::NewIncident> incident = ParseNewIncidentForm(form->fields);
               if (!incident.ok()) {
                 return respond(StatusRefused(context, web, {}, *form, incident.status()));
               }
               app::CreateIncident(
                   context, web.caller.viewer, *std::move(incident),
                   AnswerForm<app::IncidentView>(context, web, {}, *std::move(form),
                                                 web::kNoticeIncidentOpened, std::move(respond)));
             }));
  router.Add("POST", "/console/status/maintenances",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               std::optional<web::PostedForm> form =
                   ReadForm(context, request, web, {}, "maintenance", respond);
               if (!form) return;
               absl::StatusOr<app::NewIncident> maintenance =
                   ParseNewMaintenanceForm(form->fields, StatusPageZone(context));
               if (!maintenance.ok()) {
                 return respond(StatusRefused(context, web, {}, *form, maintenance.status()));
               }
               app::CreateIncident(context, web.caller.viewer, *std::move(maintenance),
                                   AnswerForm<app::IncidentView>(context, web, {}, *std::move(form),
                                                                 web::kNoticeMaintenanceScheduled,
                                                                 std::move(respond)));
             }));
}

void RegisterIncidentPageForms(Router& router, app::AppContext& context) {
  router.Add(
      "POST", "/console/status/incidents/{id}/updates",
      WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                           const WebCaller& web) {
        const std::optional<core::IncidentId> id = ExistingIncident(context, request, web, respond);
        if (!id) return;
        const FormPage page{*id};
        std::optional<web::PostedForm> form =
            ReadForm(context, request, web, page, "update", respond);
        if (!form) return;
        absl::StatusOr<app::IncidentUpdateRequest> update = ParseIncidentUpdateForm(form->fields);
        if (!update.ok()) return respond(StatusRefused(context, web, page, *form, update.status()));
        app::PostIncidentUpdate(
            context, web.caller.viewer, *id, *std::move(update),
            AnswerForm<app::IncidentView>(context, web, page, *std::move(form),
                                          web::kNoticeUpdatePosted, std::move(respond)));
      }));
  router.Add("POST", "/console/status/incidents/{id}/cases",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::IncidentId> id =
                   ExistingIncident(context, request, web, respond);
               if (!id) return;
               const FormPage page{*id};
               std::optional<web::PostedForm> form =
                   ReadForm(context, request, web, page, "link-case", respond);
               if (!form) return;
               absl::StatusOr<core::CaseNumber> number = ParseCaseNumberForm(form->fields);
               if (!number.ok())
                 return respond(StatusRefused(context, web, page, *form, number.status()));
               app::LinkCaseToIncident(
                   context, web.caller.viewer, *id, *number,
                   AnswerForm<app::IncidentView>(context, web, page, *std::move(form),
                                                 web::kNoticeCaseLinked, std::move(respond)));
             }));
  router.Add("POST", "/console/status/incidents/{id}/cases/{number}/unlink",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<int64_t> number = PathNumber(request, "number");
               if (!number) return respond(ConsoleNotFound());
               const std::optional<core::IncidentId> id =
                   ExistingIncident(context, request, web, respond);
               if (!id) return;
               const FormPage page{*id};
               std::optional<web::PostedForm> form = ReadForm(
                   context, request, web, page, absl::StrCat("unlink-case-", *number), respond);
               if (!form) return;
               app::UnlinkCaseFromIncident(
                   context, web.caller.viewer, *id, *number,
                   AnswerForm<app::IncidentView>(context, web, page, *std::move(form),
                                                 web::kNoticeCaseUnlinked, std::move(respond)));
             }));
}

}  // namespace

void RegisterConsoleStatusRoutes(Router& router, app::AppContext& context) {
  RegisterStatusPages(router, context);
  RegisterComponentForms(router, context);
  RegisterEventForms(router, context);
  RegisterIncidentPageForms(router, context);
}

}  // namespace casedesk::adapters::http
