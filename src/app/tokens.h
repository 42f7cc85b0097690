// API token issue. A token is a random secret from ports::Crypto::RandomToken, returned once;
// the store keeps only its SHA-256 digest (see app/authenticate.h). Callers may create tokens
// for themselves and admins for anyone; the command line acts as the system and may create one
// for any active user. Thread-safe: functions over the thread-safe ports.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/store_calls.h"
#include "core/access.h"
#include "core/credential.h"

namespace casedesk::app {

// Whom the token is for: by id, or else by email address.
struct TokenOwner {
  std::optional<core::UserId> user_id;
  std::string email;
};

struct IssuedToken {
  core::ApiToken token;  // as stored (digest, never the secret)
  std::string secret;    // the bearer token, shown once
};

// `actor` is the calling user, or nullopt for the system (the command line). NotFound when the
// owner does not exist or is someone the actor may not see; FailedPrecondition for an inactive
// owner. An empty name becomes "api".
void CreateApiToken(AppContext& context, const std::optional<core::Viewer>& actor,
                    TokenOwner owner, std::string name,
                    std::function<void(absl::StatusOr<IssuedToken>)> done);

// Blocking form for the command line: returns after the durable commit.
absl::StatusOr<IssuedToken> CreateApiToken(AppContext& context,
                                           const std::optional<core::Viewer>& actor,
                                           TokenOwner owner, std::string name);

// A user's tokens (never their secrets), newest first: the user themself or an admin; anyone
// else gets NotFound.
absl::StatusOr<std::vector<core::ApiToken>> ListApiTokens(AppContext& context,
                                                          const core::Viewer& actor,
                                                          core::UserId user_id);

// Revokes a token at once: its owner or an admin. Revoking twice keeps the first time.
void RevokeApiToken(AppContext& context, const core::Viewer& actor, core::TokenId token_id,
                    Done<core::ApiToken> done);

}  // namespace casedesk::app
