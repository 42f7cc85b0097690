#include "app/timer_firing.h"

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "app/case_support.h"
#include "app/escalations.h"
#include "app/sla_engine.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

std::string InstantText(absl::Time at) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", at, absl::UTCTimeZone());
}

std::string ClockName(core::SlaClockKind clock) {
  return std::string(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, clock));
}

// The assignee hears of every warning and breach on their case; wider circles are the
// escalation policies' business.
absl::Status NotifyAssignee(ports::StoreTransaction& txn, const core::Case& record,
                            const core::SlaDeadline& deadline, absl::Time due, absl::Time now) {
  if (!record.assignee_id) return absl::OkStatus();
  absl::StatusOr<core::User> assignee = txn.GetUser(*record.assignee_id);
  if (!assignee.ok()) return absl::IsNotFound(assignee.status()) ? absl::OkStatus() : assignee.status();
  if (!assignee->active) return absl::OkStatus();
  const bool breach = deadline.kind == core::SlaDeadlineKind::kBreach;
  ports::Notification notification;
  notification.case_number = record.number;
  notification.kind = std::string(breach ? kSlaBreached : kSlaWarning);
  notification.recipient_id = assignee->id;
  notification.recipient_email = assignee->email;
  notification.subject =
      absl::StrCat("[Case #", record.number, "] ", breach ? "SLA breached" : "SLA warning", ": ",
                   ClockName(deadline.clock), " - ", record.subject);
  notification.body = absl::StrCat(
      "Case #", record.number, " (severity ", core::SeverityLevel(record.severity), "): the ",
      ClockName(deadline.clock), " target ", breach ? "was missed at " : "will be missed soon; ",
      breach ? "" : "the warning point was ", InstantText(due), ".\n");
  notification.created_at = now;
  absl::StatusOr<int64_t> id = txn.InsertNotification(notification);
  return id.ok() ? absl::OkStatus() : id.status();
}

// `clocks`: the case's clocks as computed at `now`; neither the event nor the escalation levels
// this arms change them, so they are stored as they are.
absl::Status FireSlaDeadline(ports::StoreTransaction& txn, SlaEngine& sla,
                             const core::Case& record, const CaseSla& clocks,
                             const core::SlaDeadline& deadline, absl::Time due, absl::Time now) {
  const bool breach = deadline.kind == core::SlaDeadlineKind::kBreach;
  // The event is dated at the deadline itself: an imported case breached long ago shows the
  // breach when it happened, and the firing instant is kept beside it.
  core::AuditEvent event = CaseEvent(record.number, 0, due, breach ? kSlaBreached : kSlaWarning);
  core::RecordChange(event.changes, "clock", "", ClockName(deadline.clock));
  if (deadline.cycle > 0) {
    core::RecordChange(event.changes, "cycle", "", std::to_string(deadline.cycle));
  }
  core::RecordChange(event.changes, "due_at", "", InstantText(due));
  core::RecordChange(event.changes, "fired_at", "", InstantText(now));
  if (absl::StatusOr<core::EventId> id = txn.AppendEvent(event); !id.ok()) return id.status();
  if (absl::Status notified = NotifyAssignee(txn, record, deadline, due, now); !notified.ok()) {
    return notified;
  }
  if (absl::Status escalated = EscalateOnSlaDeadline(txn, sla, record, deadline, due, now);
      !escalated.ok()) {
    return escalated;
  }
  return sla.Store(txn, record, clocks);
}

