// The mail settings routes (see console_admin_mail.h); the template routes are in
// console_admin_mail_templates.cc, the inbound mail and outbox routes in
// console_admin_mail_queues.cc.
#include "adapters/http/console_admin_mail.h"

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "adapters/http/console_admin_mail_support.h"
#include "adapters/http/console_cases_pages.h"
#include "adapters/http/console_frame.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_mail_pages.h"
#include "app/mail_admin.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "app/organisations.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/enum_names.h"
#include "core/organisation.h"

namespace casedesk::adapters::http {
namespace {

using MailFormFields = std::vector<std::pair<std::string, std::string>>;

constexpr char kMailSavedNotice[] = "saved";
// The organisation picker lists at most this many (the rest are reached by address).
constexpr int kMailOrgPickerLimit = 200;

// The items of a list field: one per line (commas and spaces also separate).
std::vector<std::string> MailListItems(std::string_view text) {
  std::vector<std::string> items;
  for (absl::string_view item : absl::StrSplit(absl::string_view(text.data(), text.size()),
                                               absl::ByAnyChar(", \t\r\n"), absl::SkipEmpty())) {
    items.emplace_back(item);
  }
  return items;
}

std::string MailTrimmed(const MailFormFields& fields, std::string_view name) {
  return std::string(absl::StripAsciiWhitespace(FormValue(fields, name)));
}

// The desk settings a posted form describes, validated by the app's reader of the document (so
// errors name the same fields as the API's).
absl::StatusOr<app::MailDeskSettings> MailDeskSettingsFromForm(const MailFormFields& fields) {
  nlohmann::json document = nlohmann::json::object();
  for (const char* name :
       {"from_address", "from_name", "case_tag_prefix", "reply_local_part", "reply_domain"}) {
    document[name] = MailTrimmed(fields, name);
  }
  document["unknown_senders"] = MailTrimmed(fields, "unknown_senders");
  int64_t minutes = 0;
  if (!absl::SimpleAtoi(MailTrimmed(fields, "notice_interval_minutes"), &minutes)) {
    return absl::InvalidArgumentError("notice_interval_minutes: give a whole number of minutes");
  }
  document["notice_interval_minutes"] = minutes;
  int severity = 0;
  if (!absl::SimpleAtoi(MailTrimmed(fields, "default_severity"), &severity)) {
    return absl::InvalidArgumentError("default_severity: must be a severity level 1..4");
  }
  document["default_severity"] = severity;
  nlohmann::json routes = nlohmann::json::array();
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(FormValue(fields, "routes"), '\n')) {
    ++line_number;
    std::vector<std::string> words = MailListItems(std::string(line));
    if (words.empty()) continue;
    if (words.size() > 3) {
      return absl::InvalidArgumentError(absl::StrCat(
          "routes: line ", line_number, " has more than an address, an action and a severity"));
    }
    nlohmann::json route = {{"address", words[0]}};
    if (words.size() > 1) route["action"] = words[1];
    if (words.size() > 2) {
      int level = 0;
      if (!absl::SimpleAtoi(words[2], &level)) {
        return absl::InvalidArgumentError(
            absl::StrCat("routes: line ", line_number, ": the severity must be a level 1 to 4"));
      }
      route["severity"] = level;
    }
    routes.push_back(std::move(route));
  }
  document["routes"] = std::move(routes);
  return app::MailDeskSettingsFromJson(document);
}

web::MailDeskFormText MailDeskFormOf(const MailFormFields& fields) {
  web::MailDeskFormText form;
  form.from_address = FormValue(fields, "from_address");
  form.from_name = FormValue(fields, "from_name");
  form.case_tag_prefix = FormValue(fields, "case_tag_prefix");
  form.reply_local_part = FormValue(fields, "reply_local_part");
  form.reply_domain = FormValue(fields, "reply_domain");
  form.unknown_senders = FormValue(fields, "unknown_senders");
  form.notice_interval_minutes = FormValue(fields, "notice_interval_minutes");
  form.default_severity = FormValue(fields, "default_severity");
  form.routes = FormValue(fields, "routes");
  return form;
}

HttpResponse MailSettingsPage(app::AppContext& context, const WebCaller& web, int status,
                              std::string notice, const MailFormFields* posted, std::string error) {
  web::ConsoleMailSettingsView view;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  if (posted != nullptr) {
    view.form = MailDeskFormOf(*posted);
  } else {
    absl::StatusOr<app::MailDeskSettings> settings = app::ReadValue<app::MailDeskSettings>(
        context.store, [](ports::StoreTransaction& txn) { return app::LoadMailDeskSettings(txn); });
    if (!settings.ok()) return MailAdminFailure(context, web, "Mail settings", settings.status());
    view.form = web::MailDeskFormFromSettings(*settings);
  }
  absl::StatusOr<std::vector<web::MailOrgChoice>> orgs =
      LoadMailOrgChoices(context, web.caller, kMailOrgPickerLimit, &view.more_organisations);
  if (!orgs.ok()) return MailAdminFailure(context, web, "Mail settings", orgs.status());
  view.organisations = *std::move(orgs);
  view.error = std::move(error);
  return HtmlPage(status,
                  web::RenderConsoleMailSettingsPage(
                      MailAdminFrame(context, web, "Mail settings", std::move(notice)), view));
}

void PostMailSettings(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                      Respond respond) {
  std::optional<MailFormFields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  absl::StatusOr<app::MailDeskSettings> settings = MailDeskSettingsFromForm(*fields);
  if (!settings.ok()) {
    return respond(
        MailSettingsPage(context, web, 400, "", &*fields, RefusalText(settings.status())));
  }
  app::UpdateMailDeskSettings(
      context, web.caller, *std::move(settings),
      [&context, web, fields = *std::move(fields),
       respond = std::move(respond)](absl::StatusOr<app::MailDeskSettings> outcome) {
        const absl::Status& saved = outcome.status();
        if (saved.ok()) {
          return respond(SeeOther(absl::StrCat("/console/admin/mail?notice=", kMailSavedNotice)));
        }
        respond(
            MailSettingsPage(context, web, HttpStatusFor(saved), "", &fields, RefusalText(saved)));
      });
}

// ---- one organisation

absl::StatusOr<web::MailOrgChoice> MailOrgOf(app::AppContext& context, const HttpRequest& request) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(MailPathParam(request, "id"), &id) || id <= 0) {
    return absl::NotFoundError("no such organisation");
  }
  absl::StatusOr<core::Organisation> org = app::ReadValue<core::Organisation>(
      context.store, [id](ports::StoreTransaction& txn) { return txn.GetOrganisation(id); });
  if (!org.ok()) return org.status();
  return web::MailOrgChoice{
      org->id, org->name, std::string(core::NameOf<core::OrgKind>(core::kOrgKindNames, org->kind))};
}

