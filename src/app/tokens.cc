#include "app/tokens.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "app/store_calls.h"
#include "core/user.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxTokenNameLength = 100;

absl::StatusOr<core::User> FindOwner(ports::StoreTransaction& txn, const TokenOwner& owner) {
  if (owner.user_id) {
    absl::StatusOr<core::User> user = txn.GetUser(*owner.user_id);
    if (absl::IsNotFound(user.status())) {
      return absl::NotFoundError(absl::StrCat("user ", *owner.user_id, " not found"));
    }
    return user;
  }
  const std::string email = core::NormaliseEmail(owner.email);
  if (email.empty()) return absl::InvalidArgumentError("email is not a valid address");
  absl::StatusOr<core::User> user = txn.FindUserByEmail(email);
  if (absl::IsNotFound(user.status())) {
    return absl::NotFoundError("no user with email address " + email);
  }
  return user;
}

// The actor may issue a token for `owner`: the system and admins for anyone, others only for
// themselves. Someone the actor may not see is NotFound.
absl::Status CheckMayIssue(ports::StoreTransaction& txn, const std::optional<core::Viewer>& actor,
                           const core::User& owner) {
  if (!actor || core::IsAdmin(*actor) || actor->user_id == owner.id) return absl::OkStatus();
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(owner.org_id);
  if (!org.ok()) return org.status();
  if (!core::CanSeeOrganisation(*actor, *org)) {
    return absl::NotFoundError(absl::StrCat("user ", owner.id, " not found"));
  }
  return absl::PermissionDeniedError("you may create tokens only for yourself");
}

}  // namespace

void CreateApiToken(AppContext& context, const std::optional<core::Viewer>& actor, TokenOwner owner,
                    std::string name, std::function<void(absl::StatusOr<IssuedToken>)> done) {
  if (name.empty()) name = "api";
  if (name.size() > kMaxTokenNameLength) {
    return done(absl::InvalidArgumentError("name must be at most 100 characters"));
  }
  IssuedToken issued;
  issued.secret = context.crypto.RandomToken();
  issued.token.digest = context.crypto.Digest(issued.secret);
  issued.token.name = std::move(name);
  issued.token.created_at = context.clock.Now();
  WriteValue<IssuedToken>(
      context.store,
      [actor, owner = std::move(owner),
       issued = std::move(issued)](ports::StoreTransaction& txn) -> absl::StatusOr<IssuedToken> {
        absl::StatusOr<core::User> user = FindOwner(txn, owner);
        if (!user.ok()) return user.status();
        if (absl::Status allowed = CheckMayIssue(txn, actor, *user); !allowed.ok()) {
          return allowed;
        }
        if (!user->active) {
          return absl::FailedPreconditionError("the user is not active");
        }
        IssuedToken result = issued;
        result.token.user_id = user->id;
        absl::StatusOr<core::TokenId> id = txn.InsertApiToken(result.token);
        if (!id.ok()) return id.status();
        result.token.id = *id;
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "user_id", "", absl::StrCat(user->id));
        core::RecordChange(changes, "name", "", result.token.name);
        absl::StatusOr<core::EventId> event = txn.AppendEvent(
            MakeAuditEvent("token", absl::StrCat(result.token.id), actor ? actor->user_id : 0,
                           result.token.created_at, "token.created", std::move(changes)));
        if (!event.ok()) return event.status();
        return result;
      },
      std::move(done));
}

absl::StatusOr<IssuedToken> CreateApiToken(AppContext& context,
                                           const std::optional<core::Viewer>& actor,
                                           TokenOwner owner, std::string name) {
  return Await<IssuedToken>([&](Done<IssuedToken> done) {
    CreateApiToken(context, actor, std::move(owner), std::move(name), std::move(done));
  });
}

absl::StatusOr<std::vector<core::ApiToken>> ListApiTokens(AppContext& context,
                                                          const core::Viewer& actor,
                                                          core::UserId user_id) {
  if (!core::IsAdmin(actor) && actor.user_id != user_id) {
    return absl::NotFoundError(absl::StrCat("user ", user_id, " not found"));
  }
  return ReadValue<std::vector<core::ApiToken>>(
      context.store,
      [user_id](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::ApiToken>> {
        absl::StatusOr<core::User> user = txn.GetUser(user_id);
        if (absl::IsNotFound(user.status())) {
          return absl::NotFoundError(absl::StrCat("user ", user_id, " not found"));
        }
        if (!user.ok()) return user.status();
        return txn.ListApiTokens(user_id);
      });
}

void RevokeApiToken(AppContext& context, const core::Viewer& actor, core::TokenId token_id,
                    Done<core::ApiToken> done) {
  const absl::Time now = context.clock.Now();
  WriteValue<core::ApiToken>(
      context.store,
      [actor, token_id, now](ports::StoreTransaction& txn) -> absl::StatusOr<core::ApiToken> {
        absl::StatusOr<core::ApiToken> token = txn.GetApiToken(token_id);
        const bool visible =
            token.ok() && (core::IsAdmin(actor) || token->user_id == actor.user_id);
        if (absl::IsNotFound(token.status()) || (token.ok() && !visible)) {
          return absl::NotFoundError(absl::StrCat("token ", token_id, " not found"));
        }
        if (!token.ok()) return token.status();
        if (token->revoked_at) return token;  // already revoked: nothing changes
        if (absl::Status revoked = txn.RevokeApiToken(token_id, now); !revoked.ok()) {
          return revoked;
        }
        token->revoked_at = now;
        absl::StatusOr<core::EventId> event = txn.AppendEvent(
            MakeAuditEvent("token", absl::StrCat(token_id), actor.user_id, now, "token.revoked"));
        if (!event.ok()) return event.status();
        return token;
      },
      InvalidateCallersThen<core::ApiToken>(context.callers, std::move(done)));
}

}  // namespace casedesk::app
