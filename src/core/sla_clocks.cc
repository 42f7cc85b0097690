#include "core/sla_clocks.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/utc_time.h"

namespace casedesk::core {
namespace {

constexpr size_t kBaseClockCount = 3;  // first_response, next_update, resolution
constexpr size_t kNoStep = static_cast<size_t>(-1);

bool IsStoppedStatus(CaseStatus status) {
  return status == CaseStatus::kSolved || status == CaseStatus::kClosed;
}

size_t StatusIndex(CaseStatus status) { return static_cast<size_t>(status); }

std::string FormatInstant(absl::Time t) {
  if (t == absl::InfiniteFuture()) return "never";
  if (t == absl::InfinitePast()) return "the beginning";
  return FormatUtcSeconds(t);
}

std::string StatusName(CaseStatus status) {
  return std::string(NameOf<CaseStatus>(kCaseStatusNames, status));
}

std::string DescribeTarget(const SlaTarget& target) {
  if (target.is_named()) {
    return target.name + " (no clock; business time counted on calendar " + target.calendar +
           ")";
  }
  return std::to_string(target.minutes) + " business minutes on calendar " + target.calendar;
}

}  // namespace

// ---- Events ---------------------------------------------------------------------------------

SlaEvent SlaEvent::SeverityChanged(absl::Time at, Severity severity) {
  return {.at = at, .kind = SlaEventKind::kSeverityChanged, .severity = severity};
}
SlaEvent SlaEvent::StatusChanged(absl::Time at, CaseStatus status) {
  return {.at = at, .kind = SlaEventKind::kStatusChanged, .status = status};
}
SlaEvent SlaEvent::StaffPublicReply(absl::Time at) {
  return {.at = at, .kind = SlaEventKind::kStaffPublicReply};
}
SlaEvent SlaEvent::CustomerPublicReply(absl::Time at) {
  return {.at = at, .kind = SlaEventKind::kCustomerPublicReply};
}
SlaEvent SlaEvent::Triaged(absl::Time at) { return {.at = at, .kind = SlaEventKind::kTriaged}; }
SlaEvent SlaEvent::EstimateRequested(absl::Time at) {
  return {.at = at, .kind = SlaEventKind::kEstimateRequested};
}
SlaEvent SlaEvent::EstimateGiven(absl::Time at) {
  return {.at = at, .kind = SlaEventKind::kEstimateGiven};
}

SlaCalendarLookup CalendarLookupIn(
    const std::map<std::string, BusinessCalendar, std::less<>>& map) {
  return [&map](std::string_view name) -> const BusinessCalendar* {
    const auto it = map.find(name);
    return it == map.end() ? nullptr : &it->second;
  };
}

// ---- Prepared policy ------------------------------------------------------------------------

namespace {

// A target with its calendar resolved and its durations precomputed.
struct ResolvedTarget {
  SlaTarget target;  // calendar filled in
  const BusinessCalendar* calendar = nullptr;
  bool timed = false;
  absl::Duration amount;   // the target, for timed targets
  absl::Duration warning;  // warning_fraction of it
};

// The policy prepared for replay (SlaEvaluator::Impl is this, under a private name).
struct PreparedPolicy {
  SlaPolicy policy;
  // Owned copies; std::map nodes are stable, so ResolvedTarget::calendar stays valid.
  std::map<std::string, BusinessCalendar, std::less<>> calendars;
  // [severity level 1..4][first_response, next_update, resolution]
  std::array<std::array<ResolvedTarget, kBaseClockCount>, 5> targets;
  std::array<bool, 6> pause_status{};
  bool has_after_hours = false;
  std::array<bool, 5> after_hours_severity{};
  const BusinessCalendar* hours_calendar = nullptr;
  std::string hours_calendar_name;
  // Indexed like the optional clocks: [0] triage, [1] status_notification.
  std::array<std::optional<ResolvedTarget>, 2> after_hours_targets;
  std::optional<ResolvedTarget> estimate_target;

