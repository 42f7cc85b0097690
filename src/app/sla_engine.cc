#include "app/sla_engine.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "app/calendar_json.h"
#include "app/sla_history.h"
#include "app/sla_settings.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

std::string TargetText(const core::SlaTarget& target) {
  return target.is_named() ? target.name : std::to_string(target.minutes);
}

ports::ClockSummary Summarise(const core::SlaClock& clock) {
  ports::ClockSummary summary;
  summary.due_at = clock.due_at;
  summary.achieved_at = clock.achieved_at;
  summary.breached_at = clock.breached_at;
  summary.target = TargetText(clock.target);
  return summary;
}

ports::CaseSlaRecord SummaryOf(const core::Case& record, const CaseSla& sla) {
  ports::CaseSlaRecord summary;
  summary.case_number = record.number;
  summary.org_id = record.org_id;
  summary.plan = sla.plan;
  summary.severity = sla.clocks.severity;
  summary.created_at = record.created_at;
  summary.first_response = Summarise(sla.clocks.first_response);
  summary.resolution = Summarise(sla.clocks.resolution);
  const auto count_breach = [&](absl::Time at) {
    ++summary.update_breaches;
    if (!summary.first_update_breach_at || at < *summary.first_update_breach_at) {
      summary.first_update_breach_at = at;
    }
  };
  for (const core::SlaDeadline& earlier : sla.clocks.earlier_cycles) {
    if (earlier.clock == core::SlaClockKind::kNextUpdate &&
        earlier.kind == core::SlaDeadlineKind::kBreach) {
      count_breach(earlier.at);
    }
  }
  if (sla.clocks.next_update.breached_at) count_breach(*sla.clocks.next_update.breached_at);
  return summary;
}

// The earliest due instant of a running clock (breached ones included): the staff console's
// queue order.
std::optional<absl::Time> NextDeadline(const core::SlaClocks& clocks) {
  std::optional<absl::Time> next;
  const auto consider = [&next](const core::SlaClock& clock) {
    if (clock.state != core::SlaClockState::kRunning || !clock.due_at) return;
    if (!next || *clock.due_at < *next) next = clock.due_at;
  };
  for (const core::SlaClock* clock :
       {&clocks.first_response, &clocks.next_update, &clocks.resolution}) {
    consider(*clock);
  }
  if (clocks.triage) consider(*clocks.triage);
  if (clocks.status_notification) consider(*clocks.status_notification);
  if (clocks.estimate) consider(*clocks.estimate);
  return next;
}

// The case's SLA timers: each upcoming warning and breach instant.
std::vector<ports::Timer> SlaTimers(const core::Case& record, const CaseSla& sla) {
  std::vector<ports::Timer> timers;
  for (const core::SlaDeadline& deadline : core::UpcomingDeadlines(sla.clocks)) {
    timers.push_back(
        {.case_number = record.number, .key = SlaTimerKey(deadline), .due_at = deadline.at});
  }
  return timers;
}

// Whether `stored` holds the unfired timer `key` due at `due_at`.
bool HoldsTimer(const StoredSla& stored, std::string_view key, absl::Time due_at) {
  for (const ports::Timer& timer : stored.unfired_timers) {
    if (timer.key == key) return timer.due_at == due_at;
  }
  return false;
}

// Whether `stored` holds an unfired timer whose key is not in `keys` (one to disarm).
bool HoldsTimerBesides(const StoredSla& stored, const std::vector<std::string>& keys) {
  for (const ports::Timer& timer : stored.unfired_timers) {
    if (std::find(keys.begin(), keys.end(), timer.key) == keys.end()) return true;
  }
  return false;
}

bool SameClockSummary(const ports::ClockSummary& a, const ports::ClockSummary& b) {
  return a.due_at == b.due_at && a.achieved_at == b.achieved_at && a.breached_at == b.breached_at &&
         a.target == b.target;
}

