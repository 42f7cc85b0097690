// The inbound mail and outbox routes of the console's mail administration (see
// console_admin_mail.h). A held message is read from its raw bytes with the mail parser and shown
// as decoded headers and plain text only. Accepting and rejecting call the same use cases as the
// API (AcceptQuarantinedMail / RejectQuarantinedMail), which block until durable.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/console_admin_mail_support.h"
#include "adapters/http/console_status_pages.h"
#include "adapters/http/problem.h"
#include "adapters/http/web_auth.h"
#include "adapters/web/console_mail_pages.h"
#include "app/mail_admin.h"
#include "app/mail_ingest.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/mail_message.h"

namespace casedesk::adapters::http {
namespace {

using MailQueueFields = std::vector<std::pair<std::string, std::string>>;

// The message page shows at most this much of a message's text, counted as it is written into
// the page (escaped), so that pages stay under 100 KB.
constexpr size_t kMailShownTextBytes = 60 * 1024;
constexpr size_t kMailShownHeaderBytes = 998;
// The headers a message page shows, in this order when present.
constexpr std::string_view kMailShownHeaders[] = {"from", "reply-to", "to",        "cc",
                                                  "date", "subject",  "message-id"};
constexpr char kMailAcceptedNotice[] = "accepted";
constexpr char kMailRejectedNotice[] = "rejected";
constexpr char kMailRetriedNotice[] = "retried";

// Whether mail about `number` may be shown to `viewer` (a security incident the viewer is not
// cleared for is hidden, as in the API).
absl::StatusOr<bool> MailCaseVisible(ports::StoreTransaction& txn, const core::Viewer& viewer,
                                     core::CaseNumber number) {
  if (number == 0) return true;
  absl::StatusOr<core::Case> found = txn.GetCase(number);
  if (absl::IsNotFound(found.status())) return true;
  if (!found.ok()) return found.status();
  return core::CanSeeCase(viewer, *found);
}

// How many bytes of `text` fit in kMailShownTextBytes once HTML-escaped.
size_t MailShownPrefix(const std::string& text) {
  size_t escaped = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    switch (text[i]) {
      case '&':
      case '<':
      case '>':
      case '"':
      case '\'':
        escaped += 6;
        break;
      default:
        escaped += 1;
    }
    if (escaped > kMailShownTextBytes) return i;
  }
  return text.size();
}

std::optional<int64_t> MailIdOf(const HttpRequest& request) {
  int64_t id = 0;
  if (!absl::SimpleAtoi(MailPathParam(request, "id"), &id) || id <= 0) return std::nullopt;
  return id;
}

// The keyset cursor of a list: the id of the previous page's last row, 0 for the first page.
std::optional<int64_t> MailCursorOf(const HttpRequest& request) {
  const std::string_view text = request.Query("cursor").value_or("");
  if (text.empty()) return 0;
  int64_t id = 0;
  if (!absl::SimpleAtoi(std::string(text), &id) || id <= 0) return std::nullopt;
  return id;
}

// ---- inbound

HttpResponse MailInboundListPage(app::AppContext& context, const HttpRequest& request,
                                 const WebCaller& web) {
  web::ConsoleInboundListView view;
  view.status = std::string(request.Query("status").value_or("quarantined"));
  ports::InboundMailFilter filter;
  if (view.status != "all") {
    filter.status = ports::InboundMailStatusFromName(view.status);
    if (!filter.status) return ConsoleNotFound();
  }
  const std::optional<int64_t> cursor = MailCursorOf(request);
  if (!cursor) return ConsoleNotFound();
  filter.before_id = *cursor;
  filter.limit = context.limits.default_page_size;
  view.first_page = *cursor == 0;
  absl::Status loaded =
      app::ReadValue<bool>(context.store,
                           [&](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
                             absl::StatusOr<std::vector<ports::InboundMail>> rows =
                                 txn.ListInboundMail(filter);
                             if (!rows.ok()) return rows.status();
                             for (ports::InboundMail& row : *rows) {
                               absl::StatusOr<bool> visible =
                                   MailCaseVisible(txn, web.caller.viewer, row.case_number);
                               if (!visible.ok()) return visible.status();
                               if (*visible) view.rows.push_back(row);
                             }
                             // Keyset over the store's rows, hidden ones included, as the API
                             // pages.
                             if (static_cast<int>(rows->size()) >= filter.limit && !rows->empty()) {
                               view.next_cursor = absl::StrCat(rows->back().id);
                             }
                             return true;
                           })
          .status();
  if (!loaded.ok()) return MailAdminFailure(context, web, "Held and refused mail", loaded);
  return HtmlPage(200, web::RenderConsoleInboundListPage(
                           MailAdminFrame(context, web, "Held and refused mail", ""), view));
}

// Fills the view's headers and text from the raw message.
void MailReadMessage(app::AppContext& context, const ports::MailParser& parser,
                     web::ConsoleInboundMessageView& view) {
  absl::StatusOr<std::string> raw = context.blobs.Get(view.row.raw_digest);
  if (!raw.ok()) {
    view.parse_error = "its raw bytes are missing";
    return;
  }
  absl::StatusOr<core::ParsedMail> mail = parser.Parse(*raw, core::MailLimits{});
  if (!mail.ok()) {
    view.parse_error = std::string(mail.status().message());
    return;
  }
  for (std::string_view wanted : kMailShownHeaders) {
    for (const auto& [name, value] : mail->headers) {
      if (absl::AsciiStrToLower(name) != wanted) continue;
      view.headers.emplace_back(name, value.substr(0, kMailShownHeaderBytes));
    }
  }
  view.had_html = mail->html.has_value();
  view.text_cut = MailShownPrefix(mail->text) < mail->text.size();
  view.text = mail->text.substr(0, MailShownPrefix(mail->text));
}

HttpResponse MailInboundMessagePage(app::AppContext& context, const ports::MailParser& parser,
                                    const WebCaller& web, int64_t id, int status,
                                    std::string notice, const MailQueueFields* posted,
                                    std::string error) {
  absl::StatusOr<ports::InboundMail> row = app::ReadValue<ports::InboundMail>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<ports::InboundMail> {
        absl::StatusOr<ports::InboundMail> found = txn.GetInboundMail(id);
        if (!found.ok()) return found.status();
        absl::StatusOr<bool> visible = MailCaseVisible(txn, web.caller.viewer, found->case_number);
        if (!visible.ok()) return visible.status();
        if (!*visible) return absl::NotFoundError("not found");
        return found;
      });
  if (absl::IsNotFound(row.status())) return ConsoleNotFound();
  const std::string title = absl::StrCat("Inbound message ", id);
  if (!row.ok()) return MailAdminFailure(context, web, title, row.status());
  web::ConsoleInboundMessageView view;
  view.row = *std::move(row);
  view.may_decide = view.row.status == ports::InboundMailStatus::kQuarantined;
  if (view.may_decide) {
    absl::StatusOr<std::vector<web::MailOrgChoice>> orgs =
        LoadMailOrgChoices(context, web.caller, 200, nullptr);
    if (!orgs.ok()) return MailAdminFailure(context, web, title, orgs.status());
    view.organisations = *std::move(orgs);
  }
  if (posted != nullptr) {
    view.form_org_id = FormValue(*posted, "org_id");
    view.form_reason = FormValue(*posted, "reason");
  }
  view.error = std::move(error);
  MailReadMessage(context, parser, view);
  return HtmlPage(status, web::RenderConsoleInboundMessagePage(
                              MailAdminFrame(context, web, title, std::move(notice)), view));
}

