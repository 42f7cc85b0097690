#include "core/service_task.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "absl/time/time.h"

namespace casedesk::core {
namespace {

using A = ServiceTaskAction;
using P = ServiceTaskParty;
using S = ServiceTaskState;

const absl::Time kNow = absl::FromUnixSeconds(1773072000);  // 2026-03-09T16:00:00Z

ServiceTaskCommand Command(A action) {
  ServiceTaskCommand command;
  command.action = action;
  command.hours = 2.5;
  command.completion_date = "2026-03-20";
  command.start_date = "2026-03-16";
  command.reason = "too expensive";
  return command;
}

ServiceTask TaskIn(S state) {
  ServiceTask task = NewServiceTask(42, 7, kNow - absl::Hours(1));
  task.state = state;
  if (state != S::kRequested) {
    task.estimate_minutes = 120;
    task.completion_date = "2026-03-20";
    task.estimate_count = 1;
  }
  return task;
}

TEST(ServiceTaskTest, TransitionsTable) {
  struct Row {
    S from;
    A action;
    P party;
    absl::StatusCode code;
    S to;  // when OK
  };
  const auto ok = absl::StatusCode::kOk;
  const auto refused = absl::StatusCode::kFailedPrecondition;
  const auto denied = absl::StatusCode::kPermissionDenied;
  const Row rows[] = {
      {S::kRequested, A::kEstimate, P::kStaff, ok, S::kEstimated},
      {S::kRequested, A::kEstimate, P::kCustomer, denied, S::kRequested},
      {S::kRequested, A::kApprove, P::kCustomer, refused, S::kRequested},
      {S::kRequested, A::kSchedule, P::kStaff, refused, S::kRequested},
      {S::kEstimated, A::kApprove, P::kCustomer, ok, S::kApproved},
      {S::kEstimated, A::kApprove, P::kStaff, denied, S::kEstimated},
      {S::kEstimated, A::kDecline, P::kCustomer, ok, S::kDeclined},
      {S::kEstimated, A::kDecline, P::kOther, denied, S::kEstimated},
      {S::kEstimated, A::kEstimate, P::kStaff, ok, S::kEstimated},
      {S::kEstimated, A::kStart, P::kStaff, refused, S::kEstimated},
      {S::kDeclined, A::kEstimate, P::kStaff, ok, S::kEstimated},
      {S::kDeclined, A::kApprove, P::kCustomer, refused, S::kDeclined},
      {S::kApproved, A::kSchedule, P::kStaff, ok, S::kScheduled},
      {S::kApproved, A::kSchedule, P::kCustomer, denied, S::kApproved},
      {S::kApproved, A::kEstimate, P::kStaff, ok, S::kEstimated},
      {S::kApproved, A::kStart, P::kStaff, refused, S::kApproved},
      {S::kScheduled, A::kSchedule, P::kStaff, ok, S::kScheduled},
      {S::kScheduled, A::kStart, P::kStaff, ok, S::kInProgress},
      {S::kScheduled, A::kDone, P::kStaff, refused, S::kScheduled},
      {S::kInProgress, A::kDone, P::kStaff, ok, S::kDone},
      {S::kInProgress, A::kEstimate, P::kStaff, refused, S::kInProgress},
      {S::kInProgress, A::kDone, P::kCustomer, denied, S::kInProgress},
      {S::kDone, A::kEstimate, P::kStaff, refused, S::kDone},
      {S::kDone, A::kDone, P::kStaff, refused, S::kDone},
  };
  for (const Row& row : rows) {
    const ServiceTask task = TaskIn(row.from);
    absl::StatusOr<ServiceTask> after =
        ApplyServiceTaskCommand(task, Command(row.action), row.party, kNow);
    const std::string label = std::string(NameOf<S>(kServiceTaskStateNames, row.from)) + " + " +
                              std::string(NameOf<A>(kServiceTaskActionNames, row.action));
    EXPECT_EQ(after.status().code(), row.code) << label << ": " << after.status();
    if (!after.ok()) continue;
    EXPECT_EQ(after->state, row.to) << label;
    EXPECT_EQ(after->revision, task.revision + 1) << label;
    EXPECT_EQ(after->updated_at, kNow) << label;
  }
}

TEST(ServiceTaskTest, EstimateRecordsHoursAndDateAndCountsEstimates) {
  absl::StatusOr<ServiceTask> first =
      ApplyServiceTaskCommand(TaskIn(S::kRequested), Command(A::kEstimate), P::kStaff, kNow);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->estimate_minutes, 150);
  EXPECT_EQ(first->completion_date, "2026-03-20");
  EXPECT_EQ(first->estimated_at, kNow);
  EXPECT_EQ(first->estimate_count, 1);
  // Approve, schedule, then a new estimate on request: a new decision is needed.
  absl::StatusOr<ServiceTask> approved =
      ApplyServiceTaskCommand(*first, Command(A::kApprove), P::kCustomer, kNow);
  ASSERT_TRUE(approved.ok());
  absl::StatusOr<ServiceTask> scheduled =
      ApplyServiceTaskCommand(*approved, Command(A::kSchedule), P::kStaff, kNow);
  ASSERT_TRUE(scheduled.ok());
  EXPECT_EQ(scheduled->start_date, "2026-03-16");
  ServiceTaskCommand again = Command(A::kEstimate);
  again.hours = 4;
  again.completion_date = "2026-03-27";
  absl::StatusOr<ServiceTask> second =
      ApplyServiceTaskCommand(*scheduled, again, P::kStaff, kNow + absl::Hours(1));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->state, S::kEstimated);
  EXPECT_EQ(second->estimate_minutes, 240);
  EXPECT_EQ(second->estimate_count, 2);
  EXPECT_TRUE(second->start_date.empty());
  EXPECT_FALSE(second->decided_at.has_value());
}

