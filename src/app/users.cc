#include "app/users.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "app/store_calls.h"

namespace casedesk::app {
namespace {

constexpr size_t kMaxUserNameLength = 200;
constexpr size_t kMaxSkills = 20;
constexpr size_t kMaxSkillLength = 40;
constexpr size_t kMaxPinLength = 32;

absl::Status UserNotFound(core::UserId id) {
  return absl::NotFoundError(absl::StrCat("user ", id, " not found"));
}

absl::Status ValidateName(const std::string& name) {
  if (name.empty() || name.size() > kMaxUserNameLength) {
    return absl::InvalidArgumentError("name must be 1 to 200 characters");
  }
  return absl::OkStatus();
}

std::string RoleName(core::Role role) {
  return std::string(core::NameOf<core::Role>(core::kRoleNames, role));
}

std::string TierName(core::Tier tier) {
  return std::string(core::NameOf<core::Tier>(core::kTierNames, tier));
}

// Tiers and skills describe provider staff; anyone else keeps none.
absl::Status CheckStaffAttributes(core::Role role, core::Tier tier,
                                  const std::vector<std::string>& skills) {
  if (core::IsProviderStaff(role)) return absl::OkStatus();
  if (tier != core::Tier::kNone) {
    return absl::InvalidArgumentError("tier applies only to provider staff");
  }
  if (!skills.empty()) return absl::InvalidArgumentError("skills apply only to provider staff");
  return absl::OkStatus();
}

// The user and their organisation, NotFound unless the viewer may see that organisation.
struct VisibleUser {
  core::User user;
  core::Organisation org;
};

absl::StatusOr<VisibleUser> LoadVisibleUser(ports::StoreTransaction& txn,
                                            const core::Viewer& viewer, core::UserId id) {
  absl::StatusOr<core::User> user = txn.GetUser(id);
  if (absl::IsNotFound(user.status())) return UserNotFound(id);
  if (!user.ok()) return user.status();
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(user->org_id);
  if (!org.ok()) return org.status();
  if (!core::CanSeeOrganisation(viewer, *org)) return UserNotFound(id);
  return VisibleUser{*std::move(user), *std::move(org)};
}

}  // namespace

absl::Status CheckCanManageUser(const core::Viewer& viewer, const core::User& user,
                                const core::Organisation& org) {
  core::User probe = user;
  probe.verified = false;  // the verified rule is about setting the flag, not about managing
  return core::CheckCanCreateUser(viewer, probe, org);
}

absl::StatusOr<std::vector<std::string>> NormaliseSkills(const std::vector<std::string>& skills) {
  std::vector<std::string> unique;
  for (const std::string& skill : skills) {
    const bool well_formed =
        !skill.empty() && skill.size() <= kMaxSkillLength &&
        std::all_of(skill.begin(), skill.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        });
    if (!well_formed) {
      return absl::InvalidArgumentError(
          "each skill must be 1 to 40 lower-case letters, digits, '-' or '_'");
    }
    if (std::find(unique.begin(), unique.end(), skill) == unique.end()) unique.push_back(skill);
  }
  if (unique.size() > kMaxSkills) return absl::InvalidArgumentError("at most 20 skills");
  return unique;
}

void CreateUser(AppContext& context, const core::Viewer& viewer, NewUser request,
                std::function<void(absl::StatusOr<core::User>)> done) {
  core::User user;
  user.email = core::NormaliseEmail(request.email);
  if (user.email.empty()) return done(absl::InvalidArgumentError("email is not a valid address"));
  if (absl::Status name = ValidateName(request.name); !name.ok()) return done(name);
  absl::StatusOr<std::vector<std::string>> skills = NormaliseSkills(request.skills);
  if (!skills.ok()) return done(skills.status());
  if (absl::Status staff = CheckStaffAttributes(request.role, request.tier, *skills); !staff.ok()) {
    return done(staff);
  }
  user.name = std::move(request.name);
  user.role = request.role;
  user.org_id = request.org_id;
  user.tier = request.tier;
  user.skills = *std::move(skills);
  user.verified = request.verified;
  user.org_admin = request.org_admin;
  user.active = true;
  user.created_at = context.clock.Now();
  WriteValue<core::User>(
      context.store,
      [viewer, user = std::move(user)](ports::StoreTransaction& txn) -> absl::StatusOr<core::User> {
        absl::StatusOr<core::Organisation> org = txn.GetOrganisation(user.org_id);
        if (absl::IsNotFound(org.status()) ||
            (org.ok() && !core::CanSeeOrganisation(viewer, *org))) {
          return absl::NotFoundError(absl::StrCat("organisation ", user.org_id, " not found"));
        }
        if (!org.ok()) return org.status();
        if (absl::Status allowed = core::CheckCanCreateUser(viewer, user, *org); !allowed.ok()) {
          return allowed;
        }
        const absl::Status taken = txn.FindUserByEmail(user.email).status();
        if (taken.ok()) {
          return absl::AlreadyExistsError("a user with this email address already exists");
        }
        if (!absl::IsNotFound(taken)) return taken;
        absl::StatusOr<core::UserId> id = txn.InsertUser(user);
        if (absl::IsAlreadyExists(id.status())) {
          return absl::AlreadyExistsError("a user with this email address already exists");
        }
        if (!id.ok()) return id.status();
        core::User created = user;
        created.id = *id;
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "email", "", created.email);
        core::RecordChange(changes, "name", "", created.name);
        core::RecordChange(changes, "role", "", RoleName(created.role));
        core::RecordChange(changes, "org_id", "", absl::StrCat(created.org_id));
        if (created.tier != core::Tier::kNone) {
          core::RecordChange(changes, "tier", "", TierName(created.tier));
        }
        core::RecordChange(changes, "skills", "", absl::StrJoin(created.skills, ","));
        core::RecordChange(changes, "verified", "", BoolText(created.verified));
        core::RecordChange(changes, "org_admin", "", BoolText(created.org_admin));
        absl::StatusOr<core::EventId> event =
            txn.AppendEvent(MakeAuditEvent("user", absl::StrCat(created.id), viewer.user_id,
                                           created.created_at, "user.created", std::move(changes)));
        if (!event.ok()) return event.status();
        return created;
      },
      std::move(done));
}

