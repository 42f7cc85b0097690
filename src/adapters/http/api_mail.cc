// The email channel's REST handlers, for the provider's staff: submitting a raw message
// (POST /mail/inbound, the HTTP way in beside the pipe, IMAP and LMTP), the inbound log with
// its raw messages, quarantine decisions, the desk's and organisations' mail settings, the mail
// templates, and the outbox (notifications waiting or given up; an admin queues a given-up one
// again).
//
// Access: provider staff read and decide about quarantined mail; only admins submit messages,
// change settings and templates, and retry notifications (403 for other staff). Customers and
// partners are told nothing exists (404), like any resource they cannot see. Mail linked to a
// case the caller may not see (a security incident without clearance) is hidden the same way.
//
// Settings and template writes and retries are app/mail_admin.h's units of work (shared with the
// console's mail pages), with their audit events, and answer from the durable-commit callback.
// Ingest and quarantine decisions block the calling thread until their unit of work is durable (the
// app's use cases are synchronous). Thread-safe: handlers share only the thread-safe context and
// the thread-safe parser.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "adapters/http/api_handlers.h"
#include "adapters/http/api_routes.h"
#include "adapters/http/api_support.h"
#include "adapters/http/json_mail.h"
#include "adapters/http/problem.h"
#include "app/mail_admin.h"
#include "app/mail_ingest.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/mail_message.h"
#include "core/user.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

// Longest envelope address accepted in the query (RFC 5321: 256 octets for a path).
constexpr size_t kMaxEnvelopeAddress = 320;

std::string PathParam(const HttpRequest& request, const std::string& name) {
  const auto it = request.path_params.find(name);
  return it == request.path_params.end() ? std::string() : it->second;
}

// Refused before the request is read, so a non-admin learns nothing about the body or path.
HttpHandler AdminOnly(app::AppContext& context, std::string_view action, CallerHandler handler) {
  return Authenticated(
      context, [action = std::string(action), handler = std::move(handler)](
                   const HttpRequest& request, Respond respond, const app::Caller& caller) {
        if (absl::Status allowed = app::CheckMailAdmin(caller, action); !allowed.ok()) {
          return respond(ProblemResponse(allowed));
        }
        handler(request, std::move(respond), caller);
      });
}

// Whether mail about case `number` may be shown to `viewer` (provider staff see every case but
// the security incidents they are not cleared for). Answers are remembered per request.
class CaseMailVisibility {
 public:
  CaseMailVisibility(ports::StoreTransaction& txn, const core::Viewer& viewer)
      : txn_(txn), viewer_(viewer) {}

  absl::StatusOr<bool> MayRead(core::CaseNumber number) {
    if (number == 0) return true;
    if (const auto known = seen_.find(number); known != seen_.end()) return known->second;
    absl::StatusOr<core::Case> found = txn_.GetCase(number);
    if (!found.ok() && !absl::IsNotFound(found.status())) return found.status();
    // A row always names a case that exists; should it not, the row itself is still shown.
    const bool visible = !found.ok() || core::CanSeeCase(viewer_, *found);
    seen_.emplace(number, visible);
    return visible;
  }

 private:
  ports::StoreTransaction& txn_;
  const core::Viewer& viewer_;
  std::map<core::CaseNumber, bool> seen_;
};

absl::Status NoInboundMail(int64_t id) {
  return absl::NotFoundError(absl::StrCat("inbound mail ", id, " not found"));
}

absl::StatusOr<ports::InboundMail> ReadInboundMail(app::AppContext& context,
                                                   const core::Viewer& viewer, int64_t id) {
  return app::ReadValue<ports::InboundMail>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<ports::InboundMail> {
        absl::StatusOr<ports::InboundMail> row = txn.GetInboundMail(id);
        if (absl::IsNotFound(row.status())) return NoInboundMail(id);
        if (!row.ok()) return row.status();
        absl::StatusOr<bool> visible = CaseMailVisibility(txn, viewer).MayRead(row->case_number);
        if (!visible.ok()) return visible.status();
        if (!*visible) return NoInboundMail(id);
        return row;
      });
}

// ---- inbound mail

