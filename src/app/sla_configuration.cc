#include "app/sla_configuration.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/calendar_json.h"
#include "app/sla_settings.h"

namespace casedesk::app {
namespace {

absl::Status CheckReader(const core::Viewer& viewer) {
  if (core::IsProviderStaff(viewer.role)) return absl::OkStatus();
  return absl::PermissionDeniedError("only provider staff may read the SLA configuration");
}

absl::Status CheckAdmin(const core::Viewer& viewer) {
  if (core::IsAdmin(viewer)) return absl::OkStatus();
  return absl::PermissionDeniedError("only an admin may change the SLA configuration");
}

absl::Status BadName(std::string_view what, const std::string& name) {
  return absl::InvalidArgumentError(
      absl::StrCat("name: a ", std::string(what),
                   " name must be 1 to 64 characters of lower-case letters, digits, '_' and '-', "
                   "got '",
                   name, "'"));
}

absl::Status NoSuch(std::string_view what, const std::string& name) {
  return absl::NotFoundError(absl::StrCat("no ", std::string(what), " named '", name, "'"));
}

// The document before a change, as stored text ("" when there was none).
absl::StatusOr<std::string> StoredText(ports::StoreTransaction& txn, const std::string& key) {
  absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
  if (!stored.ok()) return stored.status();
  return stored->value_or("");
}

// Stores `after` under `key` (or deletes the key when `after` is nullopt) and appends the audit
// event with the document's before and after text.
absl::Status SaveWithEvent(ports::StoreTransaction& txn, const std::string& key,
                           const std::string& before, const std::optional<std::string>& after,
                           std::string kind, core::UserId actor, absl::Time now) {
  absl::Status written = after ? txn.PutSetting(key, *after) : txn.DeleteSetting(key);
  if (!written.ok()) return written;
  std::vector<core::FieldChange> changes;
  core::RecordChange(changes, "document", before, after.value_or(""));
  absl::StatusOr<core::EventId> event = txn.AppendEvent(
      MakeAuditEvent("setting", key, actor, now, std::move(kind), std::move(changes)));
  return event.status();
}

// A plan that exists, or NotFound naming it.
absl::Status CheckPlanExists(ports::StoreTransaction& txn, const std::string& plan) {
  absl::StatusOr<core::SupportPlan> found = txn.GetPlan(plan);
  if (found.ok()) return absl::OkStatus();
  if (absl::IsNotFound(found.status())) return NoSuch("support plan", plan);
  return found.status();
}

std::optional<CalendarEntry> ShippedCalendar(const std::string& name) {
  std::map<std::string, core::CalendarSpec> shipped = core::DefaultCalendarSpecs();
  const auto it = shipped.find(name);
  if (it == shipped.end()) return std::nullopt;
  return CalendarEntry{.name = name, .spec = std::move(it->second), .shipped = true};
}

// The plans whose SLA policy (stored or shipped) runs a clock on `calendar` or takes its
// business hours from it, by name.
absl::StatusOr<std::vector<std::string>> PlansUsingCalendar(ports::StoreTransaction& txn,
                                                            const std::string& calendar) {
  absl::StatusOr<std::map<std::string, core::SlaPolicy>> policies = LoadSlaPolicies(txn);
  if (!policies.ok()) return policies.status();
  std::vector<std::string> plans;
  for (const auto& [plan, policy] : *policies) {
    if (core::CalendarsUsedBy(policy).count(calendar) > 0) plans.push_back(plan);
  }
  return plans;
}

// A calendar write's outcome and the plans whose open cases it may move.
template <typename T>
struct SlaChange {
  T value;
  std::vector<std::string> plans;
};

// Once the change is durable, tells context.sla_config_changed (when set) about each plan, then
// answers with the value.
template <typename T>
Done<SlaChange<T>> NotifyThen(const AppContext& context, Done<T> done) {
  return [changed = context.sla_config_changed, sla = context.sla,
          done = std::move(done)](absl::StatusOr<SlaChange<T>> outcome) {
    if (!outcome.ok()) return done(outcome.status());
    sla->Invalidate();
    if (changed) {
      for (const std::string& plan : outcome->plans) changed(plan);
    }
    done(std::move(outcome->value));
  };
}

// Once an escalation policy or on-call schedule change is durable, the engine's cached copies
// are dropped (on this node at once; other nodes re-read within SlaEngine::kConfigRecheck).
template <typename T>
Done<T> InvalidateThen(const AppContext& context, Done<T> done) {
  return [sla = context.sla, done = std::move(done)](absl::StatusOr<T> outcome) {
    if (outcome.ok()) sla->Invalidate();
    done(std::move(outcome));
  };
}

// ---- escalation catalog

absl::StatusOr<std::set<int64_t>> AllGroupIds(ports::StoreTransaction& txn) {
  std::set<int64_t> ids;
  ports::PageRequest page;
  page.limit = 200;
  while (true) {
    absl::StatusOr<ports::Page<core::Group>> groups = txn.ListGroups(page);
    if (!groups.ok()) return groups.status();
    for (const core::Group& group : groups->items) ids.insert(group.id);
    if (groups->next_cursor.empty()) return ids;
    page.cursor = groups->next_cursor;
  }
}

// Checks that every referenced (place, user id) is active provider staff; InvalidArgument
// naming the place of the first that is unknown or is not. Returns the ids. Ids that cannot be
// ids (<= 0) are left to the core validation, which names them.
absl::StatusOr<std::set<core::UserId>> ActiveStaff(
    ports::StoreTransaction& txn,
    const std::vector<std::pair<std::string, core::UserId>>& referenced) {
  std::set<core::UserId> staff;
  for (const auto& [where, id] : referenced) {
    if (id <= 0 || staff.count(id) > 0) continue;
    absl::StatusOr<core::User> user = txn.GetUser(id);
    if (absl::IsNotFound(user.status())) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": unknown user ", id));
    }
    if (!user.ok()) return user.status();
    if (!user->active || !core::IsProviderStaff(user->role)) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": user ", id, " is not active provider staff"));
    }
    staff.insert(id);
  }
  return staff;
}

