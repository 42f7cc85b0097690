// The rules a new password chosen on the account pages must meet: at least 10 characters (at
// most 1,024, so hashing stays cheap to ask for), confirmed by typing it twice, and not made of
// the person's own address or name. Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string_view>

#include "absl/status/status.h"

namespace casedesk::app {

inline constexpr size_t kMinPasswordLength = 10;
inline constexpr size_t kMaxPasswordLength = 1024;

// InvalidArgument "password: ..." or "password_confirmation: ..." when refused.
absl::Status CheckNewPassword(std::string_view password, std::string_view confirmation,
                              std::string_view email, std::string_view name);

}  // namespace casedesk::app
