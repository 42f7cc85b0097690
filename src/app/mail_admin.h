// The email channel's administrative writes, shared by the JSON API (adapters/http/api_mail.cc)
// and the staff console's mail pages, so that both apply the same permission rule and leave the
// same audit trail: the desk's and an organisation's mail settings, a mail template saved or
// reset to the shipped text, and a given-up notification queued again.
//
// Each write runs as one unit of work and calls `done` only after the durable commit (or with
// the refusal, synchronously, or the store's error):
//   - a settings document or template: the app function that stores it, then one audit event
//     {entity "setting", entity_id the setting key, one change "document" with the stored text
//     before and after}, written only when the text changed;
//   - a retry: {entity "notification", entity_id the id, kind "notification.requeued", changes
//     failed_at and next_attempt_at}; the delivery worker is woken after the commit.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/mail_settings.h"
#include "app/mail_templates.h"
#include "app/store_calls.h"
#include "core/ids.h"
#include "ports/store.h"

namespace casedesk::app {

// What each write is refused as ("only an admin may <action>").
inline constexpr std::string_view kMailActionSubmitInbound = "submit inbound mail";
inline constexpr std::string_view kMailActionChangeSettings = "change the mail settings";
inline constexpr std::string_view kMailActionChangeOrganisationSettings =
    "change an organisation's mail settings";
inline constexpr std::string_view kMailActionChangeTemplates = "change mail templates";
inline constexpr std::string_view kMailActionRetryNotifications = "retry notifications";

// OK for a provider admin; NotFound "not found" for anyone who is not provider staff (they are
// told nothing exists); PermissionDenied "only an admin may <action>" for other staff.
absl::Status CheckMailAdmin(const Caller& caller, std::string_view action);

// The template in force for `kind` and whether it is the operator's (errors as
// LoadMailTemplate's).
absl::StatusOr<MailTemplateEntry> LoadMailTemplateEntry(ports::StoreTransaction& txn,
                                                        std::string_view kind);

// Organisation `org_id`'s mail settings; NotFound "organisation <id> not found" when there is
// no such organisation.
absl::StatusOr<OrganisationMailSettings> LoadKnownOrganisationMailSettings(
    ports::StoreTransaction& txn, core::OrgId org_id);

// Stores the desk's settings; answers them. Event kind "mail_settings.updated".
void UpdateMailDeskSettings(AppContext& context, const Caller& caller, MailDeskSettings settings,
                            Done<MailDeskSettings> done);

// Stores settings.org_id's settings; answers them. NotFound for an unknown organisation.
// Event kind "organisation_mail_settings.updated".
void UpdateOrganisationMailSettings(AppContext& context, const Caller& caller,
                                    OrganisationMailSettings settings,
                                    Done<OrganisationMailSettings> done);

// Validates (InvalidArgument naming the kind and part, before any write) and stores the
// operator's template for `kind`; answers the entry now in force. Event kind
// "mail_template.updated".
void UpdateMailTemplate(AppContext& context, const Caller& caller, std::string kind,
                        MailTemplate content, Done<MailTemplateEntry> done);

// Drops the operator's template for `kind` so the shipped one applies again; answers it.
// InvalidArgument for an unknown kind. Event kind "mail_template.reset" (none when there was
// nothing to reset).
void RestoreDefaultMailTemplate(AppContext& context, const Caller& caller, std::string kind,
                                Done<MailTemplateEntry> done);

// Queues given-up notification `id` again, due now; attempts and the last error stay as they
// were. Answers the row as it is after the change. NotFound "notification <id> not found" for an
// unknown id or one about a case the caller may not see; FailedPrecondition when it was not
// given up (sent, or still waiting).
void RetryNotification(AppContext& context, const Caller& caller, int64_t id,
                       Done<ports::Notification> done);

}  // namespace casedesk::app