absl::StatusOr<core::EscalationCatalog> CatalogFor(ports::StoreTransaction& txn,
                                                   const core::EscalationPolicy& policy) {
  core::EscalationCatalog catalog;
  absl::StatusOr<std::vector<core::EscalationPolicy>> policies = LoadEscalationPolicies(txn);
  if (!policies.ok()) return policies.status();
  for (core::EscalationPolicy& other : *policies) {
    if (other.name != policy.name) catalog.policies[other.name] = std::move(other);
  }
  absl::StatusOr<std::map<std::string, core::OnCallSchedule>> schedules = LoadOnCallSchedules(txn);
  if (!schedules.ok()) return schedules.status();
  for (const auto& [name, schedule] : *schedules) catalog.schedules.insert(name);
  absl::StatusOr<std::set<int64_t>> groups = AllGroupIds(txn);
  if (!groups.ok()) return groups.status();
  catalog.group_ids = *std::move(groups);
  absl::StatusOr<std::vector<core::SupportPlan>> plans = txn.ListPlans();
  if (!plans.ok()) return plans.status();
  for (const core::SupportPlan& plan : *plans) catalog.plans.insert(plan.name);
  std::vector<std::pair<std::string, core::UserId>> users;
  for (size_t i = 0; i < policy.levels.size(); ++i) {
    const auto& targets = policy.levels[i].targets;
    for (size_t t = 0; t < targets.size(); ++t) {
      int64_t id = 0;
      if (targets[t].kind == core::EscalationTargetKind::kUser &&
          absl::SimpleAtoi(targets[t].ref, &id)) {
        users.emplace_back(absl::StrCat("levels[", i, "].targets[", t, "]"), id);
      }
    }
  }
  absl::StatusOr<std::set<core::UserId>> staff = ActiveStaff(txn, users);
  if (!staff.ok()) return staff.status();
  catalog.user_ids.insert(staff->begin(), staff->end());
  return catalog;
}

