// Initialising a desk: the one-time set-up `casedesk init` runs on an empty store. Creates the
// provider organisation, its first admin (verified, org admin, argon2id password), the default
// support plans, the default severity definitions, the shared triage queue, and an audit event
// for each, all in one transaction. Thread-safe: a function over the thread-safe ports; of two
// concurrent calls one fails with AlreadyExists.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "core/organisation.h"
#include "core/user.h"

namespace casedesk::app {

inline constexpr size_t kMinAdminPasswordLength = 8;
inline constexpr char kTriageGroupName[] = "Triage";

struct InitDeskRequest {
  std::string admin_email;
  std::string admin_password;  // empty: generate a random one
  std::string provider_name;   // empty: "Support"
};

struct InitDeskResult {
  core::Organisation provider;
  core::User admin;
  std::string admin_password;  // to print once; never stored
  bool password_generated = false;
};

// Blocks until the set-up is durable. AlreadyExists when the desk is already initialised;
// InvalidArgument for a malformed email or a password shorter than kMinAdminPasswordLength.
absl::StatusOr<InitDeskResult> InitDesk(AppContext& context, InitDeskRequest request);

}  // namespace casedesk::app