absl::StatusOr<core::User> GetUser(AppContext& context, const core::Viewer& viewer,
                                   core::UserId id) {
  absl::StatusOr<VisibleUser> found = ReadValue<VisibleUser>(
      context.store,
      [&viewer, id](ports::StoreTransaction& txn) { return LoadVisibleUser(txn, viewer, id); });
  if (!found.ok()) return found.status();
  return std::move(found->user);
}

absl::StatusOr<ports::Page<core::User>> ListUsers(AppContext& context, const core::Viewer& viewer,
                                                  const UserListRequest& request) {
  ports::UserFilter filter;
  if (!core::IsProviderStaff(viewer.role)) {
    std::vector<core::OrgId> visible{viewer.org_id};
    if (viewer.role == core::Role::kPartnerAgent) {
      visible.insert(visible.end(), viewer.child_org_ids.begin(), viewer.child_org_ids.end());
    }
    filter.only_org_ids = std::move(visible);
  }
  filter.org_id = request.org_id;
  filter.role = request.role;
  filter.page = request.page;
  return ReadValue<ports::Page<core::User>>(
      context.store, [&filter](ports::StoreTransaction& txn) { return txn.ListUsers(filter); });
}

void UpdateUser(AppContext& context, const core::Viewer& viewer, core::UserId id, UserPatch patch,
                std::function<void(absl::StatusOr<core::User>)> done) {
  if (patch.name) {
    if (absl::Status name = ValidateName(*patch.name); !name.ok()) return done(name);
  }
  if (patch.skills) {
    absl::StatusOr<std::vector<std::string>> skills = NormaliseSkills(*patch.skills);
    if (!skills.ok()) return done(skills.status());
    patch.skills = *std::move(skills);
  }
  const absl::Time now = context.clock.Now();
  WriteValue<core::User>(
      context.store,
      [viewer, id, patch = std::move(patch),
       now](ports::StoreTransaction& txn) -> absl::StatusOr<core::User> {
        absl::StatusOr<VisibleUser> found = LoadVisibleUser(txn, viewer, id);
        if (!found.ok()) return found.status();
        const core::User& before = found->user;
        const bool is_self = viewer.user_id == before.id;
        const bool is_admin = core::IsAdmin(viewer);
        const bool manages = CheckCanManageUser(viewer, before, found->org).ok();
        const auto denied = [](std::string_view field) {
          return absl::PermissionDeniedError("you may not change " + std::string(field) +
                                             " for this user");
        };
        core::User after = before;
        if (patch.role && *patch.role != before.role) {
          if (absl::Status allowed =
                  core::CheckCanChangeRole(viewer, before, found->org, *patch.role);
              !allowed.ok()) {
            return allowed;
          }
          after = core::WithRole(std::move(after), *patch.role);
        }
        if (patch.name) {
          if (!is_self && !manages) return denied("name");
          after.name = *patch.name;
        }
        if (patch.active) {
          if (!manages) return denied("active");
          if (is_self && !*patch.active) {
            return absl::FailedPreconditionError("you cannot deactivate yourself");
          }
          after.active = *patch.active;
        }
        if (patch.org_admin) {
          if (!manages) return denied("org_admin");
          after.org_admin = *patch.org_admin;
        }
        if (patch.tier) {
          if (!is_admin) return denied("tier");
          after.tier = *patch.tier;
        }
        if (patch.skills) {
          if (!is_admin) return denied("skills");
          after.skills = *patch.skills;
        }
        if (patch.verified) {
          if (!is_admin) return denied("verified");
          after.verified = *patch.verified;
        }
        if (absl::Status staff = CheckStaffAttributes(after.role, after.tier, after.skills);
            !staff.ok()) {
          return staff;
        }
        std::vector<core::FieldChange> changes;
        core::RecordChange(changes, "role", RoleName(before.role), RoleName(after.role));
        core::RecordChange(changes, "name", before.name, after.name);
        core::RecordChange(changes, "active", BoolText(before.active), BoolText(after.active));
        core::RecordChange(changes, "org_admin", BoolText(before.org_admin),
                           BoolText(after.org_admin));
        core::RecordChange(changes, "tier", TierName(before.tier), TierName(after.tier));
        core::RecordChange(changes, "skills", absl::StrJoin(before.skills, ","),
                           absl::StrJoin(after.skills, ","));
        core::RecordChange(changes, "verified", BoolText(before.verified),
                           BoolText(after.verified));
        if (changes.empty()) return after;
        if (absl::Status update = txn.UpdateUser(after); !update.ok()) return update;
        // Sessions signed in under the old role end with it.
        if (after.role != before.role) {
          if (absl::Status ended = txn.DeleteUserWebSessions(id); !ended.ok()) return ended;
        }
        absl::StatusOr<core::EventId> event = txn.AppendEvent(MakeAuditEvent(
            "user", absl::StrCat(id), viewer.user_id, now, "user.updated", std::move(changes)));
        if (!event.ok()) return event.status();
        return after;
      },
      InvalidateCallersThen<core::User>(context.callers, std::move(done)));
}

