#include "app/account_links.h"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "app/account_passwords.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

// Tokens longer than this are not ours; refusing them early bounds the digest work.
constexpr size_t kMaxTokenLength = 512;

absl::Status InvalidLink() { return absl::NotFoundError(std::string(kInvalidLinkMessage)); }

bool Accepts(std::span<const ports::AccountTokenPurpose> accepted,
             ports::AccountTokenPurpose purpose) {
  return std::find(accepted.begin(), accepted.end(), purpose) != accepted.end();
}

// The link behind `digest` and its user, when the link may still be used at `now`.
absl::StatusOr<AccountLinkOwner> LoadUsableLink(
    ports::StoreTransaction& txn, const ports::Crypto& crypto, const std::string& digest,
    std::span<const ports::AccountTokenPurpose> accepted, absl::Time now) {
  absl::StatusOr<std::optional<ports::AccountToken>> found = txn.FindAccountToken(digest);
  if (!found.ok()) return found.status();
  // The index lookup already matched; comparing again in constant time keeps a store that
  // matched loosely from ever letting a different link through.
  if (!found->has_value() || !crypto.ConstantTimeEquals((*found)->digest, digest) ||
      (*found)->used_at.has_value() || now >= (*found)->expires_at ||
      !Accepts(accepted, (*found)->purpose)) {
    return InvalidLink();
  }
  absl::StatusOr<core::User> user = txn.GetUser((*found)->user_id);
  if (absl::IsNotFound(user.status())) return InvalidLink();
  if (!user.ok()) return user.status();
  if (!user->active) return InvalidLink();
  return AccountLinkOwner{(*found)->purpose, *std::move(user)};
}

std::string EventKind(ports::AccountTokenPurpose purpose) {
  switch (purpose) {
    case ports::AccountTokenPurpose::kVerify:
      return "user.verified";
    case ports::AccountTokenPurpose::kInvite:
      return "user.invitation_accepted";
    case ports::AccountTokenPurpose::kReset:
      return "user.password_reset";
  }
  return "user.verified";
}

}  // namespace

absl::Duration AccountLinkLifetime(ports::AccountTokenPurpose purpose) {
  switch (purpose) {
    case ports::AccountTokenPurpose::kVerify:
      return kVerifyLinkLifetime;
    case ports::AccountTokenPurpose::kReset:
      return kResetLinkLifetime;
    case ports::AccountTokenPurpose::kInvite:
      return kInviteLinkLifetime;
  }
  return kResetLinkLifetime;
}

nlohmann::json AccountLinkMailValues(std::string_view public_url,
                                     ports::AccountTokenPurpose purpose, std::string_view token) {
  const int64_t hours = absl::ToInt64Hours(AccountLinkLifetime(purpose));
  return {{"link", AccountLinkUrl(public_url, purpose, token)},
          {"expires_hours", hours},
          {"expires_in", absl::StrCat(hours, hours == 1 ? " hour" : " hours")}};
}

std::string_view AccountLinkPath(ports::AccountTokenPurpose purpose) {
  return purpose == ports::AccountTokenPurpose::kReset ? "/password/reset" : "/verify";
}

