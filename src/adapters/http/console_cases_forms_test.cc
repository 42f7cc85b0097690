// The case page's forms as use-case requests, and the queues as ListCases requests.
#include "adapters/http/console_cases_forms.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "adapters/http/console_cases_queues.h"

namespace casedesk::adapters::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ConsoleCaseForms, Comments) {
  absl::StatusOr<app::AddCommentRequest> reply =
      ParseCommentForm({{"csrf_token", "t"}, {"body", "Hello <b>"}}, core::Visibility::kPublic);
  ASSERT_TRUE(reply.ok()) << reply.status();
  EXPECT_EQ(reply->body, "Hello <b>");
  EXPECT_EQ(reply->visibility, core::Visibility::kPublic);
  absl::StatusOr<app::AddCommentRequest> note =
      ParseCommentForm({{"body", "x"}}, core::Visibility::kInternal);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(note->visibility, core::Visibility::kInternal);
  for (const char* body : {"", "  \n\t "}) {
    absl::StatusOr<app::AddCommentRequest> blank =
        ParseCommentForm({{"body", body}}, core::Visibility::kPublic);
    EXPECT_EQ(blank.status().message(), "body: required");
  }
}

TEST(ConsoleCaseForms, Status) {
  struct Row {
    const char* value;
    bool ok;
    core::CaseStatus status;
  };
  for (const Row& row :
       {Row{"open", true, core::CaseStatus::kOpen}, Row{"on_hold", true, core::CaseStatus::kOnHold},
        Row{"solved", true, core::CaseStatus::kSolved}, Row{"", false, {}}, Row{"Open", false, {}},
        Row{"deleted", false, {}}}) {
    absl::StatusOr<app::UpdateCaseRequest> request = ParseStatusForm({{"status", row.value}});
    ASSERT_EQ(request.ok(), row.ok) << row.value;
    if (row.ok) {
      EXPECT_EQ(request->status, row.status);
    } else {
      EXPECT_THAT(request.status().message(), HasSubstr("status: "));
    }
  }
}

TEST(ConsoleCaseForms, Severity) {
  absl::StatusOr<app::UpdateCaseRequest> request = ParseSeverityForm(
      {{"severity", "2"}, {"reason_code", "workaround_provided"}, {"reason", "Workaround sent"}});
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ(request->severity, 2);
  EXPECT_EQ(request->severity_confirmed, true);
  EXPECT_EQ(request->severity_reason_code, core::SeverityChangeReason::kWorkaroundProvided);
  EXPECT_EQ(request->severity_reason, "Workaround sent");
  struct Row {
    std::vector<std::pair<std::string, std::string>> fields;
    const char* field;
  };
  for (const Row& row : {Row{{{"severity", "0"}, {"reason", "x"}}, "severity: "},
                         Row{{{"severity", "5"}, {"reason", "x"}}, "severity: "},
                         Row{{{"severity", "two"}, {"reason", "x"}}, "severity: "},
                         Row{{{"severity", "2"}, {"reason_code", "bogus"}, {"reason", "x"}},
                             "severity_reason_code: "},
                         Row{{{"severity", "2"}, {"reason", " "}}, "severity_reason: "}}) {
    absl::StatusOr<app::UpdateCaseRequest> refused = ParseSeverityForm(row.fields);
    ASSERT_FALSE(refused.ok());
    EXPECT_THAT(refused.status().message(), HasSubstr(row.field));
  }
  // Without a code the change is triage.
  absl::StatusOr<app::UpdateCaseRequest> triage =
      ParseSeverityForm({{"severity", "1"}, {"reason", "Production down"}});
  ASSERT_TRUE(triage.ok());
  EXPECT_EQ(triage->severity_reason_code, core::SeverityChangeReason::kTriage);
}

