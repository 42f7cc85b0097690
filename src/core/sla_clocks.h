// SLA clocks: a case's first_response, next_update and resolution clocks (and triage and
// status_notification when the after-hours rule applies), computed from the case's history under
// an SLA policy, with an explanation of every due instant. Pure: `now` is a parameter, no I/O.
//
// Thread safety: SlaEvaluator is immutable once created; Compute may be called concurrently
// from any number of threads. Copies are cheap and share the prepared policy and calendars.
//
// Rules (issue 3), and the decisions taken where the issue leaves a choice:
//  * Clocks start at SlaFacts::start (creation, or when the case became eligible). Business time
//    is counted on the calendar of the clock's current target; named targets (no clock) still
//    count, so a later severity change knows how much time was used.
//  * first_response is achieved by the first public staff reply. next_update is not started
//    until then; each public staff reply achieves the current update cycle and starts the next
//    one (cycle 1 starts at the first response), due N business minutes later. resolution is
//    achieved when the case is solved (or closed).
//  * triage is achieved by a kTriaged event or a public staff reply, status_notification by a
//    public staff reply, each at or after the instant the after-hours rule triggered (see
//    AfterHoursRule). Once triggered they run to achievement even if the severity is lowered.
//  * estimate (service tasks, issue 7) starts at kEstimateRequested when the policy has an
//    estimate target, and is achieved by the first kEstimateGiven; later estimates (after a
//    decline, or on request) restart nothing. Giving an estimate is also a public staff reply:
//    seed 001 promises to "reply with an estimate", so it achieves first_response and the
//    update cycle like any public reply. It pauses and stops with the case like the others.
//  * Pause: while the status is one of the policy's pause_statuses, no clock runs. A public
//    customer reply, or any status change out of them, resumes the clocks; a later change into
//    a pause status pauses them again. Pausing does not reset anything.
//  * Solved/closed stop every clock that is not achieved (and achieve resolution). Reopening
//    (solved -> any other non-closed status) resumes them with the business time already used:
//    resolution loses its achieved_at and carries on from where it stopped; if the first response
//    was given, a new next_update cycle starts at the reopening.
//  * A severity change applies the new severity's targets (and calendars) to the business time
//    already used in the current cycle: due = the change instant + (new target - used) on the
//    new calendar; if the time used already exceeds the new target, the clock is due (and
//    breached) at the change instant, never retroactively. Breaches and warnings that already
//    happened stay recorded.
//  * A clock achieved exactly at its due instant is on time. breached_at is the due instant when
//    it passed before achievement, whether that was long before `now` (imported cases) or not.
//  * warning_at is the instant warning_fraction of the target was (or will be) used.
//
// Performance: after SlaEvaluator::Create, Compute does O(events x clocks) constant-time
// calendar queries plus a few logarithmic due-instant computations; reusing an SlaClocks object
// (the out-parameter overload) avoids most allocation.

#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/business_calendar.h"
#include "core/case.h"
#include "core/enum_names.h"
#include "core/severity.h"
#include "core/sla_policy.h"

namespace casedesk::core {

// ---- Input ----------------------------------------------------------------------------------

enum class SlaEventKind {
  kSeverityChanged,      // uses `severity`
  kStatusChanged,        // uses `status` (solved and closed included)
  kStaffPublicReply,     // a public comment by provider staff
  kCustomerPublicReply,  // a public comment by the customer side (requester, org, partner)
  kTriaged,              // provider staff triaged the case (confirmed severity, took it)
  kEstimateRequested,    // a service task was requested: the estimate clock starts
  kEstimateGiven,        // staff gave an estimate (a public reply carrying the estimate)
};

// One fact from the case's history. Built from audit events ("case.status_changed",
// "case.severity_changed") and public comments.
struct SlaEvent {
  absl::Time at = absl::InfinitePast();
  SlaEventKind kind = SlaEventKind::kStatusChanged;
  Severity severity = Severity::kMinor;  // kSeverityChanged: the new severity
  CaseStatus status = CaseStatus::kNew;  // kStatusChanged: the new status

