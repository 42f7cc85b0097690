// The case page and its forms: GET /portal/cases/{number} (app::LoadPortalCase), POST
// .../replies (multipart: app::ReplyFromPortal), POST .../escalations (app::RequestEscalation,
// the customer_request trigger), POST .../reference (partner agents: app::UpdateCase with their
// reference), and GET /portal/files/{id} (a download). Every POST answers 303 back to the case
// with a notice, or the page again with the typed text and the error beside its form.
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_remote_access.h"
#include "adapters/http/api_service_tasks.h"
#include "adapters/http/api_support.h"
#include "adapters/http/portal_routes.h"
#include "adapters/http/portal_support.h"
#include "adapters/http/problem.h"
#include "adapters/web/portal_case_page.h"
#include "adapters/web/portal_text.h"
#include "adapters/web/status_time.h"
#include "app/attachments.h"
#include "app/case_escalation.h"
#include "app/portal_case_view.h"
#include "app/update_case.h"
#include "core/conversation.h"
#include "core/enum_names.h"

namespace casedesk::adapters::http {
namespace {

// What a refused form brings back to the page.
struct FormState {
  std::string reply_body;
  std::string reply_error;
  std::string escalation_reason;
  std::string escalation_error;
  std::string reference_error;
};

std::vector<web::PortalFileLink> Links(const std::vector<core::Attachment>& files) {
  std::vector<web::PortalFileLink> links;
  for (const core::Attachment& file : files) {
    if (file.visibility != core::Visibility::kPublic) continue;
    links.push_back(
        {file.filename, absl::StrCat("/portal/files/", file.id), web::FileSizeText(file.size)});
  }
  return links;
}

// Who wrote a comment, in words the reader understands.
std::string SideLabel(app::AuthorSide side, const PortalPage& page, bool partner_reader) {
  switch (side) {
    case app::AuthorSide::kYou:
      return "You";
    case app::AuthorSide::kCustomer:
      return partner_reader ? "Customer" : "Your organisation";
    case app::AuthorSide::kPartner:
      return partner_reader ? "Your team" : page.identity.brand_name;
    case app::AuthorSide::kProvider:
      return page.identity.brand_name;
  }
  return "";
}

web::PortalCasePageView BuildView(app::AppContext& context, const PortalPage& page,
                                  const WebCaller& web, const app::PortalCase& loaded,
                                  const FormState& state) {
  const core::Case& record = loaded.view.record;
  const bool partner = web.caller.viewer.role == core::Role::kPartnerAgent;
  web::PortalCasePageView view;
  view.number = absl::StrCat(record.number);
  view.subject = record.subject;
  view.status = web::PortalStatusText(record.status);
  view.status_class =
      std::string(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, record.status));
  view.severity = web::PortalSeverityText(record.severity);
  view.category = web::PortalCategoryText(record.category);
  if (partner || web.caller.viewer.org_shares_cases) {
    view.org_name = app::PortalOrganisationName(page.identity, record.org_id);
  }
  view.opened = web::LocalTimeText(record.created_at, page.now, page.zone);
  view.promise = web::PromiseText(loaded.promise, page.now, page.zone);
  view.promise_late = loaded.promise.late;
  view.description = record.description;
  for (const auto& [key, value] : record.fields) {
    view.facts.emplace_back(web::IntakeFieldLabel(key), value);
  }
  view.partner_reference = partner ? record.partner_reference : "";
  view.files = Links(loaded.files);
  for (const app::PortalComment& comment : loaded.comments) {
    web::PortalCommentEntry entry;
    entry.author = comment.view.author_name;
    entry.side = SideLabel(comment.side, page, partner);
    entry.support = comment.side == app::AuthorSide::kProvider ||
                    (!partner && comment.side == app::AuthorSide::kPartner);
    entry.time = web::LocalTimeText(comment.view.comment.created_at, page.now, page.zone);
    entry.time_iso = web::Rfc3339Utc(comment.view.comment.created_at);
    entry.body = comment.view.comment.body;
    entry.files = Links(comment.view.attachments);
    view.comments.push_back(std::move(entry));
  }
  view.closed = record.status == core::CaseStatus::kClosed;
  view.partner_agent = partner;
  view.provider_name = page.identity.brand_name;
  view.max_file_size = web::FileSizeText(context.limits.max_attachment_bytes);
  view.reply_body = state.reply_body;
  view.reply_error = state.reply_error;
  view.escalation_reason = state.escalation_reason;
  view.escalation_error = state.escalation_error;
  view.reference_error = state.reference_error;
  // Remote access requests (issue 7, portal_remote_access.cc).
  view.remote_access =
      PortalRemoteAccessSectionFor(context, web.caller, record.number, page.now, page.zone);
  // The service task's estimate and decision (issue 7, portal_service_tasks.cc).
  view.service_task =
      PortalServiceTaskSectionFor(context, web.caller, record.number, page.now, page.zone);
  return view;
}

// The case page with `status` (200, or the refusal's status when a form comes back).
HttpResponse CasePage(app::AppContext& context, app::StatusPageCache& cache,
                      std::string_view method, std::string_view notice, const WebCaller& web,
                      core::CaseNumber number, int status, const FormState& state) {
  absl::StatusOr<PortalPage> page =
      LoadPortalPage(context, cache, web, absl::StrCat("Case #", number), "cases");
  if (!page.ok()) return PortalLoadFailure(page.status(), method);
  absl::StatusOr<app::PortalCase> loaded = app::LoadPortalCase(context, web.caller, number);
  if (!loaded.ok()) return PortalLoadFailure(loaded.status(), method);
  page->frame.title = absl::StrCat("Case #", number, ": ", loaded->view.record.subject);
  page->frame.notice = PortalNoticeText(notice);
  return HtmlPage(status, web::RenderPortalCasePage(
                              page->frame, BuildView(context, *page, web, *loaded, state)));
}

// The `done` of a form: 303 back to the case with `notice`, or the page with the refusal put
// where `place` says.
template <typename T>
app::Done<T> AnswerForm(app::AppContext& context, app::StatusPageCache& cache,
                        const HttpRequest& request, const WebCaller& web, core::CaseNumber number,
                        std::string notice, FormState state,
                        std::function<void(FormState&, const std::string&)> place,
                        Respond respond) {
  // Only the method is kept: the request's body may hold files.
  return [&context, &cache, method = request.method, web, number, notice = std::move(notice),
          state = std::move(state), place = std::move(place),
          respond = std::move(respond)](absl::StatusOr<T> outcome) mutable {
    if (outcome.ok()) {
      return respond(SeeOther(absl::StrCat(PortalCasePath(number), "?notice=", notice)));
    }
    if (absl::IsNotFound(outcome.status()) || absl::IsPermissionDenied(outcome.status())) {
      return respond(PortalNotFound());
    }
    place(state, RefusalWithoutField(outcome.status()));
    respond(
        CasePage(context, cache, method, "", web, number, HttpStatusFor(outcome.status()), state));
  };
}

void SendFile(app::AppContext& context, const HttpRequest& request, Respond respond,
              const WebCaller& web) {
  const auto id = request.path_params.find("id");
  if (id == request.path_params.end() || id->second.empty()) return respond(PortalNotFound());
  absl::StatusOr<app::AttachmentContent> file =
      app::GetAttachmentContent(context, web.caller, id->second);
  if (!file.ok()) return respond(PortalLoadFailure(file.status(), "POST"));
  const std::string safe = core::SanitiseFilename(file->attachment.filename);
  // The quoted fallback is plain ASCII; the exact name travels percent-encoded in filename*.
  std::string fallback;
  std::string encoded;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : safe) {
    const auto byte = static_cast<unsigned char>(c);
    fallback.push_back(byte >= 0x80 || c == '\\' || c == '"' || byte < 0x20 ? '_' : c);
    if (absl::ascii_isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0xF];
    }
  }
  HttpResponse response;
  response.status = 200;
  response.content_type = app::ServedContentType(file->attachment.content_type);
  response.body = std::move(file->content);
  response.headers.emplace_back(
      "Content-Disposition",
      absl::StrCat("attachment; filename=\"", fallback, "\"; filename*=UTF-8''", encoded));
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  response.headers.emplace_back("Cache-Control", "private, no-store");
  respond(std::move(response));
}

}  // namespace

