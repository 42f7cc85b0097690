// The case console's routes (see console_cases.h). GETs render from the use cases; each POST
// reads its form, calls one use case and answers from its `done` once the change is durable.
#include "adapters/http/api_support.h"
#include "adapters/http/console_cases.h"

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/http/console_cases_forms.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_script.h"
#include "app/add_comment.h"
#include "app/attachments.h"
#include "app/case_escalation.h"
#include "app/severity_flags.h"
#include "app/update_case.h"
#include "core/conversation.h"

namespace casedesk::adapters::http {
namespace {

// The confirmations a redirect names (?notice=code); the page maps the code to a fixed text so
// nothing a link carries is echoed.
constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kNotices = {{
    {"reply-sent", "Reply sent."},
    {"note-added", "Internal note added."},
    {"status-changed", "Status changed."},
    {"severity-saved", "Severity saved."},
    {"assignee-saved", "Assignee saved."},
    {"group-saved", "Group saved."},
    {"escalated", "Escalation requested."},
    {"flagged", "Severity misuse flagged."},
    {"time-logged", "Time logged."},
}};

std::string NoticeOf(const HttpRequest& request) {
  const std::optional<std::string_view> code = request.Query("notice");
  if (!code) return "";
  for (const auto& [known, text] : kNotices) {
    if (known == *code) return std::string(text);
  }
  return "";
}

std::string CasePath(core::CaseNumber number) { return absl::StrCat("/console/cases/", number); }

// The case page again with the refusal beside `form`, with the status the refusal maps to.
HttpResponse Refused(app::AppContext& context, const WebCaller& web, core::CaseNumber number,
                     web::PostedForm form, const absl::Status& refusal) {
  if (absl::IsNotFound(refusal)) return ConsoleNotFound();
  form.error = RefusalText(refusal);
  return ConsoleCaseResponse(context, web, number, HttpStatusFor(refusal), "", form, false);
}

// The `done` of a write: 303 to the case page with `notice`, or the page with the refusal.
template <typename T>
app::Done<T> Answer(app::AppContext& context, WebCaller web, core::CaseNumber number,
                    web::PostedForm form, std::string_view notice, Respond respond) {
  return [&context, web = std::move(web), number, form = std::move(form),
          notice = std::string(notice), respond = std::move(respond)](absl::StatusOr<T> outcome) {
    if (outcome.ok()) {
      return respond(SeeOther(absl::StrCat(CasePath(number), "?notice=", notice)));
    }
    respond(Refused(context, web, number, form, outcome.status()));
  };
}

// What every POST does first: staff only, a case number, a readable form. Answers and returns
// nullopt otherwise.
struct Posted {
  core::CaseNumber number = 0;
  web::PostedForm form;
};
std::optional<Posted> ReadPost(app::AppContext& context, const HttpRequest& request,
                               const WebCaller& web, std::string name, Respond& respond) {
  const std::optional<core::CaseNumber> number = CaseNumberOf(request);
  if (!number || !MayUseCaseConsole(web)) {
    respond(ConsoleNotFound());
    return std::nullopt;
  }
  Posted posted{*number, {}};
  posted.form.name = std::move(name);
  std::optional<ConsoleFormFields> fields = FormFields(request);
  if (!fields) {
    respond(Refused(context, web, *number, std::move(posted.form),
                    absl::InvalidArgumentError("form: could not be read; send it again")));
    return std::nullopt;
  }
  posted.form.fields = *std::move(fields);
  return posted;
}

using Parser = absl::StatusOr<app::UpdateCaseRequest> (*)(const ConsoleFormFields&);

// A form that becomes one UpdateCase call.
void RegisterUpdateForm(Router& router, app::AppContext& context, const std::string& action,
                        std::string form_name, std::string_view notice, Parser parse) {
  router.Add(
      "POST", "/console/cases/{number}/" + action,
      WebAuthenticated(context, [&context, form_name, notice, parse](const HttpRequest& request,
                                                                     Respond respond,
                                                                     const WebCaller& web) {
        std::optional<Posted> posted = ReadPost(context, request, web, form_name, respond);
        if (!posted) return;
        absl::StatusOr<app::UpdateCaseRequest> update = parse(posted->form.fields);
        if (!update.ok()) {
          return respond(Refused(context, web, posted->number, posted->form, update.status()));
        }
        app::UpdateCase(context, web.caller, posted->number, *std::move(update),
                        Answer<app::CaseView>(context, web, posted->number, std::move(posted->form),
                                              notice, std::move(respond)));
      }));
}

void RegisterCommentForm(Router& router, app::AppContext& context, const std::string& action,
                         core::Visibility visibility, std::string_view notice) {
  router.Add(
      "POST", "/console/cases/{number}/" + action,
      WebAuthenticated(
          context, [&context, action, visibility, notice](const HttpRequest& request,
                                                          Respond respond, const WebCaller& web) {
            std::optional<Posted> posted = ReadPost(context, request, web, action, respond);
            if (!posted) return;
            absl::StatusOr<app::AddCommentRequest> comment =
                ParseCommentForm(posted->form.fields, visibility);
            if (!comment.ok()) {
              return respond(Refused(context, web, posted->number, posted->form, comment.status()));
            }
            app::AddComment(
                context, web.caller, posted->number, *std::move(comment),
                Answer<app::AddCommentResult>(context, web, posted->number, std::move(posted->form),
                                              notice, std::move(respond)));
          }));
}

void RegisterReasonForms(Router& router, app::AppContext& context) {
  router.Add(
      "POST", "/console/cases/{number}/escalate",
      WebAuthenticated(
          context, [&context](const HttpRequest& request, Respond respond, const WebCaller& web) {
            std::optional<Posted> posted = ReadPost(context, request, web, "escalate", respond);
            if (!posted) return;
            absl::StatusOr<std::string> reason = ParseReasonForm(posted->form.fields);
            if (!reason.ok()) {
              return respond(Refused(context, web, posted->number, posted->form, reason.status()));
            }
            app::RequestEscalation(context, web.caller, posted->number, *std::move(reason),
                                   Answer<app::EscalationOutcome>(context, web, posted->number,
                                                                  std::move(posted->form),
                                                                  "escalated", std::move(respond)));
          }));
  router.Add(
      "POST", "/console/cases/{number}/flag",
      WebAuthenticated(
          context, [&context](const HttpRequest& request, Respond respond, const WebCaller& web) {
            std::optional<Posted> posted = ReadPost(context, request, web, "flag", respond);
            if (!posted) return;
            absl::StatusOr<std::string> reason = ParseReasonForm(posted->form.fields);
            if (!reason.ok()) {
              return respond(Refused(context, web, posted->number, posted->form, reason.status()));
            }
            app::FlagSeverity(
                context, web.caller, posted->number, *std::move(reason),
                Answer<ports::SeverityFlag>(context, web, posted->number, std::move(posted->form),
                                            "flagged", std::move(respond)));
          }));
}

// Attachments as downloads: never rendered by the browser (nosniff, a sandbox CSP, and types a
// browser could run served as octet-stream).
HttpResponse Download(app::AttachmentContent file) {
  std::string name;
  for (const char c : file.attachment.filename) {
    const auto byte = static_cast<unsigned char>(c);
    name.push_back(byte < 0x20 || byte >= 0x7f || c == '"' || c == '\\' || c == '/' ? '_' : c);
  }
  if (name.empty()) name = "file";
  HttpResponse response;
  response.status = 200;
  response.content_type = app::ServedContentType(file.attachment.content_type);
  response.body = std::move(file.content);
  response.headers.emplace_back("Content-Disposition",
                                absl::StrCat("attachment; filename=\"", name, "\""));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  return response;
}

void RegisterPages(Router& router, app::AppContext& context) {
  router.Add(
      "GET", "/console",
      WebAuthenticated(context, [](const HttpRequest&, Respond respond, const WebCaller& web) {
        respond(MayUseCaseConsole(web) ? SeeOther("/console/cases") : ConsoleNotFound());
      }));
  router.Add("GET", "/console/cases",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               respond(ConsoleQueueResponse(context, request, web));
             }));
  router.Add("GET", "/console/cases/{number}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number) return respond(ConsoleNotFound());
               const bool whole = request.Query("conversation").value_or("") == "all";
               respond(WithContentEtag(request, ConsoleCaseResponse(context, web, *number, 200,
                                                                    NoticeOf(request), {}, whole)));
             }));
  router.Add("GET", "/console/cases/{number}/history",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number) return respond(ConsoleNotFound());
               respond(ConsoleHistoryResponse(context, request, web, *number));
             }));
  router.Add("GET", "/console/attachments/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               const auto id = request.path_params.find("id");
               if (!MayUseCaseConsole(web) || id == request.path_params.end()) {
                 return respond(ConsoleNotFound());
               }
               absl::StatusOr<app::AttachmentContent> file =
                   app::GetAttachmentContent(context, web.caller, id->second);
               if (absl::IsNotFound(file.status())) return respond(ConsoleNotFound());
               if (!file.ok()) return respond(ProblemResponse(file.status()));
               respond(Download(*std::move(file)));
             }));
  auto script = std::make_shared<HttpResponse>();
  script->content_type = "text/javascript; charset=utf-8";
  script->body = std::string(web::ConsoleScript());
  router.Add("GET", "/static/console.js", [script](const HttpRequest& request, Respond respond) {
    HttpResponse response = WithContentEtag(request, *script);
    for (auto& [name, value] : response.headers) {
      if (name == "Cache-Control") value = "public, max-age=3600";
    }
    respond(std::move(response));
  });
}

}  // namespace

void RegisterConsoleCaseRoutes(Router& router, app::AppContext& context) {
  RegisterPages(router, context);
  RegisterCommentForm(router, context, "reply", core::Visibility::kPublic, "reply-sent");
  RegisterCommentForm(router, context, "note", core::Visibility::kInternal, "note-added");
  RegisterUpdateForm(router, context, "status", "status", "status-changed", ParseStatusForm);
  RegisterUpdateForm(router, context, "severity", "severity", "severity-saved", ParseSeverityForm);
  RegisterUpdateForm(router, context, "assignee", "assignee", "assignee-saved", ParseAssigneeForm);
  RegisterUpdateForm(router, context, "group", "group", "group-saved", ParseGroupForm);
  RegisterReasonForms(router, context);
}

}  // namespace casedesk::adapters::http
