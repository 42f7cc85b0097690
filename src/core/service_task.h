// Service tasks (issue 7, seed 001): a case of the service-task kind with its own flow --
// requested -> estimated (hours and a projected completion date) -> approved or declined by the
// customer -> scheduled (a start date) -> in progress -> done. Which party may take which step,
// and what each step changes, is decided here. Pure: `now` is a parameter, no I/O.
// Thread-safe: value types and pure functions.
//
// Decisions where issue 7 leaves a choice:
//  * A declined task is closed in the task's sense: it leaves the flow and its case is solved
//    (not closed: a closed case is final, and staff may still re-estimate a declined task,
//    which reopens it).
//  * Staff may re-estimate while the task waits for (or has) the customer's decision and until
//    it is started: from estimated, approved, declined and scheduled. A new estimate needs a new
//    approval; it restarts nothing (the estimate clock was achieved by the first estimate).
//  * Dates are local calendar dates ("2026-03-12") as the customer reads them; the completion
//    date may not precede the start date once both are known.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/access.h"
#include "core/case.h"
#include "core/enum_names.h"
#include "core/ids.h"

namespace casedesk::core {

enum class ServiceTaskState {
  kRequested,
  kEstimated,
  kApproved,
  kDeclined,
  kScheduled,
  kInProgress,
  kDone,
};

inline constexpr std::array<std::pair<ServiceTaskState, std::string_view>, 7>
    kServiceTaskStateNames{{
        {ServiceTaskState::kRequested, "requested"},
        {ServiceTaskState::kEstimated, "estimated"},
        {ServiceTaskState::kApproved, "approved"},
        {ServiceTaskState::kDeclined, "declined"},
        {ServiceTaskState::kScheduled, "scheduled"},
        {ServiceTaskState::kInProgress, "in_progress"},
        {ServiceTaskState::kDone, "done"},
    }};

enum class ServiceTaskAction { kEstimate, kApprove, kDecline, kSchedule, kStart, kDone };

inline constexpr std::array<std::pair<ServiceTaskAction, std::string_view>, 6>
    kServiceTaskActionNames{{
        {ServiceTaskAction::kEstimate, "estimate"},
        {ServiceTaskAction::kApprove, "approve"},
        {ServiceTaskAction::kDecline, "decline"},
        {ServiceTaskAction::kSchedule, "schedule"},
        {ServiceTaskAction::kStart, "start"},
        {ServiceTaskAction::kDone, "done"},
    }};

// Who is acting, relative to the task's organisation.
enum class ServiceTaskParty {
  kStaff,     // provider staff
  kCustomer,  // a contact of the organisation, or an agent of its partner
  kOther,     // anyone else (sees nothing; the app answers NotFound before asking)
};

// Audit event kinds of the flow ("service_task.<action>d" and the request). The SLA history
// reads the first two: the request starts the estimate clock, the estimate achieves it.
inline constexpr std::string_view kServiceTaskRequestedEvent = "service_task.requested";
inline constexpr std::string_view kServiceTaskEstimatedEvent = "service_task.estimated";
inline constexpr std::string_view kServiceTaskApprovedEvent = "service_task.approved";
inline constexpr std::string_view kServiceTaskDeclinedEvent = "service_task.declined";
inline constexpr std::string_view kServiceTaskScheduledEvent = "service_task.scheduled";
inline constexpr std::string_view kServiceTaskStartedEvent = "service_task.started";
inline constexpr std::string_view kServiceTaskDoneEvent = "service_task.done";

inline constexpr int64_t kMaxEstimateMinutes = 10000 * 60;  // 10,000 hours
inline constexpr size_t kMaxDeclineReasonLength = 2000;

struct ServiceTask {
  CaseNumber case_number = 0;
  OrgId org_id = 0;
  ServiceTaskState state = ServiceTaskState::kRequested;
  std::optional<int64_t> estimate_minutes;  // the latest estimate
  std::string completion_date;              // "YYYY-MM-DD", with the estimate
  std::string start_date;                   // "YYYY-MM-DD", once scheduled
  std::string decline_reason;               // the latest decline's reason
  int estimate_count = 0;                   // estimates given so far
  absl::Time requested_at = absl::InfinitePast();
  std::optional<absl::Time> estimated_at;  // the latest estimate
  std::optional<absl::Time> decided_at;    // the latest approval or decline
  std::optional<absl::Time> started_at;
  std::optional<absl::Time> done_at;
  absl::Time updated_at = absl::InfinitePast();
  // Increases with every change; a store update is conditional on the revision it read.
  int64_t revision = 0;
};

// What an action carries; only the fields of that action are read.
struct ServiceTaskCommand {
  ServiceTaskAction action = ServiceTaskAction::kEstimate;
  double hours = 0;             // kEstimate: > 0, in steps of a minute at most 10,000
  std::string completion_date;  // kEstimate: "YYYY-MM-DD"
  std::string start_date;       // kSchedule: "YYYY-MM-DD"
  std::string reason;           // kDecline: optional, up to 2,000 bytes
};

// The party `viewer` is for a task of organisation `org_id`.
ServiceTaskParty ServiceTaskPartyOf(const Viewer& viewer, OrgId org_id);

// Which party takes `action`: staff estimate, schedule, start and complete; the customer
// approves and declines.
ServiceTaskParty ServiceTaskActionParty(ServiceTaskAction action);

// The state `action` leads to from `from`; FailedPrecondition naming both when the flow does
// not allow it. (The party is not checked here; see ApplyServiceTaskCommand.)
absl::StatusOr<ServiceTaskState> NextServiceTaskState(ServiceTaskState from,
                                                      ServiceTaskAction action);

// "YYYY-MM-DD" that names a real day; InvalidArgument naming `field` otherwise.
absl::Status CheckServiceTaskDate(std::string_view field, std::string_view date);

// A new task for a case, requested at `now`.
ServiceTask NewServiceTask(CaseNumber number, OrgId org_id, absl::Time now);

// Applies `command` by `party` to `task` at `now`: PermissionDenied when the party may not take
// the step, FailedPrecondition when the state does not allow it, InvalidArgument naming the
// field for bad hours, dates or reasons. The result has its state, the step's fields and
// updated_at set and its revision advanced.
absl::StatusOr<ServiceTask> ApplyServiceTaskCommand(const ServiceTask& task,
                                                    const ServiceTaskCommand& command,
                                                    ServiceTaskParty party, absl::Time now);

// The case status the step moves the case to, if any: a decline or completion solves it, a
// re-estimate of a declined task reopens it.
std::optional<CaseStatus> CaseStatusAfterServiceTask(ServiceTaskState before,
                                                     ServiceTaskState after);

// The audit event kind of each action.
std::string_view ServiceTaskEventKind(ServiceTaskAction action);

// The hours of an estimate as a decimal for people: 150 minutes -> "2.5", 20 -> "0.33".
std::string FormatEstimateHours(int64_t minutes);

}  // namespace casedesk::core
