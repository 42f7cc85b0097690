// The SLA engine: a case's live clocks under its organisation's plan, and keeping what depends on
// them in the store -- the case's armed SLA timers and its SLA summary -- current in the same
// unit of work as every change to the case.
//
// Prepared policies and calendars are cached (a calendar precomputes decades of business
// windows), and so are the parsed escalation policies. A cached entry is trusted for
// kConfigRecheck; after that the documents are read again and only what changed is rebuilt, so
// a change saved through another node applies within that time. The configuration use cases
// call Invalidate() after their writes, so on the node that saved it a change applies at once.
// Thread-safe: the cache is guarded by a mutex; computations run outside it.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/audit_event.h"
#include "core/business_calendar.h"
#include "core/case.h"
#include "core/escalation_policy.h"
#include "core/sla_clocks.h"
#include "ports/store.h"

namespace casedesk::app {

// The timer keys of SLA deadlines: "sla:<clock>:<warning|breach>:<cycle>".
inline constexpr std::string_view kSlaTimerPrefix = "sla:";
std::string SlaTimerKey(const core::SlaDeadline& deadline);
// The deadline a key names (nullopt for keys that are not SLA deadlines).
std::optional<core::SlaDeadline> ParseSlaTimerKey(std::string_view key);

struct CaseSla {
  std::string plan;
  core::SlaClocks clocks;
  core::SlaPolicy policy;
};

// What the store held for a case's clocks when they were read for a refresh (bulk
// recomputation reads it for many cases at once), so that SlaEngine::Store writes only what
// changed.
struct StoredSla {
  std::vector<ports::Timer> unfired_timers;  // the case's unfired SLA timers
  std::optional<ports::CaseSlaRecord> summary;
  std::optional<absl::Time> next_deadline;
};

class SlaEngine {
 public:
  static constexpr absl::Duration kConfigRecheck = absl::Seconds(1);

  // The clocks of `record` as of `now`; nullopt when its organisation's plan has no SLA policy.
  // `history`: the case's audit events when the caller already has all of them (a case being
  // opened); otherwise they are read from the store.
  absl::StatusOr<std::optional<CaseSla>> Compute(
      ports::StoreTransaction& txn, const core::Case& record, absl::Time now, bool explain = true,
      const std::vector<core::AuditEvent>* history = nullptr);
  // Compute for a case read with everything its clocks need (GetCaseWithHistory).
  absl::StatusOr<std::optional<CaseSla>> ComputeFor(ports::StoreTransaction& txn,
                                                    const ports::CaseWithHistory& found,
                                                    absl::Time now, bool explain = true);
  // The clocks of `record` under `plan`'s prepared evaluator, from its audit events (oldest
  // first; only the kinds SlaFactsFromHistory reads matter). What Compute does once it has the
  // plan, the evaluator and the history.
  static absl::StatusOr<CaseSla> ComputeWith(const core::SlaEvaluator& evaluator,
                                             std::string_view plan, const core::Case& record,
                                             const std::vector<core::AuditEvent>& events,
                                             absl::Time now, bool explain);

  // Computes the clocks and stores what follows from them: the case's SLA timers (each
  // warning and breach instant, past ones included so they fire at their own instants) and its
  // summary. Call inside every unit of work that changes a case, after the change.
  absl::Status Refresh(ports::StoreTransaction& txn, const core::Case& record, absl::Time now,
                       const std::vector<core::AuditEvent>* history = nullptr);
  // The storing half of Refresh, for a caller that has just computed the clocks (nullopt: the
  // case has no SLA, its SLA timers are disarmed). With `stored` (what the store holds for the
  // case in this transaction), writes only what differs from it; the result is the same. With
  // `deferred_deadlines`, a queue deadline to write is appended there instead, for the caller
  // to write with SetCaseNextDeadlines in the same unit of work.
  absl::Status Store(ports::StoreTransaction& txn, const core::Case& record,
                     const std::optional<CaseSla>& sla, const StoredSla* stored = nullptr,
                     std::vector<std::pair<core::CaseNumber, std::optional<absl::Time>>>*
                         deferred_deadlines = nullptr);

  // The queue deadline that follows from clocks (nullopt: none running with a due instant),
  // as Store writes it with SetCaseNextDeadline.
  static std::optional<absl::Time> QueueDeadline(const std::optional<CaseSla>& sla);
  // Store for a case just inserted with InsertCaseWithDeadline(QueueDeadline(sla)): arms its
  // timers and writes its summary, leaving the deadline the insert wrote.
  absl::Status StoreOpened(ports::StoreTransaction& txn, const core::Case& record,
                           const std::optional<CaseSla>& sla);

  // The prepared evaluator for a plan; nullopt when the plan has no policy.
  absl::StatusOr<std::optional<core::SlaEvaluator>> EvaluatorFor(ports::StoreTransaction& txn,
                                                                 std::string_view plan,
                                                                 absl::Time now);

  // Every escalation policy, parsed.
  absl::StatusOr<std::vector<core::EscalationPolicy>> EscalationPolicies(
      ports::StoreTransaction& txn, absl::Time now);

  // Forget what is cached: the next use reads the documents again.
  void Invalidate();

 private:
  // Compute once the organisation's plan is known; `history` is read from the store when null.
  absl::StatusOr<std::optional<CaseSla>> ComputeUnderPlan(
      ports::StoreTransaction& txn, std::string_view plan, const core::Case& record,
      const std::vector<core::AuditEvent>* history, absl::Time now, bool explain);
  // Whether an entry checked at `checked_at` may be used at `now` without reading the store.
  static bool Fresh(absl::Time checked_at, absl::Time now) {
    return now >= checked_at && now - checked_at < kConfigRecheck;
  }

  struct PreparedPolicy {
    absl::Time checked_at = absl::InfinitePast();
    std::string policy_text;
    std::map<std::string, std::string> calendar_texts;
    core::SlaEvaluator evaluator;
  };
  struct PreparedCalendar {
    std::string text;
    core::BusinessCalendar calendar;
  };

  std::mutex mutex_;
  std::map<std::string, PreparedPolicy, std::less<>> policies_;     // by plan
  std::map<std::string, PreparedCalendar, std::less<>> calendars_;  // by name
  absl::Time escalations_checked_at_ = absl::InfinitePast();
  std::vector<std::pair<std::string, std::string>> escalation_texts_;
  std::vector<core::EscalationPolicy> escalation_policies_;
};

}  // namespace casedesk::app
