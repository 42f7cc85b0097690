#include "core/remote_access.h"

#include <algorithm>
#include <string>

#include "core/enum_names.h"
#include "core/text.h"

namespace casedesk::core {
namespace {

using A = RemoteAccessAction;
using S = RemoteAccessStatus;
using W = RemoteAccessSide;

constexpr std::array<RemoteAccessTransition, 6> kTransitions{{
    {S::kRequested, A::kGrant, W::kCustomer, S::kGranted},
    {S::kRequested, A::kRefuse, W::kCustomer, S::kRefused},
    {S::kRequested, A::kWithdraw, W::kStaff, S::kWithdrawn},
    {S::kGranted, A::kRevoke, W::kCustomer, S::kRevoked},
    {S::kGranted, A::kExpire, W::kSystem, S::kExpired},
    {S::kRequested, A::kExpire, W::kSystem, S::kExpired},
}};

// Text a person wrote: no control characters except line breaks and tabs.
std::string IdText(RemoteAccessId id) { return std::to_string(id); }

std::string StatusName(RemoteAccessStatus status) {
  return std::string(NameOf<RemoteAccessStatus>(kRemoteAccessStatusNames, status));
}

std::string ActionVerb(RemoteAccessAction action) {
  switch (action) {
    case A::kGrant:
      return "granted";
    case A::kRefuse:
      return "refused";
    case A::kWithdraw:
      return "withdrawn";
    case A::kRevoke:
      return "revoked";
    case A::kExpire:
      return "expired";
  }
  return "changed";
}

}  // namespace

std::string_view RemoteAccessMethodLabel(RemoteAccessMethod method) {
  switch (method) {
    case RemoteAccessMethod::kSsh:
      return "SSH";
    case RemoteAccessMethod::kRdp:
      return "RDP";
    case RemoteAccessMethod::kScreenShare:
      return "a shared screen session";
  }
  return "remote access";
}

absl::Status ValidateNewRemoteAccessRequest(const RemoteAccessRequest& request, absl::Time now) {
  if (request.purpose.empty() || IsBlank(request.purpose)) {
    return absl::InvalidArgumentError("purpose: say why access is needed");
  }
  if (request.purpose.size() > kMaxRemoteAccessPurposeBytes) {
    return absl::InvalidArgumentError("purpose: at most 2000 characters");
  }
  if (HasControlCharacter(request.purpose, true)) {
    return absl::InvalidArgumentError("purpose: control characters are not allowed");
  }
  if (request.window_start == absl::InfinitePast() ||
      request.window_start == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("window_start: required");
  }
  if (request.window_end == absl::InfinitePast() || request.window_end == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("window_end: required");
  }
  if (request.window_end <= request.window_start) {
    return absl::InvalidArgumentError("window_end: must be after window_start");
  }
  if (request.window_end <= now)
    return absl::InvalidArgumentError("window_end: must be in the future");
  if (request.window_end - request.window_start > kMaxRemoteAccessWindow) {
    return absl::InvalidArgumentError("window_end: the window may last at most 14 days");
  }
  if (request.window_start - now > kMaxRemoteAccessLead) {
    return absl::InvalidArgumentError("window_start: at most 30 days ahead");
  }
  return absl::OkStatus();
}

absl::Status ValidateRemoteAccessCredentials(
    const std::map<std::string, std::string>& credentials) {
  if (credentials.size() > kMaxRemoteAccessCredentials) {
    return absl::InvalidArgumentError("credentials: at most 8 fields");
  }
  for (const auto& [name, value] : credentials) {
    const bool name_ok = !name.empty() && name.size() <= kMaxCredentialNameBytes &&
                         std::all_of(name.begin(), name.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                         });
    if (!name_ok) {
      return absl::InvalidArgumentError("credentials: field names are 1 to 40 of a-z, 0-9 and '_'");
    }
    if (value.empty()) {
      return absl::InvalidArgumentError("credentials." + name + ": empty");
    }
    if (value.size() > kMaxCredentialValueBytes) {
      return absl::InvalidArgumentError("credentials." + name + ": at most 4096 characters");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateRefusalReason(std::string_view reason) {
  if (reason.size() > kMaxRemoteAccessReasonBytes) {
    return absl::InvalidArgumentError("reason: at most 1000 characters");
  }
  if (HasControlCharacter(reason, true)) {
    return absl::InvalidArgumentError("reason: control characters are not allowed");
  }
  return absl::OkStatus();
}

RemoteAccessStatus EffectiveStatus(const RemoteAccessRequest& request, absl::Time now) {
  if ((request.status == S::kGranted || request.status == S::kRequested) &&
      now >= request.window_end) {
    return S::kExpired;
  }
  return request.status;
}

bool IsRemoteAccessActive(const RemoteAccessRequest& request, absl::Time now) {
  return EffectiveStatus(request, now) == S::kGranted && now >= request.window_start;
}

bool IsFinalRemoteAccessStatus(RemoteAccessStatus status) {
  return status != S::kRequested && status != S::kGranted;
}

RemoteAccessSide RemoteAccessSideOf(const Viewer& viewer, const Case& c) {
  if (!CanSeeCase(viewer, c)) return W::kNone;
  if (CanSeeInternal(viewer)) return W::kStaff;
  if (viewer.role == Role::kPartnerAgent &&
      std::find(viewer.child_org_ids.begin(), viewer.child_org_ids.end(), c.org_id) !=
          viewer.child_org_ids.end()) {
    return W::kCustomer;  // the partner acts for its customers
  }
  // On a case of their own organisation a partner agent stands where a customer would.
  if (viewer.org_id != c.org_id) return W::kNone;
  // A colleague who sees the case only because the organisation shares its cases is not part
  // of the decision: the requester, the followers and the organisation's admins are.
  const bool follows =
      std::find(c.followers.begin(), c.followers.end(), viewer.user_id) != c.followers.end();
  if (viewer.user_id == c.requester_id || follows || viewer.org_admin) return W::kCustomer;
  return W::kNone;
}

std::span<const RemoteAccessTransition> RemoteAccessTransitions() { return kTransitions; }

absl::Status ApplyRemoteAccessAction(RemoteAccessRequest& request, RemoteAccessAction action,
                                     RemoteAccessSide side, UserId actor, absl::Time now,
                                     std::string_view reason) {
  const S from = action == A::kExpire ? request.status : EffectiveStatus(request, now);
  const RemoteAccessTransition* allowed = nullptr;
  bool any_side = false;
  for (const RemoteAccessTransition& rule : RemoteAccessTransitions()) {
    if (rule.from != from || rule.action != action) continue;
    any_side = true;
    if (rule.side == side) allowed = &rule;
  }
  if (!any_side) {
    return absl::FailedPreconditionError("remote access request " + IdText(request.id) + " is " +
                                         StatusName(from) + "; it cannot be " + ActionVerb(action));
  }
  if (allowed == nullptr) {
    return absl::PermissionDeniedError(
        "you may not " + std::string(NameOf<RemoteAccessAction>(kRemoteAccessActionNames, action)) +
        " remote access request " + IdText(request.id));
  }
  if (action == A::kExpire && now < request.window_end) {
    return absl::FailedPreconditionError("remote access request " + IdText(request.id) +
                                         " has not reached the end of its window");
  }
  if (action == A::kRefuse) {
    if (absl::Status valid = ValidateRefusalReason(reason); !valid.ok()) return valid;
  }
  request.status = allowed->to;
  switch (action) {
    case A::kGrant:
    case A::kRefuse:
    case A::kWithdraw:
      request.decided_by = actor;
      request.decided_at = now;
      if (action == A::kRefuse) request.refusal_reason = std::string(reason);
      break;
    case A::kRevoke:
      request.ended_by = actor;
      request.ended_at = now;
      break;
    case A::kExpire:
      // Dated at the window's end, not at the sweep: that is when access ended.
      request.ended_by = 0;
      request.ended_at = request.window_end;
      break;
  }
  request.updated_at = now;
  return absl::OkStatus();
}

std::string RemoteAccessSecretPrefix(RemoteAccessId id) {
  return "remote_access." + IdText(id) + ".";
}

std::string RemoteAccessSecretName(RemoteAccessId id, std::string_view field) {
  return RemoteAccessSecretPrefix(id) + std::string(field);
}

}  // namespace casedesk::core