// Every field of the summary (a field added to CaseSlaRecord belongs here too).
bool SameSummary(const ports::CaseSlaRecord& a, const ports::CaseSlaRecord& b) {
  return a.case_number == b.case_number && a.org_id == b.org_id && a.plan == b.plan &&
         a.severity == b.severity && a.created_at == b.created_at &&
         SameClockSummary(a.first_response, b.first_response) &&
         SameClockSummary(a.resolution, b.resolution) && a.update_breaches == b.update_breaches &&
         a.first_update_breach_at == b.first_update_breach_at;
}

}  // namespace

std::string SlaTimerKey(const core::SlaDeadline& deadline) {
  return absl::StrCat(
      std::string(kSlaTimerPrefix),
      std::string(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, deadline.clock)), ":",
      std::string(core::NameOf<core::SlaDeadlineKind>(core::kSlaDeadlineKindNames, deadline.kind)),
      ":", deadline.cycle);
}

std::optional<core::SlaDeadline> ParseSlaTimerKey(std::string_view key) {
  const std::vector<std::string> parts = absl::StrSplit(std::string(key), ':');
  if (parts.size() != 4 || parts[0] + ":" != kSlaTimerPrefix) return std::nullopt;
  const auto clock = core::EnumFromName<core::SlaClockKind>(core::kSlaClockKindNames, parts[1]);
  const auto kind =
      core::EnumFromName<core::SlaDeadlineKind>(core::kSlaDeadlineKindNames, parts[2]);
  int cycle = 0;
  if (!clock || !kind || !absl::SimpleAtoi(parts[3], &cycle)) return std::nullopt;
  return core::SlaDeadline{.clock = *clock, .kind = *kind, .cycle = cycle};
}

void SlaEngine::Invalidate() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& [plan, prepared] : policies_) prepared.checked_at = absl::InfinitePast();
  escalations_checked_at_ = absl::InfinitePast();
}

absl::StatusOr<std::vector<core::EscalationPolicy>> SlaEngine::EscalationPolicies(
    ports::StoreTransaction& txn, absl::Time now) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (Fresh(escalations_checked_at_, now)) return escalation_policies_;
  }
  absl::StatusOr<std::vector<std::pair<std::string, std::string>>> texts =
      txn.ListSettings(kEscalationPolicySettingPrefix);
  if (!texts.ok()) return texts.status();
  std::lock_guard<std::mutex> lock(mutex_);
  if (*texts != escalation_texts_) {
    absl::StatusOr<std::vector<core::EscalationPolicy>> parsed = LoadEscalationPolicies(txn);
    if (!parsed.ok()) return parsed.status();
    escalation_policies_ = *std::move(parsed);
    escalation_texts_ = *std::move(texts);
  }
  escalations_checked_at_ = now;
  return escalation_policies_;
}

