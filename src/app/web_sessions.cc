#include "app/web_sessions.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "app/authenticate.h"
#include "app/throttle.h"

namespace casedesk::app {
namespace {

// Tokens longer than this are not ours; refusing them early bounds the digest work per request.
constexpr size_t kMaxSessionTokenLength = 512;
constexpr size_t kCsrfHexLength = 32;
// Separates session entries from API token entries in the shared caller cache: a token key is
// the bare 32-byte digest, so a session cookie can never be taken for an API token or back.
constexpr char kCacheKeySuffix[] = ":web";

absl::Status WrongCredentials() {
  return absl::UnauthenticatedError(std::string(kWrongCredentialsMessage));
}

absl::Status NoSession() { return absl::UnauthenticatedError("please sign in"); }

// A valid argon2id hash of a password nobody knows, computed once: unknown addresses are
// verified against it so they cost the same time as known ones.
const std::string& DummyPasswordHash(const ports::Crypto& crypto) {
  static const std::string* const hash = [&crypto] {
    absl::StatusOr<std::string> computed =
        crypto.HashPassword("casedesk: no account has this password");
    return new std::string(computed.ok() ? *std::move(computed) : "");
  }();
  return *hash;
}

// Why an attempt failed, for the audit trail only (the answer never says).
struct Attempt {
  bool blocked = false;  // the address had too many failures: nothing else was checked
  std::optional<core::User> user;
  std::string failure;  // empty when the credentials were right
};

// Reads the address's throttle count and its user in one snapshot, then verifies the password.
Attempt CheckCredentials(AppContext& context, const std::string& normalised,
                         const std::string& throttle_key, const std::string& password,
                         absl::Time now, absl::Status& store_error) {
  Attempt attempt;
  const absl::Status read = context.store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    absl::StatusOr<bool> blocked = ThrottleBlocked(txn, kSignInThrottle, throttle_key, now);
    if (!blocked.ok()) return blocked.status();
    attempt.blocked = *blocked;
    if (attempt.blocked || normalised.empty()) return absl::OkStatus();
    absl::StatusOr<core::User> user = txn.FindUserByEmail(normalised);
    if (user.ok()) {
      attempt.user = *std::move(user);
    } else if (!absl::IsNotFound(user.status())) {
      return user.status();
    }
    return absl::OkStatus();
  });
  if (!read.ok()) {
    store_error = read;
    return attempt;
  }
  if (attempt.blocked) return attempt;
  const bool has_hash = attempt.user.has_value() && !attempt.user->password_hash.empty();
  const bool matches = context.crypto.VerifyPassword(
      has_hash ? attempt.user->password_hash : DummyPasswordHash(context.crypto), password);
  if (!attempt.user.has_value()) {
    attempt.failure = "unknown address";
  } else if (!attempt.user->active) {
    attempt.failure = "user inactive";
  } else if (!has_hash) {
    attempt.failure = "no password set";
  } else if (!matches) {
    attempt.failure = "wrong password";
  }
  return attempt;
}

std::string SessionReason(std::string_view what, std::string_view remote_address) {
  if (remote_address.empty()) return std::string(what);
  return absl::StrCat(std::string(what), " (from ", std::string(remote_address), ")");
}

// Counts a failed attempt against the address and, for an existing user, records it in the
// audit trail, then answers once that is committed. Every failure waits for one such unit of
// work, whether or not the address exists, so the answer's timing tells nothing; and the next
// attempt, on any node, sees the count.
void RecordFailure(AppContext& context, const std::string& throttle_key,
                   const std::optional<core::User>& user, std::string reason, absl::Time now,
                   Done<SignedIn> done) {
  std::optional<core::AuditEvent> event;
  if (user.has_value()) {
    event = MakeAuditEvent("user", absl::StrCat(user->id), 0, now, "user.sign_in_failed");
    event->reason = std::move(reason);
  }
  context.store.Write(
      [throttle_key, event = std::move(event), now](ports::StoreTransaction& txn) -> absl::Status {
        if (absl::Status counted =
                CountThrottleHit(txn, kSignInThrottle, throttle_key, now).status();
            !counted.ok()) {
          return counted;
        }
        if (!event.has_value()) return absl::OkStatus();
        return txn.AppendEvent(*event).status();
      },
      [done = std::move(done)](absl::Status status) {
        done(status.ok() ? WrongCredentials() : status);
      });
}

bool Expired(const core::WebSession& session, absl::Time now) {
  return now >= session.expires_at || now >= session.last_seen_at + kSessionIdleTimeout;
}

}  // namespace