std::string AccountLinkUrl(std::string_view public_url, ports::AccountTokenPurpose purpose,
                           std::string_view token) {
  std::string base(public_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  // Tokens are URL-safe already (ports::Crypto::RandomToken).
  return absl::StrCat(base, std::string(AccountLinkPath(purpose)), "?token=", std::string(token));
}

absl::StatusOr<std::string> IssueAccountLink(ports::StoreTransaction& txn,
                                             const ports::Crypto& crypto,
                                             ports::AccountTokenPurpose purpose,
                                             core::UserId user_id, absl::Time now) {
  // Expired links are swept here, so the table stays small without a worker of its own.
  if (absl::StatusOr<int64_t> swept = txn.DeleteExpiredAccountTokens(now); !swept.ok()) {
    return swept.status();
  }
  std::string token = crypto.RandomToken();
  ports::AccountToken row;
  row.digest = crypto.Digest(token);
  row.purpose = purpose;
  row.user_id = user_id;
  row.created_at = now;
  row.expires_at = now + AccountLinkLifetime(purpose);
  if (absl::Status inserted = txn.InsertAccountToken(row); !inserted.ok()) return inserted;
  return token;
}

absl::StatusOr<AccountLinkOwner> CheckAccountLink(
    AppContext& context, std::string_view token,
    std::span<const ports::AccountTokenPurpose> accepted) {
  if (token.empty() || token.size() > kMaxTokenLength) return InvalidLink();
  const std::string digest = context.crypto.Digest(token);
  const absl::Time now = context.clock.Now();
  return ReadValue<AccountLinkOwner>(context.store, [&](ports::StoreTransaction& txn) {
    return LoadUsableLink(txn, context.crypto, digest, accepted, now);
  });
}

void UseAccountLink(AppContext& context, std::span<const ports::AccountTokenPurpose> accepted,
                    AccountLinkUse use, Done<SignedIn> done) {
  absl::StatusOr<AccountLinkOwner> owner = CheckAccountLink(context, use.token, accepted);
  if (!owner.ok()) return done(owner.status());
  if (absl::Status rules = CheckNewPassword(use.password, use.password_confirmation,
                                            owner->user.email, owner->user.name);
      !rules.ok()) {
    return done(rules);
  }
  // Hashing is deliberately slow: do it before the write, never inside the store's commit.
  absl::StatusOr<std::string> hash = context.crypto.HashPassword(use.password);
  if (!hash.ok()) return done(hash.status());

  const absl::Time now = context.clock.Now();
  const std::string digest = context.crypto.Digest(use.token);
  SignedIn signed_in;
  signed_in.token = context.crypto.RandomToken();
  signed_in.session.digest = context.crypto.Digest(signed_in.token);
  signed_in.session.created_at = now;
  signed_in.session.last_seen_at = now;
  signed_in.session.expires_at = now + kSessionLifetime;
  std::vector<ports::AccountTokenPurpose> purposes(accepted.begin(), accepted.end());
  WriteValue<SignedIn>(
      context.store,
      [&crypto = context.crypto, digest, purposes = std::move(purposes), hash = *std::move(hash),
       signed_in = std::move(signed_in), remote = std::move(use.remote_address),
       now](ports::StoreTransaction& txn) -> absl::StatusOr<SignedIn> {
        // Checked again inside the unit of work: the link may have been used meanwhile.
        absl::StatusOr<AccountLinkOwner> link = LoadUsableLink(txn, crypto, digest, purposes, now);
        if (!link.ok()) return link.status();
        absl::StatusOr<bool> claimed = txn.UseAccountToken(digest, now);
        if (!claimed.ok()) return claimed.status();
        if (!*claimed) return InvalidLink();
        core::User user = std::move(link->user);
        const bool was_verified = user.verified;
        const bool had_password = !user.password_hash.empty();
        user.password_hash = hash;
        user.verified = true;
        if (absl::Status updated = txn.UpdateUser(user); !updated.ok()) return updated;
        // The new password makes every other link and every other session void.
        if (absl::Status voided = txn.UseUserAccountTokens(user.id, now); !voided.ok()) {
          return voided;
        }
        if (absl::Status ended = txn.DeleteUserWebSessions(user.id); !ended.ok()) return ended;
        SignedIn committed = signed_in;
        committed.session.user_id = user.id;
        if (absl::Status inserted = txn.InsertWebSession(committed.session); !inserted.ok()) {
          return inserted;
        }
        // The events say what changed, never the password.
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "verified", BoolText(was_verified), "true");
        changes.push_back({"password", had_password ? "set" : "none", "changed"});
        core::AuditEvent event = MakeAuditEvent("user", absl::StrCat(user.id), user.id, now,
                                                EventKind(link->purpose), std::move(changes));
        event.reason =
            remote.empty() ? "account link" : absl::StrCat("account link (from ", remote, ")");
        if (absl::StatusOr<core::EventId> appended = txn.AppendEvent(event); !appended.ok()) {
          return appended.status();
        }
        committed.user = std::move(user);
        return committed;
      },
      InvalidateCallersThen<SignedIn>(context.callers, std::move(done)));
}

}  // namespace casedesk::app
