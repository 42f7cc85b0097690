#include "app/case_support.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/user.h"

namespace casedesk::app {

std::string IdListText(const std::vector<core::UserId>& ids) {
  std::string text;
  for (core::UserId id : ids) {
    if (!text.empty()) text += ",";
    text += std::to_string(id);
  }
  return text;
}

bool IsInternalEventKind(std::string_view kind) {
  // Escalations name internal policies and staff; priority-abuse flags are the provider's view.
  return kind == kInternalNoteAdded || kind == kInternalAttachmentAdded || kind == kCaseEscalated ||
         kind == kSeverityFlagged ||
         // Engineering links and problem records are provider staff knowledge (issue 7).
         kind.starts_with("engineering.") || kind.starts_with("problem.");
}

absl::Status NotFoundCase(core::CaseNumber number) {
  return absl::NotFoundError("case " + std::to_string(number) + " not found");
}

absl::StatusOr<std::optional<core::User>> UserIfExists(ports::StoreTransaction& txn,
                                                       core::UserId id) {
  if (id == 0) return std::optional<core::User>();
  absl::StatusOr<core::User> user = txn.GetUser(id);
  if (absl::IsNotFound(user.status())) return std::optional<core::User>();
  if (!user.ok()) return user.status();
  return std::optional<core::User>(*std::move(user));
}

absl::StatusOr<core::Case> LoadVisibleCase(ports::StoreTransaction& txn, const core::Viewer& viewer,
                                           core::CaseNumber number) {
  absl::StatusOr<core::Case> record = txn.GetCase(number);
  if (!record.ok()) {
    if (absl::IsNotFound(record.status())) return NotFoundCase(number);
    return record.status();
  }
  if (!core::CanSeeCase(viewer, *record)) return NotFoundCase(number);
  return record;
}

absl::Status ValidateSecretFields(const SecretFields& secrets) {
  if (secrets.size() > core::kMaxFieldCount) {
    return absl::InvalidArgumentError("at most 32 secret fields");
  }
  for (const auto& [name, value] : secrets) {
    if (name.empty() || name.size() > 64) {
      return absl::InvalidArgumentError("secret field names must be 1 to 64 characters");
    }
    // The message names the field, never its value.
    if (value.size() > core::kMaxFieldValueLength) {
      return absl::InvalidArgumentError("secret field '" + name +
                                        "' is longer than 4096 characters");
    }
  }
  return absl::OkStatus();
}

std::string SealSecretFields(const ports::Crypto& crypto, const SecretFields& secrets) {
  if (secrets.empty()) return "";
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, value] : secrets) object[name] = value;
  return crypto.Seal(object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

absl::StatusOr<SecretFields> UnsealSecretFields(const ports::Crypto& crypto,
                                                std::string_view sealed) {
  SecretFields secrets;
  if (sealed.empty()) return secrets;
  absl::StatusOr<std::string> plaintext = crypto.Unseal(sealed);
  if (!plaintext.ok()) return absl::InternalError("the case's secret fields cannot be unsealed");
  const nlohmann::json object =
      nlohmann::json::parse(*plaintext, nullptr, /*allow_exceptions=*/false);
  if (!object.is_object()) return absl::InternalError("the case's secret fields are malformed");
  for (const auto& [name, value] : object.items()) {
    if (!value.is_string()) return absl::InternalError("the case's secret fields are malformed");
    secrets[name] = value.get<std::string>();
  }
  return secrets;
}

absl::StatusOr<CaseView> ViewCase(const ports::Crypto& crypto, const core::Viewer& viewer,
                                  core::Case record) {
  CaseView view;
  if (core::CanSeeInternal(viewer)) {
    absl::StatusOr<SecretFields> secrets = UnsealSecretFields(crypto, record.sealed_secrets);
    if (!secrets.ok()) return secrets.status();
    view.secret_fields = *std::move(secrets);
  }
  view.record = std::move(record);
  return view;
}

absl::Status CheckFollowers(ports::StoreTransaction& txn, core::OrgId org_id,
                            const std::vector<core::UserId>& followers) {
  if (followers.size() > 100) return absl::InvalidArgumentError("at most 100 followers");
  std::set<core::UserId> seen;
  for (core::UserId follower : followers) {
    if (!seen.insert(follower).second) {
      return absl::InvalidArgumentError("follower " + std::to_string(follower) +
                                        " is listed twice");
    }
    absl::StatusOr<core::User> user = txn.GetUser(follower);
    if (!user.ok() && !absl::IsNotFound(user.status())) return user.status();
    // One message for "no such user" and "someone elsewhere", so ids reveal nothing.
    if (!user.ok() || user->org_id != org_id || !user->active) {
      return absl::InvalidArgumentError("follower " + std::to_string(follower) +
                                        " is not a person of the case's organisation");
    }
  }
  return absl::OkStatus();
}

core::AuditEvent CaseEvent(core::CaseNumber number, core::UserId actor, absl::Time at,
                           std::string_view kind) {
  core::AuditEvent event;
  event.entity = "case";
  event.entity_id = std::to_string(number);
  event.case_number = number;
  event.actor_id = actor;
  event.at = at;
  event.kind = std::string(kind);
  return event;
}

ports::PageRequest BoundedPage(const Limits& limits, ports::PageRequest page) {
  if (page.limit <= 0) page.limit = limits.default_page_size;
  page.limit = std::min(page.limit, limits.max_page_size);
  return page;
}

}  // namespace casedesk::app