// Whether `deadline`, armed for `due`, is still one of the clocks' deadlines at that instant.
bool IsCurrentDeadline(const core::SlaClocks& clocks, const core::SlaDeadline& deadline,
                       absl::Time due) {
  for (const core::SlaDeadline& candidate : core::UpcomingDeadlines(clocks)) {
    if (candidate.clock == deadline.clock && candidate.kind == deadline.kind &&
        candidate.cycle == deadline.cycle) {
      // The store keeps microseconds; a computed instant may carry a finer fraction.
      return absl::ToUnixMicros(candidate.at) == absl::ToUnixMicros(due);
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<bool> FireTimer(ports::StoreTransaction& txn, SlaEngine& sla,
                               const ports::Timer& timer, absl::Time now) {
  absl::StatusOr<core::Case> record = txn.GetCase(timer.case_number);
  if (!record.ok()) return record.status();
  if (const std::optional<core::SlaDeadline> deadline = ParseSlaTimerKey(timer.key)) {
    // A deadline armed under an earlier policy or calendar may have moved or gone: the clocks
    // as they are now decide. A stale timer is re-armed at its current instant (or dropped)
    // and does not fire.
    absl::StatusOr<std::optional<CaseSla>> clocks =
        sla.Compute(txn, *record, now, /*explain=*/false);
    if (!clocks.ok()) return clocks.status();
    if (!clocks->has_value() ||
        !IsCurrentDeadline((*clocks)->clocks, *deadline, timer.due_at)) {
      absl::Status rearmed = sla.Store(txn, *record, *clocks);
      if (!rearmed.ok()) return rearmed;
      return false;
    }
    absl::StatusOr<bool> claimed = txn.MarkTimerFired(timer.case_number, timer.key, now);
    if (!claimed.ok() || !*claimed) return claimed;
    absl::Status fired =
        FireSlaDeadline(txn, sla, *record, **clocks, *deadline, timer.due_at, now);
    if (!fired.ok()) return fired;
    return true;
  }
  absl::StatusOr<bool> claimed = txn.MarkTimerFired(timer.case_number, timer.key, now);
  if (!claimed.ok() || !*claimed) return claimed;
  if (timer.key.starts_with(kEscalationTimerPrefix)) {
    absl::Status fired = FireEscalationTimer(txn, sla, *record, timer.key, now);
    if (!fired.ok()) return fired;
  }
  // Unknown keys (from a newer version) are claimed and otherwise left alone.
  return true;
}

absl::StatusOr<int> FireDueTimers(AppContext& context, absl::Time now, int limit) {
  absl::StatusOr<std::vector<ports::Timer>> due =
      ReadValue<std::vector<ports::Timer>>(context.store, [&](ports::StoreTransaction& txn) {
        return txn.ListDueTimers(now, limit);
      });
  if (!due.ok()) return due.status();
  if (due->empty()) return 0;
  // One unit of work per timer, all submitted at once so the store commits them in groups; a
  // timer whose unit fails stays armed and is retried on the next pass.
  struct Outcome {
    std::atomic<int> fired{0};
    std::atomic<int> pending{0};
    std::promise<void> all_done;
    absl::Mutex mutex;
    absl::Status first_error;
  };
  auto outcome = std::make_shared<Outcome>();
  outcome->pending = static_cast<int>(due->size());
  std::shared_ptr<SlaEngine> sla = context.sla;
  for (const ports::Timer& timer : *due) {
    auto fired_here = std::make_shared<bool>(false);
    context.store.Write(
        [timer, sla, now, fired_here](ports::StoreTransaction& txn) -> absl::Status {
          absl::StatusOr<bool> fired = FireTimer(txn, *sla, timer, now);
          if (!fired.ok()) return fired.status();
          *fired_here = *fired;
          return absl::OkStatus();
        },
        [outcome, fired_here](absl::Status status) {
          if (status.ok() && *fired_here) outcome->fired.fetch_add(1);
          if (!status.ok()) {
            absl::MutexLock lock(&outcome->mutex);
            if (outcome->first_error.ok()) outcome->first_error = status;
          }
          if (outcome->pending.fetch_sub(1) == 1) outcome->all_done.set_value();
        });
  }
  outcome->all_done.get_future().wait();
  if (outcome->fired.load() == 0) {
    absl::MutexLock lock(&outcome->mutex);
    if (!outcome->first_error.ok()) return outcome->first_error;
  }
  return outcome->fired.load();
}

}  // namespace casedesk::app
