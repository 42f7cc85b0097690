// Helpers shared by the case use cases (open, get, list, update, comments, attachments, events,
// search): loading a case the caller may see, sealing and unsealing secret fields, checking
// followers, building audit events, and running a unit of work that yields a value.
// Thread-safe: free functions; the ports they use are thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/sla_engine.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/audit_event.h"
#include "core/case.h"
#include "ports/crypto.h"
#include "ports/store.h"

namespace casedesk::app {

// Secret case fields by name (e.g. "root_password"), in plain text. Only ever held in memory.
using SecretFields = std::map<std::string, std::string>;

// A case as one caller may see it: the secret fields are present only for provider staff.
struct CaseView {
  core::Case record;
  std::optional<SecretFields> secret_fields;
  // The live SLA clocks, with explanations; filled in by GetCase (nullopt: the plan has no
  // SLA policy, or the use case does not compute them).
  std::optional<CaseSla> sla;
};

// Answers a write use case once its unit of work is durable (or has failed).

// Audit event kinds written by the case use cases.
inline constexpr std::string_view kCaseCreated = "case.created";
inline constexpr std::string_view kCaseUpdated = "case.updated";
inline constexpr std::string_view kCaseSecretsErased = "case.secrets_erased";
inline constexpr std::string_view kCommentAdded = "comment.added";
inline constexpr std::string_view kInternalNoteAdded = "note.added";
inline constexpr std::string_view kAttachmentAdded = "attachment.added";
inline constexpr std::string_view kInternalAttachmentAdded = "attachment.internal_added";
inline constexpr std::string_view kCaseEscalated = "case.escalated";
inline constexpr std::string_view kSlaWarning = "sla.warning";
inline constexpr std::string_view kSlaBreached = "sla.breached";
inline constexpr std::string_view kSeverityFlagged = "case.severity_flagged";

// The "author_side" recorded on public comment events.
inline constexpr char kProviderSide[] = "provider";
inline constexpr char kCustomerSide[] = "customer";

// Events about internal notes and internal attachments; shown to provider staff only.
bool IsInternalEventKind(std::string_view kind);

// The case, when it exists and the viewer may see it; NotFound otherwise (the same answer for
// both, so ids of other tenants' cases reveal nothing).
absl::StatusOr<core::Case> LoadVisibleCase(ports::StoreTransaction& txn, const core::Viewer& viewer,
                                           core::CaseNumber number);

absl::Status NotFoundCase(core::CaseNumber number);

// A user who exists, or nullopt when the id is 0 or names nobody (deleted data must not stop a
// write).
absl::StatusOr<std::optional<core::User>> UserIfExists(ports::StoreTransaction& txn,
                                                       core::UserId id);

// Names 1..64 characters, values up to 4096 bytes, at most 32 entries.
absl::Status ValidateSecretFields(const SecretFields& secrets);

// Seals the secret fields as one JSON object; an empty map seals to the empty string.
std::string SealSecretFields(const ports::Crypto& crypto, const SecretFields& secrets);
absl::StatusOr<SecretFields> UnsealSecretFields(const ports::Crypto& crypto,
                                                std::string_view sealed);

// The view of a case for a viewer: provider staff get the unsealed secret fields.
absl::StatusOr<CaseView> ViewCase(const ports::Crypto& crypto, const core::Viewer& viewer,
                                  core::Case record);

// Followers must be distinct, active people of the case's organisation: following a case
// reveals it, so a follower from elsewhere would leak it to another tenant.
absl::Status CheckFollowers(ports::StoreTransaction& txn, core::OrgId org_id,
                            const std::vector<core::UserId>& followers);

// An audit event about a case, with entity and ids filled in.
// "3,7,12": how a list of people (followers) is recorded in an audit event.
std::string IdListText(const std::vector<core::UserId>& ids);

core::AuditEvent CaseEvent(core::CaseNumber number, core::UserId actor, absl::Time at,
                           std::string_view kind);

// The page size the caller asked for, within the configured bounds.
ports::PageRequest BoundedPage(const Limits& limits, ports::PageRequest page);

}  // namespace casedesk::app
