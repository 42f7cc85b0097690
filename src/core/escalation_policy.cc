#include "core/escalation_policy.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace casedesk::core {
namespace {

constexpr size_t kMaxPolicyNameLength = 64;
constexpr size_t kMaxPolicyDescriptionLength = 2000;
constexpr int64_t kMaxDelayMinutes = 365 * 24 * 60;

bool IsPolicyName(const std::string& name) {
  if (name.empty() || name.size() > kMaxPolicyNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// A positive id written in canonical decimal ("42", not "042" or "+42").
std::optional<int64_t> ParseId(const std::string& text) {
  if (text.empty() || text.size() > 18 || text[0] == '0') return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::optional<Tier> ParseTier(const std::string& name) {
  const std::optional<Tier> tier = EnumFromName<Tier>(kTierNames, name);
  if (!tier || *tier == Tier::kNone) return std::nullopt;
  return tier;
}

template <typename Enum, size_t N>
bool IsKnown(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  return std::any_of(table.begin(), table.end(),
                     [&](const auto& entry) { return entry.first == value; });
}

template <typename Enum, size_t N>
std::string NameText(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum value) {
  return std::string(NameOf<Enum>(table, value));
}

absl::Status CheckTarget(const std::string& where, const EscalationTarget& target,
                         const EscalationPolicy& policy, const EscalationCatalog& catalog) {
  const std::string& ref = target.ref;
  auto error = [&](const std::string& what) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", what));
  };
  switch (target.kind) {
    case EscalationTargetKind::kGroup: {
      const std::optional<int64_t> id = ParseId(ref);
      if (!id) return error(absl::StrCat("a group target needs a group id, got '", ref, "'"));
      if (catalog.group_ids.count(*id) == 0) return error(absl::StrCat("unknown group ", *id));
      return absl::OkStatus();
    }
    case EscalationTargetKind::kTier:
      if (!ParseTier(ref)) {
        return error(absl::StrCat("unknown tier '", ref,
                                  "' (expected shift_engineer, shift_lead, sme, support_manager "
                                  "or executive)"));
      }
      return absl::OkStatus();
    case EscalationTargetKind::kSkill:
      if (ref.empty()) return error("a skill target needs a skill name");
      if (!catalog.skills.empty() && catalog.skills.count(ref) == 0) {
        return error(absl::StrCat("unknown skill '", ref, "'"));
      }
      return absl::OkStatus();
    case EscalationTargetKind::kOnCall:
      if (catalog.schedules.count(ref) == 0) {
        return error(absl::StrCat("unknown on-call schedule '", ref, "'"));
      }
      return absl::OkStatus();
    case EscalationTargetKind::kUser: {
      const std::optional<int64_t> id = ParseId(ref);
      if (!id) return error(absl::StrCat("a user target needs a user id, got '", ref, "'"));
      if (catalog.user_ids.count(*id) == 0) return error(absl::StrCat("unknown user ", *id));
      return absl::OkStatus();
    }
    case EscalationTargetKind::kPolicy:
      if (ref != policy.name && catalog.policies.count(ref) == 0) {
        return error(absl::StrCat("unknown policy '", ref, "'"));
      }
      return absl::OkStatus();
  }
  return error("unknown target kind");
}

// Follows hand-overs depth first. `path` holds the chain from the policy being checked; returns
// the chain ending in the first repeated name when a cycle is reachable. `finished` holds names
// already explored without finding one.
std::optional<std::vector<std::string>> FindCycle(const std::string& name,
                                                  const EscalationPolicy& checked,
                                                  const EscalationCatalog& catalog,
                                                  std::vector<std::string>& path,
                                                  std::set<std::string>& finished) {
  if (std::find(path.begin(), path.end(), name) != path.end()) {
    std::vector<std::string> cycle = path;
    cycle.push_back(name);
    return cycle;
  }
  if (finished.count(name) > 0) return std::nullopt;
  const EscalationPolicy* policy = nullptr;
  if (name == checked.name) {
    policy = &checked;
  } else if (const auto it = catalog.policies.find(name); it != catalog.policies.end()) {
    policy = &it->second;
  }
  path.push_back(name);
  if (policy != nullptr) {
    for (const EscalationLevel& level : policy->levels) {
      for (const EscalationTarget& target : level.targets) {
        if (target.kind != EscalationTargetKind::kPolicy) continue;
        if (auto cycle = FindCycle(target.ref, checked, catalog, path, finished)) return cycle;
      }
    }
  }
  path.pop_back();
  finished.insert(name);
  return std::nullopt;
}

template <typename T>
bool Contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

absl::Status ValidateEscalationPolicy(const EscalationPolicy& policy,
                                      const EscalationCatalog& catalog) {
  if (!IsPolicyName(policy.name)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name: must be 1 to ", kMaxPolicyNameLength,
        " characters of lower-case letters, digits, '_' and '-', got '", policy.name, "'"));
  }
  if (policy.description.size() > kMaxPolicyDescriptionLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("description: must be at most ", kMaxPolicyDescriptionLength, " characters"));
  }
  for (size_t i = 0; i < policy.plans.size(); ++i) {
    if (catalog.plans.count(policy.plans[i]) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("plans[", i, "]: unknown plan '", policy.plans[i], "'"));
    }
  }
  for (size_t i = 0; i < policy.severities.size(); ++i) {
    if (!IsKnown(kSeverityNames, policy.severities[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("severities[", i, "]: not a severity level 1 to 4"));
    }
  }
  if (policy.levels.empty()) {
    return absl::InvalidArgumentError("levels: a policy needs at least one level");
  }
  for (size_t i = 0; i < policy.levels.size(); ++i) {
    const EscalationLevel& level = policy.levels[i];
    const std::string where = absl::StrCat("levels[", i, "]");
    if (!IsKnown(kEscalationTriggerNames, level.trigger)) {
      return absl::InvalidArgumentError(where + ": unknown trigger");
    }
    if (!level.clocks.empty() && !IsSlaTrigger(level.trigger)) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": clocks apply only to the sla_warning and sla_breach triggers, not '",
          NameText(kEscalationTriggerNames, level.trigger), "'"));
    }
    for (size_t c = 0; c < level.clocks.size(); ++c) {
      if (!IsKnown(kSlaClockKindNames, level.clocks[c])) {
        return absl::InvalidArgumentError(absl::StrCat(where, ".clocks[", c, "]: unknown clock"));
      }
    }
    if (level.delay_minutes < 0 || level.delay_minutes > kMaxDelayMinutes) {
      return absl::InvalidArgumentError(absl::StrCat(
          where, ": delay_minutes must be 0 to ", kMaxDelayMinutes, ", got ", level.delay_minutes));
    }
    if (level.targets.empty()) {
      return absl::InvalidArgumentError(where + ": a level needs at least one target");
    }
    if (level.actions.empty()) {
      return absl::InvalidArgumentError(where + ": a level needs at least one action");
    }
    for (size_t a = 0; a < level.actions.size(); ++a) {
      if (!IsKnown(kEscalationActionNames, level.actions[a])) {
        return absl::InvalidArgumentError(absl::StrCat(where, ".actions[", a, "]: unknown action"));
      }
    }
    for (size_t t = 0; t < level.targets.size(); ++t) {
      if (auto s = CheckTarget(absl::StrCat(where, ".targets[", t, "]"), level.targets[t], policy,
                               catalog);
          !s.ok()) {
        return s;
      }
      if (level.targets[t].kind == EscalationTargetKind::kPolicy &&
          Contains(level.actions, EscalationAction::kReassign)) {
        return absl::InvalidArgumentError(
            absl::StrCat(where, ": reassign needs targets that can own a case, but targets[", t,
                         "] hands over to policy '", level.targets[t].ref, "'"));
      }
    }
  }
  std::set<std::string> finished;
  for (size_t i = 0; i < policy.levels.size(); ++i) {
    for (size_t t = 0; t < policy.levels[i].targets.size(); ++t) {
      const EscalationTarget& target = policy.levels[i].targets[t];
      if (target.kind != EscalationTargetKind::kPolicy) continue;
      std::vector<std::string> path = {policy.name};
      if (auto cycle = FindCycle(target.ref, policy, catalog, path, finished)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "levels[", i, "].targets[", t,
            "]: policy hand-over leads round in a cycle: ", absl::StrJoin(*cycle, " -> ")));
      }
    }
  }
  return absl::OkStatus();
}

