#include "app/service_tasks.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "app/mail_templates.h"
#include "app/outbox.h"
#include "app/store_calls.h"
#include "core/enum_names.h"

namespace casedesk::app {
namespace {

constexpr int kTaskEventPage = 1000;
constexpr core::ServiceTaskAction kAllActions[] = {
    core::ServiceTaskAction::kEstimate, core::ServiceTaskAction::kApprove,
    core::ServiceTaskAction::kDecline,  core::ServiceTaskAction::kSchedule,
    core::ServiceTaskAction::kStart,    core::ServiceTaskAction::kDone};

std::string StateName(core::ServiceTaskState state) {
  return std::string(core::NameOf<core::ServiceTaskState>(core::kServiceTaskStateNames, state));
}

absl::Status NotAServiceTask(core::CaseNumber number) {
  return absl::NotFoundError(absl::StrCat("case ", number, " is not a service task"));
}

absl::StatusOr<std::vector<core::AuditEvent>> LoadHistory(ports::StoreTransaction& txn,
                                                          core::CaseNumber number) {
  std::vector<core::AuditEvent> history;
  ports::PageRequest page{.limit = kTaskEventPage};
  while (true) {
    absl::StatusOr<ports::Page<core::AuditEvent>> loaded = txn.ListCaseEvents(number, page);
    if (!loaded.ok()) return loaded.status();
    for (core::AuditEvent& event : loaded->items) {
      if (event.kind.starts_with("service_task.")) history.push_back(std::move(event));
    }
    if (loaded->next_cursor.empty()) return history;
    page.cursor = loaded->next_cursor;
  }
}

// The organisation's partner, whose sender the customer side's mail uses (as for case mail).
absl::StatusOr<std::optional<core::OrgId>> PartnerSender(ports::StoreTransaction& txn,
                                                         core::OrgId org_id) {
  absl::StatusOr<core::Organisation> org = txn.GetOrganisation(org_id);
  if (!org.ok()) return org.status();
  if (!org->parent_id) return std::optional<core::OrgId>();
  absl::StatusOr<core::Organisation> parent = txn.GetOrganisation(*org->parent_id);
  if (!parent.ok()) return parent.status();
  if (parent->kind != core::OrgKind::kPartner) return std::optional<core::OrgId>();
  return std::optional<core::OrgId>(parent->id);
}

// The estimate goes to the requester; the customer's decision to the assignee (if any).
absl::Status QueueStepMail(ports::StoreTransaction& txn, AppContext& context,
                           const core::Case& record, const core::ServiceTask& task,
                           core::ServiceTaskAction action, const core::User& actor,
                           absl::Time now) {
  MailRequest mail;
  mail.case_number = record.number;
  mail.values["case_subject"] = record.subject;
  if (action == core::ServiceTaskAction::kEstimate) {
    absl::StatusOr<core::User> requester = txn.GetUser(record.requester_id);
    if (!requester.ok()) return requester.status();
    if (!requester->active || requester->email.empty()) return absl::OkStatus();
    absl::StatusOr<std::optional<core::OrgId>> sender = PartnerSender(txn, record.org_id);
    if (!sender.ok()) return sender.status();
    mail.kind = std::string(kMailServiceTaskEstimate);
    mail.recipient_id = requester->id;
    mail.recipient_email = requester->email;
    mail.recipient_name = requester->name;
    mail.sender_org = *sender;
    mail.values["hours"] = core::FormatEstimateHours(task.estimate_minutes.value_or(0));
    mail.values["completion_date"] = task.completion_date;
    mail.values["estimate_count"] = task.estimate_count;
    mail.values["case_url"] = absl::StrCat(context.public_url, "/portal/cases/", record.number);
    // One mail per estimate: the same estimate always yields the same Message-ID.
    mail.unique_key =
        absl::StrCat("service-task-", record.number, "-estimate-", task.estimate_count);
  } else if (action == core::ServiceTaskAction::kApprove ||
             action == core::ServiceTaskAction::kDecline) {
    if (!record.assignee_id) return absl::OkStatus();
    absl::StatusOr<core::User> assignee = txn.GetUser(*record.assignee_id);
    if (!assignee.ok()) return assignee.status();
    if (!assignee->active || assignee->email.empty()) return absl::OkStatus();
    const bool approved = action == core::ServiceTaskAction::kApprove;
    mail.kind = std::string(kMailServiceTaskDecision);
    mail.recipient_id = assignee->id;
    mail.recipient_email = assignee->email;
    mail.recipient_name = assignee->name;
    mail.values["decision"] = approved ? "approved" : "declined";
    mail.values["approved"] = approved;
    mail.values["customer_name"] = actor.name.empty() ? actor.email : actor.name;
    mail.values["reason"] = task.decline_reason;
    mail.values["case_url"] = absl::StrCat(context.public_url, "/console/cases/", record.number);
    mail.unique_key = absl::StrCat("service-task-", record.number, "-decision-", task.revision);
  } else {
    return absl::OkStatus();
  }
  absl::StatusOr<int64_t> queued = QueueMail(
      MailQueueEnvironment{.now = now, .crypto = &context.crypto, .mail_from = context.mail_from},
      txn, mail);
  return queued.ok() ? absl::OkStatus() : queued.status();
}

// The event of a step, with what it changed.
core::AuditEvent StepEvent(const core::ServiceTask& before, const core::ServiceTask& after,
                           const core::ServiceTaskCommand& command, core::UserId actor,
                           absl::Time now) {
  core::AuditEvent event =
      CaseEvent(after.case_number, actor, now, core::ServiceTaskEventKind(command.action));
  core::RecordChange(event.changes, "state", StateName(before.state), StateName(after.state));
  const auto minutes = [](const std::optional<int64_t>& m) {
    return m ? std::to_string(*m) : std::string();
  };
  core::RecordChange(event.changes, "estimate_minutes", minutes(before.estimate_minutes),
                     minutes(after.estimate_minutes));
  core::RecordChange(event.changes, "completion_date", before.completion_date,
                     after.completion_date);
  core::RecordChange(event.changes, "start_date", before.start_date, after.start_date);
  if (command.action == core::ServiceTaskAction::kDecline) {
    event.reason = after.decline_reason;
  }
  return event;
}

// Moves the case to `status` as part of a step, with the "case.updated" event the SLA history
// and the timeline read.
absl::Status MoveCase(ports::StoreTransaction& txn, core::Case& record, core::CaseStatus status,
                      core::UserId actor, absl::Time now) {
  if (record.status == status) return absl::OkStatus();
  if (absl::Status allowed = core::CheckTransition(record.status, status); !allowed.ok()) {
    return allowed;
  }
  core::AuditEvent event = CaseEvent(record.number, actor, now, kCaseUpdated);
  core::RecordChange(
      event.changes, "status",
      std::string(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, record.status)),
      std::string(core::NameOf<core::CaseStatus>(core::kCaseStatusNames, status)));
  event.reason = "service task";
  record.status = status;
  if (status == core::CaseStatus::kSolved) {
    record.solved_at = now;
  } else {
    record.solved_at.reset();
  }
  record.updated_at = now;
  if (absl::Status updated = txn.UpdateCase(record); !updated.ok()) return updated;
  return txn.AppendEvent(event).status();
}

// Makes `record` a service task requested at `requested_at`, inside a unit of work at `now`.
absl::StatusOr<ServiceTaskView> InsertTask(ports::StoreTransaction& txn, AppContext& context,
                                           const core::Viewer& viewer, const core::Case& record,
                                           absl::Time requested_at, absl::Time now) {
  core::ServiceTask task = core::NewServiceTask(record.number, record.org_id, requested_at);
  task.updated_at = now;
  if (absl::Status inserted = txn.InsertServiceTask(task); !inserted.ok()) return inserted;
  core::AuditEvent event =
      CaseEvent(record.number, viewer.user_id, requested_at, core::kServiceTaskRequestedEvent);
  core::RecordChange(event.changes, "state", "", StateName(task.state));
  if (absl::Status appended = txn.AppendEvent(event).status(); !appended.ok()) return appended;
  if (absl::Status refreshed = context.sla->Refresh(txn, record, now); !refreshed.ok()) {
    return refreshed;
  }
  absl::StatusOr<std::optional<ServiceTaskView>> view =
      LoadServiceTaskView(txn, context, viewer, record, now);
  if (!view.ok()) return view.status();
  if (!view->has_value()) return absl::InternalError("service task vanished after insert");
  return **std::move(view);
}

}  // namespace

