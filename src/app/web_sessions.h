// Web sign-in for the server-rendered pages: email and password in exchange for a session whose
// token lives in a cookie, the session back to a Caller on each request, signing out, and the
// per-session CSRF token forms carry.
//
// A session token is 256 random bits; the store keeps only its SHA-256 digest. A session ends
// 12 hours after sign-in, after 2 hours without use, or when its owner signs out. Every
// failure to sign in says the same thing and costs the same argon2id verification (an unknown
// address is checked against a fixed dummy hash), so neither the answer nor its timing tells
// which addresses exist. Failed attempts are counted per address by kSignInThrottle, in the
// store (app/throttle.h).
//
// Thread-safe: functions over the thread-safe context.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "app/store_calls.h"
#include "core/credential.h"
#include "core/user.h"
#include "ports/crypto.h"

namespace casedesk::app {

inline constexpr absl::Duration kSessionLifetime = absl::Hours(12);
inline constexpr absl::Duration kSessionIdleTimeout = absl::Hours(2);
// A session's last_seen_at is rewritten at most this often, so a page view normally costs no
// write.
inline constexpr absl::Duration kSessionTouchInterval = absl::Minutes(5);

inline constexpr std::string_view kWrongCredentialsMessage =
    "The email address or password is wrong.";
inline constexpr std::string_view kTooManyAttemptsMessage =
    "Too many attempts; try again in a few minutes.";

struct SignInRequest {
  std::string email;
  std::string password;
  std::string remote_address;  // recorded in the audit events; may be empty
};

struct SignedIn {
  std::string token;  // the cookie's value; shown once, only its digest is stored
  core::WebSession session;
  core::User user;
};

// Unauthenticated (kWrongCredentialsMessage) for an unknown address, a wrong password, an
// inactive user or one without a password; ResourceExhausted (kTooManyAttemptsMessage) once the
// address has had too many failures recently. Succeeds only after the session and its
// "user.signed_in" event are durably committed (clearing the address's failures). A failure
// answers only after it is counted, with a "user.sign_in_failed" event for an existing user,
// in one unit of work whether or not the address exists (so its timing tells nothing).
void SignIn(AppContext& context, SignInRequest request, Done<SignedIn> done);

// The signed-in caller for a session token; Unauthenticated when the token is unknown, expired
// (absolute or idle) or its user inactive. Records use at most every kSessionTouchInterval,
// without waiting for that write.
absl::StatusOr<Caller> AuthenticateSession(AppContext& context, std::string_view token);

// Ends the session; `done` gets whether there was one (an unknown token is harmless). Cached
// callers are invalidated before `done` runs, so the token stops working at once.
void SignOut(AppContext& context, std::string token, Done<bool> done);

// The CSRF token of a session: 32 hex characters of a MAC over the session's digest, so it
// needs no storage and is useless without the desk's key.
std::string CsrfTokenFor(const ports::Crypto& crypto, std::string_view session_token);
// Whether `presented` is the session's CSRF token, compared in constant time.
bool CheckCsrfToken(const ports::Crypto& crypto, std::string_view session_token,
                    std::string_view presented);

}  // namespace casedesk::app
