// Records the customer-account pages keep: single-use links (email verification, password
// reset, invitations). The link carries 256 random bits; the store keeps only their SHA-256
// digest, the purpose, whose account it is, when it expires and when it was used.
// Thread-safe: values only.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/time/time.h"
#include "core/ids.h"

namespace casedesk::ports {

enum class AccountTokenPurpose { kVerify, kReset, kInvite };

inline constexpr std::array<std::pair<AccountTokenPurpose, std::string_view>, 3>
    kAccountTokenPurposeNames{{
        {AccountTokenPurpose::kVerify, "verify"},
        {AccountTokenPurpose::kReset, "reset"},
        {AccountTokenPurpose::kInvite, "invite"},
    }};

struct AccountToken {
  std::string digest;  // SHA-256 of the link's token, raw 32 bytes
  AccountTokenPurpose purpose = AccountTokenPurpose::kVerify;
  core::UserId user_id = 0;
  absl::Time created_at = absl::InfinitePast();
  absl::Time expires_at = absl::InfinitePast();
  std::optional<absl::Time> used_at;  // set once: a link works at most once
};

}  // namespace casedesk::ports
