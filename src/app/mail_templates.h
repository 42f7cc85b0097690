// The texts of the desk's outgoing mail: one template (subject and plain-text body, Mustache) per
// kind of message, with shipped defaults an operator may override through the settings
// "mail/template/<kind>" ({"subject": "...", "body": "..."}), validated on save.
//
// Escaping: bodies are text/plain, so values are inserted as they are (no HTML entities); the
// rendered subject has every control character replaced by a space (it becomes a header). An
// HTML alternative is made by escaping the rendered text (TextToHtml), never from a template.
//
// Values each kind's default uses (every kind also gets what the outbox adds: recipient_name,
// desk_name, case_number and case_subject when the mail is about a case):
//   case.opened              severity, requester_name
//   case.reply               author_name, comment
//   case.status              status, previous_status, comment (optional)
//   case.severity            severity, previous_severity
//   sla.warning/sla.breached clock, due_at, severity
//   case.escalated           policy, level, trigger, clock (optional), severity
//   mail.unknown_sender      sender_address, original_subject
//   mail.quarantined         original_subject
//   account.verify           link, expires_hours
//   account.password_reset   link, expires_hours
//   status.notice            event_kind, incident_name, status, body, components, window
//                            (maintenance), incident_url, page_url, unsubscribe_url
//   status.confirm           link, page_url
//   hours.threshold          organisation, kind, threshold, period, used_hours,
//                            available_hours, remaining_hours, over, hours_url
//   service_task.estimate    hours, completion_date, estimate_count, case_url
//   service_task.decision    decision (approved|declined), approved, customer_name, reason,
//                            case_url
//   remote_access.requested  method, purpose, window_start, window_end, requested_by,
//                            request_id, portal_url
//   remote_access.decision   decision (granted|refused|revoked), decided_by, reason,
//                            credentials_given, method, purpose, window_start, window_end,
//                            request_id, console_url
// Thread-safe: stateless functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr std::string_view kMailTemplateSettingPrefix = "mail/template/";

// The kinds (also the notifications' kinds).
inline constexpr std::string_view kMailCaseOpened = "case.opened";
inline constexpr std::string_view kMailCaseReply = "case.reply";
inline constexpr std::string_view kMailCaseStatus = "case.status";
inline constexpr std::string_view kMailCaseSeverity = "case.severity";
inline constexpr std::string_view kMailSlaWarning = "sla.warning";
inline constexpr std::string_view kMailSlaBreached = "sla.breached";
// The escalation notice keeps the kind escalation notifications always had.
inline constexpr std::string_view kMailEscalation = "case.escalated";
inline constexpr std::string_view kMailUnknownSender = "mail.unknown_sender";
inline constexpr std::string_view kMailQuarantined = "mail.quarantined";
inline constexpr std::string_view kMailAccountVerify = "account.verify";
inline constexpr std::string_view kMailPasswordReset = "account.password_reset";
inline constexpr std::string_view kMailStatusNotice = "status.notice";
inline constexpr std::string_view kMailStatusConfirm = "status.confirm";
// Contract hours (issue 7): a package reached one of its thresholds.
inline constexpr std::string_view kMailHoursThreshold = "hours.threshold";
// Service tasks (issue 7): the estimate to the requester; the customer's decision to the
// assignee.
inline constexpr std::string_view kMailServiceTaskEstimate = "service_task.estimate";
inline constexpr std::string_view kMailServiceTaskDecision = "service_task.decision";
// Remote access (issue 7): the request to the customer side; the decision to the assignee.
inline constexpr std::string_view kMailRemoteAccessRequested = "remote_access.requested";
inline constexpr std::string_view kMailRemoteAccessDecision = "remote_access.decision";

struct MailTemplate {
  std::string subject;
  std::string body;
};

struct MailTemplateEntry {
  std::string kind;
  MailTemplate content;
  bool customised = false;  // the operator's, not the shipped default
};

struct RenderedMail {
  std::string subject;  // one line, no control characters
  std::string body;     // plain text
};

// Every kind, in a fixed order.
const std::vector<std::string_view>& MailTemplateKinds();

// The shipped text; NotFound for an unknown kind.
absl::StatusOr<MailTemplate> DefaultMailTemplate(std::string_view kind);

// InvalidArgument naming the kind (and the part) for an unknown kind, an empty subject or body,
// or a Mustache syntax error.
absl::Status ValidateMailTemplate(std::string_view kind, const MailTemplate& content);

// The operator's template for `kind`, else the default.
absl::StatusOr<MailTemplate> LoadMailTemplate(ports::StoreTransaction& txn, std::string_view kind);
// Validates and stores the operator's template.
absl::Status SaveMailTemplate(ports::StoreTransaction& txn, std::string_view kind,
                              const MailTemplate& content);
// Drops the operator's template so the default applies again (OK when there was none).
absl::Status ResetMailTemplate(ports::StoreTransaction& txn, std::string_view kind);
// Every kind with the template in force.
absl::StatusOr<std::vector<MailTemplateEntry>> ListMailTemplates(ports::StoreTransaction& txn);

// Renders with `values` (a JSON object; strings, numbers, booleans, lists and objects; empty
// strings and null count as false in sections). InvalidArgument for a template that does not
// parse (naming `kind`).
absl::StatusOr<RenderedMail> RenderMailTemplate(std::string_view kind, const MailTemplate& content,
                                                const nlohmann::json& values);

// An HTML rendering of plain text: everything escaped, line breaks kept.
std::string TextToHtml(std::string_view text);

}  // namespace casedesk::app
