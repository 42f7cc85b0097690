#include "adapters/http/json_mail.h"

#include <charconv>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "adapters/http/api_support.h"

namespace casedesk::adapters::http {
namespace {

using nlohmann::json;

json MailTimeOrNull(const std::optional<absl::Time>& time) {
  return time ? json(http::FormatTime(*time)) : json(nullptr);
}

json IdOrNull(int64_t id) { return id != 0 ? json(id) : json(nullptr); }

json MailTextOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

// A positive integer query parameter, if present.
absl::StatusOr<std::optional<int64_t>> PositiveQueryInteger(const HttpRequest& request,
                                                            std::string_view name) {
  const std::optional<std::string_view> text = request.Query(name);
  if (!text) return std::nullopt;
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("query parameter '", std::string(name), "' must be a positive integer"));
  }
  return value;
}

// The bodies of the quarantine decisions are optional: no body is an empty object.
absl::StatusOr<json> OptionalJsonObject(const HttpRequest& request, int64_t max_bytes,
                                        std::initializer_list<std::string_view> allowed) {
  if (request.body.empty()) return json::object();
  return ParseJsonObject(request, max_bytes, allowed);
}

}  // namespace

json InboundMailToJson(const ports::InboundMail& mail) {
  return {{"id", mail.id},
          {"received_at", http::FormatTime(mail.received_at)},
          {"channel", mail.channel},
          {"envelope_from", mail.envelope_from},
          {"envelope_to", mail.envelope_to},
          {"message_id", MailTextOrNull(mail.message_id)},
          {"from", MailTextOrNull(mail.from_address)},
          {"subject", mail.subject},
          {"status", std::string(ports::InboundMailStatusName(mail.status))},
          {"case_number", IdOrNull(mail.case_number)},
          {"comment_id", IdOrNull(mail.comment_id)},
          {"reason", mail.reason},
          {"decided_at", MailTimeOrNull(mail.decided_at)},
          {"decided_by", IdOrNull(mail.decided_by)},
          {"raw_size", mail.raw_size}};
}

json IngestResultToJson(const app::IngestResult& result) {
  return {{"id", result.inbound_id},
          {"status", std::string(ports::InboundMailStatusName(result.status))},
          {"case_number", IdOrNull(result.case_number)},
          {"reason", result.reason}};
}

absl::StatusOr<ports::InboundMailFilter> InboundMailFilterFromQuery(const HttpRequest& request,
                                                                    int default_limit,
                                                                    int max_limit) {
  ports::InboundMailFilter filter;
  if (const std::optional<std::string_view> status = request.Query("status")) {
    filter.status = ports::InboundMailStatusFromName(*status);
    if (!filter.status) {
      return absl::InvalidArgumentError(
          "query parameter 'status' must be one of case_opened, reply_added, escalated, "
          "quarantined, rejected, automatic, bounce, duplicate, failed");
    }
  }
  // The cursor is the id of the last row seen; "cursor" is the API's usual name for it.
  absl::StatusOr<std::optional<int64_t>> before = PositiveQueryInteger(request, "before");
  if (!before.ok()) return before.status();
  absl::StatusOr<std::optional<int64_t>> cursor = PositiveQueryInteger(request, "cursor");
  if (!cursor.ok()) return cursor.status();
  if (*before && *cursor) {
    return absl::InvalidArgumentError("give either query parameter 'before' or 'cursor'");
  }
  filter.before_id = before->value_or(cursor->value_or(0));
  absl::StatusOr<ports::PageRequest> page = PageFromQuery(request, default_limit, max_limit);
  if (!page.ok()) return page.status();
  filter.limit = page->limit;
  return filter;
}

absl::StatusOr<std::optional<core::OrgId>> ParseAcceptBody(const HttpRequest& request,
                                                           int64_t max_bytes) {
  absl::StatusOr<json> body = OptionalJsonObject(request, max_bytes, {"org_id"});
  if (!body.ok()) return body.status();
  absl::StatusOr<std::optional<int64_t>> org_id = OptionalInteger(*body, "org_id");
  if (!org_id.ok()) return org_id.status();
  if (*org_id && **org_id <= 0) {
    return absl::InvalidArgumentError("field 'org_id' must be a positive integer");
  }
  return *org_id;
}

absl::StatusOr<std::string> ParseRejectBody(const HttpRequest& request, int64_t max_bytes) {
  absl::StatusOr<json> body = OptionalJsonObject(request, max_bytes, {"reason"});
  if (!body.ok()) return body.status();
  absl::StatusOr<std::optional<std::string>> reason = OptionalString(*body, "reason");
  if (!reason.ok()) return reason.status();
  return reason->value_or("");
}

absl::StatusOr<app::MailDeskSettings> ParseMailDeskSettingsBody(const HttpRequest& request,
                                                                int64_t max_bytes) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes,
      {"from_address", "from_name", "case_tag_prefix", "reply_local_part", "reply_domain",
       "unknown_senders", "notice_interval_minutes", "default_severity", "routes"});
  if (!body.ok()) return body.status();
  return app::MailDeskSettingsFromJson(*body);
}