// A raw message is sent as message/rfc822; octet-stream is accepted for clients that cannot
// choose (the bytes are the same).
bool IsMessageMediaType(std::string_view content_type) {
  const std::string lowered =
      absl::AsciiStrToLower(absl::string_view(content_type.data(), content_type.size()));
  return lowered.rfind("message/rfc822", 0) == 0 ||
         lowered.rfind("application/octet-stream", 0) == 0;
}

// The optional envelope addresses of POST /mail/inbound: one line of printable text.
absl::StatusOr<std::string> EnvelopeAddress(const HttpRequest& request, std::string_view name) {
  const std::optional<std::string_view> value = request.Query(name);
  if (!value) return std::string();
  const bool printable = std::all_of(value->begin(), value->end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte > ' ' && byte != 0x7f;
  });
  if (!printable || value->size() > kMaxEnvelopeAddress) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter '", std::string(name),
                     "' must be one address without spaces or control characters"));
  }
  return std::string(*value);
}

void RegisterInboundRoutes(Router& router, app::AppContext& context,
                           const ports::MailParser& parser) {
  router.Add(
      "POST", "/api/v1/mail/inbound",
      AdminOnly(
          context, app::kMailActionSubmitInbound,
          [&context, &parser](const HttpRequest& request, Respond respond, const app::Caller&) {
            if (const auto type = request.Header("content-type");
                type && !IsMessageMediaType(*type)) {
              return respond(ProblemResponse(415, "Content-Type must be message/rfc822"));
            }
            if (request.body.empty()) {
              return respond(ProblemResponse(
                  400, "the request body must be one RFC 5322 message; it is empty"));
            }
            const int64_t max_bytes = core::MailLimits{}.max_message_bytes;
            if (static_cast<int64_t>(request.body.size()) > max_bytes) {
              return respond(ProblemResponse(absl::ResourceExhaustedError(
                  absl::StrCat("the message is larger than ", max_bytes, " bytes"))));
            }
            app::MailEnvelope envelope;
            envelope.channel = "api";
            for (auto [name, target] :
                 {std::pair{"from", &envelope.mail_from}, std::pair{"to", &envelope.rcpt_to}}) {
              absl::StatusOr<std::string> address = EnvelopeAddress(request, name);
              if (!address.ok()) return respond(ProblemResponse(address.status()));
              *target = *std::move(address);
            }
            absl::StatusOr<app::IngestResult> result =
                app::IngestMail(context, parser, request.body, envelope);
            if (!result.ok()) {
              HttpResponse problem = ProblemResponse(result.status());
              // Nothing was recorded: the client must send the message again.
              if (problem.status == 503) problem.headers.emplace_back("Retry-After", "30");
              return respond(std::move(problem));
            }
            HttpResponse response = JsonResponse(201, IngestResultToJson(*result));
            response.headers.emplace_back(
                "Location", absl::StrCat("/api/v1/mail/inbound/", result->inbound_id));
            respond(std::move(response));
          }));

  router.Add("GET", "/api/v1/mail/inbound",
             StaffOnly(context, [&context](const HttpRequest& request, Respond respond,
                                           const app::Caller& caller) {
               absl::StatusOr<ports::InboundMailFilter> filter = InboundMailFilterFromQuery(
                   request, context.limits.default_page_size, context.limits.max_page_size);
               if (!filter.ok()) return respond(ProblemResponse(filter.status()));
               absl::StatusOr<json> page = app::ReadValue<json>(
                   context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<json> {
                     absl::StatusOr<std::vector<ports::InboundMail>> rows =
                         txn.ListInboundMail(*filter);
                     if (!rows.ok()) return rows.status();
                     CaseMailVisibility visibility(txn, caller.viewer);
                     json items = json::array();
                     for (const ports::InboundMail& row : *rows) {
                       absl::StatusOr<bool> visible = visibility.MayRead(row.case_number);
                       if (!visible.ok()) return visible.status();
                       if (*visible) items.push_back(InboundMailToJson(row));
                     }
                     // Keyset paging over the store's rows, hidden ones included, so that a page
                     // thinned by visibility still leads on to the older rows.
                     json next = nullptr;
                     if (static_cast<int>(rows->size()) >= filter->limit && !rows->empty()) {
                       next = absl::StrCat(rows->back().id);
                     }
                     return json{{"items", std::move(items)}, {"next_cursor", std::move(next)}};
                   });
               Answer(respond, page, [](const json& body) { return body; });
             }));

  router.Add("GET", "/api/v1/mail/inbound/{id}",
             StaffOnly(context, [&context](const HttpRequest& request, Respond respond,
                                           const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               Answer(respond, ReadInboundMail(context, caller.viewer, *id), InboundMailToJson);
             }));

  router.Add(
      "GET", "/api/v1/mail/inbound/{id}/raw",
      StaffOnly(context, [&context](const HttpRequest& request, Respond respond,
                                    const app::Caller& caller) {
        absl::StatusOr<int64_t> id = IdFromPath(request, "id");
        if (!id.ok()) return respond(ProblemResponse(id.status()));
        absl::StatusOr<ports::InboundMail> row = ReadInboundMail(context, caller.viewer, *id);
        if (!row.ok()) return respond(ProblemResponse(row.status()));
        absl::StatusOr<std::string> raw = context.blobs.Get(row->raw_digest);
        if (!raw.ok()) {
          // The bytes are stored before the row: a missing blob is damage, not a bad request.
          return respond(ProblemResponse(absl::DataLossError(
              absl::StrCat("the raw bytes of inbound mail ", *id, " are missing"))));
        }
        HttpResponse response;
        response.status = 200;
        response.content_type = "message/rfc822";
        response.body = *std::move(raw);
        response.headers.emplace_back(
            "Content-Disposition", absl::StrCat("attachment; filename=\"inbound-", *id, ".eml\""));
        response.headers.emplace_back("X-Content-Type-Options", "nosniff");
        response.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
        response.headers.emplace_back("Cache-Control", "private, no-store");
        respond(std::move(response));
      }));

  router.Add("POST", "/api/v1/mail/inbound/{id}/accept",
             StaffOnly(context, [&context, &parser](const HttpRequest& request, Respond respond,
                                                    const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<std::optional<core::OrgId>> org_id =
                   ParseAcceptBody(request, JsonBodyLimit(context));
               if (!org_id.ok()) return respond(ProblemResponse(org_id.status()));
               absl::StatusOr<app::IngestResult> accepted =
                   app::AcceptQuarantinedMail(context, parser, caller, *id, *org_id);
               if (!accepted.ok()) return respond(ProblemResponse(accepted.status()));
               Answer(respond, ReadInboundMail(context, caller.viewer, accepted->inbound_id),
                      InboundMailToJson);
             }));

  router.Add("POST", "/api/v1/mail/inbound/{id}/reject",
             StaffOnly(context, [&context](const HttpRequest& request, Respond respond,
                                           const app::Caller& caller) {
               absl::StatusOr<int64_t> id = IdFromPath(request, "id");
               if (!id.ok()) return respond(ProblemResponse(id.status()));
               absl::StatusOr<std::string> reason =
                   ParseRejectBody(request, JsonBodyLimit(context));
               if (!reason.ok()) return respond(ProblemResponse(reason.status()));
               absl::StatusOr<app::IngestResult> rejected =
                   app::RejectQuarantinedMail(context, caller, *id, *std::move(reason));
               if (!rejected.ok()) return respond(ProblemResponse(rejected.status()));
               Answer(respond, ReadInboundMail(context, caller.viewer, rejected->inbound_id),
                      InboundMailToJson);
             }));
}