TEST(ConsoleCaseForms, AssigneeAndGroup) {
  absl::StatusOr<app::UpdateCaseRequest> take = ParseAssigneeForm({{"assignee", "12"}});
  ASSERT_TRUE(take.ok());
  ASSERT_TRUE(take->assignee_id.has_value());
  EXPECT_EQ(*take->assignee_id, std::optional<core::UserId>(12));
  absl::StatusOr<app::UpdateCaseRequest> clear = ParseAssigneeForm({{"assignee", ""}});
  ASSERT_TRUE(clear.ok());
  ASSERT_TRUE(clear->assignee_id.has_value());
  EXPECT_FALSE(clear->assignee_id->has_value());
  EXPECT_EQ(ParseAssigneeForm({{"assignee", "-3"}}).status().message(),
            "assignee_id: choose one from the list");
  absl::StatusOr<app::UpdateCaseRequest> group = ParseGroupForm({{"group", "4"}});
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(*group->group_id, std::optional<core::GroupId>(4));
  EXPECT_EQ(ParseGroupForm({{"group", "x"}}).status().message(),
            "group_id: choose one from the list");
}

TEST(ConsoleCaseForms, Reasons) {
  EXPECT_EQ(*ParseReasonForm({{"reason", "Customer is down"}}), "Customer is down");
  EXPECT_EQ(ParseReasonForm({{"reason", "  "}}).status().message(), "reason: required");
  EXPECT_EQ(ParseReasonForm({}).status().message(), "reason: required");
}

TEST(ConsoleQueues, EachQueueAsksForActiveCasesByNextDeadline) {
  core::Viewer viewer;
  viewer.user_id = 7;
  const absl::Time now = absl::FromUnixSeconds(1795000000);
  const ports::PageRequest page{.limit = 50, .cursor = "q1.2"};
  auto request_for = [&](ConsoleQueue queue, std::vector<core::GroupId> my_groups = {}) {
    return QueueRequest({.queue = queue}, viewer, my_groups, now, page);
  };
  for (const ConsoleQueueInfo& info : ConsoleQueues()) {
    const app::ListCasesRequest request = request_for(info.queue, {3, 4});
    EXPECT_EQ(request.order, ports::CaseOrder::kNextDeadline) << QueueKey(info.queue);
    EXPECT_TRUE(request.active_only) << QueueKey(info.queue);
    EXPECT_EQ(request.page.cursor, "q1.2");
  }
  EXPECT_TRUE(request_for(ConsoleQueue::kUntriaged).unassigned_only);
  EXPECT_EQ(request_for(ConsoleQueue::kMine).assignee_id, 7);
  EXPECT_THAT(request_for(ConsoleQueue::kMyGroups, {3, 4}).group_ids, ElementsAre(3, 4));
  EXPECT_EQ(request_for(ConsoleQueue::kBreachingSoon).due_before, now + absl::Hours(2));
  EXPECT_THAT(request_for(ConsoleQueue::kOnHold).statuses,
              ElementsAre(core::CaseStatus::kPending, core::CaseStatus::kOnHold));
}

TEST(ConsoleQueues, AViewNarrowsItsQueue) {
  core::Viewer viewer;
  viewer.user_id = 7;
  const core::QueueViewFilter filter{
      .queue = ConsoleQueue::kMine, .severity_level = 2, .group_id = 5, .org_id = 9};
  const app::ListCasesRequest request =
      QueueRequest(filter, viewer, {}, absl::FromUnixSeconds(1795000000), {});
  EXPECT_EQ(request.assignee_id, 7);
  EXPECT_EQ(request.severity, core::Severity::kMajor);
  EXPECT_EQ(request.group_id, 5);
  EXPECT_EQ(request.org_id, 9);
  EXPECT_FALSE(QueueRequest({}, viewer, {}, absl::Now(), {}).severity.has_value());
}

TEST(ConsoleQueues, HrefIsTheCanonicalFilterWithTheCursor) {
  EXPECT_EQ(QueueHref({.queue = ConsoleQueue::kBySeverity, .severity_level = 3}, "a b"),
            "/console/cases?queue=severity&severity=3&cursor=a%20b");
  EXPECT_EQ(QueueHref({.queue = ConsoleQueue::kMine}), "/console/cases?queue=mine");
}

}  // namespace
}  // namespace casedesk::adapters::http
