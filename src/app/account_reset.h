// Asking for a password reset from the sign-in page's "Forgot your password?". An active
// account's address gets a reset link (account_links.h, valid 1 h, single use); any other
// address gets nothing. The page's answer is the same either way and does not wait for the
// unit of work (account_requests.h), so it tells nobody which addresses have accounts.
// Thread-safe: stateless functions over the thread-safe context and throttle.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "app/app_context.h"
#include "app/sign_in_throttle.h"
#include "app/store_calls.h"

namespace casedesk::app {

struct PasswordResetRequest {
  std::string email;
  std::string remote_address;  // recorded in the audit event; may be empty
};

// What a request caused; for logs and tests only.
enum class PasswordResetResult { kMailed, kUnknownAddress, kAccountInactive };

// InvalidArgument "email: ..." or ResourceExhausted at once (as SignUp); when OK, `done` gets
// the outcome after the commit. Audit: "user.password_reset_requested".
absl::Status RequestPasswordReset(AppContext& context, SignInThrottle& throttle,
                                  PasswordResetRequest request, Done<PasswordResetResult> done);

}  // namespace casedesk::app
