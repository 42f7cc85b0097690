#include "app/sla_recompute.h"

#include <algorithm>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "app/case_support.h"
#include "app/sla_engine.h"
#include "core/service_task.h"

namespace casedesk::app {
namespace {

// Case numbers per unit of work: large enough that the range reads and the commit are shared by
// many cases, small enough that a unit holds the writer only briefly (a few ms per thousand
// cases) and stays under the stores' page limit of 1,000 rows for summaries.
constexpr core::CaseNumber kCasesPerUnit = 1000;
// Units queued at once: enough for group commit to batch them and keep the writer busy.
constexpr int kUnitsInFlight = 8;
constexpr int kOrgPage = 200;

using OrgPlans = std::map<core::OrgId, std::string>;

absl::StatusOr<OrgPlans> LoadOrgPlans(ports::Store& store) {
  OrgPlans plans;
  ports::OrgFilter filter;
  filter.page.limit = kOrgPage;
  while (true) {
    std::string next;
    absl::Status read = store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
      absl::StatusOr<ports::Page<core::Organisation>> page = txn.ListOrganisations(filter);
      if (!page.ok()) return page.status();
      for (const core::Organisation& org : page->items) plans[org.id] = org.plan;
      next = page->next_cursor;
      return absl::OkStatus();
    });
    if (!read.ok()) return read;
    if (next.empty()) return plans;
    filter.page.cursor = next;
  }
}

// The largest case number (0 when there are none). Cases opened later are computed by their own
// opening, under the configuration as it is by then.
absl::StatusOr<core::CaseNumber> LastCaseNumber(ports::Store& store) {
  core::CaseNumber last = 0;
  absl::Status read = store.Read([&](ports::StoreTransaction& txn) -> absl::Status {
    ports::CaseFilter filter;
    filter.scope.all = true;
    filter.page.limit = 1;
    absl::StatusOr<ports::Page<core::Case>> page = txn.ListCases(filter);
    if (!page.ok()) return page.status();
    if (!page->items.empty()) last = page->items.front().number;
    return absl::OkStatus();
  });
  if (!read.ok()) return read;
  return last;
}

// Recomputes the open cases numbered first..last inside one unit of work; returns how many
// belonged to `plan` (every plan when empty).
class RangeRecompute {
 public:
  RangeRecompute(SlaEngine& sla, const OrgPlans& org_plans, const std::string& plan, absl::Time now)
      : sla_(sla), org_plans_(org_plans), plan_(plan), now_(now) {}

  absl::StatusOr<int64_t> Run(ports::StoreTransaction& txn, core::CaseNumber first,
                              core::CaseNumber last) {
    absl::StatusOr<std::vector<ports::CaseClockInputs>> cases =
        txn.ListCaseClockInputs(first, last);
    if (!cases.ok()) return cases.status();
    if (cases->empty()) return 0;
    // Only the kinds SlaFactsFromHistory reads; the per-case path reads every event and skips
    // the others.
    absl::StatusOr<std::vector<core::AuditEvent>> events = txn.ListEventsOfCases(
        first, last,
        {std::string(kCaseCreated), std::string(kCaseUpdated), std::string(kCommentAdded),
         std::string(core::kServiceTaskRequestedEvent),
         std::string(core::kServiceTaskEstimatedEvent)});
    if (!events.ok()) return events.status();
    absl::StatusOr<std::vector<ports::Timer>> timers =
        txn.ListUnfiredTimersOfCases(first, last, kSlaTimerPrefix);
    if (!timers.ok()) return timers.status();
    ports::CaseSlaFilter summary_filter;
    summary_filter.after_case = first - 1;
    summary_filter.limit = static_cast<int>(last - first + 1);
    absl::StatusOr<std::vector<ports::CaseSlaRecord>> summaries = txn.ListCaseSla(summary_filter);
    if (!summaries.ok()) return summaries.status();

    // All four lists are ordered by case number: walk them together.
    auto event = events->begin();
    auto timer = timers->begin();
    auto summary = summaries->begin();
    int64_t recomputed = 0;
    std::vector<core::AuditEvent> history;
    std::vector<std::pair<core::CaseNumber, std::optional<absl::Time>>> deadlines;
    for (const ports::CaseClockInputs& inputs : *cases) {
      history.clear();
      StoredSla stored;
      stored.next_deadline = inputs.next_deadline;
      for (; event != events->end() && event->case_number <= inputs.number; ++event) {
        if (event->case_number == inputs.number) history.push_back(std::move(*event));
      }
      for (; timer != timers->end() && timer->case_number <= inputs.number; ++timer) {
        if (timer->case_number == inputs.number) stored.unfired_timers.push_back(*timer);
      }
      for (; summary != summaries->end() && summary->case_number <= inputs.number; ++summary) {
        if (summary->case_number == inputs.number) stored.summary = *summary;
      }
      absl::StatusOr<std::optional<std::string>> org_plan = PlanOf(txn, inputs.org_id);
      if (!org_plan.ok()) return org_plan.status();
      if (!org_plan->has_value()) continue;  // not the plan being recomputed
      absl::StatusOr<std::optional<CaseSla>> clocks = Compute(txn, inputs, **org_plan, history);
      if (!clocks.ok()) return clocks.status();
      if (absl::Status written = sla_.Store(txn, RecordOf(inputs), *clocks, &stored, &deadlines);
          !written.ok()) {
        return written;
      }
      ++recomputed;
    }
    // The queue deadlines in one statement: per case, each write rebuilds the lists of the
    // queue indexes' conditions.
    if (absl::Status written = txn.SetCaseNextDeadlines(deadlines); !written.ok()) return written;
    return recomputed;
  }

