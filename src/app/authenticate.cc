#include "app/authenticate.h"

#include <optional>
#include <string>

namespace casedesk::app {
namespace {

// Tokens longer than this are not ours; refusing them early bounds the digest work per request.
constexpr size_t kMaxApiTokenLength = 512;

absl::Status NotAuthenticated() {
  return absl::UnauthenticatedError("a valid API token is required");
}

}  // namespace

absl::StatusOr<core::Viewer> ViewerForUser(ports::StoreTransaction& txn, const core::User& user) {
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(user.org_id);
  if (!org.ok()) return org.status();
  core::Viewer viewer;
  viewer.user_id = user.id;
  viewer.role = user.role;
  viewer.org_id = user.org_id;
  viewer.org_admin = user.org_admin;
  viewer.sees_security_incidents = core::SeesSecurityIncidents(user);
  viewer.org_shares_cases = org->shares_cases;
  if (user.role == core::Role::kPartnerAgent) {
    absl::StatusOr<std::vector<core::OrgId>> children = txn.ListChildOrganisationIds(org->id);
    if (!children.ok()) return children.status();
    viewer.child_org_ids = *std::move(children);
  }
  return viewer;
}

absl::StatusOr<Caller> AuthenticateToken(AppContext& context, std::string_view token) {
  if (token.empty() || token.size() > kMaxApiTokenLength) return NotAuthenticated();
  const std::string digest = context.crypto.Digest(token);
  const absl::Time now = context.clock.Now();
  if (std::optional<Caller> cached = context.callers->Get(digest, now)) return *std::move(cached);
  const uint64_t generation = context.callers->generation();
  std::optional<Caller> caller;
  bool rejected = false;
  const absl::Status status = context.store.Read([&](ports::StoreTransaction& txn) {
    absl::StatusOr<core::ApiToken> stored = txn.FindApiTokenByDigest(digest);
    if (absl::IsNotFound(stored.status())) {
      rejected = true;
      return absl::OkStatus();
    }
    if (!stored.ok()) return stored.status();
    // The index lookup already matched; comparing again in constant time keeps a store that
    // matched loosely (a prefix, a collation) from ever letting a different token through.
    if (!context.crypto.ConstantTimeEquals(stored->digest, digest) ||
        stored->revoked_at.has_value()) {
      rejected = true;
      return absl::OkStatus();
    }
    absl::StatusOr<core::User> user = txn.GetUser(stored->user_id);
    if (absl::IsNotFound(user.status())) {
      rejected = true;
      return absl::OkStatus();
    }
    if (!user.ok()) return user.status();
    if (!user->active) {
      rejected = true;
      return absl::OkStatus();
    }
    absl::StatusOr<core::Viewer> viewer = ViewerForUser(txn, *user);
    if (!viewer.ok()) return viewer.status();
    caller = Caller{*std::move(viewer), *std::move(user)};
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  if (rejected || !caller.has_value()) return NotAuthenticated();
  context.callers->Put(digest, *caller, generation, now);
  return *std::move(caller);
}

}  // namespace casedesk::app