  ResolvedTarget Resolve(const SlaTarget& target) const {
    ResolvedTarget resolved;
    resolved.target = target;
    if (resolved.target.calendar.empty()) resolved.target.calendar = policy.business_calendar;
    resolved.calendar = &calendars.find(resolved.target.calendar)->second;
    resolved.timed = !target.is_named();
    if (resolved.timed) {
      resolved.amount = absl::Minutes(target.minutes);
      resolved.warning = absl::Seconds(
          std::llround(static_cast<double>(target.minutes) * 60.0 * policy.warning_fraction));
    }
    return resolved;
  }
};

}  // namespace

struct SlaEvaluator::Impl : PreparedPolicy {};

SlaEvaluator::SlaEvaluator(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

const SlaPolicy& SlaEvaluator::policy() const { return impl_->policy; }

absl::StatusOr<SlaEvaluator> SlaEvaluator::Create(const SlaPolicy& policy,
                                                  const SlaCalendarLookup& lookup) {
  auto impl = std::make_shared<Impl>();
  std::set<std::string> known;
  for (const std::string& name : CalendarsUsedBy(policy)) {
    if (name.empty()) continue;
    if (const BusinessCalendar* calendar = lookup(name)) {
      known.insert(name);
      impl->calendars.emplace(name, *calendar);
    }
  }
  if (absl::Status status = ValidateSlaPolicy(policy, known); !status.ok()) return status;
  impl->policy = policy;
  for (const auto& [severity, targets] : policy.targets) {
    auto& row = impl->targets[static_cast<size_t>(SeverityLevel(severity))];
    row[0] = impl->Resolve(targets.first_response);
    row[1] = impl->Resolve(targets.next_update.AsTarget());
    row[2] = impl->Resolve(targets.resolution);
  }
  if (policy.estimate) impl->estimate_target = impl->Resolve(*policy.estimate);
  for (CaseStatus status : policy.pause_statuses) impl->pause_status[StatusIndex(status)] = true;
  if (policy.after_hours) {
    const AfterHoursRule& rule = *policy.after_hours;
    impl->has_after_hours = true;
    for (Severity severity : rule.severities) {
      impl->after_hours_severity[static_cast<size_t>(SeverityLevel(severity))] = true;
    }
    impl->hours_calendar_name =
        rule.hours_calendar.empty() ? policy.business_calendar : rule.hours_calendar;
    impl->hours_calendar = &impl->calendars.find(impl->hours_calendar_name)->second;
    for (const auto& [clock, target] : rule.clocks) {
      impl->after_hours_targets[clock == SlaClockKind::kTriage ? 0 : 1] = impl->Resolve(target);
    }
  }
  return SlaEvaluator(std::move(impl));
}

// ---- Computation ----------------------------------------------------------------------------

namespace {

// The running state of one clock while the history is replayed.
struct Runner {
  SlaClock* clock = nullptr;
  const ResolvedTarget* target = nullptr;
  const ResolvedTarget* achieved_target = nullptr;  // the target when achieved
  bool started = false;
  bool achieved = false;
  bool paused = false;
  bool stopped = false;
  size_t pause_step = kNoStep;  // index of the open kPaused step
  absl::Time pause_start;
  absl::Time segment_start;  // elapsed is counted up to here
  absl::Duration elapsed;    // business time used in this cycle
  std::optional<absl::Time> reached;  // when elapsed reached the current target

  bool running() const { return started && !achieved && !paused && !stopped; }
};

class Replay {
 public:
  Replay(const PreparedPolicy& impl, const SlaComputeOptions& options, SlaClocks* out)
      : impl_(impl), explain_(options.explain), out_(out) {}

  void Run(const SlaFacts& facts, const std::vector<SlaEvent>& events, absl::Time now) {
    const absl::Time start = facts.start;
    severity_ = facts.severity;
    status_ = facts.status;
    const auto& row = Row(severity_);
    InitRunner(base_[0], &out_->first_response, SlaClockKind::kFirstResponse, &row[0]);
    InitRunner(base_[1], &out_->next_update, SlaClockKind::kNextUpdate, &row[1]);
    InitRunner(base_[2], &out_->resolution, SlaClockKind::kResolution, &row[2]);
    Start(base_[0], start);
    Start(base_[2], start);
    MaybeTriggerAfterHours(start, /*became_listed=*/true);
    SyncAll(start);
    absl::Time cursor = start;
    for (const SlaEvent& event : events) {
      const absl::Time t = std::max(event.at, start);
      cursor = t;
      AdvanceAll(t);
      Apply(event, t);
      SyncAll(t);
    }
    Finish(cursor, now);
    out_->severity = severity_;
    out_->status = status_;
  }

 private:
  const std::array<ResolvedTarget, kBaseClockCount>& Row(Severity severity) const {
    return impl_.targets[static_cast<size_t>(SeverityLevel(severity))];
  }

  bool CasePaused() const { return impl_.pause_status[StatusIndex(status_)] && !customer_resumed_; }

  void AddStep(Runner& runner, SlaStep step) {
    if (explain_) runner.clock->explanation.push_back(std::move(step));
  }

  void InitRunner(Runner& runner, SlaClock* clock, SlaClockKind kind,
                  const ResolvedTarget* target) {
    runner = Runner{};
    runner.clock = clock;
    runner.target = target;
    clock->kind = kind;
    clock->state = SlaClockState::kNotStarted;
    clock->cycle = 0;
    clock->started_at.reset();
    clock->due_at.reset();
    clock->warning_at.reset();
    clock->achieved_at.reset();
    clock->breached_at.reset();
    clock->elapsed = absl::ZeroDuration();
    clock->remaining.reset();
    clock->explanation.clear();
  }

  void Start(Runner& runner, absl::Time t) {
    runner.started = true;
    runner.segment_start = t;
    runner.clock->started_at = t;
    AddStep(runner, {.kind = SlaStep::Kind::kStarted, .at = t, .target = runner.target->target});
  }

  // A new next_update cycle at t: the current one (if any) ends and is remembered.
  void StartCycle(absl::Time t) {
    Runner& runner = base_[1];
    SlaClock& clock = *runner.clock;
    if (runner.started) {
      if (clock.warning_at) {
        out_->earlier_cycles.push_back(
            {SlaClockKind::kNextUpdate, SlaDeadlineKind::kWarning, clock.cycle, *clock.warning_at});
      }
      if (clock.breached_at) {
        out_->earlier_cycles.push_back(
            {SlaClockKind::kNextUpdate, SlaDeadlineKind::kBreach, clock.cycle, *clock.breached_at});
      }
    }
    const int cycle = clock.cycle + 1;
    const ResolvedTarget* target = runner.target;
    InitRunner(runner, &clock, SlaClockKind::kNextUpdate, target);
    clock.cycle = cycle;
    runner.started = true;
    runner.segment_start = t;
    clock.started_at = t;
    AddStep(runner, {.kind = SlaStep::Kind::kCycleStarted, .at = t, .target = target->target,
                     .cycle = cycle});
  }

  void AdvanceAll(absl::Time t) {
    for (Runner& runner : base_) Advance(runner, t);
    for (Runner& runner : extra_) Advance(runner, t);
    if (estimate_.clock != nullptr) Advance(estimate_, t);
  }

  // Counts business time up to t and records the warning and due instants crossed on the way.
  void Advance(Runner& runner, absl::Time t) {
    if (t <= runner.segment_start) return;
    if (runner.running()) {
      const ResolvedTarget& target = *runner.target;
      const absl::Duration used = BusinessTimeBetween(*target.calendar, runner.segment_start, t);
      const absl::Duration before = runner.elapsed;
      const absl::Duration after = before + used;
      if (target.timed && used > absl::ZeroDuration()) {
        SlaClock& clock = *runner.clock;
        if (!clock.warning_at && before < target.warning && after >= target.warning) {
          clock.warning_at =
              target.calendar->AddBusinessTime(runner.segment_start, target.warning - before);
          AddStep(runner, {.kind = SlaStep::Kind::kWarning, .at = *clock.warning_at});
        }
        if (!runner.reached && before < target.amount && after >= target.amount) {
          runner.reached =
              target.calendar->AddBusinessTime(runner.segment_start, target.amount - before);
          MarkBreached(runner, *runner.reached);
        }
      }
      runner.elapsed = after;
    }
    runner.segment_start = t;
  }

  // The clocks usually share a calendar and a segment: remember the last answer.
  absl::Duration BusinessTimeBetween(const BusinessCalendar& calendar, absl::Time a,
                                     absl::Time b) {
    if (&calendar != memo_calendar_ || a != memo_from_ || b != memo_to_) {
      memo_calendar_ = &calendar;
      memo_from_ = a;
      memo_to_ = b;
      memo_amount_ = calendar.BusinessTimeBetween(a, b);
    }
    return memo_amount_;
  }

  void MarkBreached(Runner& runner, absl::Time t) {
    if (runner.clock->breached_at) return;
    runner.clock->breached_at = t;
    AddStep(runner, {.kind = SlaStep::Kind::kBreached, .at = t});
  }

  // Checks the current target against the time already used (after a target change).
  void CheckReachedNow(Runner& runner, absl::Time t) {
    runner.reached.reset();
    const ResolvedTarget& target = *runner.target;
    if (!target.timed) return;
    SlaClock& clock = *runner.clock;
    if (!clock.warning_at && runner.elapsed >= target.warning) {
      clock.warning_at = t;
      AddStep(runner, {.kind = SlaStep::Kind::kWarning, .at = t});
    }
    if (runner.elapsed >= target.amount) {
      runner.reached = t;
      MarkBreached(runner, t);
    }
  }

  void Achieve(Runner& runner, absl::Time t) {
    if (!runner.started || runner.achieved) return;
    SlaClock& clock = *runner.clock;
    // Achieved exactly at the due instant is on time.
    if (clock.breached_at && *clock.breached_at == t) {
      clock.breached_at.reset();
      auto& steps = clock.explanation;
      for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
        if (it->kind == SlaStep::Kind::kBreached) {
          steps.erase(std::next(it).base());
          break;
        }
      }
    }
    ClosePause(runner, t);
    runner.achieved = true;
    runner.achieved_target = runner.target;
    clock.achieved_at = t;
    AddStep(runner, {.kind = SlaStep::Kind::kAchieved, .at = t});
  }

  void ClosePause(Runner& runner, absl::Time t) {
    if (!runner.paused) return;
    runner.paused = false;
    if (runner.pause_step != kNoStep) {
      SlaStep& step = runner.clock->explanation[runner.pause_step];
      step.until = t;
      step.amount = runner.target->calendar->BusinessTimeBetween(runner.pause_start, t);
      runner.pause_step = kNoStep;
    }
    runner.segment_start = t;
  }

  // Brings a clock's pause/stop state in line with the case's status at t.
  void Sync(Runner& runner, absl::Time t) {
    if (!runner.started || runner.achieved) return;
    const bool stop = IsStoppedStatus(status_);
    const bool pause = !stop && CasePaused();
    if (runner.paused && !pause) ClosePause(runner, t);
    if (runner.stopped != stop) {
      runner.stopped = stop;
      runner.segment_start = t;
      if (stop) {
        AddStep(runner, {.kind = SlaStep::Kind::kStopped, .at = t, .status = status_});
      } else {
        AddStep(runner, {.kind = SlaStep::Kind::kReopened, .at = t, .amount = runner.elapsed,
                         .status = status_});
      }
    }
    if (!runner.paused && pause) {
      runner.paused = true;
      runner.pause_start = t;
      runner.segment_start = t;
      if (explain_) {
        runner.pause_step = runner.clock->explanation.size();
        AddStep(runner, {.kind = SlaStep::Kind::kPaused, .at = t, .status = status_});
      }
    }
  }

  void SyncAll(absl::Time t) {
    for (Runner& runner : base_) Sync(runner, t);
    for (Runner& runner : extra_) Sync(runner, t);
    if (estimate_.clock != nullptr) Sync(estimate_, t);
  }

  void Apply(const SlaEvent& event, absl::Time t) {
    switch (event.kind) {
      case SlaEventKind::kStatusChanged:
        ApplyStatus(event.status, t);
        break;
      case SlaEventKind::kSeverityChanged:
        ApplySeverity(event.severity, t);
        break;
      case SlaEventKind::kEstimateRequested:
        StartEstimate(t);
        break;
      case SlaEventKind::kEstimateGiven:
        if (estimate_.clock != nullptr) Achieve(estimate_, t);
        [[fallthrough]];  // an estimate is a public reply (see the header)
      case SlaEventKind::kStaffPublicReply:
        Achieve(base_[0], t);
        for (Runner& runner : extra_) Achieve(runner, t);
        // The first response starts update cycle 1; each later update achieves the current
        // cycle and starts the next one.
        if (!IsStoppedStatus(status_)) {
          Achieve(base_[1], t);
          StartCycle(t);
        }
        break;
      case SlaEventKind::kCustomerPublicReply:
        if (CasePaused()) {
          customer_resumed_ = true;
          for (Runner& runner : base_) NoteCustomerResume(runner, t);
          for (Runner& runner : extra_) NoteCustomerResume(runner, t);
          if (estimate_.clock != nullptr) NoteCustomerResume(estimate_, t);
        }
        break;
      case SlaEventKind::kTriaged:
        if (!extra_.empty() && extra_kinds_[0] == SlaClockKind::kTriage) Achieve(extra_[0], t);
        break;
    }
  }

  // The estimate clock starts once, at the first request, when the policy has a target.
  void StartEstimate(absl::Time t) {
    if (!impl_.estimate_target || estimate_.clock != nullptr) return;
    out_->estimate.emplace();
    InitRunner(estimate_, &*out_->estimate, SlaClockKind::kEstimate, &*impl_.estimate_target);
    Start(estimate_, t);
  }

  void NoteCustomerResume(Runner& runner, absl::Time t) {
    if (runner.paused) AddStep(runner, {.kind = SlaStep::Kind::kResumedByCustomer, .at = t});
  }

  void ApplyStatus(CaseStatus status, absl::Time t) {
    const CaseStatus old = status_;
    // Setting a status again (pending -> pending after a customer reply) re-arms the pause.
    customer_resumed_ = false;
    if (status == old) return;
    status_ = status;
    const bool was_stopped = IsStoppedStatus(old);
    const bool now_stopped = IsStoppedStatus(status);
    if (!was_stopped && now_stopped) {
      Achieve(base_[2], t);
    } else if (was_stopped && !now_stopped) {
      Runner& resolution = base_[2];
      if (resolution.achieved) {
        // Reopened: the resolution clock carries on with the time already used.
        resolution.achieved = false;
        resolution.stopped = false;
        resolution.clock->achieved_at.reset();
        resolution.target = &Row(severity_)[2];
        resolution.segment_start = t;
        AddStep(resolution, {.kind = SlaStep::Kind::kReopened, .at = t,
                             .amount = resolution.elapsed, .status = status});
        CheckReachedNow(resolution, t);
      }
      if (base_[0].achieved) StartCycle(t);
    }
  }

  void ApplySeverity(Severity severity, absl::Time t) {
    const Severity old = severity_;
    if (severity == old) return;
    severity_ = severity;
    const auto& row = Row(severity);
    for (size_t i = 0; i < kBaseClockCount; ++i) {
      Runner& runner = base_[i];
      runner.target = &row[i];
      if (!runner.started || runner.achieved) continue;
      AddStep(runner, {.kind = SlaStep::Kind::kSeverityChanged, .at = t,
                       .amount = runner.elapsed, .target = row[i].target,
                       .from_severity = old, .to_severity = severity});
      CheckReachedNow(runner, t);
    }
    const bool was_listed = impl_.after_hours_severity[static_cast<size_t>(SeverityLevel(old))];
    MaybeTriggerAfterHours(t, !was_listed);
  }

  void MaybeTriggerAfterHours(absl::Time t, bool became_listed) {
    if (!impl_.has_after_hours || after_hours_triggered_ || !became_listed) return;
    if (!impl_.after_hours_severity[static_cast<size_t>(SeverityLevel(severity_))]) return;
    if (impl_.hours_calendar->IsBusinessTime(t)) return;
    after_hours_triggered_ = true;
    const SlaClockKind kinds[2] = {SlaClockKind::kTriage, SlaClockKind::kStatusNotification};
    for (size_t i = 0; i < 2; ++i) {
      if (!impl_.after_hours_targets[i]) continue;
      std::optional<SlaClock>& slot = i == 0 ? out_->triage : out_->status_notification;
      slot.emplace();
      extra_kinds_[extra_.size()] = kinds[i];
      Runner& runner = extra_.emplace_back();
      InitRunner(runner, &*slot, kinds[i], &*impl_.after_hours_targets[i]);
      AddStep(runner, {.kind = SlaStep::Kind::kAfterHoursTriggered, .at = t,
                       .calendar = impl_.hours_calendar_name});
      Start(runner, t);
    }
  }

  // Projects due and warning instants from the last fact and settles breaches against now.
  void Finish(absl::Time cursor, absl::Time now) {
    for (Runner& runner : base_) FinishClock(runner, cursor, now);
    for (Runner& runner : extra_) FinishClock(runner, cursor, now);
    if (estimate_.clock != nullptr) FinishClock(estimate_, cursor, now);
  }

  void FinishClock(Runner& runner, absl::Time cursor, absl::Time now) {
    SlaClock& clock = *runner.clock;
    // Copied once here rather than at every change.
    clock.target = (runner.achieved ? runner.achieved_target : runner.target)->target;
    if (!runner.started) return;
    const ResolvedTarget& target = *runner.target;
    if (runner.achieved) {
      clock.state = SlaClockState::kAchieved;
    } else if (runner.stopped) {
      clock.state = SlaClockState::kStopped;
    } else if (runner.paused) {
      clock.state = SlaClockState::kPaused;
      if (runner.pause_step != kNoStep && now > runner.pause_start) {
        clock.explanation[runner.pause_step].amount =
            target.calendar->BusinessTimeBetween(runner.pause_start, now);
      }
    } else {
      clock.state = SlaClockState::kRunning;
      if (target.timed) {
        if (runner.reached) {
          clock.due_at = runner.reached;
        } else {
          const absl::Duration remaining = target.amount - runner.elapsed;
          clock.due_at = target.calendar->AddBusinessTime(cursor, remaining);
          AddStep(runner, {.kind = SlaStep::Kind::kDue, .at = *clock.due_at, .from = cursor,
                           .amount = remaining, .target = target.target});
          if (!clock.warning_at) {
            clock.warning_at =
                target.calendar->AddBusinessTime(cursor, target.warning - runner.elapsed);
            if (*clock.warning_at <= now) {
              AddStep(runner, {.kind = SlaStep::Kind::kWarning, .at = *clock.warning_at});
            }
          }
          if (*clock.due_at <= now) MarkBreached(runner, *clock.due_at);
        }
      }
      if (now > cursor) runner.elapsed += target.calendar->BusinessTimeBetween(cursor, now);
    }
    clock.elapsed = runner.elapsed;
    if (target.timed) clock.remaining = std::max(absl::ZeroDuration(), target.amount - runner.elapsed);
  }

  const PreparedPolicy& impl_;
  const bool explain_;
  SlaClocks* out_;
  Severity severity_ = Severity::kMinor;
  CaseStatus status_ = CaseStatus::kNew;
  bool customer_resumed_ = false;
  bool after_hours_triggered_ = false;
  const BusinessCalendar* memo_calendar_ = nullptr;
  absl::Time memo_from_;
  absl::Time memo_to_;
  absl::Duration memo_amount_;
  std::array<Runner, kBaseClockCount> base_;
  // At most two after-hours clocks; a fixed array keeps Runner pointers stable.
  struct ExtraRunners {
    std::array<Runner, 2> items;
    size_t count = 0;
    Runner& emplace_back() { return items[count++]; }
    bool empty() const { return count == 0; }
    size_t size() const { return count; }
    Runner& operator[](size_t i) { return items[i]; }
    Runner* begin() { return items.data(); }
    Runner* end() { return items.data() + count; }
  } extra_;
  std::array<SlaClockKind, 2> extra_kinds_{};
  Runner estimate_;  // clock == nullptr until a service task's estimate is requested
};

}  // namespace

absl::Status SlaEvaluator::Compute(const SlaFacts& facts, absl::Time now, SlaClocks* out,
                                   const SlaComputeOptions& options) const {
  if (facts.start == absl::InfinitePast() || facts.start == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("SLA facts need a finite start instant");
  }
  out->triage.reset();
  out->status_notification.reset();
  out->estimate.reset();
  out->earlier_cycles.clear();
  Replay replay(*impl_, options, out);
  const auto by_time = [](const SlaEvent& a, const SlaEvent& b) { return a.at < b.at; };
  if (std::is_sorted(facts.events.begin(), facts.events.end(), by_time)) {
    replay.Run(facts, facts.events, now);
  } else {
    std::vector<SlaEvent> sorted = facts.events;
    std::stable_sort(sorted.begin(), sorted.end(), by_time);
    replay.Run(facts, sorted, now);
  }
  return absl::OkStatus();
}

absl::StatusOr<SlaClocks> SlaEvaluator::Compute(const SlaFacts& facts, absl::Time now,
                                                const SlaComputeOptions& options) const {
  SlaClocks clocks;
  if (absl::Status status = Compute(facts, now, &clocks, options); !status.ok()) return status;
  return clocks;
}

absl::StatusOr<SlaClocks> ComputeSlaClocks(const SlaFacts& facts, const SlaPolicy& policy,
                                           const SlaCalendarLookup& lookup, absl::Time now) {
  absl::StatusOr<SlaEvaluator> evaluator = SlaEvaluator::Create(policy, lookup);
  if (!evaluator.ok()) return evaluator.status();
  return evaluator->Compute(facts, now);
}

std::vector<SlaDeadline> UpcomingDeadlines(const SlaClocks& clocks) {
  std::vector<SlaDeadline> deadlines = clocks.earlier_cycles;
  const auto add = [&](const SlaClock& clock) {
    if (clock.state == SlaClockState::kNotStarted) return;
    if (clock.warning_at) {
      deadlines.push_back({clock.kind, SlaDeadlineKind::kWarning, clock.cycle, *clock.warning_at});
    }
    if (clock.breached_at) {
      deadlines.push_back({clock.kind, SlaDeadlineKind::kBreach, clock.cycle, *clock.breached_at});
    } else if (clock.state == SlaClockState::kRunning && clock.due_at) {
      deadlines.push_back({clock.kind, SlaDeadlineKind::kBreach, clock.cycle, *clock.due_at});
    }
  };
  add(clocks.first_response);
  add(clocks.next_update);
  add(clocks.resolution);
  if (clocks.triage) add(*clocks.triage);
  if (clocks.status_notification) add(*clocks.status_notification);
  if (clocks.estimate) add(*clocks.estimate);
  std::stable_sort(deadlines.begin(), deadlines.end(),
                   [](const SlaDeadline& a, const SlaDeadline& b) { return a.at < b.at; });
  return deadlines;
}

// ---- Explanation ----------------------------------------------------------------------------

std::string FormatSlaDuration(absl::Duration duration) {
  if (duration < absl::ZeroDuration()) return "-" + FormatSlaDuration(-duration);
  const int64_t total_seconds = absl::ToInt64Seconds(duration);
  const int64_t hours = total_seconds / 3600;
  const int64_t minutes = (total_seconds % 3600) / 60;
  const int64_t seconds = total_seconds % 60;
  std::string text;
  if (hours > 0) text = std::to_string(hours) + " h";
  if (minutes > 0) text += (text.empty() ? "" : " ") + std::to_string(minutes) + " min";
  if (seconds > 0) text += (text.empty() ? "" : " ") + std::to_string(seconds) + " s";
  return text.empty() ? "0 min" : text;
}

std::string FormatSlaStep(const SlaStep& step) {
  using Kind = SlaStep::Kind;
  switch (step.kind) {
    case Kind::kStarted:
      return "target " + DescribeTarget(step.target) + " from " + FormatInstant(step.at);
    case Kind::kAfterHoursTriggered:
      return "after-hours rule: the case was at this severity at " + FormatInstant(step.at) +
             ", outside the business hours of calendar " + step.calendar;
    case Kind::kCycleStarted:
      if (step.target.is_named()) {
        return "update cycle " + std::to_string(step.cycle) + " from " + FormatInstant(step.at) +
               ": updates on milestones only (no clock)";
      }
      return "update cycle " + std::to_string(step.cycle) + " from " + FormatInstant(step.at) +
             ": next public update due within " + DescribeTarget(step.target);
    case Kind::kPaused:
      if (step.until == absl::InfiniteFuture()) {
        return "paused since " + FormatInstant(step.at) + " while " + StatusName(step.status) +
               " on the customer (" + FormatSlaDuration(step.amount) +
               " of business time not counted so far)";
      }
      return "paused " + FormatSlaDuration(step.until - step.at) + " while " +
             StatusName(step.status) + " on the customer (from " + FormatInstant(step.at) +
             " to " + FormatInstant(step.until) + "; " + FormatSlaDuration(step.amount) +
             " of business time not counted)";
    case Kind::kResumedByCustomer:
      return "resumed at " + FormatInstant(step.at) + " by the customer's reply";
    case Kind::kSeverityChanged:
      return "severity changed " + std::to_string(SeverityLevel(step.from_severity)) + " -> " +
             std::to_string(SeverityLevel(step.to_severity)) + " at " + FormatInstant(step.at) +
             ": " + FormatSlaDuration(step.amount) +
             " of business time used so far; remaining target recomputed under severity " +
             std::to_string(SeverityLevel(step.to_severity)) + ": " +
             DescribeTarget(step.target);
    case Kind::kWarning:
      return "warning at " + FormatInstant(step.at);
    case Kind::kBreached:
      return "breached at " + FormatInstant(step.at) + ": not achieved by the due instant";
    case Kind::kAchieved:
      return "achieved at " + FormatInstant(step.at);
    case Kind::kStopped:
      return "stopped at " + FormatInstant(step.at) + ": case " + StatusName(step.status);
    case Kind::kReopened:
      return "resumed at " + FormatInstant(step.at) + ": case reopened (" +
             StatusName(step.status) + "); " + FormatSlaDuration(step.amount) +
             " of business time already used is kept";
    case Kind::kDue:
      return "due at " + FormatInstant(step.at) + ": " + FormatSlaDuration(step.amount) +
             " of business time remaining from " + FormatInstant(step.from) + " on calendar " +
             step.target.calendar;
  }
  return "unknown step";
}

std::vector<std::string> ExplainSlaClock(const SlaClock& clock) {
  std::vector<std::string> lines;
  lines.reserve(clock.explanation.size());
  for (const SlaStep& step : clock.explanation) lines.push_back(FormatSlaStep(step));
  return lines;
}

}  // namespace casedesk::core
