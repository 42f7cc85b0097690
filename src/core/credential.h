// API tokens and sessions as the store keeps them: only a digest of the secret, never the secret.
// Thread-safe: value types.
#pragma once

#include <optional>
#include <string>

#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::core {

struct ApiToken {
  TokenId id = 0;
  UserId user_id = 0;
  std::string name;
  std::string digest;  // SHA-256 of the token, raw 32 bytes
  absl::Time created_at = absl::InfinitePast();
  std::optional<absl::Time> revoked_at;
};

// A signed-in browser: the session cookie's token is 256 random bits; only its digest is kept.
// A session ends at `expires_at` (absolute) or after a period without use (idle), whichever
// comes first; signing out deletes it.
struct WebSession {
  std::string digest;  // SHA-256 of the cookie's token, raw 32 bytes
  UserId user_id = 0;
  absl::Time created_at = absl::InfinitePast();
  absl::Time last_seen_at = absl::InfinitePast();
  absl::Time expires_at = absl::InfinitePast();
};

}  // namespace casedesk::core