// ---- settings

void RegisterSettingsRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "GET", "/api/v1/mail/settings",
      StaffOnly(context, [&context](const HttpRequest&, Respond respond, const app::Caller&) {
        Answer(respond,
               app::ReadValue<app::MailDeskSettings>(
                   context.store,
                   [](ports::StoreTransaction& txn) { return app::LoadMailDeskSettings(txn); }),
               app::MailDeskSettingsToJson);
      }));

  router.Add(
      "PUT", "/api/v1/mail/settings",
      AdminOnly(context, app::kMailActionChangeSettings,
                [&context](const HttpRequest& request, Respond respond, const app::Caller& caller) {
                  absl::StatusOr<app::MailDeskSettings> settings =
                      ParseMailDeskSettingsBody(request, JsonBodyLimit(context));
                  if (!settings.ok()) return respond(ProblemResponse(settings.status()));
                  app::UpdateMailDeskSettings(
                      context, caller, *std::move(settings),
                      AnswerWith<app::MailDeskSettings>(std::move(respond), 200,
                                                        app::MailDeskSettingsToJson));
                }));

  router.Add("GET", "/api/v1/orgs/{id}/mail-settings",
             StaffOnly(context,
                       [&context](const HttpRequest& request, Respond respond, const app::Caller&) {
                         absl::StatusOr<int64_t> id = IdFromPath(request, "id");
                         if (!id.ok()) return respond(ProblemResponse(id.status()));
                         Answer(respond,
                                app::ReadValue<app::OrganisationMailSettings>(
                                    context.store,
                                    [id = *id](ports::StoreTransaction& txn) {
                                      return app::LoadKnownOrganisationMailSettings(txn, id);
                                    }),
                                OrganisationMailSettingsBodyToJson);
                       }));

  router.Add(
      "PUT", "/api/v1/orgs/{id}/mail-settings",
      AdminOnly(context, app::kMailActionChangeOrganisationSettings,
                [&context](const HttpRequest& request, Respond respond, const app::Caller& caller) {
                  absl::StatusOr<int64_t> id = IdFromPath(request, "id");
                  if (!id.ok()) return respond(ProblemResponse(id.status()));
                  absl::StatusOr<app::OrganisationMailSettings> settings =
                      ParseOrganisationMailSettingsBody(request, JsonBodyLimit(context), *id);
                  if (!settings.ok()) return respond(ProblemResponse(settings.status()));
                  app::UpdateOrganisationMailSettings(
                      context, caller, *std::move(settings),
                      AnswerWith<app::OrganisationMailSettings>(
                          std::move(respond), 200, OrganisationMailSettingsBodyToJson));
                }));
}