  static SlaEvent SeverityChanged(absl::Time at, Severity severity);
  static SlaEvent StatusChanged(absl::Time at, CaseStatus status);
  static SlaEvent StaffPublicReply(absl::Time at);
  static SlaEvent CustomerPublicReply(absl::Time at);
  static SlaEvent Triaged(absl::Time at);
  static SlaEvent EstimateRequested(absl::Time at);
  static SlaEvent EstimateGiven(absl::Time at);
};

// What the clocks depend on. Events should be in time order (events at the same instant in the
// order they happened); an unordered list is sorted (stably) first. Events before `start`
// take effect at `start`.
struct SlaFacts {
  absl::Time start = absl::InfinitePast();  // created_at, or when the case became eligible
  Severity severity = Severity::kMinor;     // severity at `start`
  CaseStatus status = CaseStatus::kNew;     // status at `start`
  std::vector<SlaEvent> events;
};

// Looks a calendar up by name; nullptr when unknown. Used only by SlaEvaluator::Create.
using SlaCalendarLookup = std::function<const BusinessCalendar*(std::string_view name)>;

// A lookup over a map (the map must outlive the call to Create, not the evaluator).
SlaCalendarLookup CalendarLookupIn(const std::map<std::string, BusinessCalendar, std::less<>>& map);

// ---- Output ---------------------------------------------------------------------------------

enum class SlaClockState {
  kNotStarted,  // next_update before the first response
  kRunning,
  kPaused,      // the case waits on the customer
  kStopped,     // the case is solved or closed before this clock was achieved
  kAchieved,
};

inline constexpr std::array<std::pair<SlaClockState, std::string_view>, 5> kSlaClockStateNames{{
    {SlaClockState::kNotStarted, "not_started"},
    {SlaClockState::kRunning, "running"},
    {SlaClockState::kPaused, "paused"},
    {SlaClockState::kStopped, "stopped"},
    {SlaClockState::kAchieved, "achieved"},
}};

// One step of a clock's explanation, kept structured (cheap to compute); FormatSlaStep renders
// it for people.
struct SlaStep {
  enum class Kind {
    kStarted,              // at; target (with calendar)
    kAfterHoursTriggered,  // at; calendar = the business-hours calendar it was outside of
    kCycleStarted,         // at; cycle; target (next_update)
    kPaused,               // at .. until (InfiniteFuture: still paused); status; amount =
                           // business time not counted
    kResumedByCustomer,    // at (a customer reply ended a pause)
    kSeverityChanged,      // at; from -> to; amount = business time used so far; target = new
    kWarning,              // at
    kBreached,             // at
    kAchieved,             // at
    kStopped,              // at; status (solved or closed)
    kReopened,             // at; status; amount = business time already used
    kDue,                  // at = due instant; from = counted from; amount = remaining; target
  };

  Kind kind = Kind::kStarted;
  absl::Time at = absl::InfinitePast();
  absl::Time until = absl::InfiniteFuture();  // kPaused
  absl::Time from = absl::InfinitePast();     // kDue
  absl::Duration amount{};
  SlaTarget target{};
  std::string calendar{};  // kAfterHoursTriggered
  Severity from_severity = Severity::kMinor;
  Severity to_severity = Severity::kMinor;
  CaseStatus status = CaseStatus::kNew;
  int cycle = 0;
};

struct SlaClock {
  SlaClockKind kind = SlaClockKind::kFirstResponse;
  SlaClockState state = SlaClockState::kNotStarted;
  // Under the current severity (achieved clocks: the target they were achieved under);
  // calendar filled in.
  SlaTarget target;
  int cycle = 0;     // next_update: 1 for the cycle after the first response, 2, ...; else 0
  std::optional<absl::Time> started_at;  // start of this clock (of this cycle for next_update)
  // Running clocks with a duration target only: the instant the current target is reached
  // (ahead), or was reached (a breached clock still not achieved). None for named targets and
  // for paused, stopped and achieved clocks.
  std::optional<absl::Time> due_at;
  std::optional<absl::Time> warning_at;   // reached, or ahead for a running clock
  std::optional<absl::Time> achieved_at;
  std::optional<absl::Time> breached_at;  // only once passed (at or before `now`)
  absl::Duration elapsed;                 // business time used by `now` (this cycle)
  std::optional<absl::Duration> remaining;  // duration targets: target - elapsed, at least 0
  std::vector<SlaStep> explanation;

