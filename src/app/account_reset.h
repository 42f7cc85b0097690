// Asking for a password reset from the sign-in page's "Forgot your password?". An active
// account's address gets a reset link (account_links.h, valid 1 h, single use); any other
// address gets nothing. The page's answer is the same either way and does not wait for the
// unit of work (account_requests.h), so it tells nobody which addresses have accounts.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "app/account_requests.h"
#include "app/app_context.h"
#include "app/store_calls.h"

namespace casedesk::app {

struct PasswordResetRequest {
  std::string email;
  std::string remote_address;  // recorded in the audit event; may be empty
};

// What a request caused; for logs and tests only.
enum class PasswordResetResult { kMailed, kUnknownAddress, kAccountInactive };

// InvalidArgument "email: ..." at once; otherwise counted against kPasswordResetThrottle with
// `admitted` and `done` as for SignUp. Audit: "user.password_reset_requested".
absl::Status RequestPasswordReset(AppContext& context, PasswordResetRequest request,
                                  Admitted admitted, Done<PasswordResetResult> done);

}  // namespace casedesk::app