web::MailOrgFormText MailOrgFormOf(const MailFormFields& fields) {
  web::MailOrgFormText form;
  form.support_aliases = FormValue(fields, "support_aliases");
  form.domains = FormValue(fields, "domains");
  form.sender_address = FormValue(fields, "sender_address");
  form.sender_name = FormValue(fields, "sender_name");
  form.signature = FormValue(fields, "signature");
  return form;
}

absl::StatusOr<app::OrganisationMailSettings> MailOrgSettingsFromForm(const MailFormFields& fields,
                                                                      core::OrgId org_id) {
  nlohmann::json document = {
      {"support_aliases", MailListItems(FormValue(fields, "support_aliases"))},
      {"domains", MailListItems(FormValue(fields, "domains"))},
      {"sender_address", MailTrimmed(fields, "sender_address")},
      {"sender_name", MailTrimmed(fields, "sender_name")},
      // Browsers send CRLF line ends; the signature is kept with LF.
      {"signature", absl::StrReplaceAll(FormValue(fields, "signature"), {{"\r\n", "\n"}})}};
  absl::StatusOr<app::OrganisationMailSettings> settings =
      app::OrganisationMailSettingsFromJson(document);
  if (settings.ok()) settings->org_id = org_id;
  return settings;
}

HttpResponse MailOrgPage(app::AppContext& context, const WebCaller& web,
                         const web::MailOrgChoice& org, int status, std::string notice,
                         const MailFormFields* posted, std::string error) {
  web::ConsoleOrgMailView view;
  view.organisation = org;
  view.may_edit = core::IsAdmin(web.caller.viewer);
  if (posted != nullptr) {
    view.form = MailOrgFormOf(*posted);
  } else {
    absl::StatusOr<app::OrganisationMailSettings> settings =
        app::ReadValue<app::OrganisationMailSettings>(
            context.store, [id = org.id](ports::StoreTransaction& txn) {
              return app::LoadOrganisationMailSettings(txn, id);
            });
    if (!settings.ok()) return MailAdminFailure(context, web, "Mail settings", settings.status());
    view.form = web::MailOrgFormFromSettings(*settings);
  }
  view.error = std::move(error);
  return HtmlPage(status,
                  web::RenderConsoleOrgMailPage(
                      MailAdminFrame(context, web, absl::StrCat("Mail settings of ", org.name),
                                     std::move(notice)),
                      view));
}