void RegisterPortalCaseRoutes(Router& router, app::AppContext& context,
                              app::StatusPageCache& cache) {
  router.Add("GET", "/portal/cases/{number}",
             WebAuthenticated(context, [&context, &cache](const HttpRequest& request,
                                                          Respond respond, const WebCaller& web) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number) return respond(PortalNotFound());
               respond(CasePage(context, cache, request.method,
                                request.Query("notice").value_or(""), web, *number, 200, {}));
             }));
  router.Add("POST", "/portal/cases/{number}/replies",
             PortalFormAuthenticated(context, [&context, &cache](
                                                  const HttpRequest& request, Respond respond,
                                                  const WebCaller& web, PortalPost post) {
               const std::optional<core::CaseNumber> number = CaseNumberOf(request);
               if (!number || !app::MayUsePortal(web.caller.viewer))
                 return respond(PortalNotFound());
               FormState state;
               state.reply_body = post.Value("body");
               app::ReplyFromPortal(
                   context, web.caller, *number, post.Value("body"), std::move(post.files),
                   AnswerForm<app::AddCommentResult>(
                       context, cache, request, web, *number, "replied", std::move(state),
                       [](FormState& form, const std::string& error) { form.reply_error = error; },
                       std::move(respond)));
             }));
  router.Add(
      "POST", "/portal/cases/{number}/escalations",
      PortalFormAuthenticated(context, [&context, &cache](const HttpRequest& request,
                                                          Respond respond, const WebCaller& web,
                                                          PortalPost post) {
        const std::optional<core::CaseNumber> number = CaseNumberOf(request);
        if (!number || !app::MayUsePortal(web.caller.viewer)) return respond(PortalNotFound());
        FormState state;
        state.escalation_reason = post.Value("reason");
        app::RequestEscalation(
            context, web.caller, *number, post.Value("reason"),
            AnswerForm<app::EscalationOutcome>(
                context, cache, request, web, *number, "escalated", std::move(state),
                [](FormState& form, const std::string& error) { form.escalation_error = error; },
                std::move(respond)));
      }));
  router.Add(
      "POST", "/portal/cases/{number}/reference",
      PortalFormAuthenticated(
          context, [&context, &cache](const HttpRequest& request, Respond respond,
                                      const WebCaller& web, PortalPost post) {
            const std::optional<core::CaseNumber> number = CaseNumberOf(request);
            if (!number || web.caller.viewer.role != core::Role::kPartnerAgent) {
              return respond(PortalNotFound());
            }
            app::UpdateCaseRequest update;
            update.partner_reference = post.Value("partner_reference");
            app::UpdateCase(
                context, web.caller, *number, std::move(update),
                AnswerForm<app::CaseView>(
                    context, cache, request, web, *number, "reference", FormState{},
                    [](FormState& form, const std::string& error) { form.reference_error = error; },
                    std::move(respond)));
          }));
  router.Add("GET", "/portal/files/{id}",
             WebAuthenticated(context, [&context](const HttpRequest& request, Respond respond,
                                                  const WebCaller& web) {
               SendFile(context, request, std::move(respond), web);
             }));
}

}  // namespace casedesk::adapters::http
