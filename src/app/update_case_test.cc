#include "app/update_case.h"

#include <gtest/gtest.h>

#include "app/case_test_fixture.h"
#include "app/get_case.h"

namespace casedesk::app {
namespace {

using core::CaseStatus;
using core::Severity;
using core::SeverityChangeReason;

class UpdateCaseTest : public CaseTestFixture {
 protected:
  UpdateCaseRequest StatusTo(CaseStatus status) {
    UpdateCaseRequest request;
    request.status = status;
    return request;
  }

  // Moves a fresh case through the given statuses as the agent.
  core::CaseNumber CaseIn(CaseStatus status) {
    const core::CaseNumber number = MustOpen(acme_alice_, Request("lifecycle")).number;
    if (status == CaseStatus::kNew) return number;
    if (status == CaseStatus::kClosed) {
      EXPECT_TRUE(Update(agent_, number, StatusTo(CaseStatus::kSolved)).ok());
    }
    EXPECT_TRUE(Update(agent_, number, StatusTo(status)).ok());
    return number;
  }

  const core::FieldChange* FindChange(const core::AuditEvent& event, std::string_view field) {
    for (const core::FieldChange& change : event.changes) {
      if (change.field == field) return &change;
    }
    return nullptr;
  }
};

TEST_F(UpdateCaseTest, StatusTransitionsFollowTheLifecycleAndTheRole) {
  struct Row {
    const char* name;
    CaseStatus from;
    CaseStatus to;
    Caller* caller;
    absl::StatusCode expected;
  };
  const Row rows[] = {
      {"agent opens a new case", CaseStatus::kNew, CaseStatus::kOpen, &agent_,
       absl::StatusCode::kOk},
      {"agent waits on customer", CaseStatus::kOpen, CaseStatus::kPending, &agent_,
       absl::StatusCode::kOk},
      {"agent puts on hold", CaseStatus::kOpen, CaseStatus::kOnHold, &agent_,
       absl::StatusCode::kOk},
      {"agent solves", CaseStatus::kOpen, CaseStatus::kSolved, &agent_, absl::StatusCode::kOk},
      {"agent closes a solved case", CaseStatus::kSolved, CaseStatus::kClosed, &agent_,
       absl::StatusCode::kOk},
      {"agent cannot close an open case", CaseStatus::kOpen, CaseStatus::kClosed, &agent_,
       absl::StatusCode::kFailedPrecondition},
      {"closed is final", CaseStatus::kClosed, CaseStatus::kOpen, &agent_,
       absl::StatusCode::kFailedPrecondition},
      {"customer re-opens solved", CaseStatus::kSolved, CaseStatus::kOpen, &acme_alice_,
       absl::StatusCode::kOk},
      {"customer solves own case", CaseStatus::kOpen, CaseStatus::kSolved, &acme_alice_,
       absl::StatusCode::kOk},
      {"customer may not put on hold", CaseStatus::kOpen, CaseStatus::kOnHold, &acme_alice_,
       absl::StatusCode::kPermissionDenied},
      {"customer may not close", CaseStatus::kSolved, CaseStatus::kClosed, &acme_alice_,
       absl::StatusCode::kPermissionDenied},
      {"new cannot go back to new", CaseStatus::kOpen, CaseStatus::kNew, &agent_,
       absl::StatusCode::kFailedPrecondition},
  };
  for (const Row& row : rows) {
    const core::CaseNumber number = CaseIn(row.from);
    const size_t events_before = StoredEvents(number).size();
    absl::StatusOr<CaseView> result = Update(*row.caller, number, StatusTo(row.to));
    EXPECT_EQ(result.status().code(), row.expected) << row.name << ": " << result.status();
    const core::Case stored = Stored(number);
    EXPECT_EQ(stored.status, row.expected == absl::StatusCode::kOk ? row.to : row.from) << row.name;
    EXPECT_EQ(StoredEvents(number).size(),
              events_before + (row.expected == absl::StatusCode::kOk ? 1 : 0))
        << row.name;
  }
}

TEST_F(UpdateCaseTest, SolvedAndClosedTimestampsAreSet) {
  const core::CaseNumber number = CaseIn(CaseStatus::kOpen);
  clock_.Advance(absl::Hours(2));
  ASSERT_TRUE(Update(agent_, number, StatusTo(CaseStatus::kSolved)).ok());
  EXPECT_EQ(Stored(number).solved_at, clock_.Now());
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(Update(agent_, number, StatusTo(CaseStatus::kClosed)).ok());
  const core::Case closed = Stored(number);
  EXPECT_EQ(closed.closed_at, clock_.Now());
  EXPECT_EQ(closed.updated_at, clock_.Now());
}

TEST_F(UpdateCaseTest, ClosedCaseTakesNoEdits) {
  const core::CaseNumber number = CaseIn(CaseStatus::kClosed);
  UpdateCaseRequest request;
  request.subject = "edited after close";
  EXPECT_EQ(Update(agent_, number, request).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Stored(number).subject, "lifecycle");
}

TEST_F(UpdateCaseTest, SeverityChangeRules) {
  struct Row {
    const char* name;
    Caller* caller;
    int from;
    bool confirmed_first;  // staff confirmed the severity before this change
    int to;
    std::optional<SeverityChangeReason> code;
    std::string reason;
    absl::StatusCode expected;
  };
  const Row rows[] = {
      {"staff changes with reason", &agent_, 3, false, 2, std::nullopt, "outage wider",
       absl::StatusCode::kOk},
      {"staff needs a reason", &agent_, 3, false, 2, std::nullopt, "",
       absl::StatusCode::kInvalidArgument},
      {"workaround downgrade 1 -> 3", &agent_, 1, false, 3,
       SeverityChangeReason::kWorkaroundProvided, "restart script", absl::StatusCode::kOk},
      {"workaround only for 1/2 -> 3", &agent_, 2, false, 4,
       SeverityChangeReason::kWorkaroundProvided, "restart script",
       absl::StatusCode::kInvalidArgument},
      {"customer re-proposes while unconfirmed", &acme_alice_, 3, false, 1, std::nullopt,
       "all users down now", absl::StatusCode::kOk},
      {"customer cannot change a confirmed severity", &acme_alice_, 3, true, 1, std::nullopt,
       "all users down now", absl::StatusCode::kFailedPrecondition},
      {"customer cannot claim triage", &acme_alice_, 3, false, 2, SeverityChangeReason::kTriage,
       "because", absl::StatusCode::kPermissionDenied},
      {"severity out of range", &agent_, 3, false, 7, std::nullopt, "why",
       absl::StatusCode::kInvalidArgument},
  };
  for (const Row& row : rows) {
    const core::CaseNumber number = MustOpen(acme_alice_, Request(row.name, row.from)).number;
    if (row.confirmed_first) {
      UpdateCaseRequest confirm;
      confirm.severity_confirmed = true;
      ASSERT_TRUE(Update(agent_, number, confirm).ok()) << row.name;
    }
    UpdateCaseRequest request;
    request.severity = row.to;
    request.severity_reason_code = row.code;
    request.severity_reason = row.reason;
    absl::StatusOr<CaseView> result = Update(*row.caller, number, request);
    EXPECT_EQ(result.status().code(), row.expected) << row.name << ": " << result.status();
    const core::Case stored = Stored(number);
    if (row.expected != absl::StatusCode::kOk) {
      EXPECT_EQ(core::SeverityLevel(stored.severity), row.from) << row.name;
      continue;
    }
    EXPECT_EQ(core::SeverityLevel(stored.severity), row.to) << row.name;
    const bool staff = core::IsProviderStaff(row.caller->viewer.role);
    EXPECT_EQ(stored.severity_confirmed, staff) << row.name;
    EXPECT_EQ(core::SeverityLevel(stored.proposed_severity), staff ? row.from : row.to) << row.name;
    const core::AuditEvent event = StoredEvents(number).back();
    EXPECT_EQ(event.kind, "case.updated");
    EXPECT_EQ(event.reason, row.reason) << row.name;
    EXPECT_EQ(event.actor_id, row.caller->user.id);
    const core::FieldChange* severity = FindChange(event, "severity");
    ASSERT_NE(severity, nullptr) << row.name;
    EXPECT_EQ(severity->before, std::to_string(row.from));
    EXPECT_EQ(severity->after, std::to_string(row.to));
    ASSERT_NE(FindChange(event, "severity_reason_code"), nullptr) << row.name;
  }
}

TEST_F(UpdateCaseTest, WorkaroundDowngradeIsRecordedAsSuch) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("down", 1)).number;
  UpdateCaseRequest request;
  request.severity = 3;
  request.severity_reason_code = SeverityChangeReason::kWorkaroundProvided;
  request.severity_reason = "failover to the standby works";
  ASSERT_TRUE(Update(agent_, number, request).ok());
  const core::AuditEvent event = StoredEvents(number).back();
  const core::FieldChange* code = FindChange(event, "severity_reason_code");
  ASSERT_NE(code, nullptr);
  EXPECT_EQ(code->after, "workaround_provided");
  EXPECT_NE(FindChange(event, "severity_confirmed"), nullptr);
}

