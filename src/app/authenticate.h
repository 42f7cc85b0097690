// Turns a bearer token into the Viewer it belongs to. Tokens are 256-bit random strings; the
// store keeps only their SHA-256 digest, looked up by index and compared in constant time, so a
// request costs one digest, not a password hash. Thread-safe.
#pragma once

#include <string_view>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/caller.h"
#include "core/access.h"
#include "core/user.h"

namespace casedesk::app {


// Unauthenticated for a missing, unknown or revoked token or an inactive user. The message never
// says which.
absl::StatusOr<Caller> AuthenticateToken(AppContext& context, std::string_view token);

// Builds the Viewer (organisation facts, a partner's customer organisations) for a user.
absl::StatusOr<core::Viewer> ViewerForUser(ports::StoreTransaction& txn, const core::User& user);

}  // namespace casedesk::app
