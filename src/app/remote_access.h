// Remote access requests (issue 7, seed 002): provider staff ask for access to a customer's
// machine on a case; the customer side grants (optionally with credentials) or refuses; staff
// may withdraw an undecided request; the customer side may revoke a grant; a grant expires at
// the window's end (app/remote_access_worker.h). Rules and who may make each move:
// core/remote_access.h.
//
// Credentials given with a grant go into the case's sealed secret fields, one field each,
// named core::RemoteAccessSecretName(id, field). Provider staff and the person who granted may
// read them while the grant is active (ReadRemoteAccessCredentials); they are erased when the
// grant is revoked or expires (with a "case.secrets_erased" event naming the fields, never the
// values), and with every other secret when the case closes (app/update_case.h). Values never
// appear in audit events, mail, logs or lists.
//
// Each move is one unit of work: the conditional update of the request (the claim), the case's
// secret fields, the audit event ("remote_access.<status>", changes name fields only) and the
// mail through the outbox: a new request to the case's requester, its followers and the
// organisation's admins (with what, why, when and the portal link to decide); a decision
// (granted, refused, revoked) to the case's assignee, else to the staff member who asked.
// Cases of other tenants answer NotFound, as do ids of requests on another case.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/remote_access.h"

namespace casedesk::app {

inline constexpr std::string_view kRemoteAccessRequested = "remote_access.requested";
inline constexpr std::string_view kRemoteAccessGranted = "remote_access.granted";
inline constexpr std::string_view kRemoteAccessRefused = "remote_access.refused";
inline constexpr std::string_view kRemoteAccessWithdrawn = "remote_access.withdrawn";
inline constexpr std::string_view kRemoteAccessRevoked = "remote_access.revoked";
inline constexpr std::string_view kRemoteAccessExpired = "remote_access.expired";

// At most this many requests are listed per case (newest first).
inline constexpr int kMaxRemoteAccessListed = 100;

struct RemoteAccessInput {
  core::RemoteAccessMethod method = core::RemoteAccessMethod::kSsh;
  std::string purpose;
  absl::Time window_start = absl::InfinitePast();
  absl::Time window_end = absl::InfinitePast();
};

// A request as one viewer sees it, with what that viewer may do next.
struct RemoteAccessView {
  core::RemoteAccessRequest record;
  core::RemoteAccessStatus status = core::RemoteAccessStatus::kRequested;  // effective, as of now
  bool active = false;                                                     // granted, window open
  bool can_grant = false;
  bool can_refuse = false;
  bool can_withdraw = false;
  bool can_revoke = false;
  bool can_read_credentials = false;  // active, credentials given, and the viewer may read them
};

struct RemoteAccessCredentials {
  core::RemoteAccessId id = 0;
  std::map<std::string, std::string> values;
  absl::Time until = absl::InfinitePast();  // the window's end
};

// Provider staff only (PermissionDenied for others who can see the case); FailedPrecondition
// on a closed case; InvalidArgument naming the field.
void RequestRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                         RemoteAccessInput input, Done<RemoteAccessView> done);

// Everyone who can see the case; never credentials.
absl::StatusOr<std::vector<RemoteAccessView>> ListRemoteAccess(AppContext& context,
                                                               const Caller& caller,
                                                               core::CaseNumber number);
absl::StatusOr<RemoteAccessView> GetRemoteAccess(AppContext& context, const Caller& caller,
                                                 core::CaseNumber number, core::RemoteAccessId id);

// The customer side; credentials may be empty. FailedPrecondition on a closed case.
void GrantRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                       core::RemoteAccessId id, std::map<std::string, std::string> credentials,
                       Done<RemoteAccessView> done);
void RefuseRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                        core::RemoteAccessId id, std::string reason, Done<RemoteAccessView> done);
void RevokeRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                        core::RemoteAccessId id, Done<RemoteAccessView> done);
// Provider staff.
void WithdrawRemoteAccess(AppContext& context, const Caller& caller, core::CaseNumber number,
                          core::RemoteAccessId id, Done<RemoteAccessView> done);

// Provider staff, or the person who granted. PermissionDenied for anyone else who can see the
// case; FailedPrecondition when the grant is not active (not granted, not started, ended, or
// the case closed); NotFound when the grant came without credentials.
absl::StatusOr<RemoteAccessCredentials> ReadRemoteAccessCredentials(AppContext& context,
                                                                    const Caller& caller,
                                                                    core::CaseNumber number,
                                                                    core::RemoteAccessId id);

// Stores the expiry of requests whose window ended at or before `now` (at most `limit`), each
// in its own unit of work: the claim, the erased credentials and the events. Returns
// how many this call expired (a request another node expired first is not counted).
absl::StatusOr<int> ExpireEndedRemoteAccess(AppContext& context, absl::Time now, int limit = 100);

}  // namespace casedesk::app
