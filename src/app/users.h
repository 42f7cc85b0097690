// People use cases: creating contacts, agents and admins under core::CheckCanCreateUser,
// reading them within the organisations the caller may see (anyone else is NotFound), changing
// them, and the support PIN a contact quotes when they call or write from an unfamiliar
// channel. The PIN is stored only as an argon2id hash (six digits are too few for a plain
// digest to hide them), shown once when rotated, and checked by provider staff.
// Every change writes its audit event in the same transaction. Thread-safe: functions over the
// thread-safe ports.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "core/access.h"
#include "core/user.h"
#include "ports/store.h"

namespace casedesk::app {

inline constexpr int kSupportPinDigits = 6;

struct NewUser {
  std::string email;
  std::string name;
  core::Role role = core::Role::kCustomer;
  core::OrgId org_id = 0;
  core::Tier tier = core::Tier::kNone;
  std::vector<std::string> skills;
  bool verified = false;
  bool org_admin = false;
};

// Fields a PATCH may change; unset fields stay. Who may change what: the user themself their
// name; whoever manages the user's organisation (see CheckCanManageUser) name, active and
// org_admin; admins also tier, skills and verified, and the role of anyone but themselves under
// core::CheckCanChangeRole. A role equal to the current one changes nothing.
struct UserPatch {
  std::optional<std::string> name;
  std::optional<core::Tier> tier;
  std::optional<std::vector<std::string>> skills;
  std::optional<bool> active;
  std::optional<bool> org_admin;
  std::optional<bool> verified;
  std::optional<core::Role> role;
};

struct UserListRequest {
  std::optional<core::OrgId> org_id;
  std::optional<core::Role> role;
  ports::PageRequest page;
};

struct IssuedPin {
  core::UserId user_id = 0;
  std::string pin;  // shown once; only its hash is stored
};

// May the viewer manage this existing person (deactivate them, make them org admin)? The same
// people the viewer could have created, by core::CheckCanCreateUser.
absl::Status CheckCanManageUser(const core::Viewer& viewer, const core::User& user,
                                const core::Organisation& org);

// Skills are short lower-case words (network, storage, platform, security, ...), at most 20.
// Returns them de-duplicated in their given order.
absl::StatusOr<std::vector<std::string>> NormaliseSkills(const std::vector<std::string>& skills);

// AlreadyExists (409) when the address is taken; NotFound when the organisation is not one the
// viewer may see.
void CreateUser(AppContext& context, const core::Viewer& viewer, NewUser request,
                std::function<void(absl::StatusOr<core::User>)> done);

absl::StatusOr<core::User> GetUser(AppContext& context, const core::Viewer& viewer,
                                   core::UserId id);

absl::StatusOr<ports::Page<core::User>> ListUsers(AppContext& context, const core::Viewer& viewer,
                                                  const UserListRequest& request);

// NotFound for a person the viewer may not see. A role change drops the tier and skills of one
// who leaves provider staff (core::WithRole) and ends the person's web sessions, so they sign in
// again under the new role; like every change, it invalidates the cached callers before `done`.
void UpdateUser(AppContext& context, const core::Viewer& viewer, core::UserId id, UserPatch patch,
                std::function<void(absl::StatusOr<core::User>)> done);

// A new random PIN for the user, replacing the old one. The user themself or an admin.
void RotateSupportPin(AppContext& context, const core::Viewer& viewer, core::UserId id,
                      std::function<void(absl::StatusOr<IssuedPin>)> done);

// Does `pin` match the user's current PIN? Provider staff only. False when the user has none.
absl::StatusOr<bool> VerifySupportPin(AppContext& context, const core::Viewer& viewer,
                                      core::UserId id, std::string_view pin);

}  // namespace casedesk::app