absl::StatusOr<std::optional<core::SlaEvaluator>> SlaEngine::EvaluatorFor(
    ports::StoreTransaction& txn, std::string_view plan, absl::Time now) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto cached = policies_.find(plan);
        cached != policies_.end() && Fresh(cached->second.checked_at, now)) {
      return std::optional<core::SlaEvaluator>(cached->second.evaluator);
    }
  }
  absl::StatusOr<std::optional<std::string>> policy_text = LoadSlaPolicyText(txn, plan);
  if (!policy_text.ok()) return policy_text.status();
  if (!policy_text->has_value()) return std::optional<core::SlaEvaluator>();
  absl::StatusOr<std::map<std::string, std::string>> calendar_texts = LoadCalendarTexts(txn);
  if (!calendar_texts.ok()) return calendar_texts.status();

  std::lock_guard<std::mutex> lock(mutex_);
  if (auto cached = policies_.find(plan); cached != policies_.end() &&
                                          cached->second.policy_text == **policy_text &&
                                          cached->second.calendar_texts == *calendar_texts) {
    cached->second.checked_at = now;
    return std::optional<core::SlaEvaluator>(cached->second.evaluator);
  }
  absl::StatusOr<std::optional<core::SlaPolicy>> policy = LoadSlaPolicy(txn, plan);
  if (!policy.ok()) return policy.status();
  if (!policy->has_value()) return std::optional<core::SlaEvaluator>();
  absl::StatusOr<std::map<std::string, core::CalendarSpec>> specs = LoadCalendarSpecs(txn);
  if (!specs.ok()) return specs.status();

  // Prepare (or reuse) every calendar the policy names; a calendar whose document changed is
  // rebuilt.
  std::map<std::string, core::BusinessCalendar, std::less<>> prepared;
  std::set<std::string> used = core::CalendarsUsedBy(**policy);
  used.insert((*policy)->business_calendar);
  for (const std::string& name : used) {
    const auto spec = specs->find(name);
    const auto text = calendar_texts->find(name);
    if (spec == specs->end() || text == calendar_texts->end()) continue;  // Create reports it
    auto cached = calendars_.find(name);
    if (cached == calendars_.end() || cached->second.text != text->second) {
      absl::StatusOr<core::BusinessCalendar> built = BuildCalendar(spec->second);
      if (!built.ok()) {
        return absl::DataLossError(
            absl::StrCat("stored calendar \"", name, "\" is invalid: ", built.status().message()));
      }
      calendars_.insert_or_assign(name, PreparedCalendar{text->second, *std::move(built)});
      cached = calendars_.find(name);
    }
    prepared.emplace(name, cached->second.calendar);
  }
  absl::StatusOr<core::SlaEvaluator> evaluator =
      core::SlaEvaluator::Create(**policy, core::CalendarLookupIn(prepared));
  if (!evaluator.ok()) {
    return absl::DataLossError(absl::StrCat("the stored SLA policy of plan \"", std::string(plan),
                                            "\" is invalid: ", evaluator.status().message()));
  }
  policies_.insert_or_assign(std::string(plan),
                             PreparedPolicy{now, **policy_text, *calendar_texts, *evaluator});
  return std::optional<core::SlaEvaluator>(*std::move(evaluator));
}

absl::StatusOr<std::optional<CaseSla>> SlaEngine::Compute(
    ports::StoreTransaction& txn, const core::Case& record, absl::Time now, bool explain,
    const std::vector<core::AuditEvent>* history) {
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(record.org_id);
  if (!org.ok()) return org.status();
  return ComputeUnderPlan(txn, org->plan, record, history, now, explain);
}

absl::StatusOr<std::optional<CaseSla>> SlaEngine::ComputeFor(ports::StoreTransaction& txn,
                                                             const ports::CaseWithHistory& found,
                                                             absl::Time now, bool explain) {
  return ComputeUnderPlan(txn, found.org.plan, found.record, &found.events, now, explain);
}

absl::StatusOr<std::optional<CaseSla>> SlaEngine::ComputeUnderPlan(
    ports::StoreTransaction& txn, std::string_view plan, const core::Case& record,
    const std::vector<core::AuditEvent>* history, absl::Time now, bool explain) {
  if (plan.empty()) return std::optional<CaseSla>();
  absl::StatusOr<std::optional<core::SlaEvaluator>> evaluator = EvaluatorFor(txn, plan, now);
  if (!evaluator.ok()) return evaluator.status();
  if (!evaluator->has_value()) return std::optional<CaseSla>();
  // The history is read only for a plan with a policy.
  absl::StatusOr<std::vector<core::AuditEvent>> loaded;
  if (history == nullptr) {
    loaded = ports::ListAllCaseEvents(txn, record.number);
    if (!loaded.ok()) return loaded.status();
    history = &*loaded;
  }
  absl::StatusOr<CaseSla> sla = ComputeWith(**evaluator, plan, record, *history, now, explain);
  if (!sla.ok()) return sla.status();
  return std::optional<CaseSla>(*std::move(sla));
}