// ---- templates

// The kind named by the path, or NotFound.
absl::StatusOr<std::string> KnownKind(const HttpRequest& request) {
  std::string kind = PathParam(request, "kind");
  if (!app::DefaultMailTemplate(kind).ok()) {
    return absl::NotFoundError(absl::StrCat("no mail template kind '", kind, "'"));
  }
  return kind;
}

void RegisterTemplateRoutes(Router& router, app::AppContext& context) {
  router.Add(
      "GET", "/api/v1/mail/templates",
      StaffOnly(context, [&context](const HttpRequest&, Respond respond, const app::Caller&) {
        Answer(respond,
               app::ReadValue<std::vector<app::MailTemplateEntry>>(
                   context.store,
                   [](ports::StoreTransaction& txn) { return app::ListMailTemplates(txn); }),
               [](const std::vector<app::MailTemplateEntry>& entries) {
                 json items = json::array();
                 for (const auto& entry : entries) {
                   items.push_back(MailTemplateEntryToJson(entry));
                 }
                 return json{{"items", std::move(items)}, {"next_cursor", nullptr}};
               });
      }));

  router.Add("GET", "/api/v1/mail/templates/{kind}",
             StaffOnly(context,
                       [&context](const HttpRequest& request, Respond respond, const app::Caller&) {
                         absl::StatusOr<std::string> kind = KnownKind(request);
                         if (!kind.ok()) return respond(ProblemResponse(kind.status()));
                         Answer(respond,
                                app::ReadValue<app::MailTemplateEntry>(
                                    context.store,
                                    [&](ports::StoreTransaction& txn) {
                                      return app::LoadMailTemplateEntry(txn, *kind);
                                    }),
                                MailTemplateEntryToJson);
                       }));

  router.Add(
      "PUT", "/api/v1/mail/templates/{kind}",
      AdminOnly(context, app::kMailActionChangeTemplates,
                [&context](const HttpRequest& request, Respond respond, const app::Caller& caller) {
                  absl::StatusOr<std::string> kind = KnownKind(request);
                  if (!kind.ok()) return respond(ProblemResponse(kind.status()));
                  absl::StatusOr<app::MailTemplate> content =
                      ParseMailTemplateBody(request, JsonBodyLimit(context), *kind);
                  if (!content.ok()) return respond(ProblemResponse(content.status()));
                  app::UpdateMailTemplate(context, caller, *std::move(kind), *std::move(content),
                                          AnswerWith<app::MailTemplateEntry>(
                                              std::move(respond), 200, MailTemplateEntryToJson));
                }));

  // Answers 200 with the shipped template that applies again.
  router.Add(
      "DELETE", "/api/v1/mail/templates/{kind}",
      AdminOnly(context, app::kMailActionChangeTemplates,
                [&context](const HttpRequest& request, Respond respond, const app::Caller& caller) {
                  absl::StatusOr<std::string> kind = KnownKind(request);
                  if (!kind.ok()) return respond(ProblemResponse(kind.status()));
                  app::RestoreDefaultMailTemplate(
                      context, caller, *std::move(kind),
                      AnswerWith<app::MailTemplateEntry>(std::move(respond), 200,
                                                         MailTemplateEntryToJson));
                }));
}