TEST_F(UpdateCaseTest, StaffConfirmsWithoutChanging) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("confirm me", 2)).number;
  UpdateCaseRequest request;
  request.severity_confirmed = true;
  EXPECT_EQ(Update(acme_alice_, number, request).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<CaseView> confirmed = Update(agent_, number, request);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_TRUE(confirmed->record.severity_confirmed);
  EXPECT_EQ(confirmed->record.severity, Severity::kMajor);
}

TEST_F(UpdateCaseTest, TriageFieldsAreStaffOnlyAndChecked) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("assign me")).number;
  const core::GroupId storage = AddGroup("Storage", false);
  UpdateCaseRequest assign;
  assign.assignee_id = agent_.user.id;
  assign.group_id = storage;
  EXPECT_EQ(Update(acme_alice_, number, assign).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(partner_agent_, number, assign).status().code(), absl::StatusCode::kNotFound);
  absl::StatusOr<CaseView> assigned = Update(agent_, number, assign);
  ASSERT_TRUE(assigned.ok()) << assigned.status();
  EXPECT_EQ(assigned->record.assignee_id, agent_.user.id);
  EXPECT_EQ(assigned->record.group_id, storage);

  UpdateCaseRequest to_customer;
  to_customer.assignee_id = acme_bob_.user.id;
  EXPECT_EQ(Update(agent_, number, to_customer).status().code(),
            absl::StatusCode::kInvalidArgument);
  UpdateCaseRequest to_missing_group;
  to_missing_group.group_id = 98765;
  EXPECT_EQ(Update(agent_, number, to_missing_group).status().code(),
            absl::StatusCode::kInvalidArgument);

  UpdateCaseRequest unassign;
  unassign.assignee_id = std::optional<core::UserId>();
  absl::StatusOr<CaseView> unassigned = Update(admin_, number, unassign);
  ASSERT_TRUE(unassigned.ok()) << unassigned.status();
  EXPECT_FALSE(unassigned->record.assignee_id.has_value());
  EXPECT_EQ(Stored(number).group_id, storage);
}