absl::StatusOr<std::optional<ServiceTaskView>> LoadServiceTaskView(ports::StoreTransaction& txn,
                                                                   AppContext& context,
                                                                   const core::Viewer& viewer,
                                                                   const core::Case& record,
                                                                   absl::Time now) {
  absl::StatusOr<std::optional<core::ServiceTask>> task = txn.GetServiceTask(record.number);
  if (!task.ok()) return task.status();
  if (!task->has_value()) return std::optional<ServiceTaskView>();
  ServiceTaskView view;
  view.record = record;
  view.task = **std::move(task);
  absl::StatusOr<std::vector<core::AuditEvent>> history = LoadHistory(txn, record.number);
  if (!history.ok()) return history.status();
  view.history = *std::move(history);
  absl::StatusOr<std::optional<CaseSla>> sla = context.sla->Compute(txn, record, now);
  if (!sla.ok()) return sla.status();
  if (sla->has_value() && (*sla)->clocks.estimate) view.estimate_clock = (*sla)->clocks.estimate;
  const core::ServiceTaskParty party = core::ServiceTaskPartyOf(viewer, record.org_id);
  for (core::ServiceTaskAction action : kAllActions) {
    if (core::ServiceTaskActionParty(action) == party &&
        core::NextServiceTaskState(view.task.state, action).ok()) {
      view.allowed_actions.push_back(action);
    }
  }
  return std::optional<ServiceTaskView>(std::move(view));
}