void PostMailDecision(app::AppContext& context, const ports::MailParser& parser,
                      const HttpRequest& request, const WebCaller& web, Respond respond,
                      bool accept) {
  const std::optional<int64_t> id = MailIdOf(request);
  if (!id) return respond(ConsoleNotFound());
  std::optional<MailQueueFields> fields = FormFields(request);
  if (!fields) return respond(ConsoleNotFound());
  absl::StatusOr<app::IngestResult> decided;
  if (accept) {
    std::optional<core::OrgId> org_id;
    const std::string org_text(absl::StripAsciiWhitespace(FormValue(*fields, "org_id")));
    if (!org_text.empty()) {
      int64_t value = 0;
      if (!absl::SimpleAtoi(org_text, &value) || value <= 0) {
        return respond(MailInboundMessagePage(context, parser, web, *id, 400, "", &*fields,
                                              "org_id: choose an organisation from the list"));
      }
      org_id = value;
    }
    decided = app::AcceptQuarantinedMail(context, parser, web.caller, *id, org_id);
  } else {
    decided = app::RejectQuarantinedMail(
        context, web.caller, *id,
        std::string(absl::StripAsciiWhitespace(FormValue(*fields, "reason"))));
  }
  if (!decided.ok()) {
    // An unknown (or hidden) message answers the 404 page from MailInboundMessagePage.
    return respond(MailInboundMessagePage(context, parser, web, *id,
                                          HttpStatusFor(decided.status()), "", &*fields,
                                          RefusalText(decided.status())));
  }
  respond(SeeOther(absl::StrCat("/console/admin/mail/inbound/", *id,
                                "?notice=", accept ? kMailAcceptedNotice : kMailRejectedNotice)));
}

// ---- outbox