// The first stored escalation policy with a target of `kind` naming `ref`, if any.
absl::StatusOr<std::optional<std::string>> ReferencingPolicy(ports::StoreTransaction& txn,
                                                             core::EscalationTargetKind kind,
                                                             const std::string& ref) {
  absl::StatusOr<std::vector<core::EscalationPolicy>> policies = LoadEscalationPolicies(txn);
  if (!policies.ok()) return policies.status();
  for (const core::EscalationPolicy& policy : *policies) {
    if (kind == core::EscalationTargetKind::kPolicy && policy.name == ref) continue;
    for (const core::EscalationLevel& level : policy.levels) {
      for (const core::EscalationTarget& target : level.targets) {
        if (target.kind == kind && target.ref == ref) {
          return std::optional<std::string>(policy.name);
        }
      }
    }
  }
  return std::optional<std::string>();
}

std::optional<core::EscalationPolicy> FindPolicy(std::vector<core::EscalationPolicy>& policies,
                                                 const std::string& name) {
  for (core::EscalationPolicy& policy : policies) {
    if (policy.name == name) return std::move(policy);
  }
  return std::nullopt;
}

}  // namespace

// ---- calendars

absl::StatusOr<std::vector<CalendarEntry>> ListCalendars(AppContext& context,
                                                         const core::Viewer& viewer) {
  if (absl::Status allowed = CheckReader(viewer); !allowed.ok()) return allowed;
  return ReadValue<std::vector<CalendarEntry>>(
      context.store,
      [](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<CalendarEntry>> {
        absl::StatusOr<std::map<std::string, core::CalendarSpec>> stored =
            LoadStoredCalendarSpecs(txn);
        if (!stored.ok()) return stored.status();
        std::map<std::string, CalendarEntry> entries;
        for (auto& [name, spec] : core::DefaultCalendarSpecs()) {
          entries[name] = {.name = name, .spec = std::move(spec), .shipped = true};
        }
        for (auto& [name, spec] : *stored) {
          entries[name] = {.name = name, .spec = std::move(spec), .shipped = false};
        }
        std::vector<CalendarEntry> list;
        for (auto& [name, entry] : entries) list.push_back(std::move(entry));
        return list;
      });
}

absl::StatusOr<CalendarEntry> GetCalendar(AppContext& context, const core::Viewer& viewer,
                                          const std::string& name) {
  if (absl::Status allowed = CheckReader(viewer); !allowed.ok()) return allowed;
  if (!IsValidConfigName(name)) return NoSuch("calendar", name);
  return ReadValue<CalendarEntry>(
      context.store, [&name](ports::StoreTransaction& txn) -> absl::StatusOr<CalendarEntry> {
        const std::string key = CalendarSettingKey(name);
        absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
        if (!stored.ok()) return stored.status();
        if (stored->has_value()) {
          absl::StatusOr<core::CalendarSpec> spec = CalendarSpecFromSetting(key, **stored);
          if (!spec.ok()) return spec.status();
          return CalendarEntry{.name = name, .spec = *std::move(spec), .shipped = false};
        }
        std::optional<CalendarEntry> shipped = ShippedCalendar(name);
        if (!shipped) return NoSuch("calendar", name);
        return *std::move(shipped);
      });
}

void PutCalendar(AppContext& context, const core::Viewer& viewer, std::string name,
                 core::CalendarSpec spec, Done<CalendarEntry> done) {
  if (absl::Status allowed = CheckAdmin(viewer); !allowed.ok()) return done(allowed);
  if (!IsValidConfigName(name)) return done(BadName("calendar", name));
  // Building precomputes a century of intervals (tens of milliseconds): done here, on the
  // caller's thread, not inside the store's unit of work.
  if (absl::StatusOr<core::BusinessCalendar> built = BuildCalendar(spec); !built.ok()) {
    return done(built.status());
  }
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<SlaChange<CalendarEntry>>(
      context.store,
      [name = std::move(name), spec = std::move(spec), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<SlaChange<CalendarEntry>> {
        const std::string key = CalendarSettingKey(name);
        absl::StatusOr<std::string> before = StoredText(txn, key);
        if (!before.ok()) return before.status();
        if (before->empty()) {
          if (std::optional<CalendarEntry> shipped = ShippedCalendar(name)) {
            *before = CalendarSpecToSetting(shipped->spec);
          }
        }
        if (absl::Status saved = SaveWithEvent(txn, key, *before, CalendarSpecToSetting(spec),
                                               "calendar.updated", actor, now);
            !saved.ok()) {
          return saved;
        }
        absl::StatusOr<std::vector<std::string>> plans = PlansUsingCalendar(txn, name);
        if (!plans.ok()) return plans.status();
        return SlaChange<CalendarEntry>{
            .value = CalendarEntry{.name = name, .spec = spec, .shipped = false},
            .plans = *std::move(plans)};
      },
      NotifyThen<CalendarEntry>(context, std::move(done)));
}

void DeleteCalendar(AppContext& context, const core::Viewer& viewer, std::string name,
                    Done<std::optional<CalendarEntry>> done) {
  if (absl::Status allowed = CheckAdmin(viewer); !allowed.ok()) return done(allowed);
  if (!IsValidConfigName(name)) return done(NoSuch("calendar", name));
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<SlaChange<std::optional<CalendarEntry>>>(
      context.store,
      [name = std::move(name), now, actor](
          ports::StoreTransaction& txn) -> absl::StatusOr<SlaChange<std::optional<CalendarEntry>>> {
        const std::string key = CalendarSettingKey(name);
        absl::StatusOr<std::string> before = StoredText(txn, key);
        if (!before.ok()) return before.status();
        std::optional<CalendarEntry> shipped = ShippedCalendar(name);
        if (before->empty()) {
          if (!shipped) return NoSuch("calendar", name);
          return absl::FailedPreconditionError(
              absl::StrCat("calendar '", name,
                           "' is shipped with casedesk and cannot be deleted; PUT a new document "
                           "to change it"));
        }
        absl::StatusOr<std::vector<std::string>> plans = PlansUsingCalendar(txn, name);
        if (!plans.ok()) return plans.status();
        // Removing a replacement brings the shipped calendar back, so nothing loses its
        // calendar; the plans using it run on the shipped hours from now on.
        if (!shipped && !plans->empty()) {
          return absl::FailedPreconditionError(
              absl::StrCat("calendar '", name, "' is used by the SLA policy of plan '",
                           plans->front(), "'; change that policy first"));
        }
        if (absl::Status saved =
                SaveWithEvent(txn, key, *before, std::nullopt, "calendar.deleted", actor, now);
            !saved.ok()) {
          return saved;
        }
        return SlaChange<std::optional<CalendarEntry>>{.value = std::move(shipped),
                                                       .plans = *std::move(plans)};
      },
      NotifyThen<std::optional<CalendarEntry>>(context, std::move(done)));
}

// ---- SLA policies

absl::StatusOr<PlanSlaPolicy> GetPlanSlaPolicy(AppContext& context, const core::Viewer& viewer,
                                               const std::string& plan) {
  if (absl::Status allowed = CheckReader(viewer); !allowed.ok()) return allowed;
  return ReadValue<PlanSlaPolicy>(
      context.store, [&plan](ports::StoreTransaction& txn) -> absl::StatusOr<PlanSlaPolicy> {
        if (absl::Status exists = CheckPlanExists(txn, plan); !exists.ok()) return exists;
        absl::StatusOr<std::optional<std::string>> stored =
            txn.GetSetting(SlaPolicySettingKey(plan));
        if (!stored.ok()) return stored.status();
        absl::StatusOr<std::optional<core::SlaPolicy>> policy = LoadSlaPolicy(txn, plan);
        if (!policy.ok()) return policy.status();
        if (!policy->has_value()) {
          return absl::NotFoundError(absl::StrCat("support plan '", plan, "' has no SLA policy"));
        }
        return PlanSlaPolicy{
            .plan = plan, .policy = **std::move(policy), .shipped = !stored->has_value()};
      });
}

void PutPlanSlaPolicy(AppContext& context, const core::Viewer& viewer, std::string plan,
                      core::SlaPolicy policy, Done<PlanSlaPolicy> done) {
  if (absl::Status allowed = CheckAdmin(viewer); !allowed.ok()) return done(allowed);
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<SlaChange<PlanSlaPolicy>>(
      context.store,
      [plan = std::move(plan), policy = std::move(policy), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<SlaChange<PlanSlaPolicy>> {
        if (absl::Status exists = CheckPlanExists(txn, plan); !exists.ok()) return exists;
        absl::StatusOr<std::map<std::string, core::CalendarSpec>> calendars =
            LoadCalendarSpecs(txn);
        if (!calendars.ok()) return calendars.status();
        std::set<std::string> known;
        for (const auto& [name, spec] : *calendars) known.insert(name);
        if (absl::Status valid = core::ValidateSlaPolicy(policy, known); !valid.ok()) {
          return valid;
        }
        absl::StatusOr<std::optional<std::string>> before = LoadSlaPolicyText(txn, plan);
        if (!before.ok()) return before.status();
        if (absl::Status saved =
                SaveWithEvent(txn, SlaPolicySettingKey(plan), before->value_or(""),
                              SlaPolicyToSetting(policy), "sla_policy.updated", actor, now);
            !saved.ok()) {
          return saved;
        }
        return SlaChange<PlanSlaPolicy>{
            .value = PlanSlaPolicy{.plan = plan, .policy = policy, .shipped = false},
            .plans = {plan}};
      },
      NotifyThen<PlanSlaPolicy>(context, std::move(done)));
}

// ---- escalation policies

absl::StatusOr<std::vector<core::EscalationPolicy>> ListEscalationPolicies(
    AppContext& context, const core::Viewer& viewer) {
  if (absl::Status allowed = CheckReader(viewer); !allowed.ok()) return allowed;
  absl::StatusOr<std::vector<core::EscalationPolicy>> policies =
      ReadValue<std::vector<core::EscalationPolicy>>(
          context.store, [](ports::StoreTransaction& txn) { return LoadEscalationPolicies(txn); });
  if (!policies.ok()) return policies.status();
  std::sort(policies->begin(), policies->end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return policies;
}

absl::StatusOr<core::EscalationPolicy> GetEscalationPolicy(AppContext& context,
                                                           const core::Viewer& viewer,
                                                           const std::string& name) {
  if (absl::Status allowed = CheckReader(viewer); !allowed.ok()) return allowed;
  if (!IsValidConfigName(name)) return NoSuch("escalation policy", name);
  return ReadValue<core::EscalationPolicy>(
      context.store,
      [&name](ports::StoreTransaction& txn) -> absl::StatusOr<core::EscalationPolicy> {
        const std::string key = EscalationPolicySettingKey(name);
        absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) return NoSuch("escalation policy", name);
        return EscalationPolicyFromSetting(key, **stored);
      });
}

void PutEscalationPolicy(AppContext& context, const core::Viewer& viewer, std::string name,
                         core::EscalationPolicy policy, Done<core::EscalationPolicy> done) {
  if (absl::Status allowed = CheckAdmin(viewer); !allowed.ok()) return done(allowed);
  if (!IsValidConfigName(name)) return done(BadName("escalation policy", name));
  if (policy.name.empty()) policy.name = name;
  if (policy.name != name) {
    return done(absl::InvalidArgumentError(
        absl::StrCat("name: the document names '", policy.name, "' but is saved as '", name, "'")));
  }
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::EscalationPolicy>(
      context.store,
      [policy = std::move(policy), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<core::EscalationPolicy> {
        absl::StatusOr<core::EscalationCatalog> catalog = CatalogFor(txn, policy);
        if (!catalog.ok()) return catalog.status();
        if (absl::Status valid = core::ValidateEscalationPolicy(policy, *catalog); !valid.ok()) {
          return valid;
        }
        const std::string key = EscalationPolicySettingKey(policy.name);
        absl::StatusOr<std::string> before = StoredText(txn, key);
        if (!before.ok()) return before.status();
        if (absl::Status saved = SaveWithEvent(txn, key, *before, EscalationPolicyToSetting(policy),
                                               "escalation_policy.updated", actor, now);
            !saved.ok()) {
          return saved;
        }
        return policy;
      },
      InvalidateThen<core::EscalationPolicy>(context, std::move(done)));
}

void DeleteEscalationPolicy(AppContext& context, const core::Viewer& viewer, std::string name,
                            Done<core::EscalationPolicy> done) {
  if (absl::Status allowed = CheckAdmin(viewer); !allowed.ok()) return done(allowed);
  if (!IsValidConfigName(name)) return done(NoSuch("escalation policy", name));
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::EscalationPolicy>(
      context.store,
      [name = std::move(name), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<core::EscalationPolicy> {
        const std::string key = EscalationPolicySettingKey(name);
        absl::StatusOr<std::vector<core::EscalationPolicy>> policies = LoadEscalationPolicies(txn);
        if (!policies.ok()) return policies.status();
        std::optional<core::EscalationPolicy> policy = FindPolicy(*policies, name);
        if (!policy) return NoSuch("escalation policy", name);
        absl::StatusOr<std::optional<std::string>> user =
            ReferencingPolicy(txn, core::EscalationTargetKind::kPolicy, name);
        if (!user.ok()) return user.status();
        if (user->has_value()) {
          return absl::FailedPreconditionError(absl::StrCat("escalation policy '", name,
                                                            "' is handed over to by policy '",
                                                            **user, "'; change that policy first"));
        }
        absl::StatusOr<std::string> before = StoredText(txn, key);
        if (!before.ok()) return before.status();
        if (absl::Status saved = SaveWithEvent(txn, key, *before, std::nullopt,
                                               "escalation_policy.deleted", actor, now);
            !saved.ok()) {
          return saved;
        }
        return *std::move(policy);
      },
      InvalidateThen<core::EscalationPolicy>(context, std::move(done)));
}

// ---- on-call schedules

absl::StatusOr<std::vector<core::OnCallSchedule>> ListOnCallSchedules(AppContext& context,
                                                                      const core::Viewer& viewer) {
  if (absl::Status allowed = CheckReader(viewer); !allowed.ok()) return allowed;
  return ReadValue<std::vector<core::OnCallSchedule>>(
      context.store,
      [](ports::StoreTransaction& txn) -> absl::StatusOr<std::vector<core::OnCallSchedule>> {
        absl::StatusOr<std::map<std::string, core::OnCallSchedule>> schedules =
            LoadOnCallSchedules(txn);
        if (!schedules.ok()) return schedules.status();
        std::vector<core::OnCallSchedule> list;
        for (auto& [name, schedule] : *schedules) list.push_back(std::move(schedule));
        return list;
      });
}

absl::StatusOr<core::OnCallSchedule> GetOnCallSchedule(AppContext& context,
                                                       const core::Viewer& viewer,
                                                       const std::string& name) {
  if (absl::Status allowed = CheckReader(viewer); !allowed.ok()) return allowed;
  if (!IsValidConfigName(name)) return NoSuch("on-call schedule", name);
  return ReadValue<core::OnCallSchedule>(
      context.store, [&name](ports::StoreTransaction& txn) -> absl::StatusOr<core::OnCallSchedule> {
        const std::string key = OnCallSettingKey(name);
        absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) return NoSuch("on-call schedule", name);
        return OnCallScheduleFromSetting(key, **stored);
      });
}

void PutOnCallSchedule(AppContext& context, const core::Viewer& viewer, std::string name,
                       core::OnCallSchedule schedule, Done<core::OnCallSchedule> done) {
  if (absl::Status allowed = CheckAdmin(viewer); !allowed.ok()) return done(allowed);
  if (!IsValidConfigName(name)) return done(BadName("on-call schedule", name));
  if (schedule.name.empty()) schedule.name = name;
  if (schedule.name != name) {
    return done(absl::InvalidArgumentError(absl::StrCat("name: the document names '", schedule.name,
                                                        "' but is saved as '", name, "'")));
  }
  absl::StatusOr<absl::TimeZone> zone = LoadZone(schedule.time_zone);
  if (!zone.ok()) return done(zone.status());
  // The shape and gap checks need only the schedule: they run here, on the caller's thread;
  // the unit of work checks the people against the store.
  if (absl::Status shape = core::ValidateOnCallSchedule(schedule, *zone); !shape.ok()) {
    return done(shape);
  }
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::OnCallSchedule>(
      context.store,
      [schedule = std::move(schedule), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<core::OnCallSchedule> {
        std::vector<std::pair<std::string, core::UserId>> users;
        for (size_t l = 0; l < schedule.layers.size(); ++l) {
          const auto& participants = schedule.layers[l].participants;
          for (size_t p = 0; p < participants.size(); ++p) {
            users.emplace_back(absl::StrCat("layers[", l, "].participants[", p, "]"),
                               participants[p]);
          }
        }
        for (size_t o = 0; o < schedule.overrides.size(); ++o) {
          users.emplace_back(absl::StrCat("overrides[", o, "].user"), schedule.overrides[o].user);
        }
        if (absl::StatusOr<std::set<core::UserId>> staff = ActiveStaff(txn, users); !staff.ok()) {
          return staff.status();
        }
        const std::string key = OnCallSettingKey(schedule.name);
        absl::StatusOr<std::string> before = StoredText(txn, key);
        if (!before.ok()) return before.status();
        if (absl::Status saved = SaveWithEvent(txn, key, *before, OnCallScheduleToSetting(schedule),
                                               "oncall_schedule.updated", actor, now);
            !saved.ok()) {
          return saved;
        }
        return schedule;
      },
      std::move(done));
}

void DeleteOnCallSchedule(AppContext& context, const core::Viewer& viewer, std::string name,
                          Done<core::OnCallSchedule> done) {
  if (absl::Status allowed = CheckAdmin(viewer); !allowed.ok()) return done(allowed);
  if (!IsValidConfigName(name)) return done(NoSuch("on-call schedule", name));
  const absl::Time now = context.clock.Now();
  const core::UserId actor = viewer.user_id;
  WriteValue<core::OnCallSchedule>(
      context.store,
      [name = std::move(name), now,
       actor](ports::StoreTransaction& txn) -> absl::StatusOr<core::OnCallSchedule> {
        const std::string key = OnCallSettingKey(name);
        absl::StatusOr<std::string> before = StoredText(txn, key);
        if (!before.ok()) return before.status();
        if (before->empty()) return NoSuch("on-call schedule", name);
        absl::StatusOr<std::optional<std::string>> user =
            ReferencingPolicy(txn, core::EscalationTargetKind::kOnCall, name);
        if (!user.ok()) return user.status();
        if (user->has_value()) {
          return absl::FailedPreconditionError(absl::StrCat("on-call schedule '", name,
                                                            "' is used by escalation policy '",
                                                            **user, "'; change that policy first"));
        }
        absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromSetting(key, *before);
        if (!schedule.ok()) return schedule.status();
        if (absl::Status saved = SaveWithEvent(txn, key, *before, std::nullopt,
                                               "oncall_schedule.deleted", actor, now);
            !saved.ok()) {
          return saved;
        }
        return schedule;
      },
      std::move(done));
}

absl::StatusOr<OnCallNow> WhoIsOnCallNow(AppContext& context, const core::Viewer& viewer,
                                         const std::string& schedule_name, absl::Time at) {
  if (absl::Status allowed = CheckReader(viewer); !allowed.ok()) return allowed;
  if (!IsValidConfigName(schedule_name)) return NoSuch("on-call schedule", schedule_name);
  return ReadValue<OnCallNow>(
      context.store,
      [&schedule_name, at](ports::StoreTransaction& txn) -> absl::StatusOr<OnCallNow> {
        const std::string key = OnCallSettingKey(schedule_name);
        absl::StatusOr<std::optional<std::string>> stored = txn.GetSetting(key);
        if (!stored.ok()) return stored.status();
        if (!stored->has_value()) return NoSuch("on-call schedule", schedule_name);
        absl::StatusOr<core::OnCallSchedule> schedule = OnCallScheduleFromSetting(key, **stored);
        if (!schedule.ok()) return schedule.status();
        absl::StatusOr<absl::TimeZone> zone = LoadZone(schedule->time_zone);
        if (!zone.ok()) {
          return absl::DataLossError(absl::StrCat("the stored setting \"", key,
                                                  "\" is malformed: ", zone.status().message()));
        }
        OnCallNow now{
            .schedule = schedule_name, .at = at, .shift = std::nullopt, .user = std::nullopt};
        now.shift = core::WhoIsOnCall(*schedule, *zone, at);
        if (now.shift) {
          absl::StatusOr<core::User> user = txn.GetUser(now.shift->user);
          if (user.ok()) {
            now.user = *std::move(user);
          } else if (!absl::IsNotFound(user.status())) {
            return user.status();
          }
        }
        return now;
      });
}

}  // namespace casedesk::app