void RequestServiceTask(AppContext& context, const Caller& caller, OpenCaseRequest request,
                        Done<ServiceTaskView> done) {
  request.category = core::Category::kServiceRequest;
  const core::Viewer viewer = caller.viewer;
  OpenCase(context, caller, std::move(request),
           [&context, viewer, done = std::move(done)](absl::StatusOr<CaseView> opened) mutable {
             if (!opened.ok()) {
               done(opened.status());
               return;
             }
             const core::Case record = opened->record;
             const absl::Time now = context.clock.Now();
             WriteValue<ServiceTaskView>(
                 context.store,
                 [&context, viewer, record, now](ports::StoreTransaction& txn) {
                   // Requested when the case was opened: an imported task's estimate clock
                   // runs from its real creation, like the case's other clocks.
                   return InsertTask(txn, context, viewer, record, record.created_at, now);
                 },
                 std::move(done));
           });
}

void AttachServiceTask(AppContext& context, const Caller& caller, core::CaseNumber number,
                       Done<ServiceTaskView> done) {
  if (!core::IsProviderStaff(caller.viewer.role)) {
    done(absl::PermissionDeniedError("only provider staff may make a case a service task"));
    return;
  }
  const core::Viewer viewer = caller.viewer;
  const absl::Time now = context.clock.Now();
  WriteValue<ServiceTaskView>(
      context.store,
      [&context, viewer, number,
       now](ports::StoreTransaction& txn) -> absl::StatusOr<ServiceTaskView> {
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, viewer, number);
        if (!record.ok()) return record.status();
        return InsertTask(txn, context, viewer, *record, now, now);
      },
      std::move(done));
}

void ActOnServiceTask(AppContext& context, const Caller& caller, core::CaseNumber number,
                      core::ServiceTaskCommand command, Done<ServiceTaskView> done) {
  const core::Viewer viewer = caller.viewer;
  const absl::Time now = context.clock.Now();
  auto work = [&context, viewer, number, command = std::move(command),
               now](ports::StoreTransaction& txn) -> absl::StatusOr<ServiceTaskView> {
    absl::StatusOr<core::Case> record = LoadVisibleCase(txn, viewer, number);
    if (!record.ok()) return record.status();
    absl::StatusOr<std::optional<core::ServiceTask>> stored = txn.GetServiceTask(number);
    if (!stored.ok()) return stored.status();
    if (!stored->has_value()) return NotAServiceTask(number);
    const core::ServiceTask& before = **stored;
    const core::ServiceTaskParty party = core::ServiceTaskPartyOf(viewer, record->org_id);
    absl::StatusOr<core::ServiceTask> after =
        core::ApplyServiceTaskCommand(before, command, party, now);
    if (!after.ok()) return after.status();
    absl::StatusOr<ports::ServiceTaskWrite> written =
        txn.UpdateServiceTask(*after, before.revision);
    if (!written.ok()) return written.status();
    if (*written == ports::ServiceTaskWrite::kStale) {
      return absl::AbortedError("the service task changed meanwhile; reload it and try again");
    }
    if (absl::Status appended =
            txn.AppendEvent(StepEvent(before, *after, command, viewer.user_id, now)).status();
        !appended.ok()) {
      return appended;
    }
    if (const std::optional<core::CaseStatus> status =
            core::CaseStatusAfterServiceTask(before.state, after->state)) {
      if (absl::Status moved = MoveCase(txn, *record, *status, viewer.user_id, now); !moved.ok()) {
        return moved;
      }
    }
    if (absl::Status refreshed = context.sla->Refresh(txn, *record, now); !refreshed.ok()) {
      return refreshed;
    }
    absl::StatusOr<core::User> actor = txn.GetUser(viewer.user_id);
    if (!actor.ok()) return actor.status();
    if (absl::Status mailed =
            QueueStepMail(txn, context, *record, *after, command.action, *actor, now);
        !mailed.ok()) {
      return mailed;
    }
    absl::StatusOr<std::optional<ServiceTaskView>> view =
        LoadServiceTaskView(txn, context, viewer, *record, now);
    if (!view.ok()) return view.status();
    if (!view->has_value()) return NotAServiceTask(number);
    return **std::move(view);
  };
  WriteValue<ServiceTaskView>(context.store, std::move(work),
                              WakingOutbox(context, std::move(done)));
}

absl::StatusOr<ServiceTaskView> GetServiceTask(AppContext& context, const Caller& caller,
                                               core::CaseNumber number) {
  const absl::Time now = context.clock.Now();
  return ReadValue<ServiceTaskView>(
      context.store, [&](ports::StoreTransaction& txn) -> absl::StatusOr<ServiceTaskView> {
        absl::StatusOr<core::Case> record = LoadVisibleCase(txn, caller.viewer, number);
        if (!record.ok()) return record.status();
        absl::StatusOr<std::optional<ServiceTaskView>> view =
            LoadServiceTaskView(txn, context, caller.viewer, *record, now);
        if (!view.ok()) return view.status();
        if (!view->has_value()) return NotAServiceTask(number);
        return **std::move(view);
      });
}

}  // namespace casedesk::app