HttpResponse MailOutboxPage(app::AppContext& context, const HttpRequest& request,
                            const WebCaller& web, int status, std::string notice,
                            std::string error) {
  web::ConsoleOutboxView view;
  const std::string_view state = request.Query("state").value_or("failed");
  if (state != "failed" && state != "pending") return ConsoleNotFound();
  view.failed = state == "failed";
  const std::optional<int64_t> cursor = MailCursorOf(request);
  if (!cursor) return ConsoleNotFound();
  view.first_page = *cursor == 0;
  view.may_retry = core::IsAdmin(web.caller.viewer);
  view.error = std::move(error);
  const int limit = context.limits.default_page_size;
  absl::Status loaded =
      app::ReadValue<bool>(context.store,
                           [&](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
                             absl::StatusOr<std::pair<int64_t, int64_t>> counts =
                                 txn.CountPendingAndFailedNotifications();
                             if (!counts.ok()) return counts.status();
                             view.pending_count = counts->first;
                             view.failed_count = counts->second;
                             absl::StatusOr<std::vector<ports::Notification>> rows =
                                 view.failed ? txn.ListFailedNotifications(*cursor, limit)
                                             : txn.ListPendingNotifications(*cursor, limit);
                             if (!rows.ok()) return rows.status();
                             for (ports::Notification& row : *rows) {
                               absl::StatusOr<bool> visible =
                                   MailCaseVisible(txn, web.caller.viewer, row.case_number);
                               if (!visible.ok()) return visible.status();
                               // The body stays out of the page: account mail carries single-use
                               // links.
                               row.body.clear();
                               if (*visible) view.rows.push_back(std::move(row));
                             }
                             if (static_cast<int>(rows->size()) >= limit && !rows->empty()) {
                               view.next_cursor = absl::StrCat(rows->back().id);
                             }
                             return true;
                           })
          .status();
  if (!loaded.ok()) return MailAdminFailure(context, web, "Outbox", loaded);
  return HtmlPage(status, web::RenderConsoleOutboxPage(
                              MailAdminFrame(context, web, "Outbox", std::move(notice)), view));
}

}  // namespace

void RegisterConsoleMailQueueRoutes(Router& router, app::AppContext& context,
                                    const ports::MailParser& parser) {
  router.Add("GET", "/console/admin/mail/inbound",
             MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                               const WebCaller& web) {
               respond(MailInboundListPage(context, request, web));
             }));
  router.Add("GET", "/console/admin/mail/inbound/{id}",
             MailStaffPage(context, [&context, &parser](const HttpRequest& request, Respond respond,
                                                        const WebCaller& web) {
               const std::optional<int64_t> id = MailIdOf(request);
               if (!id) return respond(ConsoleNotFound());
               const std::string_view notice = request.Query("notice").value_or("");
               std::string text;
               if (notice == kMailAcceptedNotice) text = "Accepted: the message opened a case.";
               if (notice == kMailRejectedNotice) text = "Rejected.";
               respond(MailInboundMessagePage(context, parser, web, *id, 200, std::move(text),
                                              nullptr, ""));
             }));
  router.Add("POST", "/console/admin/mail/inbound/{id}/accept",
             MailStaffPage(context, [&context, &parser](const HttpRequest& request, Respond respond,
                                                        const WebCaller& web) {
               PostMailDecision(context, parser, request, web, std::move(respond), true);
             }));
  router.Add("POST", "/console/admin/mail/inbound/{id}/reject",
             MailStaffPage(context, [&context, &parser](const HttpRequest& request, Respond respond,
                                                        const WebCaller& web) {
               PostMailDecision(context, parser, request, web, std::move(respond), false);
             }));
  router.Add("GET", "/console/admin/mail/outbox",
             MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                               const WebCaller& web) {
               const bool retried = request.Query("notice").value_or("") == kMailRetriedNotice;
               respond(MailOutboxPage(context, request, web, 200,
                                      retried ? "Queued again for delivery." : "", ""));
             }));
  router.Add("POST", "/console/admin/mail/outbox/{id}/retry",
             MailStaffPage(context, [&context](const HttpRequest& request, Respond respond,
                                               const WebCaller& web) {
               const std::optional<int64_t> id = MailIdOf(request);
               if (!id) return respond(ConsoleNotFound());
               app::RetryNotification(
                   context, web.caller, *id,
                   [&context, request, web,
                    respond = std::move(respond)](absl::StatusOr<ports::Notification> outcome) {
                     const absl::Status& retried = outcome.status();
                     if (retried.ok()) {
                       return respond(SeeOther(absl::StrCat(
                           "/console/admin/mail/outbox?state=failed&notice=", kMailRetriedNotice)));
                     }
                     if (absl::IsNotFound(retried)) return respond(ConsoleNotFound());
                     respond(MailOutboxPage(context, request, web, HttpStatusFor(retried), "",
                                            RefusalText(retried)));
                   });
             }));
}

}  // namespace casedesk::adapters::http