TEST(ServiceTaskTest, BadInputNamesTheField) {
  struct Row {
    A action;
    double hours;
    const char* completion_date;
    const char* start_date;
    std::string reason;
    const char* message_start;
  };
  const Row rows[] = {
      {A::kEstimate, 0, "2026-03-20", "", "", "hours:"},
      {A::kEstimate, -1, "2026-03-20", "", "", "hours:"},
      {A::kEstimate, 10001, "2026-03-20", "", "", "hours:"},
      {A::kEstimate, 2, "2026-02-30", "", "", "completion_date:"},
      {A::kEstimate, 2, "20-03-2026", "", "", "completion_date:"},
      {A::kEstimate, 2, "", "", "", "completion_date:"},
      {A::kSchedule, 0, "", "2026-13-01", "", "start_date:"},
      {A::kSchedule, 0, "", "2026-03-21", "", "start_date: 2026-03-21 is after"},
      {A::kDecline, 0, "", "", std::string(2001, 'x'), "reason:"},
  };
  for (const Row& row : rows) {
    const S from = row.action == A::kEstimate   ? S::kRequested
                   : row.action == A::kSchedule ? S::kApproved
                                                : S::kEstimated;
    ServiceTaskCommand command;
    command.action = row.action;
    command.hours = row.hours;
    command.completion_date = row.completion_date;
    command.start_date = row.start_date;
    command.reason = row.reason;
    absl::StatusOr<ServiceTask> after =
        ApplyServiceTaskCommand(TaskIn(from), command, ServiceTaskActionParty(row.action), kNow);
    ASSERT_FALSE(after.ok()) << row.message_start;
    EXPECT_EQ(after.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(after.status().message().rfind(row.message_start, 0), 0u) << after.status();
  }
}

TEST(ServiceTaskTest, CaseStatusFollowsTheFlow) {
  EXPECT_EQ(CaseStatusAfterServiceTask(S::kEstimated, S::kDeclined), CaseStatus::kSolved);
  EXPECT_EQ(CaseStatusAfterServiceTask(S::kInProgress, S::kDone), CaseStatus::kSolved);
  EXPECT_EQ(CaseStatusAfterServiceTask(S::kDeclined, S::kEstimated), CaseStatus::kOpen);
  EXPECT_EQ(CaseStatusAfterServiceTask(S::kRequested, S::kEstimated), std::nullopt);
  EXPECT_EQ(CaseStatusAfterServiceTask(S::kEstimated, S::kApproved), std::nullopt);
}

TEST(ServiceTaskTest, PartiesFromTheViewer) {
  Viewer agent{.user_id = 1, .role = Role::kAgent, .org_id = 1};
  Viewer customer{.user_id = 2, .role = Role::kCustomer, .org_id = 7};
  Viewer stranger{.user_id = 3, .role = Role::kCustomer, .org_id = 8};
  Viewer partner{.user_id = 4, .role = Role::kPartnerAgent, .org_id = 5, .child_org_ids = {7}};
  Viewer other_partner{
      .user_id = 5, .role = Role::kPartnerAgent, .org_id = 6, .child_org_ids = {9}};
  EXPECT_EQ(ServiceTaskPartyOf(agent, 7), P::kStaff);
  EXPECT_EQ(ServiceTaskPartyOf(customer, 7), P::kCustomer);
  EXPECT_EQ(ServiceTaskPartyOf(stranger, 7), P::kOther);
  EXPECT_EQ(ServiceTaskPartyOf(partner, 7), P::kCustomer);
  EXPECT_EQ(ServiceTaskPartyOf(other_partner, 7), P::kOther);
}

TEST(ServiceTaskTest, EventKindsAndHours) {
  EXPECT_EQ(ServiceTaskEventKind(A::kEstimate), kServiceTaskEstimatedEvent);
  EXPECT_EQ(ServiceTaskEventKind(A::kDone), "service_task.done");
  EXPECT_EQ(FormatEstimateHours(150), "2.5");
  EXPECT_EQ(FormatEstimateHours(120), "2");
  EXPECT_EQ(FormatEstimateHours(20), "0.33");
  EXPECT_EQ(FormatEstimateHours(75), "1.25");
}

}  // namespace
}  // namespace casedesk::core
