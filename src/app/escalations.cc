#include "app/escalations.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "app/case_support.h"
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "app/sla_settings.h"
#include "core/enum_names.h"
#include "core/oncall_schedule.h"

namespace casedesk::app {
namespace {

using core::EscalationTrigger;
using core::NameOf;

// Hand-overs are validated to be acyclic; this bounds the expansion regardless.
constexpr int kMaxHandOvers = 8;

// What an escalation timer's key carries: the level and the cause that armed it.
struct EscalationKey {
  std::string policy;
  int level = 0;
  EscalationTrigger trigger = EscalationTrigger::kManual;
  std::optional<core::SlaClockKind> clock;
  int cycle = 0;
  std::string instance;  // tells apart several causes of the same kind on one case
};

std::string TriggerName(EscalationTrigger trigger) {
  return std::string(NameOf<EscalationTrigger>(core::kEscalationTriggerNames, trigger));
}

std::string KeyText(const EscalationKey& key) {
  const std::string clock =
      key.clock ? std::string(NameOf<core::SlaClockKind>(core::kSlaClockKindNames, *key.clock))
                : "-";
  return absl::StrCat(std::string(kEscalationTimerPrefix), key.policy, ":", key.level, ":",
                      TriggerName(key.trigger), ":", clock, ":", key.cycle, ":", key.instance);
}

std::optional<EscalationKey> ParseKey(std::string_view text) {
  const std::vector<std::string> parts = absl::StrSplit(std::string(text), ':');
  if (parts.size() != 7 || parts[0] + ":" != kEscalationTimerPrefix) return std::nullopt;
  EscalationKey key;
  key.policy = parts[1];
  const auto trigger =
      core::EnumFromName<EscalationTrigger>(core::kEscalationTriggerNames, parts[3]);
  if (!absl::SimpleAtoi(parts[2], &key.level) || !trigger ||
      !absl::SimpleAtoi(parts[5], &key.cycle)) {
    return std::nullopt;
  }
  key.trigger = *trigger;
  if (parts[4] != "-") {
    key.clock = core::EnumFromName<core::SlaClockKind>(core::kSlaClockKindNames, parts[4]);
    if (!key.clock) return std::nullopt;
  }
  key.instance = parts[6];
  return key;
}

absl::StatusOr<std::string> PlanOf(ports::StoreTransaction& txn, const core::Case& record) {
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(record.org_id);
  if (!org.ok()) return org.status();
  return org->plan;
}

// Arms every level `policies` plan for the cause; levels reached by hand-over use the
// hand-over's policy name in their keys.
absl::Status ArmLevels(ports::StoreTransaction& txn, const core::Case& record,
                       const std::vector<core::EscalationPolicy>& policies,
                       const core::EscalationCause& cause, const EscalationKey& base,
                       int* armed = nullptr) {
  for (const core::PlannedEscalation& planned : core::PlanEscalations(policies, cause)) {
    EscalationKey key = base;
    key.policy = planned.policy;
    key.level = planned.level;
    absl::Status status =
        txn.ArmTimer({.case_number = record.number, .key = KeyText(key), .due_at = planned.due});
    if (!status.ok()) return status;
    if (armed != nullptr) ++*armed;
  }
  return absl::OkStatus();
}

absl::Status RaiseCause(ports::StoreTransaction& txn, SlaEngine& sla, const core::Case& record,
                        EscalationTrigger trigger, std::optional<core::SlaClockKind> clock,
                        int cycle, std::string instance, absl::Time at, absl::Time now,
                        int* armed = nullptr) {
  absl::StatusOr<std::string> plan = PlanOf(txn, record);
  if (!plan.ok()) return plan.status();
  absl::StatusOr<std::vector<core::EscalationPolicy>> policies = sla.EscalationPolicies(txn, now);
  if (!policies.ok()) return policies.status();
  core::EscalationCause cause{
      .trigger = trigger, .clock = clock, .severity = record.severity, .plan = *plan, .at = at};
  EscalationKey base{
      .trigger = trigger, .clock = clock, .cycle = cycle, .instance = std::move(instance)};
  return ArmLevels(txn, record, *policies, cause, base, armed);
}

absl::StatusOr<std::vector<core::User>> LoadProviderStaff(ports::StoreTransaction& txn) {
  std::vector<core::User> staff;
  absl::StatusOr<std::optional<core::Organisation>> provider = txn.FindProvider();
  if (!provider.ok()) return provider.status();
  if (!provider->has_value()) return staff;
  ports::UserFilter filter;
  filter.org_id = (*provider)->id;
  filter.page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::User>> page = txn.ListUsers(filter);
    if (!page.ok()) return page.status();
    for (core::User& user : page->items) {
      if (core::IsProviderStaff(user.role)) staff.push_back(std::move(user));
    }
    if (page->next_cursor.empty()) return staff;
    filter.page.cursor = page->next_cursor;
  }
}

absl::StatusOr<std::vector<core::Group>> LoadGroups(ports::StoreTransaction& txn) {
  std::vector<core::Group> groups;
  ports::PageRequest request{.limit = 200};
  while (true) {
    absl::StatusOr<ports::Page<core::Group>> page = txn.ListGroups(request);
    if (!page.ok()) return page.status();
    for (core::Group& group : page->items) groups.push_back(std::move(group));
    if (page->next_cursor.empty()) return groups;
    request.cursor = page->next_cursor;
  }
}

bool TargetsAny(const core::EscalationLevel& level, core::EscalationTargetKind kind) {
  return std::any_of(level.targets.begin(), level.targets.end(),
                     [kind](const core::EscalationTarget& target) { return target.kind == kind; });
}

// What `level`'s targets are resolved against: the provider's staff always (every target
// names staff), groups and on-call schedules only when a target names one. A level fires in a
// write unit of its own, where each read is a wait.
absl::StatusOr<core::EscalationDirectory> LoadDirectory(ports::StoreTransaction& txn,
                                                        const core::EscalationLevel& level) {
  core::EscalationDirectory directory;
  absl::StatusOr<std::vector<core::User>> staff = LoadProviderStaff(txn);
  if (!staff.ok()) return staff.status();
  directory.staff = *std::move(staff);
  if (TargetsAny(level, core::EscalationTargetKind::kGroup)) {
    absl::StatusOr<std::vector<core::Group>> groups = LoadGroups(txn);
    if (!groups.ok()) return groups.status();
    directory.groups = *std::move(groups);
  }
  if (!TargetsAny(level, core::EscalationTargetKind::kOnCall)) return directory;
  absl::StatusOr<std::map<std::string, core::OnCallSchedule>> schedules = LoadOnCallSchedules(txn);
  if (!schedules.ok()) return schedules.status();
  directory.on_call = [schedules = *std::move(schedules)](
                          std::string_view name, absl::Time at) -> std::optional<core::UserId> {
    const auto found = schedules.find(std::string(name));
    absl::TimeZone zone;
    if (found == schedules.end() || !absl::LoadTimeZone(found->second.time_zone, &zone)) {
      return std::nullopt;
    }
    const std::optional<core::OnCallShift> shift = core::WhoIsOnCall(found->second, zone, at);
    if (!shift) return std::nullopt;
    return shift->user;
  };
  return directory;
}

// Whether the cause that armed a level still calls for it when it fires.
absl::StatusOr<bool> CauseStillHolds(ports::StoreTransaction& txn, SlaEngine& sla,
                                     const core::Case& record, const EscalationKey& key,
                                     absl::Time now) {
  if (record.status == core::CaseStatus::kClosed || record.status == core::CaseStatus::kSolved) {
    return false;
  }
  switch (key.trigger) {
    case EscalationTrigger::kCaseCreatedCritical:
      return record.severity == core::Severity::kCritical;
    case EscalationTrigger::kSecurityIncident:
      return record.security_incident;
    case EscalationTrigger::kSlaWarning:
    case EscalationTrigger::kSlaBreach: {
      if (!key.clock) return false;
      absl::StatusOr<std::optional<CaseSla>> computed =
          sla.Compute(txn, record, now, /*explain=*/false);
      if (!computed.ok()) return computed.status();
      if (!computed->has_value()) return false;
      const core::SlaClocks& clocks = (*computed)->clocks;
      const core::SlaClock* clock = nullptr;
      switch (*key.clock) {
        case core::SlaClockKind::kFirstResponse:
          clock = &clocks.first_response;
          break;
        case core::SlaClockKind::kNextUpdate:
          clock = &clocks.next_update;
          break;
        case core::SlaClockKind::kResolution:
          clock = &clocks.resolution;
          break;
        case core::SlaClockKind::kTriage:
          clock = clocks.triage ? &*clocks.triage : nullptr;
          break;
        case core::SlaClockKind::kStatusNotification:
          clock = clocks.status_notification ? &*clocks.status_notification : nullptr;
          break;
        case core::SlaClockKind::kEstimate:
          clock = clocks.estimate ? &*clocks.estimate : nullptr;
          break;
      }
      if (clock == nullptr) return false;
      // An update cycle that has ended (an update was given) no longer calls for escalation.
      if (*key.clock == core::SlaClockKind::kNextUpdate && clock->cycle != key.cycle) return false;
      return clock->state != core::SlaClockState::kAchieved;
    }
    case EscalationTrigger::kCustomerRequest:
    case EscalationTrigger::kManual:
      return true;
  }
  return false;
}

std::string IdsText(const std::vector<core::UserId>& ids) { return absl::StrJoin(ids, ","); }

// Each recipient gets the escalation notice through the outbox. The level's timer fires once, so
// its key (with the recipient) makes the Message-ID.
absl::Status Notify(ports::StoreTransaction& txn, const MailQueueEnvironment& mail,
                    const core::Case& record, const core::EscalationDirectory& directory,
                    const std::vector<core::UserId>& recipients, const EscalationKey& key) {
  MailQueue queue(mail, txn);
  for (core::UserId id : recipients) {
    const auto user = std::find_if(directory.staff.begin(), directory.staff.end(),
                                   [id](const core::User& u) { return u.id == id; });
    if (user == directory.staff.end()) continue;
    MailRequest request;
    request.kind = std::string(kMailEscalation);
    request.recipient_id = id;
    request.recipient_email = user->email;
    request.recipient_name = user->name;
    request.case_number = record.number;
    request.values = {{"policy", key.policy},
                      {"level", key.level + 1},
                      {"trigger", TriggerName(key.trigger)},
                      {"clock", key.clock ? std::string(NameOf<core::SlaClockKind>(
                                                core::kSlaClockKindNames, *key.clock))
                                          : std::string()},
                      {"severity", core::SeverityLevel(record.severity)},
                      {"case_subject", record.subject}};
    request.unique_key = absl::StrCat(record.number, ":", KeyText(key), ":", id);
    absl::StatusOr<int64_t> queued = queue.Queue(request);
    if (!queued.ok()) return queued.status();
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status EscalateOnCaseOpened(ports::StoreTransaction& txn, SlaEngine& sla,
                                  const core::Case& record, bool opened_by_staff, absl::Time now) {
  if (record.severity != core::Severity::kCritical) return absl::OkStatus();
  if (!opened_by_staff && !record.severity_confirmed) {
    absl::StatusOr<std::string> plan = PlanOf(txn, record);
    if (!plan.ok()) return plan.status();
    absl::StatusOr<std::optional<core::SlaEvaluator>> evaluator = sla.EvaluatorFor(txn, *plan, now);
    if (!evaluator.ok()) return evaluator.status();
    if (evaluator->has_value() && (*evaluator)->policy().confirm_critical_before_paging) {
      return absl::OkStatus();  // paged when triage confirms the severity
    }
  }
  return RaiseCause(txn, sla, record, EscalationTrigger::kCaseCreatedCritical, std::nullopt, 0,
                    "critical", now, now);
}

absl::Status EscalateOnCaseUpdated(ports::StoreTransaction& txn, SlaEngine& sla,
                                   const core::Case& before, const core::Case& after,
                                   core::UserId /*actor*/, absl::Time now) {
  const bool critical_now = after.severity == core::Severity::kCritical;
  const bool became_critical = critical_now && before.severity != core::Severity::kCritical;
  const bool confirmed_critical =
      critical_now && after.severity_confirmed && !before.severity_confirmed;
  if (became_critical || confirmed_critical) {
    // The same instance as at opening: a critical case pages its levels once.
    if (absl::Status raised = RaiseCause(txn, sla, after, EscalationTrigger::kCaseCreatedCritical,
                                         std::nullopt, 0, "critical", now, now);
        !raised.ok()) {
      return raised;
    }
  }
  if (after.security_incident && !before.security_incident) {
    return RaiseCause(txn, sla, after, EscalationTrigger::kSecurityIncident, std::nullopt, 0,
                      absl::StrCat(absl::ToUnixMicros(now)), now, now);
  }
  return absl::OkStatus();
}

absl::Status EscalateOnSlaDeadline(ports::StoreTransaction& txn, SlaEngine& sla,
                                   const core::Case& record, const core::SlaDeadline& deadline,
                                   absl::Time due, absl::Time now) {
  const EscalationTrigger trigger = deadline.kind == core::SlaDeadlineKind::kBreach
                                        ? EscalationTrigger::kSlaBreach
                                        : EscalationTrigger::kSlaWarning;
  return RaiseCause(txn, sla, record, trigger, deadline.clock, deadline.cycle, "sla", due, now);
}

absl::StatusOr<int> EscalateOnRequest(ports::StoreTransaction& txn, SlaEngine& sla,
                                      const core::Case& record, EscalationTrigger trigger,
                                      core::UserId actor, std::string_view reason, absl::Time now) {
  core::AuditEvent event = CaseEvent(record.number, actor, now, kEscalationRequested);
  core::RecordChange(event.changes, "trigger", "", TriggerName(trigger));
  event.reason = std::string(reason);
  absl::StatusOr<core::EventId> id = txn.AppendEvent(event);
  if (!id.ok()) return id.status();
  int armed = 0;
  absl::Status raised = RaiseCause(txn, sla, record, trigger, std::nullopt, 0,
                                   absl::StrCat("e", *id), now, now, &armed);
  if (!raised.ok()) return raised;
  return armed;
}

absl::Status FireEscalationTimer(ports::StoreTransaction& txn, SlaEngine& sla,
                                 const MailQueueEnvironment& mail, const core::Case& record,
                                 std::string_view key_text, absl::Time now) {
  const std::optional<EscalationKey> key = ParseKey(key_text);
  if (!key) return absl::OkStatus();  // not ours to understand; claimed and left
  absl::StatusOr<std::vector<core::EscalationPolicy>> policies = sla.EscalationPolicies(txn, now);
  if (!policies.ok()) return policies.status();
  const auto policy = std::find_if(policies->begin(), policies->end(),
                                   [&](const auto& p) { return p.name == key->policy; });
  // The policy was deleted, disabled or rewritten since the level was armed: its current form
  // decides.
  if (policy == policies->end() || !policy->enabled || key->level < 0 ||
      key->level >= static_cast<int>(policy->levels.size()) ||
      policy->levels[key->level].trigger != key->trigger) {
    return absl::OkStatus();
  }
  absl::StatusOr<bool> holds = CauseStillHolds(txn, sla, record, *key, now);
  if (!holds.ok()) return holds.status();
  if (!*holds) return absl::OkStatus();

  const core::EscalationLevel& level = policy->levels[key->level];
  absl::StatusOr<core::EscalationDirectory> directory = LoadDirectory(txn, level);
  if (!directory.ok()) return directory.status();
  std::vector<core::UserId> recipients;
  std::optional<core::UserId> new_assignee;
  std::optional<core::GroupId> new_group;
  std::vector<std::string> hand_overs;
  for (const core::EscalationTarget& target : level.targets) {
    if (target.kind == core::EscalationTargetKind::kPolicy) {
      hand_overs.push_back(target.ref);
      continue;
    }
    const std::vector<core::UserId> reached = core::ResolveRecipients(target, *directory, now);
    recipients.insert(recipients.end(), reached.begin(), reached.end());
    if (target.kind == core::EscalationTargetKind::kGroup && !new_group && !new_assignee) {
      int64_t group_id = 0;
      if (absl::SimpleAtoi(target.ref, &group_id)) new_group = group_id;
    } else if (!new_assignee && !new_group && !reached.empty()) {
      new_assignee = reached.front();
    }
  }
  std::sort(recipients.begin(), recipients.end());
  recipients.erase(std::unique(recipients.begin(), recipients.end()), recipients.end());

  core::Case updated = record;
  core::AuditEvent event = CaseEvent(record.number, 0, now, kCaseEscalated);
  core::RecordChange(event.changes, "policy", "", key->policy);
  core::RecordChange(event.changes, "level", "", std::to_string(key->level + 1));
  core::RecordChange(event.changes, "trigger", "", TriggerName(key->trigger));
  for (core::EscalationAction action : level.actions) {
    switch (action) {
      case core::EscalationAction::kNotify: {
        core::RecordChange(event.changes, "notified", "", IdsText(recipients));
        absl::Status notified = Notify(txn, mail, record, *directory, recipients, *key);
        if (!notified.ok()) return notified;
        break;
      }
      case core::EscalationAction::kReassign:
        if (new_group && updated.group_id != new_group) {
          updated.group_id = new_group;
          updated.assignee_id.reset();
        } else if (new_assignee) {
          updated.assignee_id = new_assignee;
        }
        break;
      case core::EscalationAction::kRaiseTier:
        if (const std::optional<core::Tier> next = core::NextTier(updated.escalation_tier)) {
          updated.escalation_tier = *next;
        }
        break;
    }
  }
  const auto id_text = [](const std::optional<int64_t>& id) {
    return id ? std::to_string(*id) : std::string();
  };
  core::RecordChange(event.changes, "group_id", id_text(record.group_id),
                     id_text(updated.group_id));
  core::RecordChange(event.changes, "assignee_id", id_text(record.assignee_id),
                     id_text(updated.assignee_id));
  core::RecordChange(event.changes, "escalation_tier",
                     std::string(NameOf<core::Tier>(core::kTierNames, record.escalation_tier)),
                     std::string(NameOf<core::Tier>(core::kTierNames, updated.escalation_tier)));
  if (!hand_overs.empty()) {
    core::RecordChange(event.changes, "handed_over_to", "", absl::StrJoin(hand_overs, ","));
  }
  if (updated.group_id != record.group_id || updated.assignee_id != record.assignee_id ||
      updated.escalation_tier != record.escalation_tier) {
    updated.updated_at = now;
    if (absl::Status saved = txn.UpdateCase(updated); !saved.ok()) return saved;
  }
  if (absl::Status recorded = txn.RecordEvent(event); !recorded.ok()) return recorded;

  // A hand-over arms the named policy's levels for the same cause, from now.
  absl::StatusOr<std::string> plan = PlanOf(txn, record);
  if (!plan.ok()) return plan.status();
  for (const std::string& name : hand_overs) {
    if (std::count(key->instance.begin(), key->instance.end(), '>') >= kMaxHandOvers) break;
    std::vector<core::EscalationPolicy> only;
    for (const core::EscalationPolicy& candidate : *policies) {
      if (candidate.name == name) only.push_back(candidate);
    }
    core::EscalationCause cause{.trigger = key->trigger,
                                .clock = key->clock,
                                .severity = updated.severity,
                                .plan = *plan,
                                .at = now};
    EscalationKey base = *key;
    base.instance = key->instance + ">";
    if (absl::Status armed = ArmLevels(txn, updated, only, cause, base); !armed.ok()) {
      return armed;
    }
  }
  return absl::OkStatus();
}

}  // namespace casedesk::app
