// The SLA engine: a case's live clocks under its organisation's plan, and keeping what depends on
// them in the store -- the case's armed SLA timers and its SLA summary -- current in the same
// unit of work as every change to the case.
//
// Prepared policies and calendars are cached (a calendar precomputes decades of business
// windows); each use re-reads the policy and calendar documents from the store and rebuilds only
// what changed, so a change saved through any node is picked up at once.
// Thread-safe: the cache is guarded by a mutex; computations run outside it.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/business_calendar.h"
#include "core/case.h"
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

class SlaEngine {
 public:
  // The clocks of `record` as of `now`; nullopt when its organisation's plan has no SLA policy.
  absl::StatusOr<std::optional<CaseSla>> Compute(ports::StoreTransaction& txn,
                                                 const core::Case& record, absl::Time now,
                                                 bool explain = true);

  // Computes the clocks and stores what follows from them: the case's SLA timers (each
  // warning and breach instant, past ones included so they fire at their own instants) and its
  // summary. Call inside every unit of work that changes a case, after the change.
  absl::Status Refresh(ports::StoreTransaction& txn, const core::Case& record, absl::Time now);

  // The prepared evaluator for a plan; nullopt when the plan has no policy.
  absl::StatusOr<std::optional<core::SlaEvaluator>> EvaluatorFor(ports::StoreTransaction& txn,
                                                                 std::string_view plan);

 private:
  struct PreparedPolicy {
    std::string policy_text;
    std::map<std::string, std::string> calendar_texts;
    core::SlaEvaluator evaluator;
  };
  struct PreparedCalendar {
    std::string text;
    core::BusinessCalendar calendar;
  };

  std::mutex mutex_;
  std::map<std::string, PreparedPolicy, std::less<>> policies_;    // by plan
  std::map<std::string, PreparedCalendar, std::less<>> calendars_;  // by name
};

}  // namespace casedesk::app