json OrganisationMailSettingsBodyToJson(const app::OrganisationMailSettings& settings) {
  json out = app::OrganisationMailSettingsToJson(settings);
  out["org_id"] = settings.org_id;
  return out;
}

absl::StatusOr<app::OrganisationMailSettings> ParseOrganisationMailSettingsBody(
    const HttpRequest& request, int64_t max_bytes, core::OrgId org_id) {
  absl::StatusOr<json> body = ParseJsonObject(
      request, max_bytes,
      {"org_id", "support_aliases", "domains", "sender_address", "sender_name", "signature"});
  if (!body.ok()) return body.status();
  absl::StatusOr<std::optional<int64_t>> named = OptionalInteger(*body, "org_id");
  if (!named.ok()) return named.status();
  if (*named && **named != org_id) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'org_id' is ", **named, " but the path names organisation ", org_id));
  }
  body->erase("org_id");
  absl::StatusOr<app::OrganisationMailSettings> settings =
      app::OrganisationMailSettingsFromJson(*body);
  if (!settings.ok()) return settings.status();
  settings->org_id = org_id;
  return settings;
}

json MailTemplateEntryToJson(const app::MailTemplateEntry& entry) {
  return {{"kind", entry.kind},
          {"subject", entry.content.subject},
          {"body", entry.content.body},
          {"customised", entry.customised}};
}

absl::StatusOr<app::MailTemplate> ParseMailTemplateBody(const HttpRequest& request,
                                                        int64_t max_bytes,
                                                        const std::string& kind) {
  absl::StatusOr<json> body =
      ParseJsonObject(request, max_bytes, {"kind", "customised", "subject", "body"});
  if (!body.ok()) return body.status();
  absl::StatusOr<std::optional<std::string>> named = OptionalString(*body, "kind");
  if (!named.ok()) return named.status();
  if (*named && **named != kind) {
    return absl::InvalidArgumentError(
        absl::StrCat("field 'kind' is '", **named, "' but the path names template '", kind, "'"));
  }
  if (absl::StatusOr<std::optional<bool>> customised = OptionalBool(*body, "customised");
      !customised.ok()) {
    return absl::InvalidArgumentError("field 'customised' must be true or false (it is read-only)");
  }
  app::MailTemplate content;
  for (auto [field, target] :
       {std::pair{"subject", &content.subject}, std::pair{"body", &content.body}}) {
    absl::StatusOr<std::string> text = RequiredString(*body, field);
    if (!text.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("mail template '", kind, "': ", std::string(text.status().message())));
    }
    *target = *std::move(text);
  }
  return content;
}

absl::StatusOr<OutboxQuery> OutboxQueryFromQuery(const HttpRequest& request, int default_limit,
                                                 int max_limit) {
  OutboxQuery query;
  if (const std::optional<std::string_view> state = request.Query("state")) {
    if (*state == "failed") {
      query.state = OutboxState::kFailed;
    } else if (*state != "pending") {
      return absl::InvalidArgumentError("query parameter 'state' must be pending or failed");
    }
  }
  // The keyset parameter that fits the state's order; the other one is a mistake, not a filter.
  const bool pending = query.state == OutboxState::kPending;
  const std::string_view keyset = pending ? "after" : "before";
  const std::string_view other = pending ? "before" : "after";
  if (request.Query(other)) {
    return absl::InvalidArgumentError(absl::StrCat("query parameter '", std::string(other),
                                                   "' does not apply to state ",
                                                   OutboxStateName(query.state)));
  }
  absl::StatusOr<std::optional<int64_t>> from = PositiveQueryInteger(request, keyset);
  if (!from.ok()) return from.status();
  absl::StatusOr<std::optional<int64_t>> cursor = PositiveQueryInteger(request, "cursor");
  if (!cursor.ok()) return cursor.status();
  if (*from && *cursor) {
    return absl::InvalidArgumentError(
        absl::StrCat("give either query parameter '", std::string(keyset), "' or 'cursor'"));
  }
  query.cursor_id = from->value_or(cursor->value_or(0));
  absl::StatusOr<ports::PageRequest> page = PageFromQuery(request, default_limit, max_limit);
  if (!page.ok()) return page.status();
  query.limit = page->limit;
  return query;
}

std::string OutboxStateName(OutboxState state) {
  return state == OutboxState::kFailed ? "failed" : "pending";
}

json OutboxNotificationToJson(const ports::Notification& notification) {
  return {{"id", notification.id},
          {"case_number", IdOrNull(notification.case_number)},
          {"kind", notification.kind},
          {"recipient_id", IdOrNull(notification.recipient_id)},
          {"recipient_email", notification.recipient_email},
          {"subject", notification.subject},
          {"message_id", MailTextOrNull(notification.message_id)},
          {"created_at", http::FormatTime(notification.created_at)},
          {"sent_at", MailTimeOrNull(notification.sent_at)},
          {"attempts", notification.attempts},
          {"last_error", MailTextOrNull(notification.last_error)},
          {"next_attempt_at", MailTimeOrNull(notification.next_attempt_at)},
          {"failed_at", MailTimeOrNull(notification.failed_at)},
          {"claimed_until", MailTimeOrNull(notification.claimed_until)}};
}

}  // namespace casedesk::adapters::http
