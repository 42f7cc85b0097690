// Escalation policies: ordered levels, each fired by a trigger (a critical case is created, an
// SLA clock warns or breaches, the customer asks, a security incident is flagged, an agent
// escalates by hand) after a delay, naming targets (a group, a tier, a skill, an on-call
// schedule, a user, or another policy to hand over to) and actions (notify, reassign, raise to
// the next tier). Also the validation run when a policy is saved (references, cycles through
// hand-overs), the pure planning of which levels a cause arms and when, and the resolution of a
// target to the people it reaches. Thread-safe: value types and pure functions (the on-call
// callback of EscalationDirectory must itself be safe to call from the calling thread).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/enum_names.h"
#include "core/group.h"
#include "core/ids.h"
#include "core/severity.h"
#include "core/sla_policy.h"
#include "core/user.h"

namespace casedesk::core {

enum class EscalationTrigger {
  kCaseCreatedCritical,
  kSlaWarning,
  kSlaBreach,
  kCustomerRequest,
  kSecurityIncident,
  kManual,
};

inline constexpr std::array<std::pair<EscalationTrigger, std::string_view>, 6>
    kEscalationTriggerNames{{
        {EscalationTrigger::kCaseCreatedCritical, "case_created_critical"},
        {EscalationTrigger::kSlaWarning, "sla_warning"},
        {EscalationTrigger::kSlaBreach, "sla_breach"},
        {EscalationTrigger::kCustomerRequest, "customer_request"},
        {EscalationTrigger::kSecurityIncident, "security_incident"},
        {EscalationTrigger::kManual, "manual"},
    }};

// SLA warning and breach: the triggers that come from a clock.
inline bool IsSlaTrigger(EscalationTrigger trigger) {
  return trigger == EscalationTrigger::kSlaWarning || trigger == EscalationTrigger::kSlaBreach;
}

enum class EscalationTargetKind { kGroup, kTier, kSkill, kOnCall, kUser, kPolicy };

inline constexpr std::array<std::pair<EscalationTargetKind, std::string_view>, 6>
    kEscalationTargetKindNames{{
        {EscalationTargetKind::kGroup, "group"},
        {EscalationTargetKind::kTier, "tier"},
        {EscalationTargetKind::kSkill, "skill"},
        {EscalationTargetKind::kOnCall, "oncall"},
        {EscalationTargetKind::kUser, "user"},
        {EscalationTargetKind::kPolicy, "policy"},
    }};

// ref: the group id as decimal text, a tier name from kTierNames other than "none", a skill
// name, an on-call schedule name, a user id as decimal text, or another policy's name. A policy
// target hands over to that policy's levels (which is how cycles can arise).
struct EscalationTarget {
  EscalationTargetKind kind = EscalationTargetKind::kGroup;
  std::string ref;
  bool operator==(const EscalationTarget&) const = default;
};

enum class EscalationAction { kNotify, kReassign, kRaiseTier };

inline constexpr std::array<std::pair<EscalationAction, std::string_view>, 3>
    kEscalationActionNames{{
        {EscalationAction::kNotify, "notify"},
        {EscalationAction::kReassign, "reassign"},
        {EscalationAction::kRaiseTier, "raise_tier"},
    }};

struct EscalationLevel {
  EscalationTrigger trigger = EscalationTrigger::kManual;
  std::vector<SlaClockKind> clocks;  // SLA triggers only; empty: any clock
  int64_t delay_minutes = 0;         // wall-clock minutes after the cause
  std::vector<EscalationTarget> targets;
  std::vector<EscalationAction> actions;
  bool operator==(const EscalationLevel&) const = default;
};

struct EscalationPolicy {
  std::string name;  // key, [a-z0-9_-]{1,64}
  std::string description;
  bool enabled = true;
  std::vector<std::string> plans;    // empty: every plan
  std::vector<Severity> severities;  // empty: every severity
  std::vector<EscalationLevel> levels;
  bool operator==(const EscalationPolicy&) const = default;
};

// What a policy may refer to. `policies` holds the other saved policies by name, so that
// hand-overs can be followed; the policy being checked replaces any saved version of itself.
struct EscalationCatalog {
  std::map<std::string, EscalationPolicy> policies;
  std::set<std::string> schedules;
  std::set<int64_t> group_ids;
  std::set<int64_t> user_ids;
  std::set<std::string> skills;  // empty: skills are not checked
  std::set<std::string> plans;
};

// Checks a policy before it is saved. InvalidArgument naming the place for: a bad name, an
// overlong description, unknown plans, invalid severities, no levels, a level without targets
// or without actions, a negative delay, clocks given for a trigger that is not an SLA trigger,
// reassign to a policy target (every other kind can own a case: for a tier or a skill the app
// picks a member), references to unknown groups, users, schedules, skills, tiers or policies,
// and hand-overs that lead round in a cycle ("levels[1].targets[0]: policy hand-over leads
// round in a cycle: a -> b -> a"). Hand-overs are followed through disabled policies too.
absl::Status ValidateEscalationPolicy(const EscalationPolicy& policy,
                                      const EscalationCatalog& catalog);

// Why escalation is being considered for a case.
struct EscalationCause {
  EscalationTrigger trigger = EscalationTrigger::kManual;
  std::optional<SlaClockKind> clock;  // for SLA triggers
  Severity severity = Severity::kMinor;
  std::string plan;
  absl::Time at;
};

// One level armed by a cause, due `due`. `definition` is a copy of the level.
struct PlannedEscalation {
  std::string policy;
  int level = 0;  // index in the policy's levels
  absl::Time due;
  EscalationLevel definition;
  bool operator==(const PlannedEscalation&) const = default;
};

// Every level of every enabled policy that matches the cause's plan and severity, whose trigger
// is the cause's and (for a level with clocks) whose clocks include the cause's clock; due at
// cause.at + delay_minutes. Sorted by due, then policy name, then level. Levels reached through
// a policy target are not expanded here: the caller expands a hand-over when the level that
// names it fires (planning that policy's matching levels from then).
std::vector<PlannedEscalation> PlanEscalations(const std::vector<EscalationPolicy>& policies,
                                               const EscalationCause& cause);

// The people and groups recipients are resolved against. `on_call` answers who is on call on a
// schedule at an instant (nullopt: nobody, or no such schedule).
struct EscalationDirectory {
  std::vector<User> staff;
  std::vector<Group> groups;
  std::function<std::optional<UserId>(std::string_view schedule, absl::Time at)> on_call;
};

// The users a target reaches at `at`, sorted and unique, only ever active provider staff
// listed in `staff`: a group's members, the users of a tier, the users with a skill, the person
// on call, the user. A policy target reaches nobody here (the caller expands hand-overs); a
// malformed reference reaches nobody.
std::vector<UserId> ResolveRecipients(const EscalationTarget& target,
                                      const EscalationDirectory& directory, absl::Time at);

// The tier above: shift_engineer -> shift_lead -> sme -> support_manager -> executive; none
// goes to shift_engineer; nothing is above executive.
std::optional<Tier> NextTier(Tier tier);

}  // namespace casedesk::core