void RotateSupportPin(AppContext& context, const core::Viewer& viewer, core::UserId id,
                      std::function<void(absl::StatusOr<IssuedPin>)> done) {
  if (viewer.user_id != id && !core::IsAdmin(viewer)) {
    // Someone else's PIN: NotFound when the viewer may not even see the person.
    const absl::Status visible =
        ReadValue<VisibleUser>(context.store, [&viewer, id](ports::StoreTransaction& txn) {
          return LoadVisibleUser(txn, viewer, id);
        }).status();
    if (!visible.ok()) return done(visible);
    return done(
        absl::PermissionDeniedError("only the user themself or an admin may rotate a support PIN"));
  }
  IssuedPin issued{id, context.crypto.RandomPin(kSupportPinDigits)};
  // Hashing is deliberately slow: do it before the write, never inside the store's commit.
  absl::StatusOr<std::string> hash = context.crypto.HashPassword(issued.pin);
  if (!hash.ok()) return done(hash.status());
  const absl::Time now = context.clock.Now();
  WriteValue<IssuedPin>(
      context.store,
      [viewer, issued = std::move(issued), hash = *std::move(hash),
       now](ports::StoreTransaction& txn) -> absl::StatusOr<IssuedPin> {
        absl::StatusOr<VisibleUser> found = LoadVisibleUser(txn, viewer, issued.user_id);
        if (!found.ok()) return found.status();
        core::User user = std::move(found->user);
        const bool had_pin = !user.pin_hash.empty();
        user.pin_hash = hash;
        if (absl::Status update = txn.UpdateUser(user); !update.ok()) return update;
        // The event says that the PIN changed, never what it is.
        std::vector<core::FieldChange> changes{{"pin", had_pin ? "set" : "none", "rotated"}};
        absl::StatusOr<core::EventId> event =
            txn.AppendEvent(MakeAuditEvent("user", absl::StrCat(user.id), viewer.user_id, now,
                                           "user.pin_rotated", std::move(changes)));
        if (!event.ok()) return event.status();
        return issued;
      },
      std::move(done));
}

absl::StatusOr<bool> VerifySupportPin(AppContext& context, const core::Viewer& viewer,
                                      core::UserId id, std::string_view pin) {
  if (!core::IsProviderStaff(viewer.role)) {
    return absl::PermissionDeniedError("only support staff may check a support PIN");
  }
  if (pin.empty() || pin.size() > kMaxPinLength) {
    return absl::InvalidArgumentError("pin must be 1 to 32 characters");
  }
  absl::StatusOr<VisibleUser> found = ReadValue<VisibleUser>(
      context.store,
      [&viewer, id](ports::StoreTransaction& txn) { return LoadVisibleUser(txn, viewer, id); });
  if (!found.ok()) return found.status();
  if (found->user.pin_hash.empty()) return false;
  // argon2id verification compares the derived hashes in constant time.
  return context.crypto.VerifyPassword(found->user.pin_hash, pin);
}

}  // namespace casedesk::app