std::vector<PlannedEscalation> PlanEscalations(const std::vector<EscalationPolicy>& policies,
                                               const EscalationCause& cause) {
  std::vector<PlannedEscalation> planned;
  for (const EscalationPolicy& policy : policies) {
    if (!policy.enabled) continue;
    if (!policy.plans.empty() && !Contains(policy.plans, cause.plan)) continue;
    if (!policy.severities.empty() && !Contains(policy.severities, cause.severity)) continue;
    for (size_t i = 0; i < policy.levels.size(); ++i) {
      const EscalationLevel& level = policy.levels[i];
      if (level.trigger != cause.trigger) continue;
      if (!level.clocks.empty() && (!cause.clock || !Contains(level.clocks, *cause.clock))) {
        continue;
      }
      planned.push_back({.policy = policy.name,
                         .level = static_cast<int>(i),
                         .due = cause.at + absl::Minutes(level.delay_minutes),
                         .definition = level});
    }
  }
  std::sort(planned.begin(), planned.end(),
            [](const PlannedEscalation& a, const PlannedEscalation& b) {
              if (a.due != b.due) return a.due < b.due;
              if (a.policy != b.policy) return a.policy < b.policy;
              return a.level < b.level;
            });
  return planned;
}

std::vector<UserId> ResolveRecipients(const EscalationTarget& target,
                                      const EscalationDirectory& directory, absl::Time at) {
  auto eligible = [](const User& user) { return user.active && IsProviderStaff(user.role); };
  std::vector<UserId> eligible_ids;
  for (const User& user : directory.staff) {
    if (eligible(user)) eligible_ids.push_back(user.id);
  }
  std::sort(eligible_ids.begin(), eligible_ids.end());
  auto eligible_id = [&](UserId id) {
    return std::binary_search(eligible_ids.begin(), eligible_ids.end(), id);
  };
  std::vector<UserId> users;
  switch (target.kind) {
    case EscalationTargetKind::kGroup: {
      const std::optional<int64_t> id = ParseId(target.ref);
      for (const Group& group : directory.groups) {
        if (!id || group.id != *id) continue;
        for (UserId member : group.members) {
          if (eligible_id(member)) users.push_back(member);
        }
      }
      break;
    }
    case EscalationTargetKind::kTier: {
      const std::optional<Tier> tier = ParseTier(target.ref);
      for (const User& user : directory.staff) {
        if (tier && user.tier == *tier && eligible(user)) users.push_back(user.id);
      }
      break;
    }
    case EscalationTargetKind::kSkill:
      for (const User& user : directory.staff) {
        if (eligible(user) && Contains(user.skills, target.ref)) users.push_back(user.id);
      }
      break;
    case EscalationTargetKind::kOnCall:
      if (directory.on_call) {
        if (const std::optional<UserId> user = directory.on_call(target.ref, at);
            user && eligible_id(*user)) {
          users.push_back(*user);
        }
      }
      break;
    case EscalationTargetKind::kUser:
      if (const std::optional<int64_t> id = ParseId(target.ref); id && eligible_id(*id)) {
        users.push_back(*id);
      }
      break;
    case EscalationTargetKind::kPolicy:
      break;  // Hand-overs are expanded by the caller.
  }
  std::sort(users.begin(), users.end());
  users.erase(std::unique(users.begin(), users.end()), users.end());
  return users;
}

std::optional<Tier> NextTier(Tier tier) {
  switch (tier) {
    case Tier::kNone:
      return Tier::kShiftEngineer;
    case Tier::kShiftEngineer:
      return Tier::kShiftLead;
    case Tier::kShiftLead:
      return Tier::kSme;
    case Tier::kSme:
      return Tier::kSupportManager;
    case Tier::kSupportManager:
      return Tier::kExecutive;
    case Tier::kExecutive:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace casedesk::core
