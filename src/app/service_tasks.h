// Use cases of service tasks (issue 7, seed 001): requesting one (a case of the service-task
// kind), taking the flow's steps (estimate, approve, decline, schedule, start, done) and reading
// a task with its estimate clock and history. The rules are core::ApplyServiceTaskCommand's.
//
// Who may do what: provider staff estimate, schedule, start and complete; the organisation's
// contacts (and its partner's agents) approve and decline. Anyone else gets NotFound, exactly as
// for a case that does not exist. Each step is one unit of work: the task (conditional on the
// revision read, so of two racing steps one wins and the other is Aborted), its audit event on
// the case (the case's timeline and the SLA history read it), the case's status where the step
// moves it (decline and done solve it, a re-estimate of a declined task reopens it), the SLA
// clocks refreshed, and the mail through the outbox: an estimate to the requester
// ("service_task.estimate"), the customer's decision to the assignee
// ("service_task.decision").
//
// Requesting opens the case with OpenCase (category service_request, the same checks, events,
// clocks and mail as any case) and then, in a second unit of work, makes it a service task
// (the "service_task.requested" event starts the estimate clock). Should that second unit fail
// the case stays an ordinary case and the error is returned; AttachServiceTask (provider staff)
// makes an existing case a service task.
// Thread-safe: stateless functions over the thread-safe context.
#pragma once

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "app/app_context.h"
#include "app/authenticate.h"
#include "app/case_support.h"
#include "app/open_case.h"
#include "core/audit_event.h"
#include "core/service_task.h"
#include "core/sla_clocks.h"

namespace casedesk::app {

struct ServiceTaskView {
  core::Case record;
  core::ServiceTask task;
  // The flow's audit events (service_task.*), oldest first.
  std::vector<core::AuditEvent> history;
  // The estimate clock, when the plan has one (explained).
  std::optional<core::SlaClock> estimate_clock;
  // What the viewer may do next (for pages): each action whose party and state allow it.
  std::vector<core::ServiceTaskAction> allowed_actions;
};

// Opens a case from `request` (its category is set to service_request) and makes it a service
// task requested when the case was opened (an admin importing one with created_at: then, so its
// estimate clock runs from then). `done` receives the task once both units are durable.
void RequestServiceTask(AppContext& context, const Caller& caller, OpenCaseRequest request,
                        Done<ServiceTaskView> done);

// Makes an existing case a service task (provider staff; AlreadyExists when it is one).
void AttachServiceTask(AppContext& context, const Caller& caller, core::CaseNumber number,
                       Done<ServiceTaskView> done);

// Takes one step of the flow. NotFound for a case the caller cannot see or that is not a
// service task; PermissionDenied / FailedPrecondition / InvalidArgument from the core rules;
// Aborted when the task changed meanwhile.
void ActOnServiceTask(AppContext& context, const Caller& caller, core::CaseNumber number,
                      core::ServiceTaskCommand command, Done<ServiceTaskView> done);

// The task of a case the caller can see; NotFound otherwise or when the case is not a
// service task.
absl::StatusOr<ServiceTaskView> GetServiceTask(AppContext& context, const Caller& caller,
                                               core::CaseNumber number);

// Within a read or write: the task of `record` (nullopt when it is none), with its history,
// clock and the actions `viewer` may take as of `now`.
absl::StatusOr<std::optional<ServiceTaskView>> LoadServiceTaskView(ports::StoreTransaction& txn,
                                                                   AppContext& context,
                                                                   const core::Viewer& viewer,
                                                                   const core::Case& record,
                                                                   absl::Time now);

}  // namespace casedesk::app
