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
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "app/sla_engine.h"
#include "core/enum_names.h"
#include "core/utc_time.h"

namespace casedesk::app {
namespace {

std::string FiredAtText(absl::Time at) {
  return core::FormatUtcSeconds(at);
}

std::string ClockName(core::SlaClockKind clock) {
  return std::string(core::NameOf<core::SlaClockKind>(core::kSlaClockKindNames, clock));
}

// The assignee hears of every warning and breach on their case; wider circles are the
// escalation policies' business. The timer fires once, so its key makes the Message-ID.
absl::Status NotifyAssignee(ports::StoreTransaction& txn, const MailQueueEnvironment& mail,
                            const core::Case& record, const ports::Timer& timer,
                            const core::SlaDeadline& deadline) {
  if (!record.assignee_id) return absl::OkStatus();
  absl::StatusOr<core::User> assignee = txn.GetUser(*record.assignee_id);
  if (!assignee.ok()) {
    return absl::IsNotFound(assignee.status()) ? absl::OkStatus() : assignee.status();
  }
  if (!assignee->active) return absl::OkStatus();
  const bool breach = deadline.kind == core::SlaDeadlineKind::kBreach;
  MailRequest request;
  request.kind = std::string(breach ? kMailSlaBreached : kMailSlaWarning);
  request.recipient_id = assignee->id;
  request.recipient_email = assignee->email;
  request.recipient_name = assignee->name;
  request.case_number = record.number;
  request.values = {{"clock", ClockName(deadline.clock)},
                    {"due_at", FiredAtText(timer.due_at)},
                    {"severity", core::SeverityLevel(record.severity)},
                    {"case_subject", record.subject}};
  request.unique_key = absl::StrCat(record.number, ":", timer.key, ":", assignee->id);
  absl::StatusOr<int64_t> id = QueueMail(mail, txn, request);
  return id.ok() ? absl::OkStatus() : id.status();
}

// `clocks`: the case's clocks as computed at `now`; neither the event nor the escalation levels
// this arms change them, so they are stored as they are.
absl::Status FireSlaDeadline(ports::StoreTransaction& txn, SlaEngine& sla,
                             const MailQueueEnvironment& mail, const core::Case& record,
                             const CaseSla& clocks, const ports::Timer& timer,
                             const core::SlaDeadline& deadline, absl::Time now) {
  const absl::Time due = timer.due_at;
  const bool breach = deadline.kind == core::SlaDeadlineKind::kBreach;
  // The event is dated at the deadline itself: an imported case breached long ago shows the
  // breach when it happened, and the firing instant is kept beside it.
  core::AuditEvent event = CaseEvent(record.number, 0, due, breach ? kSlaBreached : kSlaWarning);
  core::RecordChange(event.changes, "clock", "", ClockName(deadline.clock));
  if (deadline.cycle > 0) {
    core::RecordChange(event.changes, "cycle", "", std::to_string(deadline.cycle));
  }
  core::RecordChange(event.changes, "due_at", "", FiredAtText(due));
  core::RecordChange(event.changes, "fired_at", "", FiredAtText(now));
  if (absl::StatusOr<core::EventId> id = txn.AppendEvent(event); !id.ok()) return id.status();
  if (absl::Status notified = NotifyAssignee(txn, mail, record, timer, deadline); !notified.ok()) {
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

// The unit of work that fires one timer, queuing its mail with `mail` (the configured sender);
// false when it had already fired.
absl::StatusOr<bool> FireTimerWithMail(ports::StoreTransaction& txn, SlaEngine& sla,
                                       const MailQueueEnvironment& mail, const ports::Timer& timer,
                                       absl::Time now) {
  absl::StatusOr<core::Case> record = txn.GetCase(timer.case_number);
  if (!record.ok()) return record.status();
  if (const std::optional<core::SlaDeadline> deadline = ParseSlaTimerKey(timer.key)) {
    // A deadline armed under an earlier policy or calendar may have moved or gone: the clocks
    // as they are now decide. A stale timer is re-armed at its current instant (or dropped)
    // and does not fire.
    absl::StatusOr<std::optional<CaseSla>> clocks =
        sla.Compute(txn, *record, now, /*explain=*/false);
    if (!clocks.ok()) return clocks.status();
    if (!clocks->has_value() || !IsCurrentDeadline((*clocks)->clocks, *deadline, timer.due_at)) {
      absl::Status rearmed = sla.Store(txn, *record, *clocks);
      if (!rearmed.ok()) return rearmed;
      return false;
    }
    absl::StatusOr<bool> claimed = txn.MarkTimerFired(timer.case_number, timer.key, now);
    if (!claimed.ok() || !*claimed) return claimed;
    absl::Status fired = FireSlaDeadline(txn, sla, mail, *record, **clocks, timer, *deadline, now);
    if (!fired.ok()) return fired;
    return true;
  }
  absl::StatusOr<bool> claimed = txn.MarkTimerFired(timer.case_number, timer.key, now);
  if (!claimed.ok() || !*claimed) return claimed;
  if (timer.key.starts_with(kEscalationTimerPrefix)) {
    absl::Status fired = FireEscalationTimer(txn, sla, mail, *record, timer.key, now);
    if (!fired.ok()) return fired;
  }
  // Unknown keys (from a newer version) are claimed and otherwise left alone.
  return true;
}

}  // namespace

absl::StatusOr<int> FireDueTimers(AppContext& context, absl::Time now, int limit) {
  absl::StatusOr<std::vector<ports::Timer>> due = ReadValue<std::vector<ports::Timer>>(
      context.store, [&](ports::StoreTransaction& txn) { return txn.ListDueTimers(now, limit); });
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
  const MailQueueEnvironment mail{
      .now = now, .crypto = &context.crypto, .mail_from = context.mail_from};
  for (const ports::Timer& timer : *due) {
    auto fired_here = std::make_shared<bool>(false);
    context.store.Write(
        [timer, sla, now, mail, fired_here](ports::StoreTransaction& txn) -> absl::Status {
          absl::StatusOr<bool> fired = FireTimerWithMail(txn, *sla, mail, timer, now);
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
  if (outcome->fired.load() > 0) WakeOutbox(context);
  if (outcome->fired.load() == 0) {
    absl::MutexLock lock(&outcome->mutex);
    if (!outcome->first_error.ok()) return outcome->first_error;
  }
  return outcome->fired.load();
}

}  // namespace casedesk::app