 private:
  // The fields of a case its clocks and summary are computed from.
  static core::Case RecordOf(const ports::CaseClockInputs& inputs) {
    core::Case record;
    record.number = inputs.number;
    record.org_id = inputs.org_id;
    record.severity = inputs.severity;
    record.status = inputs.status;
    record.created_at = inputs.created_at;
    return record;
  }

  // The organisation's plan, or nullopt when it is not the plan being recomputed.
  absl::StatusOr<std::optional<std::string>> PlanOf(ports::StoreTransaction& txn,
                                                    core::OrgId org_id) {
    std::string org_plan;
    if (auto known = org_plans_.find(org_id); known != org_plans_.end()) {
      org_plan = known->second;
    } else {  // an organisation added since the recomputation started
      absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
      if (!org.ok()) return org.status();
      org_plan = org->plan;
    }
    if (!plan_.empty() && org_plan != plan_) return std::optional<std::string>();
    return std::optional<std::string>(std::move(org_plan));
  }

  // As SlaEngine::Compute: nullopt when the organisation has no plan or the plan no policy.
  absl::StatusOr<std::optional<CaseSla>> Compute(ports::StoreTransaction& txn,
                                                 const ports::CaseClockInputs& inputs,
                                                 const std::string& plan,
                                                 const std::vector<core::AuditEvent>& history) {
    if (plan.empty()) return std::optional<CaseSla>();
    auto evaluator = evaluators_.find(plan);
    if (evaluator == evaluators_.end()) {
      absl::StatusOr<std::optional<core::SlaEvaluator>> loaded = sla_.EvaluatorFor(txn, plan, now_);
      if (!loaded.ok()) return loaded.status();
      evaluator = evaluators_.emplace(plan, *std::move(loaded)).first;
    }
    if (!evaluator->second.has_value()) return std::optional<CaseSla>();
    absl::StatusOr<CaseSla> sla =
        SlaEngine::ComputeWith(*evaluator->second, plan, RecordOf(inputs), history, now_,
                               /*explain=*/false);
    if (!sla.ok()) return sla.status();
    return std::optional<CaseSla>(*std::move(sla));
  }

  SlaEngine& sla_;
  const OrgPlans& org_plans_;
  const std::string& plan_;
  const absl::Time now_;
  std::map<std::string, std::optional<core::SlaEvaluator>> evaluators_;  // by plan, this unit
};

// Counts the units in flight and collects their outcome.
struct Progress {
  std::mutex mutex;
  std::condition_variable changed;
  int in_flight = 0;         // guarded by mutex
  int64_t recomputed = 0;    // guarded by mutex
  absl::Status first_error;  // guarded by mutex
};

}  // namespace

absl::StatusOr<int64_t> RecomputeOpenCases(AppContext& context, const std::string& plan,
                                           absl::Time now) {
  absl::StatusOr<OrgPlans> org_plans = LoadOrgPlans(context.store);
  if (!org_plans.ok()) return org_plans.status();
  absl::StatusOr<core::CaseNumber> last_number = LastCaseNumber(context.store);
  if (!last_number.ok()) return last_number.status();

  // Shared with the units, which may finish after an error has ended the loop below.
  auto shared_plans = std::make_shared<const OrgPlans>(*std::move(org_plans));
  auto progress = std::make_shared<Progress>();
  std::shared_ptr<SlaEngine> sla = context.sla;
  for (core::CaseNumber first = 1; first <= *last_number; first += kCasesPerUnit) {
    const core::CaseNumber last = std::min(*last_number, first + kCasesPerUnit - 1);
    {
      std::unique_lock<std::mutex> lock(progress->mutex);
      progress->changed.wait(lock, [&] { return progress->in_flight < kUnitsInFlight; });
      if (!progress->first_error.ok()) break;
      ++progress->in_flight;
    }
    auto count = std::make_shared<int64_t>(0);
    context.store.Write(
        [sla, shared_plans, plan, now, first, last, count](ports::StoreTransaction& txn) {
          *count = 0;
          absl::StatusOr<int64_t> recomputed =
              RangeRecompute(*sla, *shared_plans, plan, now).Run(txn, first, last);
          if (!recomputed.ok()) return recomputed.status();
          *count = *recomputed;
          return absl::OkStatus();
        },
        [progress, count](absl::Status status) {
          std::lock_guard<std::mutex> lock(progress->mutex);
          --progress->in_flight;
          if (status.ok()) {
            progress->recomputed += *count;
          } else if (progress->first_error.ok()) {
            progress->first_error = std::move(status);
          }
          progress->changed.notify_all();
        });
  }
  std::unique_lock<std::mutex> lock(progress->mutex);
  progress->changed.wait(lock, [&] { return progress->in_flight == 0; });
  if (!progress->first_error.ok()) return progress->first_error;
  return progress->recomputed;
}

}  // namespace casedesk::app