void PostMailOrg(app::AppContext& context, const HttpRequest& request, const WebCaller& web,
                 Respond respond) {
  absl::StatusOr<web::MailOrgChoice> org = MailOrgOf(context, request);
  if (absl::IsNotFound(org.status())) return respond(ConsoleNotFound());
  if (!org.ok()) return respond(MailAdminFailure(context, web, "Mail settings", org.status()));
  std::optional<MailFormFields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  absl::StatusOr<app::OrganisationMailSettings> settings =
      MailOrgSettingsFromForm(*fields, org->id);
  if (!settings.ok()) {
    return respond(
        MailOrgPage(context, web, *org, 400, "", &*fields, RefusalText(settings.status())));
  }
  app::UpdateOrganisationMailSettings(
      context, web.caller, *std::move(settings),
      [&context, web, org = *org, fields = *std::move(fields),
       respond = std::move(respond)](absl::StatusOr<app::OrganisationMailSettings> outcome) {
        const absl::Status& saved = outcome.status();
        if (saved.ok()) {
          return respond(SeeOther(
              absl::StrCat("/console/admin/mail/orgs/", org.id, "?notice=", kMailSavedNotice)));
        }
        respond(
            MailOrgPage(context, web, org, HttpStatusFor(saved), "", &fields, RefusalText(saved)));
      });
}

bool MailNoticeIs(const HttpRequest& request, std::string_view notice) {
  return request.Query("notice").value_or("") == notice;
}

}  // namespace

std::string MailPathParam(const HttpRequest& request, const std::string& name) {
  const auto it = request.path_params.find(name);
  return it == request.path_params.end() ? std::string() : it->second;
}

web::ConsoleFrame MailAdminFrame(app::AppContext& context, const WebCaller& web, std::string title,
                                 std::string notice) {
  web::ConsoleFrame frame = MakeConsoleFrame(context, web, "admin", std::move(title));
  frame.notice = std::move(notice);
  return frame;
}

HttpResponse MailAdminFailure(app::AppContext& context, const WebCaller& web,
                              const std::string& title, const absl::Status& status) {
  return HtmlPage(
      HttpStatusFor(status) >= 500 ? 503 : HttpStatusFor(status),
      web::RenderConsoleMessagePage(MailAdminFrame(context, web, title, ""), RefusalText(status)));
}

HttpHandler MailStaffPage(app::AppContext& context, WebHandler page) {
  return WebAuthenticated(context, [page = std::move(page)](const HttpRequest& request,
                                                            Respond respond, const WebCaller& web) {
    if (!MayUseCaseConsole(web)) return respond(ConsoleNotFound());
    page(request, std::move(respond), web);
  });
}

absl::StatusOr<std::vector<web::MailOrgChoice>> LoadMailOrgChoices(app::AppContext& context,
                                                                   const app::Caller& caller,
                                                                   int limit, bool* more) {
  ports::OrgFilter filter;
  filter.only_ids = app::VisibleOrganisationIds(caller.viewer);
  filter.page.limit = limit;
  absl::StatusOr<ports::Page<core::Organisation>> page =
      app::ReadValue<ports::Page<core::Organisation>>(
          context.store,
          [&filter](ports::StoreTransaction& txn) { return txn.ListOrganisations(filter); });
  if (!page.ok()) return page.status();
  std::vector<web::MailOrgChoice> choices;
  for (const core::Organisation& org : page->items) {
    if (org.kind == core::OrgKind::kProvider) continue;
    choices.push_back({org.id, org.name,
                       std::string(core::NameOf<core::OrgKind>(core::kOrgKindNames, org.kind))});
  }
  if (more) *more = !page->next_cursor.empty();
  return choices;
}

void RegisterConsoleMailRoutes(Router& router, app::AppContext& context,
                               const ports::MailParser& parser) {
  router.Add(
      "GET", "/console/admin/mail",
      MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                        const WebCaller& web) {
        if (const auto org = request.Query("org")) {
          int64_t id = 0;
          if (!absl::SimpleAtoi(std::string(*org), &id) || id <= 0) {
            return respond(ConsoleNotFound());
          }
          return respond(SeeOther(absl::StrCat("/console/admin/mail/orgs/", id)));
        }
        respond(MailSettingsPage(
            context, web, 200,
            MailNoticeIs(request, kMailSavedNotice) ? "Mail settings saved." : "", nullptr, ""));
      }));
  router.Add("POST", "/console/admin/mail",
             MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                               const WebCaller& web) {
               PostMailSettings(context, request, web, std::move(respond));
             }));
  router.Add(
      "GET", "/console/admin/mail/orgs/{id}",
      MailStaffPage(
          context, [&context](const HttpRequest& request, Respond respond, const WebCaller& web) {
            absl::StatusOr<web::MailOrgChoice> org = MailOrgOf(context, request);
            if (absl::IsNotFound(org.status())) return respond(ConsoleNotFound());
            if (!org.ok()) {
              return respond(MailAdminFailure(context, web, "Mail settings", org.status()));
            }
            respond(MailOrgPage(
                context, web, *org, 200,
                MailNoticeIs(request, kMailSavedNotice) ? "Organisation mail settings saved." : "",
                nullptr, ""));
          }));
  router.Add("POST", "/console/admin/mail/orgs/{id}",
             MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                               const WebCaller& web) {
               PostMailOrg(context, request, web, std::move(respond));
             }));
  RegisterConsoleMailTemplateRoutes(router, context);
  RegisterConsoleMailQueueRoutes(router, context, parser);
}

}  // namespace casedesk::adapters::http