void SignIn(AppContext& context, SignInRequest request, Done<SignedIn> done) {
  const absl::Time now = context.clock.Now();
  // Surrounding blanks are a typing accident (pasted addresses), not part of the address.
  const std::string typed(absl::StripAsciiWhitespace(request.email));
  const std::string normalised = core::NormaliseEmail(typed);
  // Addresses that do not normalise are counted under their lower-cased text.
  const std::string throttle_key =
      ThrottleKey(context.crypto, kSignInThrottle,
                  normalised.empty() ? absl::AsciiStrToLower(typed) : normalised);
  absl::Status store_error;
  Attempt attempt =
      CheckCredentials(context, normalised, throttle_key, request.password, now, store_error);
  if (!store_error.ok()) return done(store_error);
  if (attempt.blocked) {
    return done(absl::ResourceExhaustedError(std::string(kTooManyAttemptsMessage)));
  }
  if (!attempt.failure.empty()) {
    return RecordFailure(context, throttle_key, attempt.user,
                         SessionReason(attempt.failure, request.remote_address), now,
                         std::move(done));
  }

  SignedIn signed_in;
  signed_in.token = context.crypto.RandomToken();
  signed_in.session.digest = context.crypto.Digest(signed_in.token);
  signed_in.session.user_id = attempt.user->id;
  signed_in.session.created_at = now;
  signed_in.session.last_seen_at = now;
  signed_in.session.expires_at = now + kSessionLifetime;
  signed_in.user = *std::move(attempt.user);
  core::AuditEvent event = MakeAuditEvent("user", absl::StrCat(signed_in.user.id),
                                          signed_in.user.id, now, "user.signed_in");
  event.reason = SessionReason("password", request.remote_address);
  WriteValue<SignedIn>(
      context.store,
      [signed_in, event = std::move(event), throttle_key,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<SignedIn> {
        // The user may have been deactivated since the password was checked.
        absl::StatusOr<core::User> user = txn.GetUser(signed_in.user.id);
        if (absl::IsNotFound(user.status())) return WrongCredentials();
        if (!user.ok()) return user.status();
        if (!user->active) return WrongCredentials();
        // Sessions past their absolute end are swept here, so the table stays small without a
        // worker of its own.
        if (absl::StatusOr<int64_t> swept = txn.DeleteExpiredWebSessions(now); !swept.ok()) {
          return swept.status();
        }
        if (absl::Status inserted = txn.InsertWebSession(signed_in.session); !inserted.ok()) {
          return inserted;
        }
        if (absl::StatusOr<core::EventId> appended = txn.AppendEvent(event); !appended.ok()) {
          return appended.status();
        }
        // A successful sign-in forgets the address's failures.
        if (absl::Status cleared = txn.ClearThrottleHits(throttle_key); !cleared.ok()) {
          return cleared;
        }
        SignedIn committed = signed_in;
        committed.user = *std::move(user);
        return committed;
      },
      std::move(done));
}

absl::StatusOr<Caller> AuthenticateSession(AppContext& context, std::string_view token) {
  if (token.empty() || token.size() > kMaxSessionTokenLength) return NoSession();
  const std::string digest = context.crypto.Digest(token);
  const std::string cache_key = absl::StrCat(digest, kCacheKeySuffix);
  const absl::Time now = context.clock.Now();
  if (std::optional<Caller> cached = context.callers->Get(cache_key, now)) {
    return *std::move(cached);
  }
  const uint64_t generation = context.callers->generation();
  std::optional<core::WebSession> session;
  std::optional<Caller> caller;
  const absl::Status status = context.store.Read([&](ports::StoreTransaction& txn) {
    absl::StatusOr<std::optional<core::WebSession>> found = txn.FindWebSession(digest);
    if (!found.ok()) return found.status();
    // The index lookup already matched; comparing again in constant time keeps a store that
    // matched loosely from ever letting a different token through.
    if (!found->has_value() || !context.crypto.ConstantTimeEquals((*found)->digest, digest) ||
        Expired(**found, now)) {
      return absl::OkStatus();
    }
    session = **found;
    absl::StatusOr<core::User> user = txn.GetUser(session->user_id);
    if (absl::IsNotFound(user.status())) return absl::OkStatus();
    if (!user.ok()) return user.status();
    if (!user->active) return absl::OkStatus();
    absl::StatusOr<core::Viewer> viewer = ViewerForUser(txn, *user);
    if (!viewer.ok()) return viewer.status();
    caller = Caller{*std::move(viewer), *std::move(user)};
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (!caller.has_value()) return NoSession();

  if (now - session->last_seen_at >= kSessionTouchInterval) {
    // Fire and forget: a lost touch only brings the idle end closer, and the next request
    // tries again.
    context.store.Write(
        [digest, now](ports::StoreTransaction& txn) { return txn.TouchWebSession(digest, now); },
        [](absl::Status) {});
  }
  // Cached only when the session outlives the cache entry, so a cached caller is never served
  // past the session's end; signing out invalidates the cache.
  const absl::Time ends =
      std::min(session->expires_at, session->last_seen_at + kSessionIdleTimeout);
  if (ends > now + CallerCache::kTimeToLive) {
    context.callers->Put(cache_key, *caller, generation, now);
  }
  return *std::move(caller);
}

void SignOut(AppContext& context, std::string token, Done<bool> done) {
  if (token.empty() || token.size() > kMaxSessionTokenLength) return done(false);
  const std::string digest = context.crypto.Digest(token);
  WriteValue<bool>(
      context.store,
      [digest](ports::StoreTransaction& txn) -> absl::StatusOr<bool> {
        absl::StatusOr<std::optional<core::WebSession>> found = txn.FindWebSession(digest);
        if (!found.ok()) return found.status();
        if (!found->has_value()) return false;
        if (absl::Status deleted = txn.DeleteWebSession(digest); !deleted.ok()) return deleted;
        return true;
      },
      InvalidateCallersThen<bool>(context.callers, std::move(done)));
}

std::string CsrfTokenFor(const ports::Crypto& crypto, std::string_view session_token) {
  const std::string mac = crypto.Mac(absl::StrCat("csrf:", crypto.Digest(session_token)));
  return absl::BytesToHexString(mac).substr(0, kCsrfHexLength);
}

bool CheckCsrfToken(const ports::Crypto& crypto, std::string_view session_token,
                    std::string_view presented) {
  if (session_token.empty()) return false;
  return crypto.ConstantTimeEquals(CsrfTokenFor(crypto, session_token), presented);
}

}  // namespace casedesk::app
