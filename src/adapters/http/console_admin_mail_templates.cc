// The mail template routes of the console's mail administration (see console_admin_mail.h): the
// kinds, one template's form with the values its mail carries and a preview rendered with
// sample values (each value shown as "[name]"), save and reset through the same writes as the
// API.
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "adapters/http/console_admin_mail_support.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_mail_pages.h"
#include "app/mail_admin.h"
#include "app/mail_templates.h"
#include "app/store_calls.h"
#include "core/access.h"

namespace casedesk::adapters::http {
namespace {

using MailTemplateFields = std::vector<std::pair<std::string, std::string>>;

constexpr char kMailTemplateSavedNotice[] = "saved";
constexpr char kMailTemplateResetNotice[] = "reset";
// Values every template kind gets from the outbox (mail_templates.h).
constexpr std::string_view kMailCommonValues[] = {"recipient_name", "desk_name", "case_number",
                                                  "case_subject"};

// The values each kind's mail carries beyond kMailCommonValues, as app/mail_templates.h lists
// them (some are not used by the shipped text, so they cannot all be read from it).
struct MailKindValues {
  std::string_view kind;
  std::string_view values;  // space-separated
};
constexpr MailKindValues kMailKindValues[] = {
    {"case.opened", "severity requester_name"},
    {"case.reply", "author_name comment"},
    {"case.status", "status previous_status comment"},
    {"case.severity", "severity previous_severity"},
    {"sla.warning", "clock due_at severity"},
    {"sla.breached", "clock due_at severity"},
    {"case.escalated", "policy level trigger clock severity"},
    {"mail.unknown_sender", "sender_address original_subject"},
    {"mail.quarantined", "original_subject"},
    {"account.verify", "link expires_hours"},
    {"account.password_reset", "link expires_hours"},
    {"status.notice",
     "event_kind incident_name status body components window incident_url page_url "
     "unsubscribe_url"},
    {"status.confirm", "link page_url"},
    {"hours.threshold",
     "organisation kind threshold period used_hours available_hours remaining_hours over "
     "hours_url"},
    {"service_task.estimate", "hours completion_date estimate_count case_url"},
    {"service_task.decision", "decision approved customer_name reason case_url"},
    {"remote_access.requested",
     "method purpose window_start window_end requested_by request_id portal_url"},
    {"remote_access.decision",
     "decision decided_by reason credentials_given method purpose window_start window_end "
     "request_id console_url"},
};

// The values a kind's mail carries: what every kind gets, what the kind documents, then any
// other tag of its shipped template in the order it appears (sections name values too).
std::vector<std::string> MailTemplatePlaceholders(const std::string& kind) {
  std::vector<std::string> names(std::begin(kMailCommonValues), std::end(kMailCommonValues));
  std::set<std::string> seen(names.begin(), names.end());
  for (const MailKindValues& entry : kMailKindValues) {
    if (entry.kind != kind) continue;
    for (absl::string_view name : absl::StrSplit(
             absl::string_view(entry.values.data(), entry.values.size()), ' ', absl::SkipEmpty())) {
      if (seen.emplace(name).second) names.emplace_back(name);
    }
  }
  absl::StatusOr<app::MailTemplate> shipped = app::DefaultMailTemplate(kind);
  if (!shipped.ok()) return names;
  for (const std::string* text : {&shipped->subject, &shipped->body}) {
    size_t at = 0;
    while ((at = text->find("{{", at)) != std::string::npos) {
      const size_t end = text->find("}}", at + 2);
      if (end == std::string::npos) break;
      std::string tag(absl::StripAsciiWhitespace(text->substr(at + 2, end - at - 2)));
      at = end + 2;
      if (!tag.empty() &&
          (tag[0] == '#' || tag[0] == '^' || tag[0] == '/' || tag[0] == '{' || tag[0] == '&')) {
        tag = std::string(absl::StripAsciiWhitespace(tag.substr(1)));
      }
      if (!tag.empty() && tag.back() == '}') tag.pop_back();
      if (tag.empty() || tag[0] == '!' || tag[0] == '>' || tag[0] == '=' || tag == ".") continue;
      if (seen.insert(tag).second) names.push_back(tag);
    }
  }
  return names;
}

// The template rendered with each placeholder standing for itself ("[name]"), or the reason it
// does not render.
absl::StatusOr<app::RenderedMail> MailTemplatePreview(const std::string& kind,
                                                      const app::MailTemplate& content,
                                                      const std::vector<std::string>& names) {
  nlohmann::json values = nlohmann::json::object();
  for (const std::string& name : names) values[name] = absl::StrCat("[", name, "]");
  return app::RenderMailTemplate(kind, content, values);
}

std::string MailKindOf(const HttpRequest& request) { return MailPathParam(request, "kind"); }

// The page of template `kind` showing `content` (as stored, or as posted when `unsaved`).
HttpResponse MailTemplatePage(app::AppContext& context, const WebCaller& web,
                              const std::string& kind, int status, std::string notice,
                              const app::MailTemplate* posted, std::string error) {
  absl::StatusOr<app::MailTemplateEntry> entry = app::ReadValue<app::MailTemplateEntry>(
      context.store,
      [&kind](ports::StoreTransaction& txn) { return app::LoadMailTemplateEntry(txn, kind); });
  const std::string title = absl::StrCat("Template ", kind);
  if (!entry.ok()) return MailAdminFailure(context, web, title, entry.status());
  web::ConsoleMailTemplateView view;
  view.kind = kind;
  view.customised = entry->customised;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  view.placeholders = MailTemplatePlaceholders(kind);
  const app::MailTemplate& shown = posted != nullptr ? *posted : entry->content;
  view.unsaved = posted != nullptr;
  view.subject = shown.subject;
  view.body = shown.body;
  view.error = std::move(error);
  absl::StatusOr<app::RenderedMail> preview = MailTemplatePreview(kind, shown, view.placeholders);
  if (preview.ok()) {
    view.preview = *std::move(preview);
  } else if (view.error.empty()) {
    view.error = RefusalText(preview.status());
    if (status == 200 && posted != nullptr) status = 400;
  }
  return HtmlPage(status, web::RenderConsoleMailTemplatePage(
                              MailAdminFrame(context, web, title, std::move(notice)), view));
}

void PostMailTemplate(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                      Respond respond) {
  const std::string kind = MailKindOf(request);
  if (!app::DefaultMailTemplate(kind).ok()) return respond(ConsoleNotFound());
  std::optional<MailTemplateFields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  // Browsers send CRLF line ends in a textarea; mail bodies are kept with LF.
  app::MailTemplate content{FormValue(*fields, "subject"),
                            absl::StrReplaceAll(FormValue(*fields, "body"), {{"\r\n", "\n"}})};
  if (FormValue(*fields, "action") != "save") {
    return respond(MailTemplatePage(context, web, kind, 200, "", &content, ""));
  }
  app::UpdateMailTemplate(
      context, web.caller, kind, content,
      [&context, web, kind, content,
       respond = std::move(respond)](absl::StatusOr<app::MailTemplateEntry> outcome) {
        const absl::Status& saved = outcome.status();
        if (saved.ok()) {
          return respond(SeeOther(absl::StrCat("/console/admin/mail/templates/", kind,
                                               "?notice=", kMailTemplateSavedNotice)));
        }
        respond(MailTemplatePage(context, web, kind, HttpStatusFor(saved), "", &content,
                                 RefusalText(saved)));
      });
}

void PostMailTemplateReset(app::AppContext& context, const HttpRequest& request,
                           const WebCaller& web, Respond respond) {
  const std::string kind = MailKindOf(request);
  if (!app::DefaultMailTemplate(kind).ok()) return respond(ConsoleNotFound());
  app::RestoreDefaultMailTemplate(
      context, web.caller, kind,
      [&context, web, kind,
       respond = std::move(respond)](absl::StatusOr<app::MailTemplateEntry> outcome) {
        const absl::Status& reset = outcome.status();
        if (reset.ok()) {
          return respond(SeeOther(absl::StrCat("/console/admin/mail/templates/", kind,
                                               "?notice=", kMailTemplateResetNotice)));
        }
        respond(MailTemplatePage(context, web, kind, HttpStatusFor(reset), "", nullptr,
                                 RefusalText(reset)));
      });
}

HttpResponse MailTemplateListPage(app::AppContext& context, const WebCaller& web) {
  absl::StatusOr<std::vector<app::MailTemplateEntry>> entries =
      app::ReadValue<std::vector<app::MailTemplateEntry>>(
          context.store, [](ports::StoreTransaction& txn) { return app::ListMailTemplates(txn); });
  if (!entries.ok()) return MailAdminFailure(context, web, "Mail templates", entries.status());
  web::ConsoleMailTemplateListView view;
  view.templates = *std::move(entries);
  return HtmlPage(200, web::RenderConsoleMailTemplateListPage(
                           MailAdminFrame(context, web, "Mail templates", ""), view));
}

}  // namespace

void RegisterConsoleMailTemplateRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "GET", "/console/admin/mail/templates",
      MailStaffPage(context, [&context](const HttpRequest&, Respond respond, const WebCaller& web) {
        respond(MailTemplateListPage(context, web));
      }));
  router.Add("GET", "/console/admin/mail/templates/{kind}",
             MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                               const WebCaller& web) {
               const std::string kind = MailKindOf(request);
               if (!app::DefaultMailTemplate(kind).ok()) return respond(ConsoleNotFound());
               std::string notice;
               if (request.Query("notice").value_or("") == kMailTemplateSavedNotice)
                 notice = "Template saved.";
               if (request.Query("notice").value_or("") == kMailTemplateResetNotice) {
                 notice = "Template reset: the shipped text applies again.";
               }
               respond(MailTemplatePage(context, web, kind, 200, std::move(notice), nullptr, ""));
             }));
  router.Add("POST", "/console/admin/mail/templates/{kind}",
             MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                               const WebCaller& web) {
               PostMailTemplate(context, request, web, std::move(respond));
             }));
  router.Add("POST", "/console/admin/mail/templates/{kind}/reset",
             MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                               const WebCaller& web) {
               PostMailTemplateReset(context, request, web, std::move(respond));
             }));
}

}  // namespace casedesk::adapters::http
