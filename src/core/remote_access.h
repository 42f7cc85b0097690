// Remote access requests (issue 7, seed 002): support asks for access to a customer's machine
// (SSH, RDP or a shared screen session) as a structured request on a case; the customer side
// grants or refuses it; a grant ends when the customer revokes it or at the window's end.
//
// Lifecycle (who may make each move is in RemoteAccessTransitions()):
//   requested -> granted    the case's customer side (requester, followers, the organisation's
//                           admins) or the organisation's partner agents
//   requested -> refused    the same people
//   requested -> withdrawn  provider staff, before a decision
//   granted   -> revoked    the customer side, before the window's end
//   granted   -> expired    the system, at the window's end
//   requested -> expired    the system, when the window ended without a decision
// The status a reader sees is EffectiveStatus(record, now): a grant (or an undecided request)
// whose window has ended reads as expired even before the background sweep stored it.
//
// Bounds: the purpose is 1..2000 bytes; the window ends after it starts, in the future when
// requested, lasts at most 14 days and starts at most 30 days ahead. Credentials given with a
// grant: at most 8 fields, names 1..40 of [a-z0-9_], values 1..4096 bytes.
// Thread-safe: value types and pure functions.
#pragma once

#include <array>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/access.h"
#include "core/case.h"
#include "core/ids.h"

namespace casedesk::core {

using RemoteAccessId = int64_t;

enum class RemoteAccessMethod { kSsh, kRdp, kScreenShare };

inline constexpr std::array<std::pair<RemoteAccessMethod, std::string_view>, 3>
    kRemoteAccessMethodNames{{
        {RemoteAccessMethod::kSsh, "ssh"},
        {RemoteAccessMethod::kRdp, "rdp"},
        {RemoteAccessMethod::kScreenShare, "screen_share"},
    }};

// "SSH", "RDP", "a shared screen session": for people (pages and mail).
std::string_view RemoteAccessMethodLabel(RemoteAccessMethod method);

enum class RemoteAccessStatus { kRequested, kGranted, kRefused, kWithdrawn, kRevoked, kExpired };

inline constexpr std::array<std::pair<RemoteAccessStatus, std::string_view>, 6>
    kRemoteAccessStatusNames{{
        {RemoteAccessStatus::kRequested, "requested"},
        {RemoteAccessStatus::kGranted, "granted"},
        {RemoteAccessStatus::kRefused, "refused"},
        {RemoteAccessStatus::kWithdrawn, "withdrawn"},
        {RemoteAccessStatus::kRevoked, "revoked"},
        {RemoteAccessStatus::kExpired, "expired"},
    }};

enum class RemoteAccessAction { kGrant, kRefuse, kWithdraw, kRevoke, kExpire };

inline constexpr std::array<std::pair<RemoteAccessAction, std::string_view>, 5>
    kRemoteAccessActionNames{{
        {RemoteAccessAction::kGrant, "grant"},
        {RemoteAccessAction::kRefuse, "refuse"},
        {RemoteAccessAction::kWithdraw, "withdraw"},
        {RemoteAccessAction::kRevoke, "revoke"},
        {RemoteAccessAction::kExpire, "expire"},
    }};

// Which side of a case a person is on, for remote access.
enum class RemoteAccessSide {
  kNone,      // may not act (another organisation, a customer not involved in the case)
  kStaff,     // provider staff who can see the case
  kCustomer,  // the case's customer side, or the organisation's partner agents
  kSystem,    // the expiry sweep
};

struct RemoteAccessRequest {
  RemoteAccessId id = 0;
  CaseNumber case_number = 0;
  RemoteAccessMethod method = RemoteAccessMethod::kSsh;
  std::string purpose;
  absl::Time window_start = absl::InfinitePast();
  absl::Time window_end = absl::InfinitePast();
  UserId requested_by = 0;
  absl::Time requested_at = absl::InfinitePast();
  RemoteAccessStatus status = RemoteAccessStatus::kRequested;  // as stored
  UserId decided_by = 0;                                       // granted, refused or withdrawn by
  absl::Time decided_at = absl::InfinitePast();
  std::string refusal_reason;
  UserId ended_by = 0;  // revoked by; 0 when it expired
  absl::Time ended_at = absl::InfinitePast();
  // The names of the credentials given with the grant (never their values); the values live
  // in the case's sealed secret fields under RemoteAccessSecretName until the grant ends.
  std::vector<std::string> credential_fields;
  absl::Time updated_at = absl::InfinitePast();
};

inline constexpr size_t kMaxRemoteAccessPurposeBytes = 2000;
inline constexpr size_t kMaxRemoteAccessReasonBytes = 1000;
inline constexpr absl::Duration kMaxRemoteAccessWindow = absl::Hours(14 * 24);
inline constexpr absl::Duration kMaxRemoteAccessLead = absl::Hours(30 * 24);
inline constexpr size_t kMaxRemoteAccessCredentials = 8;
inline constexpr size_t kMaxCredentialNameBytes = 40;
inline constexpr size_t kMaxCredentialValueBytes = 4096;

// A new request, checked at `now`: InvalidArgument naming the field (purpose, window_start,
// window_end).
absl::Status ValidateNewRemoteAccessRequest(const RemoteAccessRequest& request, absl::Time now);

// InvalidArgument naming the field ("credentials.<name>"); never quotes a value.
absl::Status ValidateRemoteAccessCredentials(const std::map<std::string, std::string>& credentials);

// InvalidArgument "reason: ..." for a refusal reason that is too long or holds control characters.
absl::Status ValidateRefusalReason(std::string_view reason);

// The status as of `now` (see the header comment).
RemoteAccessStatus EffectiveStatus(const RemoteAccessRequest& request, absl::Time now);

// Granted, not ended, and the window has started: credentials may be read.
bool IsRemoteAccessActive(const RemoteAccessRequest& request, absl::Time now);

// No further move is possible.
bool IsFinalRemoteAccessStatus(RemoteAccessStatus status);

// The viewer's side of case `c` (kNone for anyone who cannot see it).
RemoteAccessSide RemoteAccessSideOf(const Viewer& viewer, const Case& c);

// One allowed move.
struct RemoteAccessTransition {
  RemoteAccessStatus from;
  RemoteAccessAction action;
  RemoteAccessSide side;
  RemoteAccessStatus to;
};

// Every allowed move; anything not listed is refused.
std::span<const RemoteAccessTransition> RemoteAccessTransitions();

// Applies `action` by `side` (person `actor`; 0 for the system) at `now`. The move is checked
// against the effective status, except that the system's expiry is checked against the stored
// one (it is what stores the effective status). FailedPrecondition when the status does not
// allow the move ("remote access request 3 is expired; it cannot be granted"), PermissionDenied
// when the side may not make it. Fills the decision or end fields; `reason` is the refusal's.
absl::Status ApplyRemoteAccessAction(RemoteAccessRequest& request, RemoteAccessAction action,
                                     RemoteAccessSide side, UserId actor, absl::Time now,
                                     std::string_view reason = "");

// "remote_access.<id>.<field>": the case secret field holding one credential, and the prefix
// every credential of the request shares.
std::string RemoteAccessSecretName(RemoteAccessId id, std::string_view field);
std::string RemoteAccessSecretPrefix(RemoteAccessId id);

}  // namespace casedesk::core
