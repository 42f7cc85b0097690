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

}  // namespace casedesk::core
