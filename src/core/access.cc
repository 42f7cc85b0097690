#include "core/access.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace casedesk::core {
namespace {

bool Contains(const std::vector<OrgId>& ids, OrgId id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

CaseScope ScopeFor(const Viewer& viewer) {
  CaseScope scope;
  switch (viewer.role) {
    case Role::kAgent:
    case Role::kSuccessManager:
    case Role::kAdmin:
      scope.all = true;
      scope.hide_security_incidents = !viewer.sees_security_incidents;
      break;
    case Role::kPartnerAgent:
      scope.org_ids.push_back(viewer.org_id);
      scope.org_ids.insert(scope.org_ids.end(), viewer.child_org_ids.begin(),
                           viewer.child_org_ids.end());
      scope.participant = viewer.user_id;  // a partner agent copied on a case sees it too
      break;
    case Role::kCustomer:
      if (viewer.org_shares_cases || viewer.org_admin) scope.org_ids.push_back(viewer.org_id);
      scope.participant = viewer.user_id;
      break;
  }
  return scope;
}

bool SeesSecurityIncidents(const User& user) {
  if (!IsProviderStaff(user.role)) return false;
  if (user.tier == Tier::kSupportManager || user.tier == Tier::kExecutive) return true;
  return std::find(user.skills.begin(), user.skills.end(), kSecuritySkill) != user.skills.end();
}

bool CanSeeCase(const CaseScope& scope, const Case& c) {
  if (scope.hide_security_incidents && c.security_incident) return false;
  if (scope.all) return true;
  if (Contains(scope.org_ids, c.org_id)) return true;
  if (scope.participant) {
    const UserId who = *scope.participant;
    if (c.requester_id == who) return true;
    return std::find(c.followers.begin(), c.followers.end(), who) != c.followers.end();
  }
  return false;
}

bool CanSeeCase(const Viewer& viewer, const Case& c) { return CanSeeCase(ScopeFor(viewer), c); }

bool CanSeeInternal(const Viewer& viewer) { return IsProviderStaff(viewer.role); }

bool CanSeeComment(const Viewer& viewer, Visibility visibility) {
  return visibility == Visibility::kPublic || CanSeeInternal(viewer);
}

bool CanOpenCaseFor(const Viewer& viewer, const Organisation& org) {
  if (IsProviderStaff(viewer.role)) return org.kind != OrgKind::kProvider;
  if (viewer.role == Role::kPartnerAgent) {
    return org.id == viewer.org_id || Contains(viewer.child_org_ids, org.id);
  }
  return org.id == viewer.org_id;
}

bool CanTriage(const Viewer& viewer) { return IsProviderStaff(viewer.role); }

absl::Status CheckStatusChangeAllowed(const Viewer& viewer, CaseStatus to) {
  if (IsProviderStaff(viewer.role)) return absl::OkStatus();
  if (to == CaseStatus::kSolved || to == CaseStatus::kOpen) return absl::OkStatus();
  if (viewer.role == Role::kPartnerAgent && to == CaseStatus::kPending) return absl::OkStatus();
  return absl::PermissionDeniedError("only support staff may set this status");
}

bool CanSeeOrganisation(const Viewer& viewer, const Organisation& org) {
  if (IsProviderStaff(viewer.role)) return true;
  if (org.id == viewer.org_id) return true;
  return viewer.role == Role::kPartnerAgent && Contains(viewer.child_org_ids, org.id);
}

absl::Status CheckCanCreateUser(const Viewer& viewer, const User& user, const Organisation& org) {
  if (user.verified && viewer.role != Role::kAdmin) {
    return absl::PermissionDeniedError("only an admin may mark an address verified");
  }
  if (viewer.role == Role::kAdmin) return CheckRoleFitsOrganisation(user.role, org.kind);
  if (IsProviderStaff(viewer.role)) {
    if (user.role == Role::kCustomer && org.kind == OrgKind::kCustomer) return absl::OkStatus();
    if (user.role == Role::kPartnerAgent && org.kind == OrgKind::kPartner) {
      return absl::OkStatus();
    }
    return absl::PermissionDeniedError("only an admin may create provider staff");
  }
  if (user.role != Role::kCustomer || org.kind != OrgKind::kCustomer) {
    return absl::PermissionDeniedError("you may only add customer contacts");
  }
  if (viewer.role == Role::kCustomer && viewer.org_admin && org.id == viewer.org_id) {
    return absl::OkStatus();
  }
  if (viewer.role == Role::kPartnerAgent && Contains(viewer.child_org_ids, org.id)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError("you may not add people to this organisation");
}

bool IsAdmin(const Viewer& viewer) { return viewer.role == Role::kAdmin; }

absl::Status CheckRoleFitsOrganisation(Role role, OrgKind kind) {
  const bool staff_role = IsProviderStaff(role);
  if (staff_role != (kind == OrgKind::kProvider)) {
    return absl::InvalidArgumentError(
        staff_role ? "provider roles belong to the provider organisation"
                   : "customers and partner agents belong to a customer or partner");
  }
  if (role == Role::kPartnerAgent && kind != OrgKind::kPartner) {
    return absl::InvalidArgumentError("a partner agent belongs to a partner organisation");
  }
  if (role == Role::kCustomer && kind != OrgKind::kCustomer) {
    return absl::InvalidArgumentError("a customer contact belongs to a customer organisation");
  }
  return absl::OkStatus();
}

std::vector<Role> RolesFittingOrganisation(OrgKind kind) {
  std::vector<Role> roles;
  for (const auto& [role, name] : kRoleNames) {
    if (CheckRoleFitsOrganisation(role, kind).ok()) roles.push_back(role);
  }
  return roles;
}

absl::Status CheckCanChangeRole(const Viewer& viewer, const User& user, const Organisation& org,
                                Role to) {
  if (!IsAdmin(viewer)) return absl::PermissionDeniedError("only an admin may change a role");
  if (viewer.user_id == user.id) {
    return absl::InvalidArgumentError("role: you cannot change your own role; ask another admin");
  }
  if (absl::Status fits = CheckRoleFitsOrganisation(to, org.kind); !fits.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("role: ", fits.message()));
  }
  return absl::OkStatus();
}

User WithRole(User user, Role role) {
  if (IsProviderStaff(user.role) && !IsProviderStaff(role)) {
    user.tier = Tier::kNone;
    user.skills.clear();
  }
  user.role = role;
  return user;
}

}  // namespace casedesk::core