absl::StatusOr<CaseSla> SlaEngine::ComputeWith(const core::SlaEvaluator& evaluator,
                                               std::string_view plan, const core::Case& record,
                                               const std::vector<core::AuditEvent>& events,
                                               absl::Time now, bool explain) {
  CaseSla sla;
  sla.plan = std::string(plan);
  sla.policy = evaluator.policy();
  absl::Status computed = evaluator.Compute(SlaFactsFromHistory(record, events), now, &sla.clocks,
                                            {.explain = explain});
  if (!computed.ok()) return computed;
  return sla;
}

absl::Status SlaEngine::Refresh(ports::StoreTransaction& txn, const core::Case& record,
                                absl::Time now, const std::vector<core::AuditEvent>* history) {
  absl::StatusOr<std::optional<CaseSla>> sla =
      Compute(txn, record, now, /*explain=*/false, history);
  if (!sla.ok()) return sla.status();
  return Store(txn, record, *sla);
}

std::optional<absl::Time> SlaEngine::QueueDeadline(const std::optional<CaseSla>& sla) {
  return sla.has_value() ? NextDeadline(sla->clocks) : std::nullopt;
}

absl::Status SlaEngine::StoreOpened(ports::StoreTransaction& txn, const core::Case& record,
                                    const std::optional<CaseSla>& sla) {
  // A case just inserted has no timers and no summary yet, and its deadline is in its row.
  if (!sla.has_value()) return absl::OkStatus();
  if (absl::Status armed =
          txn.ArmNewCaseTimers(record.number, kSlaTimerPrefix, SlaTimers(record, *sla));
      !armed.ok()) {
    return armed;
  }
  return txn.InsertNewCaseSla(SummaryOf(record, *sla));
}

absl::Status SlaEngine::Store(
    ports::StoreTransaction& txn, const core::Case& record, const std::optional<CaseSla>& sla,
    const StoredSla* stored,
    std::vector<std::pair<core::CaseNumber, std::optional<absl::Time>>>* deferred_deadlines) {
  // Without `stored` every write happens; with it, a write whose value the store already holds
  // is skipped (ArmTimer of an unchanged unfired timer, disarming when no stale key is armed).
  const std::vector<ports::Timer> timers =
      sla.has_value() ? SlaTimers(record, *sla) : std::vector<ports::Timer>{};
  if (stored == nullptr) {
    if (absl::Status armed = txn.ArmCaseTimers(record.number, kSlaTimerPrefix, timers);
        !armed.ok()) {
      return armed;
    }
  } else {
    std::vector<std::string> keys;
    for (const ports::Timer& timer : timers) {
      keys.push_back(timer.key);
      if (HoldsTimer(*stored, timer.key, timer.due_at)) continue;
      if (absl::Status armed = txn.ArmTimer(timer); !armed.ok()) return armed;
    }
    if (HoldsTimerBesides(*stored, keys)) {
      if (absl::Status disarmed = txn.DisarmTimersExcept(record.number, kSlaTimerPrefix, keys);
          !disarmed.ok()) {
        return disarmed;
      }
    }
  }
  // The staff console's queue order (issue 5) is kept with the clocks it comes from.
  const std::optional<absl::Time> next_deadline = QueueDeadline(sla);
  if (stored == nullptr || stored->next_deadline != next_deadline) {
    if (deferred_deadlines != nullptr) {
      deferred_deadlines->emplace_back(record.number, next_deadline);
    } else if (absl::Status next = txn.SetCaseNextDeadline(record.number, next_deadline);
               !next.ok()) {
      return next;
    }
  }
  if (!sla.has_value()) return absl::OkStatus();
  ports::CaseSlaRecord summary = SummaryOf(record, *sla);
  if (stored != nullptr && stored->summary.has_value() && SameSummary(*stored->summary, summary)) {
    return absl::OkStatus();
  }
  if (stored != nullptr && !stored->summary.has_value()) return txn.InsertNewCaseSla(summary);
  return txn.UpsertCaseSla(summary);
}

}  // namespace casedesk::app
