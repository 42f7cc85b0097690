// Priority-abuse flags: what a flag records, the audit event beside it, who may flag and read,
// reason validation, and that one misuse is flagged once.
#include "app/severity_flags.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app/case_test_fixture.h"

namespace casedesk::app {
namespace {

class SeverityFlagsTest : public CaseTestFixture {
 protected:
  absl::StatusOr<ports::SeverityFlag> Flag(const Caller& caller, core::CaseNumber number,
                                           std::string reason = "database slow is not an outage") {
    return Await<ports::SeverityFlag>([&](Done<ports::SeverityFlag> done) {
      FlagSeverity(context(), caller, number, std::move(reason), std::move(done));
    });
  }

  int CountEvents(core::CaseNumber number, std::string_view kind) {
    const std::vector<core::AuditEvent> events = StoredEvents(number);
    return static_cast<int>(std::count_if(events.begin(), events.end(),
                                          [&](const auto& event) { return event.kind == kind; }));
  }
};

TEST_F(SeverityFlagsTest, AFlagRecordsTheCustomersChoiceAndAnEvent) {
  const core::Case opened = MustOpen(acme_alice_, Request("Everything is down", 1));
  // Triage lowers the severity; the flag is about what the customer chose.
  UpdateCaseRequest lower;
  lower.severity = 3;
  lower.severity_reason = "one user affected";
  ASSERT_TRUE(Update(agent_, opened.number, lower).ok());
  clock_.Advance(absl::Minutes(5));

  absl::StatusOr<ports::SeverityFlag> flag = Flag(agent_, opened.number, "one user, no outage");
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_GT(flag->id, 0);
  EXPECT_EQ(flag->case_number, opened.number);
  EXPECT_EQ(flag->org_id, acme_);
  EXPECT_EQ(flag->requester_id, acme_alice_.user.id);
  EXPECT_EQ(flag->flagged_by, agent_.user.id);
  EXPECT_EQ(flag->flagged_severity, core::Severity::kCritical);
  EXPECT_EQ(flag->reason, "one user, no outage");
  EXPECT_EQ(flag->at, clock_.Now());

  const std::vector<core::AuditEvent> events = StoredEvents(opened.number);
  ASSERT_FALSE(events.empty());
  const core::AuditEvent& event = events.back();
  EXPECT_EQ(event.kind, kSeverityFlagged);
  EXPECT_EQ(event.actor_id, agent_.user.id);
  EXPECT_EQ(event.at, clock_.Now());
  EXPECT_EQ(event.reason, "one user, no outage");
  ASSERT_EQ(event.changes.size(), 2u);
  EXPECT_EQ(event.changes[0].field, "flagged_severity");
  EXPECT_EQ(event.changes[0].after, "1");
  EXPECT_EQ(event.changes[1].field, "severity_flag_id");
  EXPECT_EQ(event.changes[1].after, std::to_string(flag->id));

  absl::StatusOr<std::vector<ports::SeverityFlag>> listed =
      ListSeverityFlags(context(), agent_, opened.number);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, flag->id);
  EXPECT_EQ((*listed)[0].reason, flag->reason);
}

TEST_F(SeverityFlagsTest, OnlyStaffWhoSeeTheCaseMayFlagOrRead) {
  const core::Case acme = MustOpen(acme_alice_, Request("Acme down", 1));
  struct Row {
    const char* name;
    const Caller* caller;
    core::CaseNumber number;
    absl::StatusCode code;
  };
  const Row rows[] = {
      {"requester", &acme_alice_, acme.number, absl::StatusCode::kPermissionDenied},
      {"org admin who sees it", &acme_admin_, acme.number, absl::StatusCode::kPermissionDenied},
      {"colleague who does not see it", &acme_bob_, acme.number, absl::StatusCode::kNotFound},
      {"other tenant", &globex_gina_, acme.number, absl::StatusCode::kNotFound},
      {"partner agent of others", &partner_agent_, acme.number, absl::StatusCode::kNotFound},
      {"no such case", &agent_, 999999, absl::StatusCode::kNotFound},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Flag(*row.caller, row.number).status().code(), row.code) << row.name;
    EXPECT_EQ(ListSeverityFlags(context(), *row.caller, row.number).status().code(), row.code)
        << row.name;
  }
  EXPECT_EQ(CountEvents(acme.number, kSeverityFlagged), 0);
  EXPECT_TRUE(Flag(admin_, acme.number).ok());
}

TEST_F(SeverityFlagsTest, ReasonIsRequiredAndBounded) {
  const core::Case opened = MustOpen(acme_alice_, Request("Down", 1));
  std::string longest;
  for (int i = 0; i < 2000; ++i) longest += "\xC3\xA9";  // 2000 characters, 4000 bytes
  struct Row {
    const char* name;
    std::string reason;
    std::string error;  // empty: accepted
  };
  const Row rows[] = {
      {"empty", "", "field 'reason' is required"},
      {"blank", " \t\n ", "field 'reason' is required"},
      {"2001 characters", std::string(2001, 'x'), "at most 2000 characters"},
      {"2000 two-byte characters", longest, ""},
  };
  for (const Row& row : rows) {
    absl::StatusOr<ports::SeverityFlag> flag = Flag(agent_, opened.number, row.reason);
    if (row.error.empty()) {
      EXPECT_TRUE(flag.ok()) << row.name << ": " << flag.status();
    } else {
      EXPECT_EQ(flag.status().code(), absl::StatusCode::kInvalidArgument) << row.name;
      EXPECT_NE(flag.status().message().find(row.error), std::string::npos)
          << row.name << ": " << flag.status();
    }
  }
}

TEST_F(SeverityFlagsTest, OneMisuseIsFlaggedOnce) {
  const core::Case opened = MustOpen(acme_alice_, Request("Down", 1));
  ASSERT_TRUE(Flag(agent_, opened.number).ok());
  absl::StatusOr<ports::SeverityFlag> again = Flag(admin_, opened.number);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists) << again.status();
  EXPECT_EQ(CountEvents(opened.number, kSeverityFlagged), 1);

  // The customer proposes another severity while it is unconfirmed: a new choice to judge.
  UpdateCaseRequest repropose;
  repropose.severity = 2;
  repropose.severity_reason = "still bad";
  ASSERT_TRUE(Update(acme_alice_, opened.number, repropose).ok());
  absl::StatusOr<ports::SeverityFlag> second = Flag(agent_, opened.number);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->flagged_severity, core::Severity::kMajor);
  absl::StatusOr<std::vector<ports::SeverityFlag>> listed =
      ListSeverityFlags(context(), agent_, opened.number);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].flagged_severity, core::Severity::kCritical);
  EXPECT_EQ((*listed)[1].flagged_severity, core::Severity::kMajor);
}

TEST_F(SeverityFlagsTest, AClosedCaseMayStillBeFlagged) {
  const core::Case opened = MustOpen(acme_alice_, Request("Down", 1));
  for (core::CaseStatus status : {core::CaseStatus::kSolved, core::CaseStatus::kClosed}) {
    UpdateCaseRequest move;
    move.status = status;
    ASSERT_TRUE(Update(agent_, opened.number, move).ok());
  }
  absl::StatusOr<ports::SeverityFlag> flag = Flag(agent_, opened.number);
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_EQ(Stored(opened.number).status, core::CaseStatus::kClosed);
}

}  // namespace
}  // namespace casedesk::app