TEST_F(UpdateCaseTest, FieldsMergeAndNullRemoves) {
  OpenCaseRequest open = Request("fields");
  open.fields = {{"server_name", "web-1"}, {"stack", "fra-2"}};
  const core::CaseNumber number = MustOpen(acme_alice_, open).number;
  UpdateCaseRequest request;
  request.fields = {{"server_name", "web-2"}, {"stack", std::nullopt}, {"error_text", "E42"}};
  request.subject = "fields, edited";
  ASSERT_TRUE(Update(acme_alice_, number, request).ok());
  const core::Case stored = Stored(number);
  EXPECT_EQ(stored.fields,
            (std::map<std::string, std::string>{{"server_name", "web-2"}, {"error_text", "E42"}}));
  EXPECT_EQ(stored.subject, "fields, edited");
  const core::AuditEvent event = StoredEvents(number).back();
  const core::FieldChange* server = FindChange(event, "fields.server_name");
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->before, "web-1");
  EXPECT_EQ(server->after, "web-2");
  EXPECT_NE(FindChange(event, "fields.stack"), nullptr);
  EXPECT_NE(FindChange(event, "subject"), nullptr);
}

TEST_F(UpdateCaseTest, OnePatchIsOneEventAndAFailingPatchWritesNothing) {
  const core::CaseNumber number = CaseIn(CaseStatus::kOpen);
  const size_t events = StoredEvents(number).size();
  UpdateCaseRequest bad;
  bad.subject = "new subject";
  bad.fields = {{"server_name", "db-9"}};
  bad.status = CaseStatus::kClosed;  // open -> closed is invalid
  EXPECT_EQ(Update(agent_, number, bad).status().code(), absl::StatusCode::kFailedPrecondition);
  const core::Case unchanged = Stored(number);
  EXPECT_EQ(unchanged.subject, "lifecycle");
  EXPECT_TRUE(unchanged.fields.empty());
  EXPECT_EQ(StoredEvents(number).size(), events);

  UpdateCaseRequest good = bad;
  good.status = CaseStatus::kPending;
  ASSERT_TRUE(Update(agent_, number, good).ok());
  const std::vector<core::AuditEvent> after = StoredEvents(number);
  ASSERT_EQ(after.size(), events + 1);
  EXPECT_EQ(after.back().changes.size(), 3u);  // subject, fields.server_name, status

  // Restating current values changes nothing and records nothing.
  ASSERT_TRUE(Update(agent_, number, good).ok());
  EXPECT_EQ(StoredEvents(number).size(), events + 1);
}

