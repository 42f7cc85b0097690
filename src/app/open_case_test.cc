#include "app/open_case.h"

#include <gtest/gtest.h>

#include "app/case_test_fixture.h"
#include "app/get_case.h"

namespace casedesk::app {
namespace {

class OpenCaseTest : public CaseTestFixture {};

TEST_F(OpenCaseTest, CustomerOpensForOwnOrganisationWithProposedSeverity) {
  OpenCaseRequest request = Request("Database down", 2);
  request.category = core::Category::kProblem;
  request.fields = {{"server_name", "db-1"}, {"external_ip", "203.0.113.7"}};
  absl::StatusOr<CaseView> view = Open(acme_alice_, request);
  ASSERT_TRUE(view.ok()) << view.status();
  const core::Case& c = view->record;
  EXPECT_GT(c.number, 0);
  EXPECT_EQ(c.status, core::CaseStatus::kNew);
  EXPECT_EQ(c.severity, core::Severity::kMajor);
  EXPECT_EQ(c.proposed_severity, core::Severity::kMajor);
  EXPECT_FALSE(c.severity_confirmed);
  EXPECT_EQ(c.org_id, acme_);
  EXPECT_EQ(c.requester_id, acme_alice_.user.id);
  EXPECT_EQ(c.category, core::Category::kProblem);
  EXPECT_EQ(c.created_at, clock_.Now());
  EXPECT_FALSE(view->secret_fields.has_value());

  const core::Case stored = Stored(c.number);
  EXPECT_EQ(stored.subject, "Database down");
  EXPECT_EQ(stored.fields.at("server_name"), "db-1");
  const std::vector<core::AuditEvent> events = StoredEvents(c.number);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, "case.created");
  EXPECT_EQ(events[0].actor_id, acme_alice_.user.id);
}

TEST_F(OpenCaseTest, NumbersAreUniqueAndIncreasing) {
  const core::Case first = MustOpen(acme_alice_, Request("one"));
  const core::Case second = MustOpen(globex_gina_, Request("two"));
  EXPECT_GT(second.number, first.number);
}

TEST_F(OpenCaseTest, NewCasesLandInTheTriageGroup) {
  const core::Case before = MustOpen(acme_alice_, Request("before any group"));
  EXPECT_FALSE(before.group_id.has_value());
  AddGroup("Storage", /*triage=*/false);
  const core::GroupId triage = AddGroup("Triage", /*triage=*/true);
  const core::Case after = MustOpen(acme_alice_, Request("after"));
  EXPECT_EQ(after.group_id, triage);
}

TEST_F(OpenCaseTest, StaffMustNameTheOrganisationAndMayOpenOnBehalfOfItsContacts) {
  absl::StatusOr<CaseView> missing = Open(agent_, Request("no org"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);

  OpenCaseRequest request = Request("phoned in");
  request.org_id = acme_;
  request.requester_id = acme_bob_.user.id;
  absl::StatusOr<CaseView> view = Open(agent_, request);
  ASSERT_TRUE(view.ok()) << view.status();
  EXPECT_EQ(view->record.requester_id, acme_bob_.user.id);
  EXPECT_EQ(view->record.org_id, acme_);

  request.requester_id = globex_gina_.user.id;  // not a contact of Acme
  EXPECT_EQ(Open(agent_, request).status().code(), absl::StatusCode::kInvalidArgument);

  request.org_id = provider_;  // cases are about customers, never the provider itself
  request.requester_id.reset();
  EXPECT_EQ(Open(agent_, request).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(OpenCaseTest, OrganisationAndRequesterRules) {
  struct Row {
    const char* name;
    Caller* caller;
    std::optional<core::OrgId> org_id;
    std::optional<core::UserId> requester_id;
    absl::StatusCode expected;
  };
  const Row rows[] = {
      {"customer, own org", &acme_alice_, acme_, std::nullopt, absl::StatusCode::kOk},
      {"customer, other tenant", &acme_alice_, globex_, std::nullopt,
       absl::StatusCode::kInvalidArgument},
      {"customer, unknown org", &acme_alice_, 999999, std::nullopt,
       absl::StatusCode::kInvalidArgument},
      {"customer, on behalf of colleague", &acme_alice_, std::nullopt, acme_bob_.user.id,
       absl::StatusCode::kPermissionDenied},
      {"customer, naming themselves", &acme_alice_, std::nullopt, acme_alice_.user.id,
       absl::StatusCode::kOk},
      {"partner agent, own customer", &partner_agent_, partner_customer_, std::nullopt,
       absl::StatusCode::kOk},
      {"partner agent, default own org", &partner_agent_, std::nullopt, std::nullopt,
       absl::StatusCode::kOk},
      {"partner agent, provider's customer", &partner_agent_, acme_, std::nullopt,
       absl::StatusCode::kInvalidArgument},
  };
  for (const Row& row : rows) {
    OpenCaseRequest request = Request(row.name);
    request.org_id = row.org_id;
    request.requester_id = row.requester_id;
    EXPECT_EQ(Open(*row.caller, request).status().code(), row.expected) << row.name;
  }
}

TEST_F(OpenCaseTest, InvalidInputWritesNothing) {
  struct Row {
    const char* name;
    OpenCaseRequest request;
  };
  std::vector<Row> rows;
  rows.push_back({"severity 0", Request("x", 0)});
  rows.push_back({"severity 5", Request("x", 5)});
  rows.push_back({"empty subject", Request("", 3)});
  rows.push_back({"two-line subject", Request("a\nb", 3)});
  Row foreign_follower{"follower of another tenant", Request("x")};
  foreign_follower.request.followers = {globex_gina_.user.id};
  rows.push_back(foreign_follower);
  Row unknown_follower{"unknown follower", Request("x")};
  unknown_follower.request.followers = {424242};
  rows.push_back(unknown_follower);
  Row long_secret{"oversized secret", Request("x")};
  long_secret.request.secret_fields = {{"root_password", std::string(5000, 'p')}};
  rows.push_back(long_secret);
  for (Row& row : rows) {
    EXPECT_EQ(Open(acme_alice_, row.request).status().code(), absl::StatusCode::kInvalidArgument)
        << row.name;
  }
  // Nothing was created: the next case still gets a number and is the only one visible.
  const core::Case c = MustOpen(acme_alice_, Request("valid"));
  int64_t count = -1;
  ASSERT_TRUE(store_
                  ->Read([&](ports::StoreTransaction& txn) -> absl::Status {
                    ports::CaseFilter filter;
                    filter.scope.all = true;
                    absl::StatusOr<int64_t> counted = txn.CountCases(filter);
                    if (!counted.ok()) return counted.status();
                    count = *counted;
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_EQ(count, 1);
  EXPECT_EQ(Stored(c.number).subject, "valid");
}

TEST_F(OpenCaseTest, FollowersOfTheSameOrganisationAreKept) {
  OpenCaseRequest request = Request("with cc");
  request.followers = {acme_bob_.user.id};
  const core::Case c = MustOpen(acme_alice_, request);
  EXPECT_EQ(Stored(c.number).followers, std::vector<core::UserId>{acme_bob_.user.id});
}

TEST_F(OpenCaseTest, SecretFieldsAreSealedAndShownOnlyToStaff) {
  OpenCaseRequest request = Request("needs root");
  request.secret_fields = {{"root_password", "hunter2-very-secret"}};
  absl::StatusOr<CaseView> opened = Open(acme_alice_, request);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_FALSE(opened->secret_fields.has_value());  // not even echoed to the requester
  const core::CaseNumber number = opened->record.number;

  const core::Case stored = Stored(number);
  EXPECT_FALSE(stored.sealed_secrets.empty());
  EXPECT_EQ(stored.sealed_secrets.find("hunter2"), std::string::npos);

  absl::StatusOr<CaseView> staff = GetCase(context(), agent_, number);
  ASSERT_TRUE(staff.ok()) << staff.status();
  ASSERT_TRUE(staff->secret_fields.has_value());
  EXPECT_EQ(staff->secret_fields->at("root_password"), "hunter2-very-secret");

  absl::StatusOr<CaseView> customer = GetCase(context(), acme_alice_, number);
  ASSERT_TRUE(customer.ok()) << customer.status();
  EXPECT_FALSE(customer->secret_fields.has_value());

  // The audit trail names the secret, never its value.
  bool named = false;
  for (const core::AuditEvent& event : StoredEvents(number)) {
    for (const core::FieldChange& change : event.changes) {
      EXPECT_EQ(change.before.find("hunter2"), std::string::npos);
      EXPECT_EQ(change.after.find("hunter2"), std::string::npos);
      named = named || change.field == "secret_fields.root_password";
    }
  }
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace casedesk::app
