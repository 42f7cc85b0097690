// Single-use account links: email verification after sign-up, password reset, and invitations
// from an organisation's admin. A link carries 256 random bits from the CSPRNG; the store keeps
// only their SHA-256 digest, looked up by digest (so no comparison of secrets happens outside
// the index) and compared again in constant time. A link works once (the store's conditional
// claim), until it expires (verification 24 h, reset 1 h, invitations 72 h: an invitation is
// sent by someone else and may wait for a person's return), and only for an active user.
//
// Using a link sets the chosen password, marks the address verified (the link reached its
// owner), voids the user's other unused links, ends every other web session of the user, and
// starts a new one: the person is signed in with a fresh session.
//
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/store_calls.h"
#include "app/web_sessions.h"
#include "ports/account_records.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr absl::Duration kVerifyLinkLifetime = absl::Hours(24);
inline constexpr absl::Duration kResetLinkLifetime = absl::Hours(1);
inline constexpr absl::Duration kInviteLinkLifetime = absl::Hours(72);

// Every refusal of a link says this, whatever the cause (unknown, used, expired, inactive).
inline constexpr std::string_view kInvalidLinkMessage =
    "This link is not valid any more: it has expired or was already used.";

absl::Duration AccountLinkLifetime(ports::AccountTokenPurpose purpose);

// The mail templates' values for a link of `purpose`: link, expires_hours and expires_in
// ("1 hour", "24 hours").
nlohmann::json AccountLinkMailValues(std::string_view public_url,
                                     ports::AccountTokenPurpose purpose, std::string_view token);

// The page a link opens: "/verify" for verification and invitations, "/password/reset" for
// resets.
std::string_view AccountLinkPath(ports::AccountTokenPurpose purpose);

// "<public_url><path>?token=<token>".
std::string AccountLinkUrl(std::string_view public_url, ports::AccountTokenPurpose purpose,
                           std::string_view token);

// Creates a link for `user_id` in the caller's unit of work; returns the token (shown once, in
// the mail), never stored.
absl::StatusOr<std::string> IssueAccountLink(ports::StoreTransaction& txn,
                                             const ports::Crypto& crypto,
                                             ports::AccountTokenPurpose purpose,
                                             core::UserId user_id, absl::Time now);

// Whose link it is, for the page that asks for the new password.
struct AccountLinkOwner {
  ports::AccountTokenPurpose purpose = ports::AccountTokenPurpose::kVerify;
  core::User user;
};

// The owner of a usable link of one of the `accepted` purposes; NotFound (kInvalidLinkMessage)
// otherwise. Reads only.
absl::StatusOr<AccountLinkOwner> CheckAccountLink(
    AppContext& context, std::string_view token,
    std::span<const ports::AccountTokenPurpose> accepted);

struct AccountLinkUse {
  std::string token;
  std::string password;
  std::string password_confirmation;
  std::string remote_address;  // recorded in the audit event; may be empty
};

// Uses the link (see the header comment) and signs the person in. InvalidArgument naming the
// field for a password the rules refuse (account_passwords.h), NotFound (kInvalidLinkMessage)
// for a link that is not usable. Succeeds only after the durable commit, with cached callers
// invalidated (other sessions stop working at once). Audit: "user.verified" (verify),
// "user.invitation_accepted" (invite) or "user.password_reset" (reset).
void UseAccountLink(AppContext& context, std::span<const ports::AccountTokenPurpose> accepted,
                    AccountLinkUse use, Done<SignedIn> done);

}  // namespace casedesk::app
