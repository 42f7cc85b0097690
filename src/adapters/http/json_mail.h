// JSON <-> values for the email channel's API (api_mail.cc): inbound messages and what became of
// them, the desk's and an organisation's mail settings (the documents of app/mail_settings.h),
// mail templates, and the outbox. Request bodies are read strictly: unknown fields, wrong types
// and malformed values are InvalidArgument naming the field. Times are RFC 3339 UTC; absent ids
// and times are null. Thread-safe: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "adapters/http/http_types.h"
#include "app/mail_ingest.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "core/ids.h"
#include "ports/mail_records.h"
#include "ports/sla_records.h"

namespace casedesk::adapters::http {

// {"id", "received_at", "channel", "envelope_from", "envelope_to", "message_id", "from",
//  "subject", "status", "case_number", "comment_id", "reason", "decided_at", "decided_by",
//  "raw_size"}
nlohmann::json InboundMailToJson(const ports::InboundMail& mail);

// {"id", "status", "case_number", "reason"}
nlohmann::json IngestResultToJson(const app::IngestResult& result);

// The query of GET /mail/inbound: status (a status name), before or cursor (an id: rows older
// than it; a page's next_cursor), limit (1..max_limit, default default_limit).
absl::StatusOr<ports::InboundMailFilter> InboundMailFilterFromQuery(const HttpRequest& request,
                                                                    int default_limit,
                                                                    int max_limit);

// The optional bodies of the quarantine decisions: {"org_id"?} and {"reason"?}; an empty body
// is an empty object.
absl::StatusOr<std::optional<core::OrgId>> ParseAcceptBody(const HttpRequest& request,
                                                           int64_t max_bytes);
absl::StatusOr<std::string> ParseRejectBody(const HttpRequest& request, int64_t max_bytes);

// The desk document exactly as app::MailDeskSettingsToJson shapes it; missing fields take their
// defaults.
absl::StatusOr<app::MailDeskSettings> ParseMailDeskSettingsBody(const HttpRequest& request,
                                                                int64_t max_bytes);

// The organisation document with "org_id" added; a body may carry "org_id" back (it must match
// the path).
nlohmann::json OrganisationMailSettingsBodyToJson(const app::OrganisationMailSettings& settings);
absl::StatusOr<app::OrganisationMailSettings> ParseOrganisationMailSettingsBody(
    const HttpRequest& request, int64_t max_bytes, core::OrgId org_id);

// {"kind", "subject", "body", "customised"}
nlohmann::json MailTemplateEntryToJson(const app::MailTemplateEntry& entry);
// {"subject", "body"} (both required); "kind" must match the path when given and "customised"
// (read-only) is ignored, so a template as GET returns it may be sent back.
absl::StatusOr<app::MailTemplate> ParseMailTemplateBody(const HttpRequest& request,
                                                        int64_t max_bytes, const std::string& kind);

// The query of GET /mail/outbox. Pending rows page oldest first (ids after the cursor), given-up
// rows newest first (ids before it).
enum class OutboxState { kPending, kFailed };

struct OutboxQuery {
  OutboxState state = OutboxState::kPending;
  int64_t cursor_id = 0;  // the last id of the previous page; 0: the first page
  int limit = 25;
};

// state ("pending", the default, or "failed"); cursor (a page's next_cursor) or, equally, after
// (pending) or before (failed): an id; limit (1..max_limit, default default_limit).
absl::StatusOr<OutboxQuery> OutboxQueryFromQuery(const HttpRequest& request, int default_limit,
                                                 int max_limit);

// "pending" or "failed".
std::string OutboxStateName(OutboxState state);

// An outbox entry for operators: {"id", "case_number", "kind", "recipient_id",
// "recipient_email", "subject", "message_id", "created_at", "sent_at", "attempts", "last_error",
// "next_attempt_at", "failed_at", "claimed_until"}. The body is left out on purpose: account
// mail carries password-reset and verification links that no one but the recipient may read.
nlohmann::json OutboxNotificationToJson(const ports::Notification& notification);

}  // namespace casedesk::adapters::http