TEST_F(UpdateCaseTest, FollowersMustBelongToTheCasesOrganisation) {
  const core::CaseNumber number = MustOpen(acme_alice_, Request("cc")).number;
  UpdateCaseRequest foreign;
  foreign.followers = std::vector<core::UserId>{globex_gina_.user.id};
  EXPECT_EQ(Update(acme_alice_, number, foreign).status().code(),
            absl::StatusCode::kInvalidArgument);
  UpdateCaseRequest colleague;
  colleague.followers = std::vector<core::UserId>{acme_bob_.user.id};
  ASSERT_TRUE(Update(acme_alice_, number, colleague).ok());
  EXPECT_TRUE(GetCase(context(), acme_bob_, number).ok());
}

TEST_F(UpdateCaseTest, SecretFieldsMergeAreStaffOnlyAndAreErasedOnClose) {
  OpenCaseRequest open = Request("secrets");
  open.secret_fields = {{"root_password", "first-secret"}};
  const core::CaseNumber number = MustOpen(acme_alice_, open).number;

  UpdateCaseRequest add;
  add.secret_fields = {{"api_key", "second-secret"}, {"root_password", std::nullopt}};
  absl::StatusOr<CaseView> customer_view = Update(acme_alice_, number, add);
  ASSERT_TRUE(customer_view.ok()) << customer_view.status();
  EXPECT_FALSE(customer_view->secret_fields.has_value());

  absl::StatusOr<CaseView> staff_view = GetCase(context(), agent_, number);
  ASSERT_TRUE(staff_view.ok());
  EXPECT_EQ(*staff_view->secret_fields, (SecretFields{{"api_key", "second-secret"}}));

  ASSERT_TRUE(Update(agent_, number, StatusTo(CaseStatus::kSolved)).ok());
  ASSERT_TRUE(Update(agent_, number, StatusTo(CaseStatus::kClosed)).ok());
  EXPECT_TRUE(Stored(number).sealed_secrets.empty());
  absl::StatusOr<CaseView> closed_view = GetCase(context(), agent_, number);
  ASSERT_TRUE(closed_view.ok());
  EXPECT_TRUE(closed_view->secret_fields->empty());

  const std::vector<core::AuditEvent> events = StoredEvents(number);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.back().kind, "case.secrets_erased");
  ASSERT_EQ(events.back().changes.size(), 1u);
  EXPECT_EQ(events.back().changes[0].field, "secret_fields.api_key");
  for (const core::AuditEvent& event : events) {
    for (const core::FieldChange& change : event.changes) {
      for (const char* value : {"first-secret", "second-secret"}) {
        EXPECT_EQ(change.before.find(value), std::string::npos) << event.kind;
        EXPECT_EQ(change.after.find(value), std::string::npos) << event.kind;
      }
    }
  }
}

}  // namespace
}  // namespace casedesk::app