// ---- outbox

void RegisterOutboxRoutes(Router& router, app::AppContext& context) {
  // Pending rows page oldest first (the order they go out in), given-up rows newest first (the
  // latest trouble on top); the counts cover both states on every page.
  router.Add("GET", "/api/v1/mail/outbox",
             StaffOnly(context, [&context](const HttpRequest& request, Respond respond,
                                           const app::Caller& caller) {
               absl::StatusOr<OutboxQuery> query = OutboxQueryFromQuery(
                   request, context.limits.default_page_size, context.limits.max_page_size);
               if (!query.ok()) return respond(ProblemResponse(query.status()));
               absl::StatusOr<json> body = app::ReadValue<json>(
                   context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<json> {
                     absl::StatusOr<std::pair<int64_t, int64_t>> counts =
                         txn.CountPendingAndFailedNotifications();
                     if (!counts.ok()) return counts.status();
                     absl::StatusOr<std::vector<ports::Notification>> rows =
                         query->state == OutboxState::kFailed
                             ? txn.ListFailedNotifications(query->cursor_id, query->limit)
                             : txn.ListPendingNotifications(query->cursor_id, query->limit);
                     if (!rows.ok()) return rows.status();
                     CaseMailVisibility visibility(txn, caller.viewer);
                     json items = json::array();
                     for (const ports::Notification& notification : *rows) {
                       absl::StatusOr<bool> visible = visibility.MayRead(notification.case_number);
                       if (!visible.ok()) return visible.status();
                       if (*visible) items.push_back(OutboxNotificationToJson(notification));
                     }
                     // Keyset over the store's rows, hidden ones included, so that a page thinned
                     // by visibility still leads on.
                     json next = nullptr;
                     if (static_cast<int>(rows->size()) >= query->limit && !rows->empty()) {
                       next = absl::StrCat(rows->back().id);
                     }
                     return json{
                         {"state", OutboxStateName(query->state)},
                         {"counts", {{"pending", counts->first}, {"failed", counts->second}}},
                         {"items", std::move(items)},
                         {"next_cursor", std::move(next)}};
                   });
               Answer(respond, body, [](const json& value) { return value; });
             }));

  // Queues a given-up notification again, due at once; the delivery worker is woken after the
  // commit. Attempts and the last error stay as they were, for the record.
  router.Add(
      "POST", "/api/v1/mail/outbox/{id}/retry",
      AdminOnly(context, app::kMailActionRetryNotifications,
                [&context](const HttpRequest& request, Respond respond, const app::Caller& caller) {
                  absl::StatusOr<int64_t> id = IdFromPath(request, "id");
                  if (!id.ok()) return respond(ProblemResponse(id.status()));
                  app::RetryNotification(context, caller, *id,
                                         AnswerWith<ports::Notification>(std::move(respond), 200,
                                                                         OutboxNotificationToJson));
                }));
}

}  // namespace

void RegisterMailRoutes(Router& router, app::AppContext& context, const ports::MailParser& parser) {
  RegisterInboundRoutes(router, context, parser);
  RegisterSettingsRoutes(router, context);
  RegisterTemplateRoutes(router, context);
  RegisterOutboxRoutes(router, context);
}

}  // namespace casedesk::adapters::http
