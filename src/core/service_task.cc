#include "core/service_task.h"

#include <algorithm>
#include <cmath>

#include "absl/time/civil_time.h"

namespace casedesk::core {
namespace {

std::string StateName(ServiceTaskState state) {
  return std::string(NameOf<ServiceTaskState>(kServiceTaskStateNames, state));
}

std::string ActionName(ServiceTaskAction action) {
  return std::string(NameOf<ServiceTaskAction>(kServiceTaskActionNames, action));
}

absl::StatusOr<int64_t> EstimateMinutes(double hours) {
  if (!std::isfinite(hours) || hours <= 0) {
    return absl::InvalidArgumentError("hours: must be a positive number of hours");
  }
  const double minutes = hours * 60.0;
  if (minutes > static_cast<double>(kMaxEstimateMinutes)) {
    return absl::InvalidArgumentError("hours: at most 10000 hours");
  }
  const int64_t rounded = std::llround(minutes);
  if (rounded < 1) return absl::InvalidArgumentError("hours: at least one minute");
  return rounded;
}

}  // namespace

ServiceTaskParty ServiceTaskPartyOf(const Viewer& viewer, OrgId org_id) {
  if (IsProviderStaff(viewer.role)) return ServiceTaskParty::kStaff;
  if (viewer.org_id == org_id) return ServiceTaskParty::kCustomer;
  if (viewer.role == Role::kPartnerAgent &&
      std::find(viewer.child_org_ids.begin(), viewer.child_org_ids.end(), org_id) !=
          viewer.child_org_ids.end()) {
    return ServiceTaskParty::kCustomer;
  }
  return ServiceTaskParty::kOther;
}

ServiceTaskParty ServiceTaskActionParty(ServiceTaskAction action) {
  return action == ServiceTaskAction::kApprove || action == ServiceTaskAction::kDecline
             ? ServiceTaskParty::kCustomer
             : ServiceTaskParty::kStaff;
}

absl::StatusOr<ServiceTaskState> NextServiceTaskState(ServiceTaskState from,
                                                      ServiceTaskAction action) {
  using S = ServiceTaskState;
  bool allowed = false;
  S to = from;
  switch (action) {
    case ServiceTaskAction::kEstimate:
      allowed = from == S::kRequested || from == S::kEstimated || from == S::kApproved ||
                from == S::kDeclined || from == S::kScheduled;
      to = S::kEstimated;
      break;
    case ServiceTaskAction::kApprove:
      allowed = from == S::kEstimated;
      to = S::kApproved;
      break;
    case ServiceTaskAction::kDecline:
      allowed = from == S::kEstimated;
      to = S::kDeclined;
      break;
    case ServiceTaskAction::kSchedule:
      allowed = from == S::kApproved || from == S::kScheduled;  // rescheduling is allowed
      to = S::kScheduled;
      break;
    case ServiceTaskAction::kStart:
      allowed = from == S::kScheduled;
      to = S::kInProgress;
      break;
    case ServiceTaskAction::kDone:
      allowed = from == S::kInProgress;
      to = S::kDone;
      break;
  }
  if (!allowed) {
    return absl::FailedPreconditionError("state: a service task that is " + StateName(from) +
                                         " cannot be given the step '" + ActionName(action) + "'");
  }
  return to;
}

absl::Status CheckServiceTaskDate(std::string_view field, std::string_view date) {
  absl::CivilDay day;
  // ParseCivilTime normalises out-of-range fields; a real day formats back to itself.
  if (date.size() != 10 || !absl::ParseCivilTime(std::string(date), &day) ||
      absl::FormatCivilTime(day) != date) {
    return absl::InvalidArgumentError(std::string(field) + ": expected a date YYYY-MM-DD, got '" +
                                      std::string(date) + "'");
  }
  return absl::OkStatus();
}

ServiceTask NewServiceTask(CaseNumber number, OrgId org_id, absl::Time now) {
  ServiceTask task;
  task.case_number = number;
  task.org_id = org_id;
  task.state = ServiceTaskState::kRequested;
  task.requested_at = now;
  task.updated_at = now;
  task.revision = 1;
  return task;
}

absl::StatusOr<ServiceTask> ApplyServiceTaskCommand(const ServiceTask& task,
                                                    const ServiceTaskCommand& command,
                                                    ServiceTaskParty party, absl::Time now) {
  const ServiceTaskParty needed = ServiceTaskActionParty(command.action);
  if (party != needed) {
    return absl::PermissionDeniedError(
        std::string("only ") +
        (needed == ServiceTaskParty::kStaff ? "provider staff" : "the customer's contacts") +
        " may " + ActionName(command.action) + " a service task");
  }
  absl::StatusOr<ServiceTaskState> next = NextServiceTaskState(task.state, command.action);
  if (!next.ok()) return next.status();
  ServiceTask out = task;
  switch (command.action) {
    case ServiceTaskAction::kEstimate: {
      absl::StatusOr<int64_t> minutes = EstimateMinutes(command.hours);
      if (!minutes.ok()) return minutes.status();
      if (absl::Status date = CheckServiceTaskDate("completion_date", command.completion_date);
          !date.ok()) {
        return date;
      }
      out.estimate_minutes = *minutes;
      out.completion_date = command.completion_date;
      out.estimated_at = now;
      ++out.estimate_count;
      // A new estimate needs a new decision and, if the work was planned, a new schedule.
      out.start_date.clear();
      out.decided_at.reset();
      break;
    }
    case ServiceTaskAction::kApprove:
      out.decided_at = now;
      out.decline_reason.clear();
      break;
    case ServiceTaskAction::kDecline:
      if (command.reason.size() > kMaxDeclineReasonLength) {
        return absl::InvalidArgumentError("reason: at most 2000 bytes");
      }
      out.decided_at = now;
      out.decline_reason = command.reason;
      break;
    case ServiceTaskAction::kSchedule:
      if (absl::Status date = CheckServiceTaskDate("start_date", command.start_date); !date.ok()) {
        return date;
      }
      // Both are YYYY-MM-DD, so text order is date order.
      if (!out.completion_date.empty() && command.start_date > out.completion_date) {
        return absl::InvalidArgumentError("start_date: " + command.start_date +
                                          " is after the projected completion date " +
                                          out.completion_date);
      }
      out.start_date = command.start_date;
      break;
    case ServiceTaskAction::kStart:
      out.started_at = now;
      break;
    case ServiceTaskAction::kDone:
      out.done_at = now;
      break;
  }
  out.state = *next;
  out.updated_at = now;
  ++out.revision;
  return out;
}

std::optional<CaseStatus> CaseStatusAfterServiceTask(ServiceTaskState before,
                                                     ServiceTaskState after) {
  if (after == ServiceTaskState::kDeclined || after == ServiceTaskState::kDone) {
    return CaseStatus::kSolved;
  }
  if (before == ServiceTaskState::kDeclined) return CaseStatus::kOpen;
  return std::nullopt;
}

std::string_view ServiceTaskEventKind(ServiceTaskAction action) {
  switch (action) {
    case ServiceTaskAction::kEstimate:
      return kServiceTaskEstimatedEvent;
    case ServiceTaskAction::kApprove:
      return kServiceTaskApprovedEvent;
    case ServiceTaskAction::kDecline:
      return kServiceTaskDeclinedEvent;
    case ServiceTaskAction::kSchedule:
      return kServiceTaskScheduledEvent;
    case ServiceTaskAction::kStart:
      return kServiceTaskStartedEvent;
    case ServiceTaskAction::kDone:
      return kServiceTaskDoneEvent;
  }
  return kServiceTaskEstimatedEvent;
}

std::string FormatEstimateHours(int64_t minutes) {
  const int64_t hours = minutes / 60;
  const int64_t rest = minutes % 60;
  if (rest == 0) return std::to_string(hours);
  // Two decimals at most, trailing zeros dropped: 90 -> "1.5", 20 -> "0.33".
  const int64_t hundredths = (rest * 100 + 30) / 60;
  std::string fraction = (hundredths < 10 ? "0" : "") + std::to_string(hundredths);
  while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
  return std::to_string(hours) + "." + fraction;
}

}  // namespace casedesk::core