  bool paused() const { return state == SlaClockState::kPaused; }
};

enum class SlaDeadlineKind { kWarning, kBreach };

inline constexpr std::array<std::pair<SlaDeadlineKind, std::string_view>, 2>
    kSlaDeadlineKindNames{{{SlaDeadlineKind::kWarning, "warning"},
                           {SlaDeadlineKind::kBreach, "breach"}}};

// An instant a scheduler arms. (case, clock, kind, cycle) identifies it: each fires once.
struct SlaDeadline {
  SlaClockKind clock = SlaClockKind::kFirstResponse;
  SlaDeadlineKind kind = SlaDeadlineKind::kBreach;
  int cycle = 0;
  absl::Time at = absl::InfinitePast();
  bool operator==(const SlaDeadline&) const = default;
};

struct SlaClocks {
  Severity severity = Severity::kMinor;  // current
  CaseStatus status = CaseStatus::kNew;  // current
  SlaClock first_response;
  SlaClock next_update;
  SlaClock resolution;
  std::optional<SlaClock> triage;               // when the after-hours rule triggered
  std::optional<SlaClock> status_notification;  // when the after-hours rule triggered
  std::optional<SlaClock> estimate;             // service tasks whose policy has a target
  // Warnings and breaches of next_update cycles that have ended (achieved by an update, or
  // cut short by solving), in time order.
  std::vector<SlaDeadline> earlier_cycles;
};

// Every warning and breach instant the clocks imply, sorted by instant: those already passed
// (including imported history and earlier next_update cycles, so a scheduler that never saw them
// fires them at their own instants) and those ahead for running clocks. A scheduler arms them
// all and drops the (clock, kind, cycle) keys it has already fired for the case; a key whose
// instant moved (a severity change) is re-armed at the new instant.
std::vector<SlaDeadline> UpcomingDeadlines(const SlaClocks& clocks);

// ---- Computation ----------------------------------------------------------------------------

struct SlaComputeOptions {
  bool explain = true;  // false: leave the explanations empty (bulk recomputation)
};

class SlaEvaluator {
 public:
  // Validates `policy` (ValidateSlaPolicy against the calendars `lookup` knows) and prepares it:
  // targets resolved per severity, calendars copied (they share their precomputed data).
  static absl::StatusOr<SlaEvaluator> Create(const SlaPolicy& policy,
                                             const SlaCalendarLookup& lookup);

  // The clocks of a case with `facts`, as of `now`. InvalidArgument when facts.start is not a
  // finite instant.
  absl::StatusOr<SlaClocks> Compute(const SlaFacts& facts, absl::Time now,
                                    const SlaComputeOptions& options = {}) const;
  // The same into `out`, reusing its storage (for recomputing many cases in a loop).
  absl::Status Compute(const SlaFacts& facts, absl::Time now, SlaClocks* out,
                       const SlaComputeOptions& options = {}) const;

  const SlaPolicy& policy() const;

 private:
  struct Impl;
  explicit SlaEvaluator(std::shared_ptr<const Impl> impl);

  std::shared_ptr<const Impl> impl_;
};

// One-shot convenience: Create then Compute.
absl::StatusOr<SlaClocks> ComputeSlaClocks(const SlaFacts& facts, const SlaPolicy& policy,
                                           const SlaCalendarLookup& lookup, absl::Time now);

// ---- Explanation ----------------------------------------------------------------------------

// "target 60 business minutes on calendar business-gmt from 2026-03-09T09:00:00Z",
// "paused 2 h 10 min while pending (from ... to ...; 1 h 30 min of business time not counted)",
// "severity changed 2 -> 1 at ...: remaining target recomputed under severity 1: ...", ...
std::string FormatSlaStep(const SlaStep& step);
std::vector<std::string> ExplainSlaClock(const SlaClock& clock);

// "2 h 10 min", "45 min", "1 h", "30 s", "0 min".
std::string FormatSlaDuration(absl::Duration duration);

}  // namespace casedesk::core
