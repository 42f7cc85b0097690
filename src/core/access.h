// Who may see and do what. Visibility is decided here, once: the store narrows queries with a
// CaseScope computed here, and every case that leaves the app layer is checked again with
// CanSeeCase. Thread-safe: pure functions over values.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "core/case.h"
#include "core/conversation.h"
#include "core/ids.h"
#include "core/organisation.h"
#include "core/user.h"

namespace casedesk::core {

// The authenticated caller, with the facts about their organisation that access depends on.
struct Viewer {
  UserId user_id = 0;
  Role role = Role::kCustomer;
  OrgId org_id = 0;
  bool org_admin = false;
  bool org_shares_cases = false;
  // For partner agents: the customer organisations under their partner.
  std::vector<OrgId> child_org_ids;
  // Provider staff who may see cases flagged as security incidents (SeesSecurityIncidents).
  bool sees_security_incidents = false;
};

// The skill that makes an agent a security expert.
inline constexpr std::string_view kSecuritySkill = "security";

// On the provider side a security incident is visible only to the security experts and the
// managers above them (support managers and executives).
bool SeesSecurityIncidents(const User& user);

// The set of cases a viewer may see, in a form a store can turn into a query:
// all cases, or those of the listed organisations, or those the participant requested or follows.
struct CaseScope {
  bool all = false;
  std::vector<OrgId> org_ids;
  std::optional<UserId> participant;
  // Leaves out cases flagged as security incidents (provider staff without clearance).
  bool hide_security_incidents = false;
};

CaseScope ScopeFor(const Viewer& viewer);

bool CanSeeCase(const CaseScope& scope, const Case& c);
bool CanSeeCase(const Viewer& viewer, const Case& c);

bool CanSeeInternal(const Viewer& viewer);
bool CanSeeComment(const Viewer& viewer, Visibility visibility);

// The organisations a viewer may open cases for.
bool CanOpenCaseFor(const Viewer& viewer, const Organisation& org);

// Changing triage fields (assignee, group, confirmed severity) is provider work.
bool CanTriage(const Viewer& viewer);

// Customers may resolve their own case or propose a new severity; staff may do any valid move.
absl::Status CheckStatusChangeAllowed(const Viewer& viewer, CaseStatus to);

// Reading organisations and people: staff see all; others see their own organisation and,
// for partner agents, their customers.
bool CanSeeOrganisation(const Viewer& viewer, const Organisation& org);

// Creating people: admins anyone; provider staff customers and partner agents; a customer
// organisation's admin customers of their own organisation; partner agents customers of their
// partner's customer organisations. Only an admin may mark an address verified.
absl::Status CheckCanCreateUser(const Viewer& viewer, const User& user, const Organisation& org);

bool IsAdmin(const Viewer& viewer);

// Which roles fit which organisations: the staff roles (IsProviderStaff) the provider, a partner
// agent a partner, a customer contact a customer. InvalidArgument saying which rule is broken.
absl::Status CheckRoleFitsOrganisation(Role role, OrgKind kind);

// The roles CheckRoleFitsOrganisation allows for an organisation of `kind`, in kRoleNames order.
std::vector<Role> RolesFittingOrganisation(OrgKind kind);

// Changing an existing person's role to `to`: only an admin (PermissionDenied), never their own
// role, so the last admin cannot demote themselves by accident, and only to a role that fits the
// person's organisation (both InvalidArgument, the message starting "role: ").
absl::Status CheckCanChangeRole(const Viewer& viewer, const User& user, const Organisation& org,
                                Role to);

// The person with `role`: one who leaves provider staff loses the tier and skills, which
// describe staff only.
User WithRole(User user, Role role);

}  // namespace casedesk::core
